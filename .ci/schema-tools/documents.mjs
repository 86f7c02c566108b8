// The GraphQL documents the project publishes: every ```graphql block of README.md (with the
// line it starts on) and every tests/analyst/*.graphql file.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The ```graphql blocks of README.md: { where, source, section }. */
export function readmeBlocks() {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const blocks = [];
  let section = '';
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].startsWith('## ')) section = lines[i].slice(3).trim();
    if (lines[i].trim() !== '```graphql') continue;
    const start = i + 1;
    const body = [];
    for (i += 1; i < lines.length && lines[i].trim() !== '```'; i += 1) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`README.md:${start}: unterminated \`\`\`graphql block`);
    blocks.push({ where: `README.md:${start}`, source: body.join('\n'), section });
  }
  return blocks;
}

/** The analysts' example queries in tests/analyst/. */
export function analystQueries() {
  const dir = join(root, 'tests', 'analyst');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => ({
      where: `tests/analyst/${name}`,
      source: readFileSync(join(dir, name), 'utf8'),
    }));
}

/** The checked-in SDL. */
export function checkedInSdl() {
  return readFileSync(join(root, 'schema', 'schema.graphql'), 'utf8');
}
