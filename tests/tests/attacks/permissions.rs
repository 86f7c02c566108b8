//! Attacks around the resolvers: permissions must hold wherever a record is touched.
//!
//! - A partner without `outcome:read` filters participants by their outcomes.
//! - A partner's relation filter makes the gateway read other providers' records.
//! - A partner reads the trace, which names other providers and their counts.
//! - A partner with `identity:link` learns at which other providers a person is known.

use serde_json::{json, Value};
use simpul_store::{NewKey, Scopes};

use crate::common::{ask, codes, issue, locked_down, post};

/// `simpul_provider_calls_total` for one provider and collection, summed over outcomes.
fn calls(gateway: &simpul_tests::Gateway, provider: &str, collection: &str) -> u64 {
    let (_, text) = gateway.get("/metrics");
    let prefix = format!(
        "simpul_provider_calls_total{{provider=\"{provider}\",collection=\"{collection}\","
    );
    text.lines()
        .filter(|l| l.starts_with(&prefix))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[test]
fn a_relation_filter_needs_the_scope_of_what_it_reads() {
    let (gateway, keys) = locked_down("attack-relation-scope", &[]);
    let query = "{ participants(first: 50, where: { enrollments: { outcome: { status: { _eq: \"EMPLOYED\" } } } }) { totalCount nodes { sourceId } } }";
    let (status, body) = ask(&gateway, Some(&keys.partner), query, json!({}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(codes(&body), ["FORBIDDEN"], "{body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["scope"], "outcome:read", "{body}");
    assert!(
        body["data"]["participants"].is_null(),
        "ids matched by a forbidden filter were returned: {body}"
    );
    // The same filter through a field the partner may read works.
    let allowed = "{ participants(first: 50, where: { enrollments: { status: { _eq: \"COMPLETED\" } } }) { totalCount } }";
    let (_, body) = ask(&gateway, Some(&keys.partner), allowed, json!({}));
    assert!(body["errors"].is_null(), "{body}");
    assert!(
        body["data"]["participants"]["totalCount"].as_u64() > Some(0),
        "{body}"
    );
}

#[test]
fn a_partners_relation_filter_reads_only_its_own_provider() {
    let (gateway, keys) = locked_down("attack-relation-tenant", &[]);
    let before: Vec<u64> = ["spn", "bpjamsostek"]
        .iter()
        .map(|p| calls(&gateway, p, "enrollments"))
        .collect();
    let query = "{ participants(first: 50, where: { enrollments: { status: { _eq: \"COMPLETED\" } } }) { totalCount nodes { provider { key } } } }";
    let (_, body) = ask(&gateway, Some(&keys.partner), query, json!({}));
    assert!(body["errors"].is_null(), "{body}");
    let nodes = body["data"]["participants"]["nodes"]
        .as_array()
        .expect("nodes");
    assert!(
        !nodes.is_empty() && nodes.iter().all(|n| n["provider"]["key"] == "bbplk"),
        "{body}"
    );
    let after: Vec<u64> = ["spn", "bpjamsostek"]
        .iter()
        .map(|p| calls(&gateway, p, "enrollments"))
        .collect();
    assert_eq!(
        before, after,
        "a BBPLK partner's request read other providers' enrolments"
    );
}

#[test]
fn the_trace_is_for_administrators() {
    let (gateway, keys) = locked_down("attack-trace", &[]);
    let body = json!({
        "query": "{ participants(first: 5, where: { enrollments: { status: { _eq: \"COMPLETED\" } } }) { totalCount } }",
        "extensions": { "simpul": { "trace": true } }
    });
    let bearer = format!("Bearer {}", keys.partner);
    let (_, partner) = post(&gateway, &[("authorization", &bearer)], &body);
    assert!(partner["errors"].is_null(), "{partner}");
    assert!(
        partner["extensions"]["simpul"]["providers"].is_null(),
        "a partner got the trace: {partner}"
    );
    let bearer = format!("Bearer {}", keys.analyst);
    let aggregate = json!({
        "query": "{ enrollments_aggregate(group_by: [provider]) { aggregate { count } } }",
        "extensions": { "simpul": { "trace": true } }
    });
    let (_, analyst) = post(&gateway, &[("authorization", &bearer)], &aggregate);
    assert!(
        analyst["extensions"]["simpul"]["providers"].is_null(),
        "an analyst got the trace: {analyst}"
    );
    // An administrator does get it (so the checks above are not vacuous).
    let bearer = format!("Bearer {}", keys.admin);
    let (_, admin) = post(&gateway, &[("authorization", &bearer)], &body);
    assert!(
        admin["extensions"]["simpul"]["providers"].is_object(),
        "{admin}"
    );
}

#[test]
fn a_person_shows_a_partner_only_its_own_provider() {
    let (gateway, keys) = locked_down("attack-person-tenant", &[]);
    // A person known at BBPLK and elsewhere, found as an admin.
    let (_, body) = ask(
        &gateway,
        Some(&keys.admin),
        "{ participants(first: 100, where: { provider: { _eq: \"bbplk\" } }) { nodes { person { id providers } } } }",
        json!({}),
    );
    let nodes = body["data"]["participants"]["nodes"]
        .as_array()
        .expect("nodes");
    let person = nodes
        .iter()
        .map(|n| &n["person"])
        .find(|p| p["providers"].as_array().is_some_and(|ps| ps.len() > 1))
        .unwrap_or_else(|| panic!("no person at two providers in the demo: {body}"))
        .clone();
    let scopes: Scopes = "participant:read enrollment:read identity:link"
        .parse()
        .expect("scopes");
    let linked = issue(
        &keys.store_url,
        NewKey::for_partner(keys.bbplk_partner, "linker").with_scopes(scopes),
    );
    let (_, body) = ask(
        &gateway,
        Some(&linked),
        "query($id: ID!) { person(id: $id) { providers participantRecords { provider { key } } enrollments(first: 50) { nodes { provider { key } } } } }",
        json!({ "id": person["id"] }),
    );
    assert!(body["errors"].is_null(), "{body}");
    let seen = &body["data"]["person"];
    assert_eq!(seen["providers"], json!(["bbplk"]), "{body}");
    let providers = |list: &Value| -> Vec<String> {
        list.as_array()
            .into_iter()
            .flatten()
            .map(|n| n["provider"]["key"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(providers(&seen["participantRecords"])
        .iter()
        .all(|p| p == "bbplk"));
    assert!(providers(&seen["enrollments"]["nodes"])
        .iter()
        .all(|p| p == "bbplk"));
}
