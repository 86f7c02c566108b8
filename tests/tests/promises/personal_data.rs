//! Personal data in clear: a caller without `pii:read` who selects `nik` gets `FORBIDDEN` and
//! no adapter is asked for personal data (the field guard hides the values either way, so only
//! the adapter calls show a gateway that always asks); `disability` and `monthlyRevenue` need
//! `pii:specific` beyond `pii:read`.

use serde_json::{json, Value};
use simpul_store::{AuditFilter, NewKey, Role, Store};
use simpul_tests::{sixteen_digit_runs, Gateway};

use crate::common::{ask, codes, issue, locked_down, personal_flags, runtime, traced};

/// The key id in a secret (`smp_<id>_<secret>`), as the audit log names it.
fn key_id(secret: &str) -> String {
    secret.split('_').nth(1).unwrap_or_default().to_owned()
}

fn audited_fields(store_url: &str, key: &str) -> Vec<String> {
    runtime().block_on(async {
        let store = Store::connect(store_url).await.expect("store");
        let rows = store
            .audit()
            .list(AuditFilter {
                key_id: Some(key_id(key)),
                ..Default::default()
            })
            .await
            .expect("audit");
        rows.into_iter().flat_map(|r| r.entry.fields).collect()
    })
}

#[test]
fn without_pii_read_a_personal_field_is_forbidden_and_no_adapter_is_asked_for_it() {
    let (gateway, keys) = locked_down("promise-pii-unasked", &[]);
    // Keys that may read participants (and, to let the test see the adapter calls, the trace),
    // but not personal data: one bound to BBPLK, one reading every provider.
    let scopes = || {
        "participant:read enrollment:read trace"
            .parse()
            .expect("scopes")
    };
    let partner = issue(
        &keys.store_url,
        NewKey::for_partner(keys.bbplk_partner, "portal, traced").with_scopes(scopes()),
    );
    let reader = issue(
        &keys.store_url,
        NewKey::new(Role::Analyst, "reader, traced").with_scopes(scopes()),
    );
    const QUERY: &str = "{ participants(first: 5) { nodes { nikMasked nik fullName enrollments(first: 2) { nodes { id } } } } }";
    for (who, key) in [("partner", &partner), ("reader", &reader)] {
        let body = traced(&gateway, key, QUERY, json!({}));
        let nodes = body["data"]["participants"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(nodes.len(), 5, "{who}: {body}");
        for node in &nodes {
            assert!(node["nikMasked"].is_string(), "{who}: {body}");
            assert!(
                node["nik"].is_null() && node["fullName"].is_null(),
                "{who}: {body}"
            );
        }
        // One FORBIDDEN per personal field of each record, naming the scope.
        let errors = body["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(errors.len(), 10, "{who}: {body}");
        for e in &errors {
            assert_eq!(e["extensions"]["code"], "FORBIDDEN", "{who}: {e}");
            assert_eq!(e["extensions"]["scope"], "pii:read", "{who}: {e}");
            let field = e["path"].as_array().and_then(|p| p.last()).cloned();
            assert!(
                field == Some(json!("nik")) || field == Some(json!("fullName")),
                "{who}: {e}"
            );
        }
        assert!(
            sixteen_digit_runs(&body.to_string()).is_empty(),
            "{who}: {body}"
        );
        // The promise: the participants and enrolments were asked for without personal data.
        let flags = personal_flags(&body);
        assert!(
            flags.len() >= 2,
            "{who}: the list and its enrolments: {body}"
        );
        assert!(
            flags.iter().all(|asked| !asked),
            "{who}: an adapter was asked for personal data the caller may not read: {body}"
        );
        assert!(audited_fields(&keys.store_url, key).is_empty(), "{who}");
    }
    // The control: the same query from a key with pii:read asks every call for it, so the
    // trace would show a gateway that asked the others too.
    let body = traced(&gateway, &keys.admin, QUERY, json!({}));
    assert!(body["errors"].is_null(), "{body}");
    assert!(!sixteen_digit_runs(&body.to_string()).is_empty(), "{body}");
    let flags = personal_flags(&body);
    assert!(
        flags.len() >= 2 && flags.iter().all(|asked| *asked),
        "{body}"
    );
}

/// Every participant's `disability`, page by page, as the holder of `key`; and the errors.
fn disabilities(gateway: &Gateway, key: &str) -> (Vec<Value>, Vec<Value>) {
    let (mut values, mut errors) = (Vec::new(), Vec::new());
    for offset in (0..).step_by(100) {
        let (status, body) = ask(
            gateway,
            Some(key),
            "query($offset: Int) { participants(limit: 100, offset: $offset) { totalCount nodes { nik disability } } }",
            json!({ "offset": offset }),
        );
        assert_eq!(status, 200, "{body}");
        let page = &body["data"]["participants"];
        for node in page["nodes"].as_array().unwrap_or_else(|| panic!("{body}")) {
            // pii:read is enough for the NIK (null only where the source has none: FK-BLKK
            // rejects a NIK typed into a number cell).
            assert!(node["nik"].is_string() || node["nik"].is_null(), "{body}");
            assert!(
                !node["nik"].as_str().is_some_and(|n| n.contains('*')),
                "not masked: {body}"
            );
            values.push(node["disability"].clone());
        }
        errors.extend(body["errors"].as_array().cloned().unwrap_or_default());
        if page["totalCount"]
            .as_u64()
            .is_none_or(|total| offset + 100 >= total)
        {
            return (values, errors);
        }
    }
    unreachable!()
}

const REVENUE: &str = "{ participants(first: 10, where: { enrollments: { outcome: { status: { _eq: \"SELF_EMPLOYED\" } } } }) { nodes { enrollments(first: 3) { nodes { outcome { status monthlyRevenue { amount currency } } } } } } }";

/// The `monthlyRevenue` of every outcome in [`REVENUE`]'s answer (null or not).
fn revenues(body: &Value) -> Vec<Value> {
    body["data"]["participants"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .flat_map(|p| {
            p["enrollments"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|e| e["outcome"].is_object())
        .map(|e| e["outcome"]["monthlyRevenue"].clone())
        .collect()
}

#[test]
fn health_and_financial_data_need_pii_specific_beyond_pii_read() {
    let (gateway, keys) = locked_down("promise-pii-specific", &[]);
    let reader = issue(
        &keys.store_url,
        NewKey::new(Role::Analyst, "case worker").with_scopes(
            "participant:read enrollment:read outcome:read pii:read"
                .parse()
                .expect("scopes"),
        ),
    );

    // Disability (health data). The control: the demo data has some, which an admin reads.
    let (values, errors) = disabilities(&gateway, &keys.admin);
    assert!(errors.is_empty(), "{errors:?}");
    let known = values.iter().filter(|v| v.is_string()).count();
    assert!(known > 0, "no disability in the demo data");
    let (values, errors) = disabilities(&gateway, &reader);
    assert!(
        values.iter().all(Value::is_null),
        "a pii:read key read a disability: {values:?}"
    );
    assert_eq!(
        errors.len(),
        values.len(),
        "one error per record: {errors:?}"
    );
    for e in &errors {
        assert_eq!(e["extensions"]["code"], "FORBIDDEN", "{e}");
        assert_eq!(e["extensions"]["scope"], "pii:specific", "{e}");
        assert_eq!(
            e["path"].as_array().and_then(|p| p.last()),
            Some(&json!("disability"))
        );
    }

    // Monthly revenue (financial data), of the self-employed.
    let (status, body) = ask(&gateway, Some(&keys.admin), REVENUE, json!({}));
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    assert!(
        revenues(&body).iter().any(|r| r["amount"].is_string()),
        "no revenue in the demo data: {body}"
    );
    let (status, body) = ask(&gateway, Some(&reader), REVENUE, json!({}));
    assert_eq!(status, 200, "{body}");
    let shown = revenues(&body);
    assert!(
        !shown.is_empty() && shown.iter().all(Value::is_null),
        "{body}"
    );
    let errors = body["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), shown.len(), "{body}");
    assert!(codes(&body).iter().all(|c| c == "FORBIDDEN"), "{body}");
    for e in &errors {
        assert_eq!(e["extensions"]["scope"], "pii:specific", "{e}");
        assert_eq!(
            e["path"].as_array().and_then(|p| p.last()),
            Some(&json!("monthlyRevenue"))
        );
    }

    // The audit log: the reader read NIKs, never the specific data; the admin both.
    let fields = audited_fields(&keys.store_url, &reader);
    assert!(fields.iter().any(|f| f == "Participant.nik"), "{fields:?}");
    assert!(
        !fields
            .iter()
            .any(|f| f == "Participant.disability" || f == "Outcome.monthlyRevenue"),
        "{fields:?}"
    );
    let fields = audited_fields(&keys.store_url, &keys.admin);
    for field in ["Participant.disability", "Outcome.monthlyRevenue"] {
        assert!(fields.iter().any(|f| f == field), "{field}: {fields:?}");
    }
}
