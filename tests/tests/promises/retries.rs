//! A panic is never retried: a plugin that panicked is poisoned, and calling it again could
//! only repeat the damage. With `retry = { max_attempts = 3 }`, a panicking provider is called
//! once per request; a flaky one beside it, with the same policy, shows that the same metric
//! does count retries.

use serde_json::json;
use simpul_tests::{library, scratch_dir, Gateway};

/// The value of the metric line that starts with `series` (name and labels), 0 when absent.
fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[test]
fn a_panic_is_never_retried() {
    let dir = scratch_dir("promise-panic-retry");
    let zoo = library("simpul_zoo_misbehaving");
    // A breaker that never opens here: every request reaches the providers.
    let config = format!(
        r#"
[[providers]]
key = "panicky"
library = "{zoo}"
retry = {{ max_attempts = 3, backoff_ms = 1 }}
breaker = {{ failure_threshold = 100 }}
[providers.config]
mode = "panic_on_call"

[[providers]]
key = "flaky"
library = "{zoo}"
retry = {{ max_attempts = 3, backoff_ms = 1 }}
breaker = {{ failure_threshold = 100 }}
[providers.config]
mode = "flaky"
fail_first = 2
"#,
        zoo = zoo.display()
    );
    std::fs::write(dir.join("simpul.toml"), config).expect("config");
    let gateway = Gateway::start(&dir, &[], &[]);
    let calls = |provider: &str, outcome: &str| {
        let (_, metrics) = gateway.get("/metrics");
        metric(
            &metrics,
            &format!(
                r#"simpul_provider_calls_total{{provider="{provider}",collection="trainingCenters",outcome="{outcome}"}}"#
            ),
        )
    };
    for request in 1..=2 {
        let (status, body) = gateway.query(
            "{ trainingCenters(first: 5) { nodes { name } } }",
            json!(null),
        );
        assert_eq!(status, 200, "{body}");
        let errors: Vec<_> = body["errors"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|e| {
                (
                    e["extensions"]["provider"].clone(),
                    e["extensions"]["code"].clone(),
                )
            })
            .collect();
        assert_eq!(
            errors,
            [(json!("panicky"), json!("PLUGIN_PANIC"))],
            "{body}"
        );
        assert_eq!(
            (calls("panicky", "error"), calls("panicky", "ok")),
            (f64::from(request), 0.0),
            "request {request}: a panicking provider was called more than once per request"
        );
    }
    // The control: the flaky provider failed twice and was retried until it answered, in the
    // first request (three calls), and once in the second.
    assert_eq!((calls("flaky", "error"), calls("flaky", "ok")), (2.0, 2.0));
    let (_, metrics) = gateway.get("/metrics");
    assert_eq!(
        metric(
            &metrics,
            r#"simpul_provider_errors_total{provider="panicky",code="PLUGIN_PANIC"}"#
        ),
        2.0,
        "{metrics}"
    );
}
