//! A bounded property/fuzz test of the HTTP + GraphQL entry (issue 6, item 5).
//!
//! One demo gateway gets requests from a seeded generator in fifteen categories ([`CATEGORIES`]):
//! random bytes and JSON, wrong request shapes, content types and headers, GET parameters,
//! broken GraphQL, huge and deep documents, wrong variables, forged ids and cursors, extreme
//! paging, filters and aggregates with wrong literals, and plain random queries as a baseline.
//! Every response is held to the same properties ([`check`](oracle::check)): it arrives within
//! [`DEADLINE`](oracle::DEADLINE); its status is one a client can act on (no 5xx but a 504 with
//! `REQUEST_TIMEOUT`); a JSON body has `data` or a non-empty `errors` list whose entries have a
//! message (and a code when our resolvers raised them, i.e. they have a `path`); no error blames
//! a provider for the client's input; and no 16-digit number comes back that the request did
//! not contain. Each category (and kind of input) also has its expected statuses and codes, the
//! README's "Bad input" table ([`expect`]). `/healthz` and the breakers in `/readyz` are checked
//! after every batch. A gateway
//! that dies or stops answering is noted, restarted, and the kind of input that did it is not
//! sent again in that run. Deterministic regression cases
//! ([`regressions`](regressions::regressions)) pin down what was found.
//!
//! The seed is printed; `SIMPUL_FUZZ_SEED=<seed>` replays a run. Categories are dealt from a
//! seeded deck, so each comes in every 107 requests; a run that sent fewer than
//! [`MIN_REQUESTS`], or fewer than [`MIN_PER_CATEGORY`] of a category, fails. The budget is 20 s
//! or 2000 requests, whichever comes first; `SIMPUL_FUZZ_SECONDS=<s>` runs longer (without the request
//! cap unless `SIMPUL_FUZZ_REQUESTS=<n>` sets one). `SIMPUL_FUZZ_TABLE=<file>` also writes the
//! summary table as markdown (`tests/FUZZ.md` shows one). The report is printed; see it with
//! `cargo nextest run -p simpul-tests --test fuzz --no-capture`. Each finding's first request is
//! saved as a raw HTTP file under the run's scratch folder (`nc 127.0.0.1 4000 < file` replays
//! it against a gateway on port 4000).
//!
//! The modules, by responsibility: the run and its budget ([`driver`], [`report`]); the raw
//! HTTP client ([`client`]); the properties ([`oracle`]) and each category's expectation
//! ([`expect`]); the demo's ids and cursors
//! ([`corpus`]); the schema read from the SDL ([`schema`]); values and pools ([`values`],
//! [`pools`]); the generator ([`generator`], [`forge`]) and one module per kind of input
//! ([`gen_json`], [`gen_http`], [`gen_documents`], [`gen_arguments`]); the regression cases
//! ([`regressions`](mod@regressions)).

#[path = "fuzz/client.rs"]
mod client;
#[path = "fuzz/corpus.rs"]
mod corpus;
#[path = "fuzz/driver.rs"]
mod driver;
#[path = "fuzz/expect.rs"]
mod expect;
#[path = "fuzz/forge.rs"]
mod forge;
#[path = "fuzz/gen_arguments.rs"]
mod gen_arguments;
#[path = "fuzz/gen_documents.rs"]
mod gen_documents;
#[path = "fuzz/gen_http.rs"]
mod gen_http;
#[path = "fuzz/gen_json.rs"]
mod gen_json;
#[path = "fuzz/generator.rs"]
mod generator;
#[path = "fuzz/oracle.rs"]
mod oracle;
#[path = "fuzz/pools.rs"]
mod pools;
#[path = "fuzz/regressions.rs"]
mod regressions;
#[path = "fuzz/report.rs"]
mod report;
#[path = "fuzz/schema.rs"]
mod schema;
#[path = "fuzz/values.rs"]
mod values;

use driver::{Budget, Run};
use regressions::regressions;

/// The gateway's body limit (`gateway/src/http/mod.rs`).
const MAX_BODY: usize = 1024 * 1024;
/// The served schema (a test in the gateway keeps it current).
const SDL: &str = include_str!("../../schema/schema.graphql");

/// The categories and how often each is drawn.
const CATEGORIES: &[(&str, u32)] = &[
    ("bytes", 4),
    ("json", 4),
    ("shape", 6),
    ("http", 6),
    ("get", 6),
    ("syntax", 10),
    ("huge", 6),
    ("deep", 5),
    ("variables", 9),
    ("ids", 8),
    ("cursors", 8),
    ("paging", 7),
    ("filters", 10),
    ("aggregates", 8),
    ("query", 10),
];

/// Fewest requests a run must send (or all of `SIMPUL_FUZZ_REQUESTS`, when that is fewer): a
/// run that sent fewer tested too little to pass. A loaded 2-vCPU machine sends about 700 in
/// the default 20 s (see `tests/FUZZ.md`).
const MIN_REQUESTS: usize = 400;
/// Fewest requests of each category (fewer when [`MIN_REQUESTS`] is lowered by the budget:
/// what the deck of categories guarantees for that many). The categories are dealt from a
/// deck ([`generator`]), so 400 requests hold at least 3 decks: 12 of each weight-4 category.
const MIN_PER_CATEGORY: usize = 10;

#[test]
fn fuzz_http_and_graphql_entry() {
    let budget = Budget::from_env();
    println!(
        "fuzz: seed {} (replay with SIMPUL_FUZZ_SEED={}), budget {} s or {} requests",
        budget.seed,
        budget.seed,
        budget.time.as_secs(),
        if budget.requests == usize::MAX {
            "unlimited".to_owned()
        } else {
            budget.requests.to_string()
        }
    );
    let mut run = Run::start();
    run.collect_corpus();
    let cases = regressions(&run.corpus);
    // Cases that bring the whole gateway down go last, so that it is restarted only once.
    let (fatal, safe): (Vec<_>, Vec<_>) = cases.into_iter().partition(|c| c.fatal);
    for case in safe {
        run.regression(case);
    }
    run.fuzz(&budget);
    for case in fatal {
        run.regression(case);
    }
    run.report(&budget);
}
