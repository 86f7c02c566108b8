// Generate a typed TypeScript client for the README's tour queries with graphql-codegen
// (typescript + typescript-operations, codegen.yml), reading the schema from a running gateway,
// then type-check the output and tour-client.ts (which uses it) with tsc.
// Usage: node codegen.mjs http://127.0.0.1:4000/graphql
// Writes generated/tour/*.graphql (the tour's blocks; anonymous ones named Tour1, Tour2, …)
// and generated/tour.ts. Exits 1 when codegen or tsc fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print } from 'graphql';

import { readmeBlocks } from './documents.mjs';

const url = process.argv[2];
if (!url) {
  console.error('usage: node codegen.mjs <graphql url>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const TOUR = 'A five-minute tour';

const tour = readmeBlocks().filter((b) => b.section === TOUR);
if (tour.length === 0) {
  console.error(`FAIL no \`\`\`graphql blocks under "## ${TOUR}" in README.md`);
  process.exit(1);
}
const generated = join(here, 'generated');
rmSync(generated, { recursive: true, force: true });
mkdirSync(join(generated, 'tour'), { recursive: true });
const operations = [];
tour.forEach((block, i) => {
  const document = parse(block.source);
  const named = {
    ...document,
    definitions: document.definitions.map((d) =>
      d.kind === Kind.OPERATION_DEFINITION && !d.name
        ? { ...d, name: { kind: Kind.NAME, value: `Tour${i + 1}` } }
        : d,
    ),
  };
  for (const d of named.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) operations.push({ name: d.name.value, where: block.where });
  }
  const file = join(generated, 'tour', `${String(i + 1).padStart(2, '0')}.graphql`);
  writeFileSync(file, `# ${block.where}\n${print(named)}\n`);
});

const run = (what, command, args, env = {}) => {
  const result = spawnSync(command, args, {
    cwd: here,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`FAIL ${what} (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
};
const bin = (name) => join(here, 'node_modules', '.bin', name);

run('graphql-codegen', bin('graphql-codegen'), ['--config', 'codegen.yml'], {
  SIMPUL_GRAPHQL_URL: url,
});
const output = readFileSync(join(generated, 'tour.ts'), 'utf8');
const missing = operations.filter(
  (op) =>
    !output.includes(`export type ${op.name}Query = `) ||
    !output.includes(`export type ${op.name}QueryVariables = `),
);
if (missing.length > 0) {
  console.error(`FAIL generated/tour.ts lacks the types of ${missing.map((op) => `${op.name} (${op.where})`).join(', ')}`);
  process.exit(1);
}
run('tsc', bin('tsc'), ['-p', 'tsconfig.json']);
console.log(
  `codegen: ${operations.length} tour operations (${operations.map((op) => op.name).join(', ')}) typed in generated/tour.ts; tsc --noEmit passes`,
);
