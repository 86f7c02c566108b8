//! Two limits no test had reached: the request's own time (`limits.request_timeout_ms`: HTTP
//! 504 `REQUEST_TIMEOUT`, however long a provider may take) and the complexity limit
//! (`limits.max_complexity`: `LIMIT_EXCEEDED`, a coded error like the other limits).

use std::time::{Duration, Instant};

use serde_json::json;
use simpul_tests::{demo_with, library, scratch_dir, Gateway};

use crate::common::codes;

#[test]
fn a_request_past_its_time_gets_504_request_timeout() {
    let dir = scratch_dir("promise-request-timeout");
    // A provider that never answers, with a deadline of its own far past the request's.
    let config = format!(
        r#"
[[providers]]
key = "slow"
library = "{zoo}"
timeout_ms = 30000
retry = {{ max_attempts = 1 }}
[providers.config]
mode = "hang"
"#,
        zoo = library("simpul_zoo_misbehaving").display()
    );
    std::fs::write(dir.join("simpul.toml"), config).expect("config");
    let gateway = Gateway::start(&dir, &[], &[("SIMPUL__LIMITS__REQUEST_TIMEOUT_MS", "800")]);

    let started = Instant::now();
    let (status, body) = gateway.query(
        "{ trainingCenters(first: 5) { nodes { name } } }",
        json!(null),
    );
    let took = started.elapsed();
    assert_eq!(status, 504, "{body}");
    assert_eq!(codes(&body), ["REQUEST_TIMEOUT"], "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert!(
        took >= Duration::from_millis(800) && took < Duration::from_secs(10),
        "answered after {took:?}: the request's limit is 800 ms, the provider's 30 s"
    );
    // The gateway is fine: a request that waits on no provider is answered.
    let (status, body) = gateway.query("{ providers { key } }", json!(null));
    assert_eq!(status, 200, "{body}");
    let (_, metrics) = gateway.get("/metrics");
    assert!(
        metrics
            .contains(r#"simpul_graphql_requests_total{operation="anonymous",outcome="error"} 1"#),
        "{metrics}"
    );
}

#[test]
fn a_query_over_the_complexity_limit_is_limit_exceeded() {
    let (gateway, _) = demo_with(
        "promise-complexity",
        &[("SIMPUL__LIMITS__MAX_COMPLEXITY", "100")],
    );
    // A list counts its page size times its children: 10 × (nodes, name) is within 100, and
    // the same list of 60 is not. Both are within every other limit (page size, depth,
    // aliases), so the complexity limit is what refuses the second.
    let (status, body) = gateway.query(
        "{ trainingCenters(first: 10) { nodes { name } } }",
        json!(null),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let (_, body) = gateway.query(
        "{ trainingCenters(first: 60) { nodes { name } } }",
        json!(null),
    );
    assert_eq!(codes(&body), ["LIMIT_EXCEEDED"], "{body}");
    assert!(body["data"].is_null(), "{body}");
    // And with the default limit (5000): a page of 100 participants with 100 enrolments each.
    let (default, _) = demo_with("promise-complexity-default", &[]);
    let (_, body) = default.query(
        "{ participants(first: 100) { nodes { enrollments(first: 100) { nodes { id } } } } }",
        json!(null),
    );
    assert_eq!(codes(&body), ["LIMIT_EXCEEDED"], "{body}");
    assert!(body["data"].is_null(), "{body}");
}
