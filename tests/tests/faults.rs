//! Real faults at real providers: the BPJAMSOSTEK simulator returning 5xx or answering late.
//! Each gives partial data (the other providers' records) plus an error with the right code.

use serde_json::{json, Value};
use simpul_bpjamsostek_simulator::{Simulator, SimulatorData};
use simpul_tests::{library, scratch_dir, Gateway};

/// A gateway serving SPN's demo export and BPJAMSOSTEK through `simulator`.
fn gateway(name: &str, simulator: &Simulator, extra: &str) -> Gateway {
    let dir = scratch_dir(name);
    let config = format!(
        r#"
[[providers]]
key = "spn"
library = "{spn}"
[providers.config]
data_dir = "{spn_data}"

[[providers]]
key = "bpjamsostek"
library = "{bpjs}"
timeout_ms = 1500
retry = {{ max_attempts = 1 }}
{extra}
[providers.config]
base_url = "{url}"
api_key = "sim-full-demo-96000001"
identity_secret = "a test secret that is long enough"
cache_ttl_ms = 0
max_retries = 1
backoff_base_ms = 1
timeout_ms = 1000
"#,
        spn = library("simpul_adapter_spn").display(),
        spn_data = simpul_tests::workspace().join("gateway/demo/spn").display(),
        bpjs = library("simpul_adapter_bpjamsostek").display(),
        url = simulator.base_url(),
    );
    std::fs::write(dir.join("simpul.toml"), config).unwrap();
    Gateway::start(&dir, &[], &[])
}

fn providers_of(body: &Value) -> Vec<String> {
    let mut keys: Vec<String> = body["data"]["trainingCenters"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["provider"]["key"].as_str().unwrap().to_owned())
        .collect();
    keys.dedup();
    keys
}

const QUERY: &str = "{ trainingCenters(first: 50) { totalCount nodes { name provider { key } } } }";

#[test]
fn server_errors_and_slowness_at_one_provider_leave_the_others_data() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let simulator = runtime
        .block_on(Simulator::start(SimulatorData::demo()))
        .unwrap();
    let gw = gateway("bpjs-faults", &simulator, "");

    let (status, healthy) = gw.query(QUERY, json!(null));
    assert_eq!(status, 200);
    assert!(healthy.get("errors").is_none(), "{healthy}");
    assert_eq!(providers_of(&healthy), ["spn", "bpjamsostek"]);

    // 500s on every attempt: the adapter retries, gives up, the gateway reports it.
    simulator.faults().fail_next(10, 500, None);
    let (status, body) = gw.query(QUERY, json!(null));
    assert_eq!(status, 200);
    assert_eq!(providers_of(&body), ["spn"], "{body}");
    let error = &body["errors"][0];
    assert_eq!(
        (
            error["extensions"]["code"].as_str(),
            error["extensions"]["provider"].as_str()
        ),
        (Some("PROVIDER_UNAVAILABLE"), Some("bpjamsostek")),
        "{body}"
    );
    assert_eq!(error["path"], json!(["trainingCenters"]));
    simulator.faults().clear();

    // Slower than the deadline.
    simulator.faults().set_latency_ms(3000);
    let (_, body) = gw.query(QUERY, json!(null));
    assert_eq!(providers_of(&body), ["spn"], "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PROVIDER_TIMEOUT",
        "{body}"
    );
    simulator.faults().clear();

    let (_, recovered) = gw.query(QUERY, json!(null));
    assert_eq!(
        providers_of(&recovered),
        ["spn", "bpjamsostek"],
        "{recovered}"
    );
}

#[test]
fn the_breaker_stops_calling_a_failing_provider_then_probes_it() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let simulator = runtime
        .block_on(Simulator::start(SimulatorData::demo()))
        .unwrap();
    let gw = gateway(
        "bpjs-breaker",
        &simulator,
        "breaker = { failure_threshold = 2, open_ms = 500 }",
    );
    simulator.faults().fail_next(1000, 503, None);
    for _ in 0..2 {
        let (_, body) = gw.query(QUERY, json!(null));
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "PROVIDER_UNAVAILABLE"
        );
    }
    let before = simulator.faults().total_requests();
    let (_, body) = gw.query(QUERY, json!(null));
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("circuit breaker"),
        "{body}"
    );
    assert_eq!(
        simulator.faults().total_requests(),
        before,
        "an open breaker makes no upstream call"
    );
    assert_eq!(providers_of(&body), ["spn"]);

    simulator.faults().clear();
    std::thread::sleep(std::time::Duration::from_millis(600));
    let (_, body) = gw.query(QUERY, json!(null));
    assert!(
        body.get("errors").is_none(),
        "the half-open probe succeeds and closes the breaker: {body}"
    );
    let (_, ready) = gw.get("/readyz");
    assert!(ready.contains(r#""breaker":"closed""#), "{ready}");
}
