//! Deterministic regression cases: what the fuzzer found, and a few properties kept from
//! breaking again. Each case names where the fault lay ([`Regression::at_fault`]) and what
//! the answer must be; the driver runs them before the random phase, the fatal ones after it.

use serde_json::Value;

use crate::client::{HttpRequest, Outcome};
use crate::corpus::{b64, decode_id, Corpus};
use crate::driver::Run;
use crate::oracle::{snippet, MAX_MESSAGE, PROVIDER_CODES};
use crate::values::json_string;
use crate::MAX_BODY;

type Expectation = fn(&Run, &Outcome) -> Result<(), String>;

pub(crate) struct Regression {
    pub(crate) name: &'static str,
    /// Where the fault lies when this fails.
    pub(crate) at_fault: &'static str,
    /// Requests sent first (their answers are not checked).
    pub(crate) before: Vec<HttpRequest>,
    pub(crate) request: HttpRequest,
    pub(crate) expect: Expectation,
    /// Known to take the whole gateway down: run last.
    pub(crate) fatal: bool,
}

fn body_of(outcome: &Outcome) -> Result<(u16, Value), String> {
    match outcome {
        Outcome::Answered(r) => match r.json() {
            Some(body) => Ok((r.status, body)),
            None => Err(format!(
                "HTTP {} {:?} is not JSON: {}",
                r.status,
                r.header("content-type").unwrap_or(""),
                snippet(&r.text(), 200)
            )),
        },
        other => Err(format!("no response: {other:?}")),
    }
}

fn codes(body: &Value) -> Vec<String> {
    body.get("errors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e.pointer("/extensions/code")
                        .and_then(Value::as_str)
                        .unwrap_or("(none)")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn messages(body: &Value) -> String {
    body.get("errors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .map(|e| snippet(e.get("message").and_then(Value::as_str).unwrap_or(""), 160))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

/// An error with this code, and no provider blamed.
fn expect_code(outcome: &Outcome, code: &str) -> Result<(), String> {
    let (status, body) = body_of(outcome)?;
    let seen = codes(&body);
    if seen.iter().any(|c| c == code) && !seen.iter().any(|c| PROVIDER_CODES.contains(&c.as_str()))
    {
        Ok(())
    } else {
        Err(format!(
            "expected {code}, got HTTP {status} with codes {seen:?}: {}",
            messages(&body)
        ))
    }
}

/// Some errors, no data, and no provider blamed.
fn expect_rejected(outcome: &Outcome) -> Result<(), String> {
    let (status, body) = body_of(outcome)?;
    let seen = codes(&body);
    let data = body.get("data").filter(|d| !d.is_null());
    if !seen.is_empty()
        && data.is_none()
        && !seen.iter().any(|c| PROVIDER_CODES.contains(&c.as_str()))
    {
        Ok(())
    } else {
        Err(format!(
            "expected a rejection, got HTTP {status}: {}",
            snippet(&body.to_string(), 300)
        ))
    }
}

/// No provider blamed for the input (a result, or an error that names the input).
fn expect_no_provider_blamed(outcome: &Outcome) -> Result<(), String> {
    let (status, body) = body_of(outcome)?;
    let seen = codes(&body);
    if seen.iter().any(|c| PROVIDER_CODES.contains(&c.as_str())) {
        Err(format!(
            "HTTP {status}, codes {seen:?}: {}",
            messages(&body)
        ))
    } else {
        Ok(())
    }
}

fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

pub(crate) fn regressions(corpus: &Corpus) -> Vec<Regression> {
    let run_id = corpus.ids_of("CourseRun")[0].to_owned();
    let run_key = decode_id(&run_id).unwrap_or_default();
    let run_key = run_key.splitn(3, ':').nth(2).unwrap_or("x");
    let centre_cursor = corpus.cursors_of("trainingCenters")[0].to_owned();
    let long_like = "%a".repeat(30_000);
    let graphql_response = |r: HttpRequest| r.set("accept", "application/graphql-response+json");
    let fanout = {
        let defs: String = (0..18)
            .map(|i| format!("fragment F{i} on Query {{ ...F{} ...F{} }} ", i + 1, i + 1))
            .collect();
        format!("{{ ...F0 }} {defs} fragment F18 on Query {{ __typename }}")
    };
    vec![
        Regression {
            name: "cursor-after-position-overflow",
            at_fault: "gateway/src/engine/cursor.rs PageRequest::plan: `a.position + 1 + n` overflows for a forged position near usize::MAX (a panic in debug builds: the connection is dropped without a response)",
            before: vec![],
            request: HttpRequest::graphql(
                &format!("{{ courseRuns(first: 2, after: {}) {{ totalCount edges {{ cursor }} }} }}", json_string(&b64(format!("c2:18446744073709551615:{run_key}")))),
                None,
            ),
            expect: |_, o| expect_code(o, "INVALID_CURSOR"),
            fatal: false,
        },
        Regression {
            name: "cursor-before-position-overflow",
            at_fault: "gateway/src/engine/cursor.rs PageRequest::plan: `b.position + 1` overflows for position usize::MAX",
            before: vec![],
            request: HttpRequest::graphql(
                &format!("{{ courseRuns(last: 2, before: {}) {{ totalCount edges {{ cursor }} }} }}", json_string(&b64("c2:18446744073709551615:x"))),
                None,
            ),
            expect: |_, o| expect_code(o, "INVALID_CURSOR"),
            fatal: false,
        },
        Regression {
            name: "cursor-of-another-list",
            at_fault: "gateway/src/engine/cursor.rs",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ courseRuns(first: 2, after: {}) {{ totalCount }} }}", json_string(&centre_cursor)), None),
            expect: |_, o| expect_code(o, "INVALID_CURSOR"),
            fatal: false,
        },
        Regression {
            name: "truncated-cursor",
            at_fault: "gateway/src/engine/cursor.rs",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ trainingCenters(first: 2, after: {}) {{ totalCount }} }}", json_string(&centre_cursor[..centre_cursor.len() / 2])), None),
            expect: |_, o| expect_code(o, "INVALID_CURSOR"),
            fatal: false,
        },
        Regression {
            name: "forged-id-of-an-unknown-type",
            at_fault: "gateway/src/graphql/query.rs node",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ node(id: {}) {{ id }} }}", json_string(&b64("gw:Participant:1"))), None),
            expect: |_, o| expect_code(o, "INVALID_ID"),
            fatal: false,
        },
        Regression {
            name: "nodes-above-the-page-size",
            at_fault: "gateway/src/graphql/query.rs nodes",
            before: vec![],
            request: HttpRequest::graphql(
                "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                Some(&format!("{{\"ids\":[{}]}}", vec![json_string(&run_id); 101].join(","))),
            ),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "first-negative",
            at_fault: "gateway/src/engine/cursor.rs",
            before: vec![],
            request: HttpRequest::graphql("{ courseRuns(first: -1) { totalCount } }", None),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "first-and-last",
            at_fault: "gateway/src/engine/cursor.rs",
            before: vec![],
            request: HttpRequest::graphql("{ courseRuns(first: 1, last: 1) { totalCount } }", None),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "first-far-above-the-page-size-is-bad-user-input",
            at_fault: "gateway/src/graphql/query.rs: the complexity of a list multiplies the unchecked `first` (2^31-1 × children), so the request fails as `Query is too complex.` without a code before the resolver can say `first` is above max_page_size (config.rs documents BAD_USER_INPUT)",
            before: vec![],
            request: HttpRequest::graphql("{ courseRuns(first: 2147483647) { nodes { code } } }", None),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "null-for-a-non-null-variable-is-a-request-error",
            at_fault: "gateway/src/http/graphql.rs",
            before: vec![],
            request: graphql_response(HttpRequest::graphql("query($id: ID!) { node(id: $id) { id } }", Some("{\"id\":null}"))),
            expect: |_, o| expect_request_error_uncoded(o),
            fatal: false,
        },
        Regression {
            name: "missing-required-variable-is-a-request-error",
            at_fault: "gateway/src/http/graphql.rs execute: async-graphql reports a missing non-null variable while resolving (`data: null` and an uncoded error at path [\"node\"], HTTP 200), where the module's contract (and the GraphQL-over-HTTP spec) make variable coercion a request error: 400 without data",
            before: vec![],
            request: graphql_response(HttpRequest::graphql("query($id: ID!) { node(id: $id) { id } }", Some("{}"))),
            expect: |_, o| expect_request_error_uncoded(o),
            fatal: false,
        },
        Regression {
            name: "unknown-operation-name",
            at_fault: "gateway/src/http/graphql.rs",
            before: vec![],
            request: graphql_response(HttpRequest::post(r#"{"query":"query A { __typename } query B { __typename }","operationName":"C"}"#)),
            expect: |_, o| expect_request_error_uncoded(o),
            fatal: false,
        },
        Regression {
            name: "mutation-over-get",
            at_fault: "gateway/src/http/graphql.rs get",
            before: vec![],
            request: HttpRequest::get_params(&[("query", "mutation { __typename }")]),
            expect: |_, o| match o {
                Outcome::Answered(r) if r.status == 405 && r.header("allow") == Some("POST") => Ok(()),
                other => Err(format!("expected 405 with Allow: POST, got {}", other.label())),
            },
            fatal: false,
        },
        Regression {
            name: "malformed-persisted-query-hash-is-a-client-error",
            at_fault: "gateway/src/http/admission.rs persisted: simpul_store's PersistedQueries::get refuses a hash that is not 64 lowercase hex digits with Error::Invalid, and every store error becomes 503 STORE_UNAVAILABLE (logged as `persisted queries unavailable`); `../../etc/passwd` or an upper-case hash is the client's mistake (400)",
            before: vec![],
            request: HttpRequest::post(r#"{"query":"","extensions":{"persistedQuery":{"version":1,"sha256Hash":"ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"}}}"#),
            expect: |_, o| match body_of(o)? {
                (400, body) if !codes(&body).iter().any(|c| c == "STORE_UNAVAILABLE" || c == "(none)") => Ok(()),
                (status, body) => Err(format!("expected 400 with a code, got {status}: {body}")),
            },
            fatal: false,
        },
        Regression {
            name: "unknown-key-is-401",
            at_fault: "gateway/src/access/mod.rs Access::admit",
            before: vec![],
            request: HttpRequest::post("{\"query\":\"{ __typename }\"}").set("authorization", "Bearer not-a-key"),
            expect: |_, o| match body_of(o)? {
                (401, body) if codes(&body) == ["UNAUTHENTICATED"] => Ok(()),
                (status, body) => Err(format!("expected 401 UNAUTHENTICATED, got {status}: {body}")),
            },
            fatal: false,
        },
        Regression {
            name: "text-plain-is-415",
            at_fault: "gateway/src/http/graphql.rs post",
            before: vec![],
            request: HttpRequest::post("{\"query\":\"{ __typename }\"}").set("content-type", "text/plain"),
            expect: |_, o| match body_of(o)? {
                (415, body) if codes(&body) == ["BAD_REQUEST"] => Ok(()),
                (status, body) => Err(format!("expected 415 BAD_REQUEST, got {status}: {body}")),
            },
            fatal: false,
        },
        Regression {
            name: "body-over-the-limit-is-a-json-413",
            at_fault: "gateway/src/http/mod.rs router: DefaultBodyLimit's rejection is axum's text/plain `Failed to buffer the request body: length limit exceeded`, not a GraphQL error body with a code",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ __typename }} #{}", "x".repeat(MAX_BODY + 10)), None),
            expect: |_, o| match body_of(o)? {
                (413, body) if !codes(&body).is_empty() && codes(&body).iter().all(|c| c != "(none)") => Ok(()),
                (status, body) => Err(format!("expected 413 with a coded error, got {status}: {body}")),
            },
            fatal: false,
        },
        Regression {
            name: "syntax-error-message-is-bounded",
            at_fault: "gateway/src/http/graphql.rs execute: a parse error's message is pest's excerpt of the whole offending line, so a 100 KB one-line document gets a 200 KB message (and a 1 MiB one 2 MB, after ~10 s of parsing in a debug build)",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ __typename {} !!! }}", "x ".repeat(50_000)), None),
            expect: |_, o| {
                let (_, body) = body_of(o)?;
                let longest = body
                    .get("errors")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e.get("message").and_then(Value::as_str))
                    .map(str::len)
                    .max()
                    .unwrap_or(0);
                if longest > 0 && longest <= MAX_MESSAGE {
                    Ok(())
                } else {
                    Err(format!("longest error message: {longest} bytes"))
                }
            },
            fatal: false,
        },
        Regression {
            name: "fragment-fanout-is-rejected",
            at_fault: "gateway/src/graphql/mod.rs build / gateway/src/http/graphql.rs execute: nothing bounds how many fields fragment spreads expand to; async-graphql's validation expands each spread again (2^depth work from a ~1 KB document: depth 18 takes ~1 s, depth 30 runs for hours), synchronously on a runtime worker where request_timeout cannot stop it, and /healthz stops answering meanwhile",
            before: vec![],
            request: HttpRequest::graphql(&fanout, None),
            expect: |_, o| expect_rejected(o),
            fatal: false,
        },
        Regression {
            name: "deep-filter-is-bad-user-input",
            at_fault: "gateway/src/graphql/filters (no bound on the depth of `where`) and gateway/src/host/mod.rs CallError::code (a plugin's BadRequest becomes PROVIDER_ERROR): a `_not` nested 150 deep passes the gateway and every plugin rejects it (`not a valid request: recursion limit exceeded`), reported as PROVIDER_ERROR from each provider beside `totalCount: 0`",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ trainingCenters(where: {}) {{ totalCount }} }}", nested("{_not: ", "{name: {_eq: \"x\"}}", "}", 150)), None),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "long-like-pattern-is-not-a-provider-failure",
            at_fault: "adapters/bbplk/src/query/filter.rs (SQLite refuses LIKE patterns over 50,000 bytes: `LIKE or GLOB pattern too complex`) and gateway/src/host/mod.rs CallError::code / is_callers_fault (SOURCE_ERROR becomes PROVIDER_UNAVAILABLE and counts as a breaker failure)",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ trainingCenters(where: {{ name: {{ _like: {} }} }}) {{ totalCount }} }}", json_string(&long_like)), None),
            expect: |_, o| expect_no_provider_blamed(o),
            fatal: false,
        },
        Regression {
            name: "long-in-list-is-not-a-provider-failure",
            at_fault: "adapters/bbplk/src/query/filter.rs binds every `_in` item as an SQL parameter (`too many SQL variables` past SQLite's 32,766) and gateway/src/host/mod.rs turns it into PROVIDER_UNAVAILABLE",
            before: vec![],
            request: HttpRequest::graphql(
                "query($s: [Int!]) { courseRuns(where: { fiscalYear: { _nin: $s } }) { totalCount } }",
                Some(&format!("{{\"s\":[{}]}}", (0..40_000).map(|i| i.to_string()).collect::<Vec<_>>().join(","))),
            ),
            expect: |_, o| expect_no_provider_blamed(o),
            fatal: false,
        },
        Regression {
            name: "client-input-cannot-open-a-breaker",
            at_fault: "gateway/src/host/mod.rs Provider::attempt: an adapter's SOURCE_ERROR caused by the query itself counts as a breaker failure, so five anonymous requests with a long `_like` open BBPLK's breaker and every caller loses BBPLK for open_ms",
            before: (0..6)
                .map(|_| HttpRequest::graphql(&format!("{{ trainingCenters(where: {{ name: {{ _like: {} }} }}) {{ totalCount }} }}", json_string(&long_like)), None))
                .collect(),
            request: HttpRequest::get("/readyz"),
            expect: |run, _| {
                let open = run.open_breakers();
                if open.is_empty() {
                    Ok(())
                } else {
                    Err(format!("open breakers after six long `_like` filters: {open:?}"))
                }
            },
            fatal: false,
        },
        Regression {
            name: "deep-filter-literal-does-not-crash",
            at_fault: "gateway/src/http/admission.rs admit parses the document (async_graphql::parser::parse_query) before any depth check, and async_graphql_parser::parse::parse_value recurses without a limit (only selection sets are limited): a `_not` literal nested 300 deep (a 6 KB body) overflows the worker's stack and aborts the whole process (Schema::execute in gateway/src/http/graphql.rs execute would parse it the same way)",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ trainingCenters(where: {}) {{ totalCount }} }}", nested("{_not: ", "{name: {_eq: \"x\"}}", "}", 300)), None),
            expect: |_, o| expect_rejected(o),
            fatal: true,
        },
        Regression {
            name: "deep-list-literal-over-get-does-not-crash",
            at_fault: "gateway/src/http/graphql.rs is_mutation parses the GET document with async_graphql::parser::parse_query before any limit, and parse_value overflows the stack on a list literal nested 500 deep",
            before: vec![],
            request: HttpRequest::get_params(&[("query", &format!("{{ nodes(ids: {}) {{ id }} }}", nested("[", "\"x\"", "]", 500)))]),
            expect: |_, o| expect_rejected(o),
            fatal: true,
        },
    ]
}

/// A request error (400, no data) whose errors have messages; library request errors carry
/// no code, so none is required.
fn expect_request_error_uncoded(outcome: &Outcome) -> Result<(), String> {
    let (status, body) = body_of(outcome)?;
    let errors = body
        .get("errors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if status == 400 && body.get("data").is_none() && !errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "expected 400 without data, got HTTP {status}: {}",
            snippet(&body.to_string(), 300)
        ))
    }
}
