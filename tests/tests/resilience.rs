//! End to end, resilience: broken and failing providers next to healthy ones, the circuit
//! breaker, retries, metrics and request ids.

use std::path::Path;

use serde_json::{json, Value};
use simpul_tests::{library, scratch_dir, Gateway};

/// Write a config with the healthy SPN provider and broken ones beside it.
fn mixed_config(dir: &Path) -> std::path::PathBuf {
    let spn_dir = simpul_tests::workspace().join("gateway/demo/spn");
    let config = format!(
        r#"
[[providers]]
key = "spn"
library = "{spn}"
[providers.config]
data_dir = "{data}"

[[providers]]
key = "panicky"
library = "{zoo}"
[providers.config]
mode = "panic_on_call"

[[providers]]
key = "slow"
library = "{zoo}"
timeout_ms = 300
[providers.config]
mode = "hang"

[[providers]]
key = "broken"
library = "{zoo}"
[providers.config]
mode = "panic_on_create"

[[providers]]
key = "forged"
library = "{forged}"
"#,
        spn = library("simpul_adapter_spn").display(),
        data = spn_dir.display(),
        zoo = library("simpul_zoo_misbehaving").display(),
        forged = simpul_c_plugins::zoo("bad_magic").display(),
    );
    let path = dir.join("simpul.toml");
    std::fs::write(&path, config).unwrap();
    path
}

#[test]
fn broken_providers_give_partial_data_with_precise_errors() {
    let dir = scratch_dir("mixed");
    let config = mixed_config(&dir);
    // Found as ./simpul.toml in the working directory. `/readyz` shows why a provider failed
    // to load only when told to (or to admin keys).
    let gw = Gateway::start(
        &dir,
        &[],
        &[("SIMPUL__ACCESS__PUBLIC_READYZ_DETAIL", "true")],
    );
    let _ = config;
    let (status, body) = gw.query(
        "{ trainingCenters(first: 10) { totalCount nodes { name provider { key } } } }",
        json!(null),
    );
    assert_eq!(status, 200, "{body}");
    let nodes = body["data"]["trainingCenters"]["nodes"]
        .as_array()
        .expect("partial data, not data: null");
    assert!(
        !nodes.is_empty() && nodes.iter().all(|n| n["provider"]["key"] == "spn"),
        "{body}"
    );
    let mut codes: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["path"], json!(["trainingCenters"]), "{e}");
            (
                e["extensions"]["provider"].as_str().unwrap().to_owned(),
                e["extensions"]["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            ("broken".to_owned(), "PROVIDER_UNAVAILABLE".to_owned()),
            ("forged".to_owned(), "PROVIDER_UNAVAILABLE".to_owned()),
            ("panicky".to_owned(), "PLUGIN_PANIC".to_owned()),
            ("slow".to_owned(), "PROVIDER_TIMEOUT".to_owned()),
        ]
    );
    // The poisoned instance stays contained; SPN keeps serving.
    let (_, again) = gw.query("{ trainingCenters(first: 10) { totalCount } }", json!(null));
    assert_eq!(
        again["data"]["trainingCenters"]["totalCount"],
        body["data"]["trainingCenters"]["totalCount"]
    );

    let (status, ready) = gw.get("/readyz");
    assert_eq!(status, 200);
    let ready: Value = serde_json::from_str(&ready).unwrap();
    assert_eq!(ready["status"], "degraded");
    let state = |key: &str| gw.provider(key);
    assert_eq!(state("spn")["state"], "ready");
    assert_eq!(state("broken")["state"], "failed");
    assert!(
        state("broken")["reason"]
            .as_str()
            .unwrap()
            .contains("panicked while creating"),
        "{ready}"
    );
    assert!(
        state("forged")["reason"]
            .as_str()
            .unwrap()
            .contains("magic"),
        "{ready}"
    );
    gw.wait_for_log_line("about the unavailable provider", |l| {
        l.contains("provider unavailable")
    });
}

fn zoo_config(dir: &Path, providers: &str) {
    let spn_dir = simpul_tests::workspace().join("gateway/demo/spn");
    let text = format!(
        "[[providers]]\nkey = \"spn\"\nlibrary = \"{}\"\n[providers.config]\ndata_dir = \"{}\"\n{providers}",
        library("simpul_adapter_spn").display(),
        spn_dir.display()
    )
    .replace("{zoo}", &library("simpul_zoo_misbehaving").display().to_string());
    std::fs::write(dir.join("simpul.toml"), text).unwrap();
}

fn error_codes(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["extensions"]["provider"]
                            .as_str()
                            .unwrap_or("")
                            .to_owned(),
                        e["extensions"]["code"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_breaker_opens_after_repeated_failures_and_metrics_show_it() {
    let dir = scratch_dir("breaker");
    zoo_config(
        &dir,
        "[[providers]]\nkey = \"panicky\"\nlibrary = \"{zoo}\"\nbreaker = { failure_threshold = 2, open_ms = 60000 }\nretry = { max_attempts = 1 }\n[providers.config]\nmode = \"panic_on_call\"\n",
    );
    let gw = Gateway::start(&dir, &[], &[]);
    let query = "{ trainingCenters(first: 10) { totalCount nodes { name } } }";
    let (_, first) = gw.query(query, json!(null));
    assert_eq!(
        error_codes(&first),
        [("panicky".to_owned(), "PLUGIN_PANIC".to_owned())]
    );
    let (_, second) = gw.query(query, json!(null));
    assert_eq!(
        error_codes(&second),
        [("panicky".to_owned(), "PLUGIN_PANIC".to_owned())],
        "poisoned: still a plugin failure"
    );
    let (_, third) = gw.query(query, json!(null));
    assert_eq!(
        error_codes(&third),
        [("panicky".to_owned(), "PROVIDER_UNAVAILABLE".to_owned())],
        "{third}"
    );
    assert!(
        third["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("circuit breaker"),
        "{third}"
    );
    assert_eq!(
        third["data"]["trainingCenters"]["totalCount"],
        first["data"]["trainingCenters"]["totalCount"],
        "SPN still serves"
    );

    let breaker = |key: &str| gw.provider(key)["breaker"].clone();
    assert_eq!(
        (breaker("panicky"), breaker("spn")),
        (json!("open"), json!("closed"))
    );

    let (status, metrics) = gw.get("/metrics");
    assert_eq!(status, 200);
    for line in [
        r#"simpul_provider_breaker_state{provider="panicky"} 2"#,
        r#"simpul_provider_breaker_state{provider="spn"} 0"#,
        r#"simpul_provider_errors_total{provider="panicky",code="PLUGIN_PANIC"} 2"#,
        r#"simpul_provider_errors_total{provider="panicky",code="PROVIDER_UNAVAILABLE"} 1"#,
        r#"simpul_provider_calls_total{provider="spn",collection="trainingCenters",outcome="ok"} 3"#,
        r#"simpul_graphql_requests_total{operation="anonymous",outcome="error"} 3"#,
    ] {
        assert!(metrics.contains(line), "missing `{line}` in\n{metrics}");
    }
    assert!(
        metrics.contains(r#"simpul_provider_call_duration_seconds_count{provider="spn"}"#),
        "{metrics}"
    );
    gw.wait_for_log_line("about the open breaker", |l| {
        l.contains("circuit breaker open")
    });
}

#[test]
fn a_cursor_that_does_not_move_fails_the_scan_instead_of_looping() {
    let dir = scratch_dir("stuck-cursor");
    zoo_config(
        &dir,
        "[[providers]]\nkey = \"stuck\"\nlibrary = \"{zoo}\"\nretry = { max_attempts = 1 }\n[providers.config]\nmode = \"stuck_cursor\"\n",
    );
    let config = dir.join("simpul.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("[access]\nanonymous_scopes = \"aggregate:read\"\n\n{text}"),
    )
    .unwrap();
    let gw = Gateway::start(&dir, &[], &[]);
    // Grouped, so that the engine reads the records (a bare count is one call for the total).
    let (status, body) = gw.query(
        "{ participants_aggregate(group_by: [sex]) { aggregate { count } } }",
        json!(null),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        error_codes(&body),
        [("stuck".to_owned(), "PROVIDER_ERROR".to_owned())],
        "{body}"
    );
    // The caller sees the request id; the operator's log says why.
    gw.wait_for_log_line("about the stuck cursor", |l| {
        l.contains("cursor did not move")
    });
    // The other provider's participants are still counted.
    assert!(
        body["data"]["participants_aggregate"]["aggregate"]["count"].as_u64() > Some(0),
        "{body}"
    );
}

#[test]
fn a_transient_failure_is_retried() {
    let dir = scratch_dir("retry");
    zoo_config(
        &dir,
        "[[providers]]\nkey = \"flaky\"\nlibrary = \"{zoo}\"\nretry = { max_attempts = 3, backoff_ms = 1 }\n[providers.config]\nmode = \"flaky\"\nfail_first = 2\n",
    );
    let gw = Gateway::start(&dir, &[], &[]);
    let (status, body) = gw.query("{ trainingCenters(where: { provider: { _eq: \"flaky\" } }) { totalCount nodes { name } } }", json!(null));
    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["trainingCenters"]["totalCount"], 1);
    let (_, metrics) = gw.get("/metrics");
    assert!(
        metrics.contains(
            r#"simpul_provider_errors_total{provider="flaky",code="PROVIDER_UNAVAILABLE"} 2"#
        ),
        "{metrics}"
    );
}

#[test]
fn requests_carry_an_id_into_every_log_line() {
    let dir = scratch_dir("request-id");
    let demo_dir = dir.join("demo");
    let gw = Gateway::start(
        &dir,
        &[],
        &[
            ("SIMPUL_DEMO_DIR", demo_dir.to_str().unwrap()),
            ("SIMPUL_LOG", "info,simpul_gateway=debug"),
        ],
    );
    // Start-up may finish gathering the sources' status in the background, after it serves:
    // wait for it, so that the request below is alone.
    for provider in ["spn", "bbplk", "bpjamsostek"] {
        gw.wait_for_log_line(&format!("with {provider}'s source status"), |l| {
            l.contains(&format!("provider={provider}"))
                && (l.contains("source status") || l.contains("status request"))
        });
    }
    // Log timestamps are UTC with microseconds, so they compare as text; a line logged before
    // this instant cannot be the request's.
    let sent = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    let response = ureq::post(&format!("{}/graphql", gw.base))
        .set("content-type", "application/json")
        .set("x-request-id", "trace-me-42")
        .send_string(
            &json!({ "query": "{ courseRuns(first: 2) { nodes { course { name } } } }" })
                .to_string(),
        )
        .unwrap();
    assert_eq!(response.header("x-request-id"), Some("trace-me-42"));
    // The request's last line; everything before it in the log has arrived too.
    let log = gw.wait_for_log_line("`request finished` for trace-me-42", |l| {
        l.contains("trace-me-42") && l.contains("request finished")
    });
    // The request was the only one in flight, so every line the gateway logged between its
    // arrival and its end is the request's (the demo's BPJAMSOSTEK simulator runs in the same
    // process, but it is the upstream API, not the gateway: its lines are its own).
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.get(..27).is_some_and(|at| at >= sent.as_str()))
        .filter(|l| !l.contains("simpul_bpjamsostek_simulator"))
        .collect();
    assert!(
        lines.iter().filter(|l| l.contains("adapter_call")).count() >= 3,
        "the request's adapter calls (one per provider) log inside its span:\n{log}"
    );
    let anonymous: Vec<&&str> = lines
        .iter()
        .filter(|l| !l.contains("request{id=trace-me-42}"))
        .collect();
    assert!(
        anonymous.is_empty(),
        "lines of the request without its id: {anonymous:#?}\nthe log:\n{log}"
    );

    // A request without an id gets one made up, in the answer and in its log line.
    let made_up = ureq::get(&format!("{}/healthz", gw.base)).call().unwrap();
    let id = made_up
        .header("x-request-id")
        .filter(|id| !id.is_empty())
        .expect("an x-request-id header")
        .to_owned();
    gw.wait_for_log_line(&format!("`request finished` for {id}"), |l| {
        l.contains(&format!("request{{id={id}}}")) && l.contains("request finished")
    });
}

#[test]
fn a_plugin_blocking_inside_its_call_delays_only_its_own_provider() {
    let dir = scratch_dir("blocking");
    // More blocked calls than the gateway has async workers: if plugin code ran on them, the
    // gateway would stall until the plugin let go.
    zoo_config(
        &dir,
        "[[providers]]\nkey = \"stuck\"\nlibrary = \"{zoo}\"\ntimeout_ms = 6000\nretry = { max_attempts = 1 }\n[providers.config]\nmode = \"block_at_once\"\nblock_ms = 5000\n",
    );
    let gw = Gateway::start(&dir, &[], &[]);
    let blocked: Vec<_> = (0..std::thread::available_parallelism().map_or(2, |n| n.get()) + 1)
        .map(|_| {
            let base = gw.base.clone();
            std::thread::spawn(move || {
                ureq::post(&format!("{base}/graphql"))
                    .send_json(json!({ "query": "{ trainingCenters(first: 5) { totalCount } }" }))
                    .map(|r| r.into_string().unwrap_or_default())
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    let line = gw.wait_for_log_line("the plugin blocking", |l| {
        l.contains("zoo: blocking the thread now")
    });
    assert!(
        line.lines()
            .rev()
            .find(|l| l.contains("zoo: blocking the thread now"))
            .is_some_and(|l| l.contains("request{id=")),
        "the plugin's log line carries the request's id:\n{line}"
    );

    // While the plugin holds its thread, the gateway and the other provider answer.
    let (status, health) = gw.get("/healthz");
    assert_eq!(status, 200, "{health}");
    let (status, courses) = gw.query("{ courses(first: 3) { totalCount } }", json!(null));
    assert_eq!(status, 200);
    assert!(courses["errors"].is_null(), "{courses}");
    assert!(courses["data"]["courses"]["totalCount"].as_u64() > Some(0));
    assert!(
        blocked.iter().all(|t| !t.is_finished()),
        "answered while every call to the blocked provider was still waiting"
    );
    for call in blocked {
        let answer = call
            .join()
            .unwrap()
            .expect("the blocked provider's caller gets an answer");
        assert!(answer.contains("totalCount"), "{answer}");
    }
}

#[test]
fn a_newer_plugins_unknown_values_are_served_with_a_warning() {
    let dir = scratch_dir("newer-records");
    zoo_config(
        &dir,
        &format!(
            "[[providers]]\nkey = \"czoo\"\nlibrary = \"{}\"\n",
            simpul_c_plugins::zoo("newer_records").display()
        ),
    );
    let gw = Gateway::start(&dir, &[], &[]);
    let (status, body) = gw.query(
        "{ trainingCenters(first: 50, where: { name: { _like: \"%Zoo%\" } }) { nodes { name institutionType sector warnings { code message } } } }",
        json!(null),
    );
    assert_eq!(status, 200);
    assert!(body["errors"].is_null(), "no failed response: {body}");
    let nodes = body["data"]["trainingCenters"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 2, "both records served: {body}");
    let mobile = &nodes[0];
    assert_eq!(mobile["name"], "Mobile Training Unit Zoo");
    assert_eq!(mobile["institutionType"], "OTHER");
    assert_eq!(mobile["sector"], "UNKNOWN");
    let messages: Vec<&str> = mobile["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "ENUM_UNKNOWN")
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "one warning per unknown value: {mobile}");
    assert!(
        messages.iter().any(|m| m.contains("`MOBILE_UNIT`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("`COOPERATIVE`")),
        "{messages:?}"
    );
    let other = &nodes[1];
    assert_eq!(other["sector"], "UNKNOWN");
    assert_eq!(other["warnings"][0]["code"], "ENUM_UNKNOWN", "{other}");
    assert!(
        !body.to_string().contains("3201234567890123"),
        "a value that could be personal is not repeated: {body}"
    );
    // Not a fault: the provider's breaker saw only successes.
    let (_, metrics) = gw.get("/metrics");
    assert!(
        !metrics.contains("simpul_provider_errors_total{provider=\"czoo\""),
        "{metrics}"
    );
}
