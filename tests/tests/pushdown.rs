//! Pushdown changes how an answer is computed, never the answer: two gateways over the same demo
//! data, one pushing filters, orders, paging and lookups by id down to every adapter (the
//! default), one with `pushdown = false` for every provider (the engine asks for plain records
//! and filters, orders, pages and picks records by id itself), must give the same GraphQL
//! answers, byte for byte, over a matrix of filters × orders × page sizes on every list root,
//! across pages (cursors, `pageInfo`, `totalCount`), with filters through relations (a run's
//! centre, a participant's enrolments), and through nested relations (lookups by id, and nested
//! lists such as a participant's enrolments).

use std::collections::BTreeSet;

use serde_json::{json, Value};
use simpul_tests::{demo_with, Gateway};

#[path = "pushdown/matrix.rs"]
mod matrix;
use matrix::{nested_cases, roots};

/// Every provider of the embedded demo (spn, bbplk, bpjamsostek) without pushdown.
const NO_PUSHDOWN: [(&str, &str); 4] = [
    ("SIMPUL__PROVIDERS__0__PUSHDOWN", "false"),
    ("SIMPUL__PROVIDERS__1__PUSHDOWN", "false"),
    ("SIMPUL__PROVIDERS__2__PUSHDOWN", "false"),
    ("SIMPUL__PROVIDERS__3__PUSHDOWN", "false"),
];

/// Batched queries are large, and without pushdown every call reads a whole collection; the
/// limits and deadlines are not what this test is about (a busy test machine must not turn a
/// slow answer into a missing one).
const LIMITS: [(&str, &str); 5] = [
    ("SIMPUL__LIMITS__MAX_COMPLEXITY", "100000000"),
    ("SIMPUL__LIMITS__BATCH_WINDOW_MS", "5"),
    ("SIMPUL__PROVIDERS__0__TIMEOUT_MS", "60000"),
    ("SIMPUL__PROVIDERS__1__TIMEOUT_MS", "60000"),
    ("SIMPUL__PROVIDERS__2__TIMEOUT_MS", "60000"),
];

/// Aliased fields per request: at most the providers' default `max_concurrency` (16) list
/// calls in flight per request.
const BATCH: usize = 16;

/// Fields selected on each page of a root list.
const PAGE: &str = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { NODE } }";

/// One list root: its filters, orders and page sizes.
struct Root {
    field: &'static str,
    node: &'static str,
    filters: Vec<String>,
    orders: Vec<&'static str>,
    /// How many of the orders each filter is combined with (all of them for the unfiltered
    /// list); the combinations rotate, so every order meets many filters.
    orders_per_filter: usize,
    sizes: [u32; 2],
}

/// One aliased field of a batched query.
#[derive(Clone)]
struct Case {
    /// `trainingCenters(first: 3, where: …)`.
    call: String,
    /// Its selection set.
    selection: String,
}

impl Case {
    fn new(field: &str, args: &[String], selection: &str) -> Case {
        let args: Vec<&String> = args.iter().filter(|a| !a.is_empty()).collect();
        let call = if args.is_empty() {
            field.to_owned()
        } else {
            format!(
                "{field}({})",
                args.iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Case {
            call,
            selection: selection.to_owned(),
        }
    }
}

fn arg(name: &str, value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!("{name}: {value}")
    }
}

/// Run `cases` as aliased fields of as few requests as sensible; the data of each case, in
/// order. Any GraphQL error fails the test: both gateways must answer everything in full.
fn run(gw: &Gateway, cases: &[Case], batch: usize) -> Vec<Value> {
    let mut out = Vec::with_capacity(cases.len());
    for chunk in cases.chunks(batch) {
        let fields: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, c)| format!("c{i}: {} {{ {} }}", c.call, c.selection))
            .collect();
        let query = format!("{{ {} }}", fields.join("\n"));
        let (status, mut body) = gw.query(&query, Value::Null);
        assert_eq!(status, 200, "{body}");
        if let Some(errors) = body["errors"].as_array() {
            let described: Vec<String> = errors
                .iter()
                .take(5)
                .map(|e| {
                    let case = e["path"][0]
                        .as_str()
                        .and_then(|alias| alias.strip_prefix('c'))
                        .and_then(|i| i.parse::<usize>().ok())
                        .map_or("?", |i| chunk[i].call.as_str());
                    format!("{e}\n  in {case}")
                })
                .collect();
            panic!(
                "{} errors from {}:\n{}",
                errors.len(),
                gw.base,
                described.join("\n")
            );
        }
        for i in 0..chunk.len() {
            out.push(body["data"][format!("c{i}")].take());
        }
    }
    out
}

/// Run the same cases on both gateways (in parallel) and return their answers.
fn both(on: &Gateway, off: &Gateway, cases: &[Case], batch: usize) -> (Vec<Value>, Vec<Value>) {
    std::thread::scope(|s| {
        let a = s.spawn(|| run(on, cases, batch));
        let b = s.spawn(|| run(off, cases, batch));
        (a.join().unwrap(), b.join().unwrap())
    })
}

/// The cases whose answers differ, described.
fn differences(cases: &[Case], on: &[Value], off: &[Value]) -> Vec<String> {
    let clip = |v: &Value| {
        let text = v.to_string();
        if text.len() > 1500 {
            format!("{}…", &text[..1500])
        } else {
            text
        }
    };
    cases
        .iter()
        .zip(on.iter().zip(off))
        .filter(|(_, (a, b))| a != b)
        .map(|(c, (a, b))| {
            format!(
                "{}\n  pushdown on:  {}\n  pushdown off: {}",
                c.call,
                clip(a),
                clip(b)
            )
        })
        .collect()
}

/// Records on a page (edges or nodes).
fn page_len(v: &Value) -> usize {
    v["edges"]
        .as_array()
        .or_else(|| v["nodes"].as_array())
        .map_or(0, Vec::len)
}

/// Root lists: filters × orders, alternating page sizes, each as a first page, the
/// page after it (by cursor), the same records by `limit`/`offset`, and the last page.
fn root_cases(root: &Root) -> Vec<Case> {
    let selection = PAGE.replace("NODE", root.node);
    let mut cases = Vec::new();
    let n = root.orders.len();
    for (f, filter) in root.filters.iter().enumerate() {
        let k = if filter.is_empty() {
            n
        } else {
            root.orders_per_filter.min(n)
        };
        for o in (0..k).map(|j| (f * k + j) % n) {
            let order = &root.orders[o];
            let size = root.sizes[(f + o) % 2];
            let filter = arg("where", filter);
            let order = arg("order_by", order);
            let first = format!("first: {size}");
            cases.push(Case::new(
                root.field,
                &[first, filter.clone(), order.clone()],
                &selection,
            ));
            if (f + o) % 3 == 0 {
                cases.push(Case::new(
                    root.field,
                    &[
                        format!("limit: {size}"),
                        format!("offset: {}", size + 1),
                        filter.clone(),
                        order.clone(),
                    ],
                    &selection,
                ));
            }
            if (f + o) % 3 == 1 {
                cases.push(Case::new(
                    root.field,
                    &[format!("last: {size}"), filter, order],
                    &selection,
                ));
            }
        }
    }
    cases
}

/// The page after each first page that has one (by its `endCursor`).
fn next_pages(cases: &[Case], answers: &[Value]) -> Vec<Case> {
    cases
        .iter()
        .zip(answers)
        .filter(|(c, a)| c.call.contains("(first: ") && a["pageInfo"]["hasNextPage"] == true)
        .map(|(c, a)| {
            let cursor = a["pageInfo"]["endCursor"].as_str().unwrap();
            let (field, rest) = c.call.split_once('(').unwrap();
            let rest = rest.strip_suffix(')').unwrap();
            let (first, others) = rest.split_once(", ").unwrap_or((rest, ""));
            Case::new(
                field,
                &[
                    first.to_owned(),
                    format!("after: \"{cursor}\""),
                    others.to_owned(),
                ],
                &c.selection,
            )
        })
        .collect()
}

/// The adapter calls a traced request made, per provider: (collection, kind, filterPushed,
/// orderPushed, limit).
fn calls(body: &Value) -> Vec<(String, String, String, bool, bool, Value)> {
    let mut out = Vec::new();
    for (provider, calls) in body["extensions"]["simpul"]["providers"]
        .as_object()
        .unwrap_or_else(|| panic!("no trace: {body}"))
    {
        for c in calls["details"].as_array().unwrap() {
            out.push((
                provider.clone(),
                c["collection"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
                c["filterPushed"].as_bool().unwrap(),
                c["orderPushed"].as_bool().unwrap(),
                c["limit"].clone(),
            ));
        }
    }
    out
}

#[test]
fn the_same_answers_with_and_without_pushdown() {
    let started = std::time::Instant::now();
    let (on, _on_dir) = demo_with("pushdown-on", &LIMITS);
    let mut off_env = LIMITS.to_vec();
    off_env.extend(NO_PUSHDOWN);
    let (off, _off_dir) = demo_with("pushdown-off", &off_env);

    // The trace: what each gateway pushed down.
    let traced = r#"{ courseRuns(first: 3, where: { status: { _eq: "COMPLETED" }, startDate: { _gte: "2020-01-01" } }, order_by: [{ startDate: desc }]) { totalCount edges { cursor node { code course { name trainingCenter { name } } } } } }"#;
    let (_, with) = on.traced(traced);
    let (_, without) = off.traced(traced);
    assert!(with.get("errors").is_none(), "{with}");
    assert_eq!(with["data"], without["data"], "the traced query's answers");
    let (with, without) = (calls(&with), calls(&without));
    let providers = |calls: &[(String, String, String, bool, bool, Value)]| {
        calls.iter().map(|c| c.0.clone()).collect::<BTreeSet<_>>()
    };
    assert_eq!(providers(&with).len(), 4, "{with:?}");
    assert_eq!(providers(&without), providers(&with), "{without:?}");
    for (provider, collection, kind, filter, order, limit) in &with {
        let what = format!("pushdown on: {provider} {kind} {collection}");
        assert!(*filter && *order, "{what}: {with:?}");
        if kind == "list" {
            assert_eq!(*limit, json!(3), "{what}");
        }
    }
    for (provider, collection, kind, filter, order, limit) in &without {
        let what = format!("pushdown off: {provider} {kind} {collection}");
        assert!(!*filter, "{what} pushed its filter or ids: {without:?}");
        assert!(limit.is_null(), "{what} pushed a limit: {without:?}");
        if kind == "list" {
            assert!(!*order, "{what} pushed its order: {without:?}");
        }
    }
    for kind in ["list", "lookup"] {
        assert!(with.iter().any(|c| c.2 == kind), "{kind} calls: {with:?}");
        assert!(without.iter().any(|c| c.2 == kind), "{without:?}");
    }

    // The matrix over the root lists, two pages deep.
    let roots = roots(&on);
    let mut mismatches = Vec::new();
    let mut compared = 0;
    let mut non_empty = 0;
    for root in &roots {
        let first = root_cases(root);
        let (a, b) = both(&on, &off, &first, BATCH);
        mismatches.extend(differences(&first, &a, &b));
        let second = next_pages(&first, &a);
        let (c, d) = both(&on, &off, &second, BATCH);
        mismatches.extend(differences(&second, &c, &d));
        let totals: BTreeSet<u64> = a.iter().filter_map(|v| v["totalCount"].as_u64()).collect();
        let filled = a.iter().chain(&c).filter(|v| page_len(v) > 0).count();
        assert!(
            totals.len() >= 6,
            "{}: the filters should select different numbers of records: {totals:?}",
            root.field
        );
        assert!(
            second.len() * 4 >= first.len(),
            "{}: too few second pages ({} of {})",
            root.field,
            second.len(),
            first.len()
        );
        assert!(
            filled * 3 >= (first.len() + second.len()) * 2,
            "{}: only {filled} of {} pages have records",
            root.field,
            first.len() + second.len()
        );
        compared += first.len() + second.len();
        non_empty += filled;
        eprintln!(
            "{}: {} pages compared at {:.1} s",
            root.field,
            first.len() + second.len(),
            started.elapsed().as_secs_f64()
        );
    }

    // Nested relations.
    let nested = nested_cases();
    let (a, b) = both(&on, &off, &nested, 4);
    mismatches.extend(differences(&nested, &a, &b));
    let enrolled: usize = a
        .iter()
        .flat_map(|v| v["nodes"].as_array().cloned().unwrap_or_default())
        .filter(|n| {
            n["enrollments"]["edges"]
                .as_array()
                .is_some_and(|e| !e.is_empty())
        })
        .count();
    assert!(
        enrolled > 200,
        "nested enrolment lists should mostly have records: {enrolled}"
    );
    compared += nested.len();

    assert!(
        mismatches.is_empty(),
        "{} of {compared} answers differ with and without pushdown; the first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(compared > 1800, "only {compared} answers compared");
    assert!(non_empty > 1500, "only {non_empty} non-empty pages");
    eprintln!(
        "{compared} answers compared ({non_empty} non-empty root pages) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
