//! End to end, the engine: paging across providers, batching of relations, pushdown, and people
//! linked across providers.

use std::collections::HashSet;

use serde_json::{json, Value};
use simpul_tests::{demo, scratch_dir, sixteen_digit_runs, Gateway};

#[test]
fn cursors_page_through_all_participants_without_clear_niks() {
    let (gw, _dir) = demo("paging");
    // Walk the whole list twice, with small and with large pages: same records, same order.
    let walk = |size: u32| -> (usize, Vec<String>) {
        let mut seen = Vec::new();
        let mut after = Value::Null;
        for _ in 0..200 {
            let (status, body) = gw.query(
                "query($after: String, $size: Int) { participants(first: $size, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id sourceId nikMasked nikValid sex birthYear } } } }",
                json!({ "after": after, "size": size }),
            );
            assert_eq!(status, 200, "{body}");
            assert!(
                sixteen_digit_runs(&body.to_string()).is_empty(),
                "a clear NIK leaked: {body}"
            );
            let page = &body["data"]["participants"];
            let total = page["totalCount"].as_u64().unwrap() as usize;
            seen.extend(
                page["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["node"]["id"].as_str().unwrap().to_owned()),
            );
            if !page["pageInfo"]["hasNextPage"].as_bool().unwrap() {
                return (total, seen);
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        panic!("paging did not end");
    };
    let (total, small) = walk(7);
    let (_, large) = walk(100);
    assert!(total > 100, "the demo should need several large pages");
    assert_eq!(small.len(), total, "every participant once");
    assert_eq!(small.iter().collect::<HashSet<_>>().len(), total);
    assert_eq!(small, large, "page size does not change the order");

    // Personal fields are refused, not returned.
    let (status, body) = gw.query(
        "{ participants(first: 3) { nodes { nikMasked nik fullName phone birthDate } } }",
        json!(null),
    );
    assert_eq!(status, 200);
    assert!(sixteen_digit_runs(&body.to_string()).is_empty(), "{body}");
    let errors = body["errors"].as_array().expect("FORBIDDEN errors");
    assert!(
        errors
            .iter()
            .all(|e| e["extensions"]["code"] == "FORBIDDEN"),
        "{body}"
    );
    assert!(body["data"]["participants"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["nik"].is_null() && n["fullName"].is_null()));
    assert!(
        body["data"]["participants"]["nodes"][0]["nikMasked"]
            .as_str()
            .is_some_and(|m| m.contains("******")),
        "{body}"
    );
}

/// POST a query with the trace extension on; returns the body.
fn traced(gw: &Gateway, query: &str) -> Value {
    let body = json!({ "query": query, "extensions": { "simpul": { "trace": true } } });
    let response = ureq::post(&format!("{}/graphql", gw.base))
        .set("content-type", "application/json")
        .send_string(&body.to_string())
        .unwrap();
    serde_json::from_str(&response.into_string().unwrap()).unwrap()
}

#[test]
fn nested_relations_make_one_call_per_provider_collection_and_level() {
    // A wide batch window, so a busy test machine cannot split a level's keys over two calls.
    let dir = scratch_dir("batching");
    let demo_dir = dir.join("demo");
    let env = [
        ("SIMPUL_DEMO_DIR", demo_dir.to_str().unwrap()),
        ("SIMPUL__LIMITS__BATCH_WINDOW_MS", "50"),
    ];
    let gw = Gateway::start(&dir, &[], &env);
    let body = traced(
        &gw,
        "{ courseRuns(first: 10) { nodes { code partnerships { kind } course { name trainingCenter { name } } \
           enrollments(first: 50) { nodes { status participant { sourceId } outcome { status } } } } } }",
    );
    assert!(body.get("errors").is_none(), "{body}");
    let runs = body["data"]["courseRuns"]["nodes"].as_array().unwrap();
    assert!(runs.len() > 3, "several parents per level");
    let enrolled: usize = runs
        .iter()
        .map(|r| r["enrollments"]["nodes"].as_array().unwrap().len())
        .sum();
    assert!(enrolled > 10, "{body}");
    let providers = body["extensions"]["simpul"]["providers"]
        .as_object()
        .unwrap();
    assert_eq!(providers.len(), 4, "every provider took part: {body}");
    for (provider, calls) in providers {
        let mut kinds: Vec<(String, String)> = calls["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["collection"].as_str().unwrap().to_owned(),
                    c["kind"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let count = kinds.len();
        kinds.sort();
        kinds.dedup();
        assert_eq!(
            kinds.len(),
            count,
            "{provider} made two calls for one collection and level: {calls}"
        );
    }
    let calls = &body["extensions"]["simpul"]["providers"]["spn"];
    let mut seen: Vec<(String, String)> = calls["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["collection"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    seen.sort();
    let want = [
        ("courseRuns", "list"),
        ("courses", "lookup"),
        ("enrollments", "list"),
        ("outcomes", "list"),
        ("participants", "lookup"),
        ("partnerships", "lookup"),
        ("trainingCenters", "lookup"),
    ];
    assert_eq!(
        seen,
        want.map(|(c, k)| (c.to_owned(), k.to_owned())),
        "{calls}"
    );
    assert_eq!(calls["calls"], 7);
}

#[test]
fn a_first_page_asks_the_adapter_for_only_that_many_records() {
    let (gw, _dir) = demo("pushdown");
    let body = traced(
        &gw,
        r#"{ courseRuns(first: 3, where: { status: { _eq: "COMPLETED" } }, order_by: [{ startDate: asc }]) { totalCount nodes { code } } }"#,
    );
    let call = &body["extensions"]["simpul"]["providers"]["spn"]["details"][0];
    assert_eq!(
        (
            call["filterPushed"].as_bool(),
            call["orderPushed"].as_bool(),
            call["limit"].as_u64()
        ),
        (Some(true), Some(true), Some(3)),
        "{body}"
    );
    assert_eq!(
        body["data"]["courseRuns"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(
        body["data"]["courseRuns"]["totalCount"].as_u64().unwrap() > 3,
        "the total stays exact: {body}"
    );
}

#[test]
fn a_person_at_two_providers_is_resolved_with_both_histories() {
    let (gw, _dir) = demo("people");
    let (status, body) = gw.query(
        r#"{ participants(first: 100, where: { provider: { _eq: "bbplk" } }) { nodes { sourceId person { id providers } } } }"#,
        json!(null),
    );
    assert_eq!(status, 200, "{body}");
    let linked = body["data"]["participants"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| {
            n["person"]["providers"]
                .as_array()
                .is_some_and(|p| p.len() >= 2)
        })
        .unwrap_or_else(|| {
            panic!("the demo links some BBPLK participants to another provider: {body}")
        })
        .clone();
    let id = linked["person"]["id"].as_str().unwrap();
    let (status, person) = gw.query(
        "query($id: ID!) { person(id: $id) { id providers participantRecords { sourceId nikMasked provider { key } } \
           enrollments(first: 50) { totalCount nodes { registeredOn status provider { key } courseRun { code } } } conflicts { field providers } } }",
        json!({ "id": id }),
    );
    assert_eq!(status, 200, "{person}");
    assert!(person.get("errors").is_none(), "{person}");
    assert!(
        sixteen_digit_runs(&person.to_string()).is_empty(),
        "no clear NIK: {person}"
    );
    let p = &person["data"]["person"];
    let providers: Vec<&str> = p["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        providers.len() >= 2 && providers.contains(&"bbplk"),
        "{person}"
    );
    let records = p["participantRecords"].as_array().unwrap();
    assert_eq!(records.len(), providers.len());
    assert!(
        records
            .windows(2)
            .all(|w| w[0]["nikMasked"] == w[1]["nikMasked"]),
        "the same NIK behind every record"
    );
    let enrollments = p["enrollments"]["nodes"].as_array().unwrap();
    for provider in &providers {
        assert!(
            enrollments
                .iter()
                .any(|e| e["provider"]["key"] == *provider),
            "{provider}'s history is missing: {person}"
        );
    }
    let dates: Vec<&str> = enrollments
        .iter()
        .filter_map(|e| e["registeredOn"].as_str())
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {dates:?}"
    );
    // The same person through node(id).
    let (_, node) = gw.query(
        "query($id: ID!) { node(id: $id) { ... on Person { providers } } }",
        json!({ "id": id }),
    );
    assert_eq!(node["data"]["node"]["providers"], p["providers"]);
}
