//! What each kind of input must get: the README's "tried → gets" table as code. Every category
//! (and, where one category sends inputs with different fates, each kind) names the statuses
//! and the `extensions.code`s a response may have, and whether GraphQL request errors (parse,
//! validation and coercion errors of the library, which carry no code and no path) may come.
//! [`hold`] checks a response against it; the properties every response has (`oracle.rs`)
//! are checked as well.
//!
//! Two outcomes are allowed everywhere and not listed:
//!
//! - a 504 `REQUEST_TIMEOUT` wherever the request may run (its expectation allows 200): a
//!   loaded machine may be slow, and the gateway's own timeout is then the right answer;
//! - provider codes (`PROVIDER_*`, `PLUGIN_PANIC`): never expected, and already a violation of
//!   their own ("provider blamed", "breaker opened") in every category.
//!
//! A document that runs gets one of [`RUN`]'s outcomes, which several categories share.

use crate::oracle::{Seen, PROVIDER_CODES};

/// The statuses and codes one kind of input may get.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Expect {
    /// Allowed statuses. 414 and 431 (and a 400 without a body) come from hyper itself, before
    /// any route, and are listed only where headers or the URL can be that large (or bad).
    pub(crate) statuses: &'static [u16],
    /// Allowed `extensions.code`s.
    pub(crate) codes: &'static [&'static str],
    /// Whether GraphQL request errors without a code may come (200 with `errors` and no
    /// `data` under `application/json`, 400 under `application/graphql-response+json`).
    pub(crate) request_errors: bool,
    /// Whether hyper may answer a bare 400 (no body): a header value it refuses.
    pub(crate) bare_400: bool,
}

const fn expect(
    statuses: &'static [u16],
    codes: &'static [&'static str],
    request_errors: bool,
) -> Expect {
    Expect {
        statuses,
        codes,
        request_errors,
        bare_400: false,
    }
}

/// A request refused before it is read as GraphQL: not JSON, not an object, `query` not a
/// string, `variables`/`extensions` not objects, a batch, a bad persisted-query hash.
const BAD_REQUEST: Expect = expect(&[400], &["BAD_REQUEST"], false);

/// A batch (two copies of a generated document), or a generated document sent with variables
/// that are not an object: [`BAD_REQUEST`], or 413 `LIMIT_EXCEEDED` when the document carries
/// an `_in` list of up to 100,000 ids that takes the body over 1 MiB (the size is checked
/// before the shape; seed 1796528097462879718 found the second).
const BATCH: Expect = expect(&[400, 413], &["BAD_REQUEST", "LIMIT_EXCEEDED"], false);

/// A valid document from the schema, run as is. 200 with data (and coded errors at paths:
/// forged ids and cursors the generator puts into `ID` and cursor arguments, personal fields
/// without `pii:read`, paging and filter arguments out of bounds). 400 when the admission
/// refuses it (`BAD_USER_INPUT`: a NIK- or KPJ-shaped word from the pool written into the
/// text, text nested over 64 levels, a required variable missing; `LIMIT_EXCEEDED`: depth,
/// complexity, aliases) or, under `application/graphql-response+json`, when a library limit
/// (`LIMIT_EXCEEDED`) stops it before it runs. 413 `LIMIT_EXCEEDED` when an `_in` list of up
/// to 100,000 ids takes the body over 1 MiB. No request errors: the document is valid.
const RUN: Expect = expect(
    &[200, 400, 413],
    &[
        "BAD_USER_INPUT",
        "INVALID_ID",
        "INVALID_CURSOR",
        "FORBIDDEN",
        "LIMIT_EXCEEDED",
    ],
    false,
);

/// [`RUN`], with wrong values or broken text: request errors too.
const RUN_WRONG: Expect = Expect {
    request_errors: true,
    ..RUN
};

/// [`RUN`], or refused as a request ([`BAD_REQUEST`]): odd `extensions`, framing.
const RUN_OR_BAD_REQUEST: Expect = expect(
    &[200, 400, 413],
    &[
        "BAD_REQUEST",
        "BAD_USER_INPUT",
        "INVALID_ID",
        "INVALID_CURSOR",
        "FORBIDDEN",
        "LIMIT_EXCEEDED",
    ],
    false,
);

/// What `category`/`kind` may get.
pub(crate) fn expectation(category: &str, kind: &str) -> Expect {
    match (category, kind) {
        // Random bytes are never JSON (the generator makes sure): 400 BAD_REQUEST, nothing else.
        ("bytes", _) => BAD_REQUEST,
        // Random JSON that is not a well-formed request body: 400 BAD_REQUEST. One that happens
        // to be (`query` a string, the rest objects or null) runs a word from the pool as a
        // document: never valid GraphQL, so a request error, or 400 BAD_USER_INPUT for the
        // NIK-shaped words.
        ("json", "request") => expect(&[200, 400], &["BAD_USER_INPUT"], true),
        ("json", _) => BAD_REQUEST,
        ("shape", "query-not-string" | "query-missing") => BAD_REQUEST,
        ("shape", "batch" | "variables-not-object") => BATCH,
        // Non-object extensions and a short persisted-query hash are refused; object ones are
        // ignored and the (valid) document runs. Framing: BOM, NUL and trailing garbage make
        // the body invalid JSON; whitespace does not.
        ("shape", "extensions-odd" | "extensions-random" | "framing") => RUN_OR_BAD_REQUEST,
        // Extra keys are ignored, but a random one may hold what is not JSON (`1e999`, nesting
        // past 128 levels): 400 BAD_REQUEST. Of duplicate keys the last counts; null fields are
        // absent.
        ("shape", "extra-keys") => RUN_OR_BAD_REQUEST,
        ("shape", "duplicate-keys" | "null-fields") => RUN,
        // Three operations (one a mutation): A and B run, C is a mutation the schema does not
        // have, other names are unknown, no name is ambiguous (request errors); a name that
        // is not a string is refused (400 BAD_REQUEST).
        ("shape", "operation-name" | "operation-name-missing") => {
            expect(&[200, 400], &["BAD_REQUEST"], true)
        }
        // A hash that is not 64 lower-case hex digits, or that does not match the query: 400
        // BAD_REQUEST; a well-formed unknown hash with an empty query: 200
        // PERSISTED_QUERY_NOT_FOUND; a hash that is not a string is no hash (an empty query is
        // a request error, a real one runs).
        ("shape", "persisted-query") => Expect {
            codes: &[
                "BAD_REQUEST",
                "PERSISTED_QUERY_NOT_FOUND",
                "BAD_USER_INPUT",
                "INVALID_ID",
                "INVALID_CURSOR",
                "FORBIDDEN",
                "LIMIT_EXCEEDED",
            ],
            request_errors: true,
            ..RUN_OR_BAD_REQUEST
        },
        ("http", "no-content-type" | "multipart" | "graphql-body") => {
            expect(&[415], &["BAD_REQUEST"], false)
        }
        // Content types: anything but `application/json` with a UTF-8 charset (or none) is
        // 415; `APPLICATION/JSON`, `charset=UTF-8`, `charset="utf-8"`, `;;;` run. Header bytes:
        // a content type that is not UTF-8 is no JSON type (415).
        ("http", "content-type" | "huge-content-type") => Expect {
            statuses: &[200, 400, 413, 415, 431],
            ..RUN_OR_BAD_REQUEST
        },
        ("http", "header-bytes") => expect(&[415], &["BAD_REQUEST"], false),
        // `Accept` that allows neither JSON type: 406 BAD_REQUEST; the others run.
        ("http", "accept") => Expect {
            statuses: &[200, 400, 406, 413],
            ..RUN_OR_BAD_REQUEST
        },
        // Keys: a key that is not one of ours is 401 UNAUTHENTICATED (an empty one is no key,
        // so the request runs as anonymous); a 200 KB one can be too large a header (431).
        ("http", "authorization" | "api-key") => Expect {
            statuses: &[200, 400, 401, 413, 431],
            codes: &[
                "UNAUTHENTICATED",
                "BAD_USER_INPUT",
                "INVALID_ID",
                "INVALID_CURSOR",
                "FORBIDDEN",
                "LIMIT_EXCEEDED",
            ],
            ..RUN
        },
        // Other methods: 405 with `Allow`. HEAD is GET without the body, and a GET without
        // `query` is 400 (BAD_REQUEST; the body is not sent).
        ("http", "method") => expect(&[400, 405], &[], false),
        // Near-miss paths: 404 (not our route), hyper's bare 400 for `#` in the target, or
        // `/graphql?…`, which is our route.
        ("http", "path") => Expect {
            statuses: &[200, 400, 404, 413],
            bare_400: true,
            ..RUN
        },
        // Headers too many or too large: hyper's 431, or they run.
        ("http", "huge-header" | "many-headers") => Expect {
            statuses: &[200, 400, 413, 431],
            ..RUN
        },
        // An `x-request-id` with DEL: hyper's bare 400; the others run.
        ("http", "request-id") => Expect {
            bare_400: true,
            ..RUN
        },
        ("http", _) => RUN, // two content types (the first counts), chunked bodies
        // `variables` not a JSON object: 400 BAD_REQUEST; null, `{}` or a null `$id`: the
        // required variable is missing (400 BAD_USER_INPUT).
        ("get", "variables") => expect(&[400], &["BAD_REQUEST", "BAD_USER_INPUT"], false),
        // A mutation over GET: 405 BAD_REQUEST (`Allow: POST`); the query of the same document
        // runs; unknown operations and subscriptions are request errors.
        ("get", "mutation") => expect(&[200, 405], &["BAD_REQUEST"], true),
        // Broken percent-encoding: no `query` (400 BAD_REQUEST), an empty or broken one
        // (request errors), or `{ __typename }`.
        ("get", "encoding") => expect(&[200, 400], &["BAD_REQUEST"], true),
        ("get", "no-query") => BAD_REQUEST,
        // URLs up to 120 KB: hyper may refuse them (414, 431); `{ __typename } #xxx` runs.
        ("get", "long-url") => expect(&[200, 414, 431], &[], false),
        ("get", "graphiql") => expect(&[200], &[], false),
        // `extensions` not a JSON object: 400 BAD_REQUEST; `Accept: text/plain`: 406. A random
        // document with a 100,000-item list makes a URL too long for hyper (414, 431).
        ("get", "extensions" | "accept") => Expect {
            statuses: &[200, 400, 406, 414, 431],
            request_errors: true,
            ..RUN_OR_BAD_REQUEST
        },
        // Random documents with 2 % wrong values, and broken ones (request errors; nested
        // brackets inserted past 64 levels are BAD_USER_INPUT); a span repeated 50 times can
        // make the URL too long for hyper (414, 431).
        ("get", _) => Expect {
            statuses: &[200, 400, 405, 414, 431],
            codes: &[
                "BAD_REQUEST",
                "BAD_USER_INPUT",
                "INVALID_ID",
                "INVALID_CURSOR",
                "FORBIDDEN",
                "LIMIT_EXCEEDED",
            ],
            ..RUN_WRONG
        },
        // Broken documents: request errors (the parser's message), or still valid and run; a
        // `mutation` token can make one a mutation (over GET: 405 BAD_REQUEST, and a span
        // repeated 50 times can make the URL too long for hyper: 414, 431).
        ("syntax", _) => Expect {
            statuses: &[200, 400, 405, 413, 414, 431],
            codes: &[
                "BAD_REQUEST",
                "BAD_USER_INPUT",
                "INVALID_ID",
                "INVALID_CURSOR",
                "FORBIDDEN",
                "LIMIT_EXCEEDED",
            ],
            ..RUN_WRONG
        },
        ("huge", "body-over-limit") => expect(&[413], &["LIMIT_EXCEEDED"], false),
        // Whitespace and comments run, unless JSON escaping took the body over 1 MiB.
        ("huge", "whitespace" | "comments") => expect(&[200, 413], &["LIMIT_EXCEEDED"], false),
        // Many aliases, fields, lists: LIMIT_EXCEEDED (aliases, expanded fields, complexity)
        // or they run.
        ("huge", "aliases" | "same-field" | "wide-lists") => Expect {
            codes: &["LIMIT_EXCEEDED"],
            ..RUN
        },
        // Fragments (cycles, chains past the library's 32 levels), 20,000 operations (an
        // unknown name), 50,000 `@skip`s, repeated arguments, unused variables, a 1 MiB string
        // that is no region code, a long syntax error: request errors, LIMIT_EXCEEDED, or
        // they run.
        ("huge", _) => Expect {
            codes: &["LIMIT_EXCEEDED", "BAD_USER_INPUT"],
            ..RUN_WRONG
        },
        // Nested 10 to 100,000 levels: text nested over 64 levels is BAD_USER_INPUT before the
        // parser; selections deeper than `max_depth` are LIMIT_EXCEEDED; a `where` too deep is
        // BAD_USER_INPUT; a JSON variable nested past 128 levels is not JSON (BAD_REQUEST);
        // shallow ones run, or are request errors (unknown fields, a list where an id goes).
        // Over GET, the URL can be too long for hyper too (414, 431).
        ("deep", "value-literal-get") => expect(
            &[200, 400, 414, 431],
            &["BAD_REQUEST", "BAD_USER_INPUT", "LIMIT_EXCEEDED"],
            true,
        ),
        ("deep", _) => expect(
            &[200, 400],
            &["BAD_REQUEST", "BAD_USER_INPUT", "LIMIT_EXCEEDED"],
            true,
        ),
        // Wrong variables: request errors (coercion, undefined, unused), BAD_USER_INPUT (a
        // required one missing or null), BAD_REQUEST (`1e400` is not JSON); valid ones run.
        ("variables", _) => Expect {
            codes: &[
                "BAD_REQUEST",
                "BAD_USER_INPUT",
                "INVALID_ID",
                "INVALID_CURSOR",
                "FORBIDDEN",
                "LIMIT_EXCEEDED",
            ],
            ..RUN_WRONG
        },
        // Forged ids: INVALID_ID at the field (or data for real ones); more than 100 in `nodes`
        // is BAD_USER_INPUT; a NIK-shaped word as an id literal is refused (400 BAD_USER_INPUT).
        ("ids", _) => expect(&[200, 400], &["INVALID_ID", "BAD_USER_INPUT"], false),
        // Forged cursors: INVALID_CURSOR (signed cursors: any forged, truncated or foreign one),
        // or data for a real cursor of the same list and order; a NIK-shaped word as a cursor
        // literal is refused (400 BAD_USER_INPUT).
        ("cursors", _) => expect(&[200, 400], &["INVALID_CURSOR", "BAD_USER_INPUT"], false),
        // Extreme paging: BAD_USER_INPUT (negative, over the page size, `first` with `last`,
        // `offset` over 10,000) or data; complexity over the limit is LIMIT_EXCEEDED (400 under
        // `application/graphql-response+json`, a request error without data).
        ("paging", _) => expect(&[200, 400], &["BAD_USER_INPUT", "LIMIT_EXCEEDED"], false),
        // Filters: data, BAD_USER_INPUT (bad operators and literals, caps on conditions and
        // values, depth, NIK-shaped words), INVALID_ID (forged ids in `…Id` filters), request
        // errors for literals of the wrong type; 413 for a list that takes the body over 1 MiB.
        // Never a provider code.
        ("filters", _) => Expect {
            codes: &["BAD_USER_INPUT", "INVALID_ID", "LIMIT_EXCEEDED"],
            ..RUN_WRONG
        },
        ("aggregates", _) => Expect {
            codes: &[
                "BAD_USER_INPUT",
                "INVALID_ID",
                "FORBIDDEN",
                "LIMIT_EXCEEDED",
            ],
            ..RUN_WRONG
        },
        // The baseline: valid documents run (data or coded errors only); with 3 % wrong values,
        // request errors too.
        ("query", "valid") => RUN,
        ("query", _) => RUN_WRONG,
        _ => panic!("no expectation for {category}/{kind}"),
    }
}

/// Whether a response meets `expect`; `Err` says how it does not.
pub(crate) fn hold(expect: &Expect, seen: &Seen) -> Result<(), String> {
    let Some(status) = seen.status else {
        return Ok(()); // no response: a violation of its own
    };
    if seen.bare {
        // hyper's own answer, before any route: no body to hold to codes.
        return if (status == 400 && expect.bare_400) || expect.statuses.contains(&status) {
            Ok(())
        } else {
            Err(format!(
                "HTTP {status} from hyper (no body), expected {:?}",
                expect.statuses
            ))
        };
    }
    let timeout = status == 504
        && expect.statuses.contains(&200)
        && seen.codes.iter().all(|c| c == "REQUEST_TIMEOUT");
    let mut wrong = Vec::new();
    if !expect.statuses.contains(&status) && !timeout {
        wrong.push(format!("status {status} not in {:?}", expect.statuses));
    }
    let unexpected: Vec<&String> = seen
        .codes
        .iter()
        .filter(|c| {
            !expect.codes.contains(&c.as_str())
                && !PROVIDER_CODES.contains(&c.as_str())
                && (!timeout || *c != "REQUEST_TIMEOUT")
        })
        .collect();
    if !unexpected.is_empty() {
        wrong.push(format!("codes {unexpected:?} not in {:?}", expect.codes));
    }
    if !expect.request_errors && !seen.uncoded.is_empty() {
        wrong.push(format!(
            "request errors without a code ({}), none expected",
            seen.uncoded.join("; ")
        ));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join(", "))
    }
}
