// A client of the generated types, type-checked by tsc in CI: if codegen's output stops
// describing the tour's answers (a field renamed, made nullable, a variable retyped), this
// file no longer compiles.
import type { PageQuery, PageQueryVariables, PersonQuery, PersonQueryVariables } from './generated/tour';

async function graphql<Data, Variables>(url: string, query: string, variables: Variables): Promise<Data> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
  if (!body.data) throw new Error(body.errors?.map((e) => e.message).join('; ') ?? 'no data');
  return body.data;
}

/** Every laid-off participant's masked NIK, following `endCursor` page by page. */
export async function laidOffNiks(url: string, pageQuery: string): Promise<(string | null | undefined)[]> {
  const niks: (string | null | undefined)[] = [];
  let variables: PageQueryVariables = { after: null };
  for (;;) {
    const page = await graphql<PageQuery, PageQueryVariables>(url, pageQuery, variables);
    niks.push(...page.participants.nodes.map((p) => p.nikMasked));
    if (!page.participants.pageInfo.hasNextPage) return niks;
    variables = { after: page.participants.pageInfo.endCursor };
  }
}

/** The providers that hold records of one person. */
export async function providersOf(url: string, personQuery: string, id: string): Promise<string[]> {
  const variables: PersonQueryVariables = { id };
  const data = await graphql<PersonQuery, PersonQueryVariables>(url, personQuery, variables);
  return data.person?.providers ?? [];
}
