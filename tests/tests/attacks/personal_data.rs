//! Minimal disclosure: adapters are asked for personal data only when a personal field is
//! selected, and personal data an adapter sends unasked is dropped and counted as its fault.

use serde_json::json;
use simpul_tests::{library, scratch_dir, Gateway};

use crate::common::{locked_down, personal_flags, post, traced};

#[test]
fn personal_data_is_asked_for_only_when_selected() {
    let (gateway, keys) = locked_down("attack-pii-asked", &[]);
    let run = |query: &str| {
        let body = traced(&gateway, &keys.admin, query, json!({}));
        assert!(body["errors"].is_null(), "{body}");
        body
    };
    let masked = run("{ participants(first: 5) { nodes { nikMasked birthYear } } }");
    let flags = personal_flags(&masked);
    assert!(!flags.is_empty() && flags.iter().all(|f| !f), "{masked}");
    let fragment = run(
        "{ participants(first: 5) { nodes { ...Who } } } fragment Who on Participant { fullName }",
    );
    let flags = personal_flags(&fragment);
    assert!(!flags.is_empty() && flags.iter().all(|f| *f), "{fragment}");
}

#[test]
fn personal_data_sent_unasked_is_dropped_and_counted() {
    let dir = scratch_dir("attack-pii-unasked");
    let config = format!(
        r#"
[access]
anonymous_scopes = "participant:read"

[[providers]]
key = "leaky"
library = "{zoo}"
[providers.config]
mode = "leaky"
"#,
        zoo = library("simpul_zoo_misbehaving").display()
    );
    std::fs::write(dir.join("simpul.toml"), config).expect("config");
    let gateway = Gateway::start(&dir, &[], &[]);
    let (status, body) = post(
        &gateway,
        &[],
        &json!({ "query": "{ participants(first: 5) { nodes { sourceId nikMasked } } }" }),
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body["data"]["participants"]["nodes"]
            .as_array()
            .is_some_and(|n| !n.is_empty()),
        "{body}"
    );
    let (_, metrics) = gateway.get("/metrics");
    assert!(
        metrics.contains(
            r#"simpul_provider_errors_total{provider="leaky",code="PERSONAL_DATA_UNASKED"}"#
        ),
        "the unasked personal data was not counted: {metrics}"
    );
    let log = gateway.log();
    assert!(log.contains("personal data it was not asked for"), "{log}");
    assert!(
        simpul_tests::sixteen_digit_runs(&log).is_empty(),
        "the log holds a NIK: {log}"
    );
}
