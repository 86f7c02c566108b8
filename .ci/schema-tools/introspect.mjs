// Read a running gateway's schema the way standard GraphQL tools do, and check it.
// Usage: node introspect.mjs http://127.0.0.1:4000/graphql   (a gateway on its default limits)
//
// 1. graphql-js's getIntrospectionQuery() under each option set the common clients use is
//    answered without errors; buildClientSchema rebuilds a schema that assertValidSchema
//    accepts, and that is the checked-in SDL (schema/schema.graphql): the answer is compared
//    with graphql-js's own answer to the same query over buildSchema(SDL), both printed sorted
//    (lexicographicSortSchema + printSchema); with every option on, also with the SDL itself.
// 2. Every ```graphql block of README.md and every tests/analyst/*.graphql is valid
//    (graphql-js validate) against the introspected schema and against the SDL.
// 3. The depth and complexity limits answer with extensions.code LIMIT_EXCEEDED, and a
//    malicious introspection (fields { type { fields … } } nested) is refused.
// Exits 1 on any failure.
import {
  assertValidSchema,
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  introspectionFromSchema,
  lexicographicSortSchema,
  parse,
  printSchema,
  validate,
} from 'graphql';

import { analystQueries, checkedInSdl, readmeBlocks } from './documents.mjs';

const url = process.argv[2];
if (!url) {
  console.error('usage: node introspect.mjs <graphql url>');
  process.exit(2);
}

// The option sets of getIntrospectionQuery (graphql-js 16) that clients send: GraphiQL and
// graphql-codegen's URL loader ask for descriptions, inputValueDeprecation and the newer
// fields; Apollo, Postman, Insomnia, Altair and gql use the defaults or subsets of these.
const OPTION_SETS = [
  ['default', {}],
  ['descriptions: false', { descriptions: false }],
  ['inputValueDeprecation', { inputValueDeprecation: true }],
  [
    'specifiedByUrl + directiveIsRepeatable + schemaDescription',
    { specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true },
  ],
  ['oneOf', { oneOf: true }],
  [
    'every option',
    {
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    },
  ],
];
// getIntrospectionQuery's own defaults (introspectionFromSchema's differ: all on).
const QUERY_DEFAULTS = {
  descriptions: true,
  specifiedByUrl: false,
  directiveIsRepeatable: false,
  schemaDescription: false,
  inputValueDeprecation: false,
  oneOf: false,
};
// The one unavoidable difference: async-graphql answers `__schema { description }` with the
// description of the __Schema type itself (a fixed sentence), where a schema without a
// description (ours: the SDL has none) should answer null. It is dropped before comparing.
const ASYNC_GRAPHQL_SCHEMA_DESCRIPTION =
  'A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.';

let failures = 0;
const fail = (message) => {
  failures += 1;
  console.log(`FAIL ${message}`);
};
const ok = (message) => console.log(`ok   ${message}`);

async function post(query, operationName) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query, operationName }),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparsable: text.slice(0, 300) };
  }
  return { status: response.status, body };
}

const sorted = (schema) => printSchema(lexicographicSortSchema(schema));

/** The first lines where two printed schemas differ. */
function difference(actual, expected) {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i += 1) {
    if (a[i] !== e[i]) {
      const context = (lines) => lines.slice(Math.max(0, i - 2), i + 4).join('\n    ');
      return `first difference at line ${i + 1}:\n  gateway:\n    ${context(a)}\n  checked-in SDL:\n    ${context(e)}`;
    }
  }
  return 'identical';
}

const sdl = buildSchema(checkedInSdl());
assertValidSchema(sdl);

// 1. Introspection under each option set.
let introspected = null;
for (const [name, options] of OPTION_SETS) {
  const query = getIntrospectionQuery(options);
  const { status, body } = await post(query, 'IntrospectionQuery');
  if (status !== 200 || body.errors || !body.data?.__schema) {
    fail(`introspection (${name}): HTTP ${status} ${JSON.stringify(body).slice(0, 400)}`);
    continue;
  }
  const data = body.data;
  if (data.__schema.description === ASYNC_GRAPHQL_SCHEMA_DESCRIPTION) {
    data.__schema.description = null;
  }
  let client;
  try {
    client = buildClientSchema(data);
    assertValidSchema(client);
  } catch (error) {
    fail(`introspection (${name}): buildClientSchema/assertValidSchema: ${error.message}`);
    continue;
  }
  const expected = buildClientSchema(
    introspectionFromSchema(sdl, { ...QUERY_DEFAULTS, ...options }),
  );
  const printed = sorted(client);
  if (printed !== sorted(expected)) {
    fail(`introspection (${name}) differs from the checked-in SDL's: ${difference(printed, sorted(expected))}`);
    continue;
  }
  if (name === 'every option') {
    if (printed !== sorted(sdl)) {
      fail(`introspection (${name}) differs from printSchema(buildSchema(SDL)): ${difference(printed, sorted(sdl))}`);
      continue;
    }
    introspected = client;
  }
  const types = Object.keys(client.getTypeMap()).length;
  ok(`introspection (${name}): ${types} types, valid, same as schema/schema.graphql`);
}

// 2. The published documents against the introspected schema and the SDL.
const documents = [...readmeBlocks(), ...analystQueries()];
if (documents.length === 0) fail('no GraphQL documents found in README.md and tests/analyst/');
for (const { where, source } of documents) {
  let document;
  try {
    document = parse(source);
  } catch (error) {
    fail(`${where}: does not parse: ${error.message}`);
    continue;
  }
  const schemas = [['the checked-in SDL', sdl]];
  if (introspected) schemas.push(['the introspected schema', introspected]);
  const errors = schemas.flatMap(([against, schema]) =>
    validate(schema, document).map((e) => `${e.message} (against ${against})`),
  );
  if (errors.length > 0) fail(`${where}: ${errors.join('; ')}`);
  else ok(`${where}: valid`);
}

// 3. Limits answer with a code; malicious introspection stays bounded.
const nested = (open, close, n, inner) => `${open.repeat(n)}${inner}${close.repeat(n)}`;
const LIMITED = [
  [
    'introspection nesting fields { type { fields … } } four times',
    `{ __type(name: "Query") { ${nested('fields { type { ', '} } ', 4, 'name ')} } }`,
  ],
  [
    'data nested 13 levels',
    `{ courseRuns(first: 1) { nodes { ${nested('course { trainingCenter { courses(first: 1) { nodes { ', '} } } } ', 3, 'code ')} } } }`,
  ],
  [
    'a query over the complexity limit',
    '{ courseRuns(first: 100) { nodes { course { trainingCenter { courses(first: 100) { nodes { code } } } } } } }',
  ],
];
for (const [name, query] of LIMITED) {
  const { status, body } = await post(query);
  const codes = (body.errors ?? []).map((e) => e.extensions?.code);
  if (status === 400 && body.data === undefined && codes.length > 0 && codes.every((c) => c === 'LIMIT_EXCEEDED')) {
    ok(`${name}: refused, LIMIT_EXCEEDED`);
  } else {
    fail(`${name}: expected HTTP 400 with LIMIT_EXCEEDED, got HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

console.log(
  failures === 0
    ? `schema tools: introspection under ${OPTION_SETS.length} option sets, ${documents.length} documents, ${LIMITED.length} limits: all pass`
    : `schema tools: ${failures} failure(s)`,
);
process.exit(failures === 0 ? 0 : 1);
