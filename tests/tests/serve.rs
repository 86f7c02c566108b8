//! End to end: build the plugins, start `simpul serve` on an ephemeral port and query it over
//! HTTP, on the embedded default and on configs that mix healthy and broken providers.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use simpul_tests::{artifacts, library, scratch_dir, sixteen_digit_runs, Gateway};

fn demo(name: &str) -> (Gateway, std::path::PathBuf) {
    let dir = scratch_dir(name);
    let demo_dir = dir.join("demo");
    let gateway = Gateway::start(
        &dir,
        &[],
        &[("SIMPUL_DEMO_DIR", demo_dir.to_str().unwrap())],
    );
    (gateway, dir)
}

#[test]
fn embedded_default_serves_all_three_providers_and_their_centres() {
    let (gw, _dir) = demo("default");
    let (status, body) = gw.query("{ providers { key status } trainingCenters(first: 50) { totalCount edges { node { id name provider { key } } } } }", json!(null));
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let providers: Vec<&str> = body["data"]["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(providers, ["spn", "bbplk", "bpjamsostek"]);
    let centres = body["data"]["trainingCenters"]["edges"].as_array().unwrap();
    assert_eq!(
        body["data"]["trainingCenters"]["totalCount"],
        json!(centres.len())
    );
    for provider in providers {
        assert!(
            centres
                .iter()
                .any(|e| e["node"]["provider"]["key"] == provider),
            "no centre from {provider}: {body}"
        );
    }
    assert!(centres
        .iter()
        .all(|e| e["node"]["name"].as_str().is_some_and(|n| !n.is_empty())));
    assert!(
        centres
            .iter()
            .any(|e| e["node"]["name"].as_str().unwrap().contains("SPN")),
        "{body}"
    );

    // The demo export has one bad row: reported with file, line and reason, never dropped silently.
    let (status, ready) = gw.get("/readyz");
    assert_eq!(status, 200);
    let ready: Value = serde_json::from_str(&ready).unwrap();
    let spn = &ready["providers"][0];
    assert_eq!(
        (spn["state"].as_str(), spn["rejectedRecords"].as_u64()),
        (Some("ready"), Some(1)),
        "{ready}"
    );
    assert_eq!(
        (
            spn["rejected"][0]["source"].as_str(),
            spn["rejected"][0]["line"].as_u64()
        ),
        (Some("peserta.csv"), Some(27))
    );
    assert!(
        gw.log().contains("peserta.csv:27"),
        "the plugin log names the bad row: {}",
        gw.log()
    );
}

#[test]
fn course_runs_filter_and_sort() {
    let (gw, _dir) = demo("runs");
    let (_, all) = gw.query(
        "{ courseRuns(first: 100) { totalCount nodes { code startDate status } } }",
        json!(null),
    );
    let total = all["data"]["courseRuns"]["totalCount"].as_i64().unwrap();
    let (status, body) = gw.query(
        r#"query($since: Date!) { courseRuns(first: 100, where: { startDate: { _gte: $since }, status: { _in: ["COMPLETED", "RUNNING", "OPEN"] } }, order_by: [{ startDate: desc }]) { totalCount nodes { code startDate } } }"#,
        json!({ "since": "2023-01-01" }),
    );
    assert_eq!(status, 200, "{body}");
    let nodes = body["data"]["courseRuns"]["nodes"].as_array().unwrap();
    let dates: Vec<&str> = nodes
        .iter()
        .map(|n| n["startDate"].as_str().unwrap())
        .collect();
    assert!(
        !dates.is_empty() && (dates.len() as i64) < total,
        "the filter should keep some runs and drop others: {dates:?}"
    );
    assert!(dates.iter().all(|d| *d >= "2023-01-01"), "{dates:?}");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "not sorted descending: {dates:?}"
    );

    let (_, none) = gw.query(
        r#"{ courseRuns(where: { provider: { _eq: "elsewhere" } }) { totalCount } }"#,
        json!(null),
    );
    assert_eq!(none["data"]["courseRuns"]["totalCount"], 0);
}

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

#[test]
fn forged_cursors_and_ids_get_clear_errors() {
    let (gw, _dir) = demo("forged");
    let (status, body) = gw.query(
        r#"{ participants(first: 2, after: "bm90LWEtY3Vyc29y") { totalCount } }"#,
        json!(null),
    );
    assert_eq!(status, 200);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INVALID_CURSOR",
        "{body}"
    );
    let (_, body) = gw.query(r#"{ node(id: "%%%") { id } }"#, json!(null));
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INVALID_ID",
        "{body}"
    );
    let (_, body) = gw.query("{ participants(first: 1000) { totalCount } }", json!(null));
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
}

#[test]
fn relations_and_node_lookup() {
    let (gw, _dir) = demo("relations");
    let (status, body) = gw.query(
        "{ courseRuns(first: 1, order_by: [{ startDate: asc }]) { nodes { id code course { name trainingCenter { id name address { region { name level regency { name } } } } } location { code } } } }",
        json!(null),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let run = &body["data"]["courseRuns"]["nodes"][0];
    assert!(
        run["course"]["trainingCenter"]["name"].is_string(),
        "{body}"
    );
    let id = run["id"].as_str().unwrap();
    let (_, node) = gw.query(
        "query($id: ID!) { node(id: $id) { id ... on CourseRun { code } } }",
        json!({ "id": id }),
    );
    assert_eq!(node["data"]["node"]["code"], run["code"], "{node}");
}

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
        forged = library("simpul_zoo_bad_magic").display(),
    );
    let path = dir.join("simpul.toml");
    std::fs::write(&path, config).unwrap();
    path
}

#[test]
fn broken_providers_give_partial_data_with_precise_errors() {
    let dir = scratch_dir("mixed");
    let config = mixed_config(&dir);
    // Found as ./simpul.toml in the working directory.
    let gw = Gateway::start(&dir, &[], &[]);
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
    let state = |key: &str| {
        ready["providers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == key)
            .unwrap()
            .clone()
    };
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
    assert!(gw.log().contains("provider unavailable"), "{}", gw.log());
}

#[test]
fn a_required_provider_that_fails_stops_the_gateway_with_the_reason() {
    let dir = scratch_dir("required");
    std::fs::write(
        dir.join("simpul.toml"),
        format!("[[providers]]\nkey = \"zoo\"\nrequired = true\nlibrary = \"{}\"\n[providers.config]\nmode = \"panic_on_create\"\n", library("simpul_zoo_misbehaving").display()),
    )
    .unwrap();
    let output = Command::new(artifacts().join("simpul"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("required provider `zoo` is unavailable")
            && stderr.contains("panic in create"),
        "{stderr}"
    );
}

#[test]
fn plugins_inspect_prints_the_manifest_or_why_not() {
    let output = Command::new(artifacts().join("simpul"))
        .args(["plugins", "inspect"])
        .arg(library("simpul_adapter_spn"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(manifest["provider"]["key"], "spn");
    assert!(
        manifest["configSchema"]["properties"]["data_dir"].is_object(),
        "{manifest}"
    );

    let output = Command::new(artifacts().join("simpul"))
        .args(["plugins", "inspect"])
        .arg(library("simpul_zoo_bad_abi_major"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("simpul_zoo_bad_abi_major") && stderr.contains("incompatible"),
        "{stderr}"
    );
}

#[test]
fn http_follows_graphql_over_http() {
    let (gw, _dir) = demo("http");
    let url = format!("{}/graphql", gw.base);
    // GET with a query.
    let r = ureq::get(&url)
        .query("query", "{ __typename }")
        .call()
        .unwrap();
    assert_eq!(r.content_type(), "application/json");
    // Wrong content type, unacceptable Accept, malformed JSON, missing query.
    let status = |r: Result<ureq::Response, ureq::Error>| match r {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(
        status(
            ureq::post(&url)
                .set("content-type", "text/plain")
                .send_string("{}")
        ),
        415
    );
    assert_eq!(
        status(
            ureq::post(&url)
                .set("content-type", "application/json")
                .set("accept", "text/csv")
                .send_string("{}")
        ),
        406
    );
    assert_eq!(
        status(
            ureq::post(&url)
                .set("content-type", "application/json")
                .send_string("{not json")
        ),
        400
    );
    assert_eq!(
        status(
            ureq::post(&url)
                .set("content-type", "application/json")
                .send_string("{}")
        ),
        400
    );
    // Request errors: 400 under graphql-response+json, 200 under json, no data entry.
    let (code, body) = gw.query("{ nope }", json!(null));
    assert_eq!(code, 400);
    assert!(
        body.get("data").is_none() && body["errors"].is_array(),
        "{body}"
    );
    // Mutations over GET.
    let r = ureq::get(&url).query("query", "mutation { x }").call();
    assert!(
        matches!(r, Err(ureq::Error::Status(405, ref resp)) if resp.header("allow") == Some("POST"))
    );
    // A browser gets GraphiQL.
    let html = ureq::get(&url)
        .set("accept", "text/html")
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(html.to_lowercase().contains("graphiql"));
    assert_eq!(gw.get("/healthz"), (200, "ok".to_owned()));
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
    assert_eq!(providers.len(), 3, "every provider took part: {body}");
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

    let (_, ready) = gw.get("/readyz");
    let ready: Value = serde_json::from_str(&ready).unwrap();
    let breaker = |key: &str| {
        ready["providers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == key)
            .unwrap()["breaker"]
            .clone()
    };
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
    assert!(gw.log().contains("circuit breaker open"), "{}", gw.log());
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
    let response = ureq::post(&format!("{}/graphql", gw.base))
        .set("content-type", "application/json")
        .set("x-request-id", "trace-me-42")
        .send_string(
            &json!({ "query": "{ courseRuns(first: 2) { nodes { course { name } } } }" })
                .to_string(),
        )
        .unwrap();
    assert_eq!(response.header("x-request-id"), Some("trace-me-42"));
    let made_up = ureq::get(&format!("{}/healthz", gw.base)).call().unwrap();
    assert!(made_up
        .header("x-request-id")
        .is_some_and(|id| !id.is_empty()));
    std::thread::sleep(std::time::Duration::from_millis(100));
    let log = gw.log();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("trace-me-42")).collect();
    assert!(
        lines.iter().any(|l| l.contains("request finished")),
        "{log}"
    );
    assert!(
        lines.iter().any(|l| l.contains("adapter_call")),
        "adapter calls log inside the request span:\n{log}"
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
