// Run graphql-http's server audits (GraphQL over HTTP spec) against a gateway URL.
// Usage: node audit.mjs http://127.0.0.1:4000/graphql
// Prints every audit, then the score per level; exits 1 when any MUST audit fails.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const levels = { MUST: [0, 0], SHOULD: [0, 0], MAY: [0, 0] };
let mustFailed = false;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const level = result.name.split(' ')[0];
  const passed = result.status === 'ok';
  if (levels[level]) {
    levels[level][1] += 1;
    if (passed) levels[level][0] += 1;
  }
  if (!passed && level === 'MUST') mustFailed = true;
  const detail = passed ? '' : ` -- ${result.reason}`;
  console.log(`${passed ? 'ok  ' : 'FAIL'} ${result.id} ${result.name}${detail}`);
}
const score = Object.entries(levels).map(([l, [ok, all]]) => `${l} ${ok}/${all}`).join(', ');
const total = Object.values(levels).reduce((a, [ok, all]) => [a[0] + ok, a[1] + all], [0, 0]);
console.log(`graphql-http audit: ${score} (total ${total[0]}/${total[1]})`);
process.exit(mustFailed ? 1 : 0);
