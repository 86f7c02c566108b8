//! `personByNik` end to end, with the NIK as a variable: an admin finds a person known at two
//! providers; a valid NIK nobody has gives null, an invalid one `BAD_USER_INPUT`; each lookup
//! writes an audit row (`Query.personByNik`, one record) that never holds the NIK.

use serde_json::{json, Value};
use simpul_store::{AuditFilter, AuditRecord, Store};
use simpul_tests::sixteen_digit_runs;

use crate::common::{ask, codes, locked_down, runtime};

const LOOKUP: &str = "query Lookup($nik: String!) { personByNik(nik: $nik) { id providers participantRecords { provider { key } nikMasked } } }";
/// Valid (day 45: a woman born on the 5th; month 07), and no demo participant's.
const UNKNOWN: &str = "3602134507900001";
/// Sixteen digits, but day 99 does not exist.
const INVALID: &str = "3602139907900001";

fn lookups(store_url: &str) -> Vec<AuditRecord> {
    runtime().block_on(async {
        let store = Store::connect(store_url).await.expect("store");
        store
            .audit()
            .list(AuditFilter {
                field: Some("Query.personByNik".into()),
                ..Default::default()
            })
            .await
            .expect("audit")
    })
}

#[test]
fn person_by_nik_with_a_variable_end_to_end() {
    let (gateway, keys) = locked_down("promise-person-by-nik", &[]);
    // A person known at two providers, and their NIK as an admin reads it.
    let (status, body) = ask(
        &gateway,
        Some(&keys.admin),
        "{ participants(first: 100) { nodes { nik person { id providers } } } }",
        json!({}),
    );
    assert_eq!(status, 200, "{body}");
    let known = body["data"]["participants"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .find(|n| {
            n["nik"].is_string()
                && n["person"]["providers"]
                    .as_array()
                    .is_some_and(|p| p.len() >= 2)
        })
        .unwrap_or_else(|| panic!("no demo participant known at two providers: {body}"))
        .clone();
    let nik = known["nik"].as_str().unwrap_or_default().to_owned();
    assert_ne!(nik, UNKNOWN);

    let (status, found) = ask(&gateway, Some(&keys.admin), LOOKUP, json!({ "nik": nik }));
    assert_eq!(status, 200, "{found}");
    assert!(found["errors"].is_null(), "{found}");
    let person = &found["data"]["personByNik"];
    assert_eq!(person["id"], known["person"]["id"], "{found}");
    assert_eq!(person["providers"], known["person"]["providers"], "{found}");
    let mut at: Vec<Value> = person["participantRecords"]
        .as_array()
        .unwrap_or_else(|| panic!("{found}"))
        .iter()
        .map(|r| r["provider"]["key"].clone())
        .collect();
    at.dedup();
    assert_eq!(Value::Array(at), known["person"]["providers"], "{found}");
    assert!(
        !found.to_string().contains(&nik),
        "the answer echoes the NIK"
    );
    assert_eq!(lookups(&keys.store_url).len(), 1);

    // Nobody has this one: null, no error, and audited all the same.
    let (status, body) = ask(
        &gateway,
        Some(&keys.admin),
        LOOKUP,
        json!({ "nik": UNKNOWN }),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["personByNik"], Value::Null, "{body}");
    assert_eq!(lookups(&keys.store_url).len(), 2);

    // Not a NIK: the caller's error, which does not echo it.
    let (_, body) = ask(
        &gateway,
        Some(&keys.admin),
        LOOKUP,
        json!({ "nik": INVALID }),
    );
    assert_eq!(codes(&body), ["BAD_USER_INPUT"], "{body}");
    assert_eq!(body["data"]["personByNik"], Value::Null, "{body}");
    assert!(!body.to_string().contains(INVALID), "{body}");

    // Without pii:read (an analyst links people, but not by NIK): refused.
    let (_, body) = ask(&gateway, Some(&keys.analyst), LOOKUP, json!({ "nik": nik }));
    assert_eq!(codes(&body), ["FORBIDDEN"], "{body}");
    assert_eq!(body["data"]["personByNik"], Value::Null, "{body}");

    // The rows: one record each, the operation named, never a NIK.
    let rows = lookups(&keys.store_url);
    assert!(rows.len() >= 2, "{rows:?}");
    for row in &rows {
        assert_eq!(row.entry.record_count, 1, "{row:?}");
        assert_eq!(
            row.entry.operation_name.as_deref(),
            Some("Lookup"),
            "{row:?}"
        );
        assert_eq!(
            row.entry.operation_hash,
            simpul_store::operation_hash(LOOKUP),
            "{row:?}"
        );
        assert_ne!(row.entry.key_id.as_deref(), Some(keys.analyst_id.as_str()));
    }
    let text = format!("{rows:?}");
    assert!(
        sixteen_digit_runs(&text).is_empty(),
        "a NIK in the audit log: {text}"
    );
    let log = gateway.log();
    assert!(
        !log.contains(&nik) && !log.contains(UNKNOWN) && !log.contains(INVALID),
        "a NIK in the log"
    );
}
