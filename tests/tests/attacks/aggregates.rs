//! Attacks on aggregates: an analyst trying to single someone out of counts.
//!
//! - A withheld cell must not show its key: the key of a small group is itself the fact
//!   (one person's outcome when the filter isolates them).
//! - Differencing: a total, then the same total without one person (`_not`), must not tell
//!   their count or, with an outcome inside the `_not`, their outcome.
//! - Every aggregate request leaves an audit row with its shape.

use serde_json::{json, Value};
use simpul_store::{AuditFilter, Store};

use crate::common::{all_participants, ask, locked_down, runtime};

fn aggregate(body: &Value, field: &str) -> Value {
    body["data"][field].clone()
}

#[test]
fn withheld_cells_show_no_key() {
    let (gateway, keys) = locked_down("attack-withheld-key", &[]);
    let query = "{ enrollments_aggregate(group_by: [sex, birthYear, domicileRegency, outcomeStatus, status]) { aggregate { count } groups { key { sex birthYear domicileRegency outcomeStatus status } aggregate { count } suppressed } } }";
    let (status, body) = ask(&gateway, Some(&keys.analyst), query, json!({}));
    assert_eq!(status, 200, "{body}");
    let answer = aggregate(&body, "enrollments_aggregate");
    let groups = answer["groups"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    let withheld: Vec<&Value> = groups.iter().filter(|g| g["suppressed"] == true).collect();
    let shown: Vec<&Value> = groups.iter().filter(|g| g["suppressed"] == false).collect();
    // The demo has many one-person cells at this grain; they must be folded into one row.
    assert!(
        withheld.len() <= 1,
        "withheld cells are listed one by one: {answer}"
    );
    for cell in &withheld {
        let key = cell["key"].as_object().expect("key");
        assert!(
            key.values().all(Value::is_null),
            "a withheld cell shows its key: {cell}"
        );
        assert!(
            cell["aggregate"]["count"].is_null() || cell["aggregate"]["count"].as_i64() >= Some(5)
        );
    }
    for cell in &shown {
        assert!(cell["aggregate"]["count"].as_i64() >= Some(5), "{cell}");
    }
    // What is shown adds up to the total.
    if let (Some(total), Some(folded)) = (
        answer["aggregate"]["count"].as_i64(),
        withheld
            .first()
            .map_or(Some(0), |w| w["aggregate"]["count"].as_i64()),
    ) {
        let visible: i64 = shown
            .iter()
            .map(|g| g["aggregate"]["count"].as_i64().unwrap_or(0))
            .sum();
        assert_eq!(total, visible + folded, "{answer}");
    }
}

#[test]
fn differencing_cannot_isolate_one_person() {
    let (gateway, keys) = locked_down("attack-differencing", &[]);
    // Ground truth, read as an admin: a (sex, birth year) that exactly one participant has.
    let people = all_participants(&gateway, &keys.admin);
    let mut counts = std::collections::BTreeMap::new();
    for (_, sex, year) in &people {
        *counts.entry((sex.clone(), *year)).or_insert(0) += 1;
    }
    let (sex, year) = counts
        .iter()
        .find(|(_, n)| **n == 1)
        .map(|(k, _)| k.clone())
        .expect("the demo has a one-person (sex, birth year)");
    let count_of = |query: &str| -> Value {
        let (status, body) = ask(&gateway, Some(&keys.analyst), query, json!({}));
        assert_eq!(status, 200, "{body}");
        body
    };
    let total = count_of("{ participants_aggregate { aggregate { count } } }");
    assert_eq!(
        total["data"]["participants_aggregate"]["aggregate"]["count"].as_u64(),
        Some(people.len() as u64),
        "{total}"
    );
    let without = count_of(&format!(
        "{{ participants_aggregate(where: {{ _not: {{ sex: {{ _eq: \"{sex}\" }}, birthYear: {{ _eq: {year} }} }} }}) {{ aggregate {{ count }} }} }}"
    ));
    assert!(
        without["data"]["participants_aggregate"]["aggregate"]["count"].is_null(),
        "the total without one person is shown, so their presence is: {without}"
    );
    for outcome in ["EMPLOYED", "SEEKING_WORK", "SELF_EMPLOYED"] {
        let probe = count_of(&format!(
            "{{ enrollments_aggregate(where: {{ _not: {{ sex: {{ _eq: \"{sex}\" }}, birthYear: {{ _eq: {year} }}, outcomeStatus: {{ _eq: \"{outcome}\" }} }} }}) {{ aggregate {{ count }} }} }}"
        ));
        assert!(
            probe["data"]["enrollments_aggregate"]["aggregate"]["count"].is_null(),
            "a total that leaves out fewer than five records is shown: {probe}"
        );
    }
    // The narrow set itself is withheld too.
    let narrow = count_of(&format!(
        "{{ participants_aggregate(where: {{ sex: {{ _eq: \"{sex}\" }}, birthYear: {{ _eq: {year} }} }}) {{ aggregate {{ count }} }} }}"
    ));
    assert!(
        narrow["data"]["participants_aggregate"]["aggregate"]["count"].is_null(),
        "{narrow}"
    );
}

#[test]
fn every_aggregate_request_is_audited_with_its_shape() {
    let (gateway, keys) = locked_down("attack-aggregate-audit", &[]);
    let query = "query Outcomes { enrollments_aggregate(where: { sex: { _eq: \"FEMALE\" } }, group_by: [outcomeStatus]) { aggregate { count } } }";
    let (status, body) = ask(&gateway, Some(&keys.analyst), query, json!({}));
    assert_eq!(status, 200, "{body}");
    let rows = runtime().block_on(async {
        let store = Store::connect(&keys.store_url).await.expect("store");
        store
            .audit()
            .list(AuditFilter {
                key_id: Some(keys.analyst_id.clone()),
                ..Default::default()
            })
            .await
            .expect("audit log")
    });
    let row = rows
        .iter()
        .find(|r| {
            r.entry
                .fields
                .iter()
                .any(|f| f == "Query.enrollments_aggregate")
        })
        .unwrap_or_else(|| panic!("no audit row for the aggregate request: {rows:?}"));
    assert_eq!(
        row.entry.operation_hash,
        simpul_store::operation_hash(query)
    );
    for part in ["where.sex", "group_by.outcomeStatus"] {
        assert!(
            row.entry.fields.iter().any(|f| f == part),
            "{part} not in {row:?}"
        );
    }
    assert!(
        !row.entry.fields.iter().any(|f| f.contains("FEMALE")),
        "values must not be audited: {row:?}"
    );
}
