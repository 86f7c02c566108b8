//! An oracle that does not reuse the code under test: the SPN demo export's answers, worked out
//! by hand from the CSV files (`oracle/spn.rs`, a table a person wrote), asked of a real demo
//! gateway with SPN's pushdown on (the adapter filters, orders and pages) and off (the engine
//! does), and compared. Both paths run the reference semantics (`simpul_schema::filter`), so
//! the pushdown test cannot catch a fault in them; this test can. The reference semantics are
//! also checked on their own, on hand-built records, in `schema/tests/oracle.rs`.
//!
//! Run: `cargo nextest run -p simpul-tests --test oracle`.

#[path = "oracle/spn.rs"]
mod spn;

use serde_json::{json, Value};
use simpul_tests::{demo, demo_with, Gateway};
use spn::{Ask, Case};

/// What `/readyz` says SPN serves: `pusat_pelatihan.csv` 2 rows, six distinct courses in
/// `pelatihan.csv`'s 7 rows, 35 `id_peserta` and 38 enrollments in `peserta.csv` (one of its 39
/// rows rejected: file line 27, a run code that does not exist), `hasil.csv` 20 rows,
/// `kerjasama.csv` 2 rows.
const RECORD_COUNTS: &[(&str, u64)] = &[
    ("courseRuns", 7),
    ("courses", 6),
    ("enrollments", 38),
    ("outcomes", 20),
    ("participants", 35),
    ("partnerships", 2),
    ("trainingCenters", 2),
];

/// `where: { provider: { _eq: "spn" }, … }`.
fn spn_where(filter: &str) -> String {
    if filter.is_empty() {
        r#"where: { provider: { _eq: "spn" } }"#.to_owned()
    } else {
        format!(r#"where: {{ provider: {{ _eq: "spn" }}, {filter} }}"#)
    }
}

/// The answer's root field, or why there is none.
fn root(gw: &Gateway, query: &str) -> Result<Value, String> {
    let (status, body) = gw.query(query, Value::Null);
    if status != 200 || !body["errors"].is_null() {
        return Err(format!("HTTP {status}: {body}"));
    }
    Ok(body["data"]["r"].clone())
}

fn source_ids(nodes: &Value) -> Vec<String> {
    nodes
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["sourceId"].as_str().unwrap_or("?").to_owned())
        .collect()
}

fn key_text(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Ask one case; `Err` describes how the answer differs from the table.
fn check(gw: &Gateway, case: &Case) -> Result<(), String> {
    match &case.ask {
        Ask::List {
            list,
            filter,
            args,
            total,
            ids,
        } => {
            let query = format!(
                "{{ r: {list}({args}, {}) {{ totalCount nodes {{ sourceId }} }} }}",
                spn_where(filter)
            );
            let answer = root(gw, &query).map_err(|e| format!("{query}\n  {e}"))?;
            let got = (answer["totalCount"].as_u64(), source_ids(&answer["nodes"]));
            let expected = (Some(*total), ids.iter().map(|s| (*s).to_owned()).collect());
            if got != expected {
                return Err(format!(
                    "{query}\n  expected {expected:?}\n  got      {got:?}"
                ));
            }
        }
        Ask::Enrollments { filter, ids } => {
            let query = format!(
                "{{ r: participants(first: 100, {}) {{ totalCount nodes {{ enrollments(first: 10, where: {{ {filter} }}) {{ totalCount nodes {{ sourceId }} }} }} }} }}",
                spn_where("")
            );
            let answer = root(gw, &query).map_err(|e| format!("{query}\n  {e}"))?;
            let mut got = Vec::new();
            for person in answer["nodes"].as_array().into_iter().flatten() {
                let found = source_ids(&person["enrollments"]["nodes"]);
                if person["enrollments"]["totalCount"].as_u64() != Some(found.len() as u64) {
                    return Err(format!("{query}\n  a nested page was cut: {person}"));
                }
                got.extend(found);
            }
            if answer["totalCount"].as_u64() != Some(35) {
                return Err(format!("{query}\n  not the 35 SPN participants: {answer}"));
            }
            let mut expected: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
            got.sort();
            expected.sort();
            if got != expected {
                return Err(format!(
                    "{query}\n  expected {expected:?}\n  got      {got:?}"
                ));
            }
        }
        Ask::Aggregate {
            view,
            filter,
            key,
            total,
            groups,
            withheld,
        } => {
            let query = match key {
                Some(key) => format!(
                    "{{ r: {view}_aggregate({}, group_by: [{key}]) {{ aggregate {{ count }} groups {{ key {{ {key} }} aggregate {{ count }} suppressed }} suppressedGroups }} }}",
                    spn_where(filter)
                ),
                None => format!(
                    "{{ r: {view}_aggregate({}) {{ aggregate {{ count }} suppressedGroups }} }}",
                    spn_where(filter)
                ),
            };
            let answer = root(gw, &query).map_err(|e| format!("{query}\n  {e}"))?;
            let rows = answer["groups"].as_array().cloned().unwrap_or_default();
            let shown: Vec<(String, Option<u64>)> = rows
                .iter()
                .filter(|g| g["suppressed"] != true)
                .map(|g| {
                    let k = key.map_or(Value::Null, |k| g["key"][k].clone());
                    (key_text(&k), g["aggregate"]["count"].as_u64())
                })
                .collect();
            let folded: Vec<Option<u64>> = rows
                .iter()
                .filter(|g| g["suppressed"] == true)
                .map(|g| g["aggregate"]["count"].as_u64())
                .collect();
            // (total, shown groups, folded rows' counts, suppressedGroups)
            let got = (
                answer["aggregate"]["count"].as_u64(),
                shown,
                folded,
                answer["suppressedGroups"].as_u64(),
            );
            let expected = (
                Some(*total),
                groups
                    .iter()
                    .map(|(k, n)| ((*k).to_owned(), Some(*n)))
                    .collect::<Vec<_>>(),
                withheld.map(|(count, _)| vec![count]).unwrap_or_default(),
                Some(withheld.map_or(0, |(_, groups)| groups)),
            );
            if got != expected {
                return Err(format!(
                    "{query}\n  expected (total, shown, withheld rows, suppressedGroups) {expected:?}\n  got      {got:?}"
                ));
            }
        }
    }
    Ok(())
}

/// Ask every case of the table and report every difference at once.
fn answers_match_the_table(gw: &Gateway, how: &str) {
    let (_, ready) = gw.get("/readyz");
    let ready: Value = serde_json::from_str(&ready).expect("/readyz is JSON");
    let spn = ready["providers"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["key"] == "spn"))
        .cloned()
        .unwrap_or_default();
    let counts: Value = RECORD_COUNTS
        .iter()
        .map(|(k, n)| ((*k).to_owned(), json!(n)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    assert_eq!(
        (&spn["recordCounts"], spn["rejectedRecords"].as_u64()),
        (&counts, Some(1)),
        "{spn}"
    );

    let cases = spn::cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(gw, case)
                .err()
                .map(|e| format!("✗ {} ({how})\n  {e}", case.what))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} hand-computed answers differ ({how}):\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The adapter calls of a traced request to SPN: (kind, filterPushed).
fn spn_calls(gw: &Gateway) -> Vec<(String, bool)> {
    let (_, body) = gw.traced(
        r#"{ participants(first: 5, where: { provider: { _eq: "spn" }, sex: { _eq: "FEMALE" } }) { totalCount } }"#,
    );
    body["extensions"]["simpul"]["providers"]["spn"]["details"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["kind"].as_str().unwrap_or_default().to_owned(),
                c["filterPushed"].as_bool().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn spn_answers_match_the_hand_computed_table_with_pushdown() {
    let (gw, _dir) = demo("oracle-pushed");
    let calls = spn_calls(&gw);
    assert!(
        !calls.is_empty() && calls.iter().all(|(_, pushed)| *pushed),
        "the SPN adapter should filter: {calls:?}"
    );
    answers_match_the_table(&gw, "pushdown on");
}

#[test]
fn spn_answers_match_the_hand_computed_table_without_pushdown() {
    // SPN is the demo's provider 0.
    let (gw, _dir) = demo_with(
        "oracle-local",
        &[("SIMPUL__PROVIDERS__0__PUSHDOWN", "false")],
    );
    let calls = spn_calls(&gw);
    assert!(
        !calls.is_empty() && calls.iter().all(|(_, pushed)| !*pushed),
        "the engine should filter SPN's records: {calls:?}"
    );
    answers_match_the_table(&gw, "pushdown off");
}
