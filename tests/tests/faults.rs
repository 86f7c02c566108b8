//! Real faults at real providers, no mocks. Each gives partial data (the other providers'
//! records) plus an error with `path` and `extensions { code, provider }`.
//!
//! - BPJAMSOSTEK: its API (the simulator) returning 5xx or answering late, and the breaker.
//! - SPN: its adapter reads the CSV export once, at start, and answers from memory, so its
//!   faults are a folder it cannot load at start, and more calls than its `max_concurrency`
//!   admits while an expensive one runs (a real large export).
//! - BBPLK (PostgreSQL and SQLite) is in `faults_bbplk.rs`; panics, the same host path for
//!   every plugin, in `plugin_zoo.rs` and `resilience.rs` (the `misbehaving` zoo plugin).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use simpul_bpjamsostek_simulator::{Simulator, SimulatorData};
use simpul_tests::{
    centre_providers, demo_with, library, one_provider_failed, scratch_dir, wait_until,
    Bpjamsostek, Gateway, PATIENCE,
};

/// The demo's SPN export.
fn demo_spn() -> PathBuf {
    simpul_tests::workspace().join("gateway/demo/spn")
}

/// A gateway serving SPN's demo export and BPJAMSOSTEK through `simulator`.
fn gateway(name: &str, simulator: &Simulator, extra: &str) -> Gateway {
    gateway_with(name, simulator, &demo_spn(), "", extra)
}

/// A gateway serving SPN from `spn_data` (with `spn_policy` in its provider table) and
/// BPJAMSOSTEK through `simulator` (with `extra` in its provider table). BPJAMSOSTEK's calls
/// are allowed 1500 ms, each HTTP request to its API 1000 ms.
fn gateway_with(
    name: &str,
    simulator: &Simulator,
    spn_data: &Path,
    spn_policy: &str,
    extra: &str,
) -> Gateway {
    let dir = scratch_dir(name);
    let config = format!(
        r#"
[[providers]]
key = "spn"
library = "{spn}"
{spn_policy}
[providers.config]
data_dir = "{spn_data}"
{bpjs}"#,
        spn = library("simpul_adapter_spn").display(),
        spn_data = spn_data.display(),
        bpjs = Bpjamsostek::new(simulator.base_url(), 1500)
            .request_timeout_ms(1000)
            .policy(extra),
    );
    std::fs::write(dir.join("simpul.toml"), config).unwrap();
    // `/readyz` shows why a provider failed to load only when told to (or to admin keys).
    Gateway::start(
        &dir,
        &[],
        &[("SIMPUL__ACCESS__PUBLIC_READYZ_DETAIL", "true")],
    )
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
    assert_eq!(centre_providers(&healthy), ["spn", "bpjamsostek"]);

    // 500s on every attempt: the adapter retries, gives up, the gateway reports it.
    simulator.faults().fail_next(10, 500, None);
    let (status, body) = gw.query(QUERY, json!(null));
    assert_eq!(status, 200);
    assert_eq!(centre_providers(&body), ["spn"], "{body}");
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
    assert_eq!(centre_providers(&body), ["spn"], "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PROVIDER_TIMEOUT",
        "{body}"
    );
    simulator.faults().clear();

    let (_, recovered) = gw.query(QUERY, json!(null));
    assert_eq!(
        centre_providers(&recovered),
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
    // The pause is long enough for the checks while it is open (a query or two, however busy
    // the machine: the test says so if not); the test then waits for it to end, not longer.
    let open = Duration::from_secs(4);
    let gw = gateway(
        "bpjs-breaker",
        &simulator,
        &format!(
            "breaker = {{ failure_threshold = 2, open_ms = {} }}",
            open.as_millis()
        ),
    );
    simulator.faults().fail_next(1000, 503, None);
    let mut opened = Instant::now();
    for _ in 0..2 {
        // The breaker opens during the second query, after this instant.
        opened = Instant::now();
        let (_, body) = gw.query(QUERY, json!(null));
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "PROVIDER_UNAVAILABLE"
        );
    }
    let before = simulator.faults().total_requests();
    let (_, body) = gw.query(QUERY, json!(null));
    assert!(
        opened.elapsed() < open,
        "inconclusive: the query came {:?} after the breaker opened, past its pause",
        opened.elapsed()
    );
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
    assert_eq!(centre_providers(&body), ["spn"]);

    simulator.faults().clear();
    // The pause runs out: the breaker is half-open, and the next call is its probe.
    assert!(
        wait_until(PATIENCE, || gw.provider("bpjamsostek")["breaker"]
            == "half_open"),
        "the breaker never went half-open: {}",
        gw.provider("bpjamsostek")
    );
    assert!(
        opened.elapsed() >= open,
        "half-open before its pause ran out"
    );
    let (_, body) = gw.query(QUERY, json!(null));
    assert!(
        body.get("errors").is_none(),
        "the half-open probe succeeds and closes the breaker: {body}"
    );
    let (_, ready) = gw.get("/readyz");
    assert!(ready.contains(r#""breaker":"closed""#), "{ready}");
}

#[test]
fn an_spn_folder_that_cannot_load_leaves_spn_unavailable_and_a_bad_file_costs_only_itself() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let simulator = runtime
        .block_on(Simulator::start(SimulatorData::demo()))
        .unwrap();

    // The folder is not there.
    let missing = scratch_dir("spn-missing").join("no-such-folder");
    let gw = gateway_with("spn-missing", &simulator, &missing, "", "");
    let state = gw.provider("spn");
    assert_eq!(state["state"], "failed", "{state}");
    assert!(
        state["reason"].as_str().unwrap().contains("does not exist"),
        "{state}"
    );
    let (status, body) = gw.query(QUERY, json!(null));
    assert_eq!(status, 200);
    one_provider_failed(&body, "spn", "PROVIDER_UNAVAILABLE", &["bpjamsostek"]);
    drop(gw);

    // The folder is there, without a file the contract requires, and with an empty one: those
    // two files are rejected with their codes, and SPN serves what the other files hold (one
    // bad file never takes the provider down).
    let partial = scratch_dir("spn-partial");
    for file in ["pusat_pelatihan.csv", "pelatihan.csv"] {
        std::fs::copy(demo_spn().join(file), partial.join(file)).unwrap();
    }
    std::fs::write(partial.join("hasil.csv"), b"").unwrap();
    let gw = gateway_with("spn-partial-gw", &simulator, &partial, "", "");
    let state = gw.provider("spn");
    assert_eq!(state["state"], "ready", "{state}");
    let rejected: Vec<(&str, &str)> = state["rejected"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|i| (i["source"].as_str().unwrap(), i["code"].as_str().unwrap()))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        rejected.contains(&("peserta.csv", "FILE_MISSING")),
        "{state}"
    );
    assert!(rejected.contains(&("hasil.csv", "FILE_EMPTY")), "{state}");
    let (_, body) = gw.query(QUERY, json!(null));
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(centre_providers(&body), ["spn", "bpjamsostek"], "{body}");
}

#[test]
fn spn_answers_from_memory_after_its_export_is_gone() {
    // What is not a fault: SPN reads its export once, at start. Removing the folder while the
    // gateway runs changes nothing until the next start.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let simulator = runtime
        .block_on(Simulator::start(SimulatorData::demo()))
        .unwrap();
    let copy = scratch_dir("spn-copy");
    for entry in std::fs::read_dir(demo_spn()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    let gw = gateway_with("spn-vanish", &simulator, &copy, "", "");
    let (_, before) = gw.query(QUERY, json!(null));
    assert_eq!(
        centre_providers(&before),
        ["spn", "bpjamsostek"],
        "{before}"
    );
    std::fs::remove_dir_all(&copy).unwrap();
    let (_, after) = gw.query(QUERY, json!(null));
    assert!(after.get("errors").is_none(), "{after}");
    assert_eq!(after["data"], before["data"]);
}

#[test]
fn callers_beyond_the_spn_concurrency_bound_time_out_while_a_large_read_runs() {
    // A real large export (15000 participants from the sample-data generator) in place of the
    // demo's SPN folder. The last page of a list needs the end of it, so
    // `participants(last: 1)` makes SPN filter, sort and send the first 10001 records (the
    // gateway then refuses the page: it reads at most 10000 for `last`). That call takes about
    // 100 ms in a debug build on a quiet machine (less since the MessagePack boundary), several
    // times the 30 ms deadline; SPN's small calls take a few. One client repeats it; with one
    // call slot, another client's call fails with PROVIDER_TIMEOUT while the other providers
    // still answer: either it waited for the slot (the log says `busy`), or it got the slot
    // with what was left of its deadline and then waited behind the abandoned reads, which SPN's
    // one-thread runtime is still working off (the log says `no answer within`). Which of the
    // two happens depends on timing; both are this provider's problem only.
    let data = scratch_dir("spn-large-data");
    let plan = simpul_sample_data::Plan::new(15000)
        .with_seed(3)
        .with_providers([simpul_sample_data::Provider::Spn]);
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(simpul_sample_data::generate(
            &plan,
            &data,
            simpul_sample_data::Progress::hidden(),
        ))
        .unwrap();
    let spn_dir = data.join("spn");
    // A call that waits past its deadline for a slot counts as a failure for the breaker; the
    // high threshold keeps the breaker out of this test.
    let (gw, _dir) = demo_with(
        "spn-busy",
        &[
            (
                "SIMPUL__PROVIDERS__0__CONFIG__DATA_DIR",
                spn_dir.to_str().unwrap(),
            ),
            ("SIMPUL__PROVIDERS__0__TIMEOUT_MS", "30"),
            ("SIMPUL__PROVIDERS__0__MAX_CONCURRENCY", "1"),
            ("SIMPUL__PROVIDERS__0__RETRY__MAX_ATTEMPTS", "1"),
            ("SIMPUL__PROVIDERS__0__BREAKER__FAILURE_THRESHOLD", "1000"),
        ],
    );
    // 30 ms is short for a debug build on a loaded machine: the first answer may miss it.
    let mut healthy = json!(null);
    let answered = wait_until(Duration::from_secs(20), || {
        healthy = gw.query(QUERY, json!(null)).1;
        healthy.get("errors").is_none()
    });
    assert!(answered, "{healthy}");
    assert_eq!(
        centre_providers(&healthy),
        ["spn", "bbplk", "bpjamsostek", "fkblkk"],
        "{healthy}"
    );

    // Paced well below the gateway's per-client rate limit.
    let stop = AtomicBool::new(false);
    let busy = std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let mut reads = 0;
            while !stop.load(Ordering::Relaxed) {
                let (status, body) = gw.query(
                    r#"{ participants(last: 1, where: {provider: {_eq: "spn"}}) { totalCount } }"#,
                    json!(null),
                );
                assert_eq!(status, 200, "{body}");
                reads += 1;
            }
            reads
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let busy = loop {
            std::thread::sleep(Duration::from_millis(120));
            let (_, body) = gw.query(QUERY, json!(null));
            if body.get("errors").is_some() || Instant::now() > deadline {
                break body;
            }
        };
        stop.store(true, Ordering::Relaxed);
        assert!(reader.join().unwrap() > 0);
        busy
    });
    let message = one_provider_failed(
        &busy,
        "spn",
        "PROVIDER_TIMEOUT",
        &["bbplk", "bpjamsostek", "fkblkk"],
    );
    // The caller hears that SPN did not answer in time; the log says why, under the request id.
    assert!(
        message.contains("did not answer in time") && !message.contains("busy"),
        "{message}"
    );
    let id = message
        .split("request id ")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no request id in {message}"));
    gw.wait_for_log_line(&format!("saying why under request {id}"), |l| {
        l.contains(id) && (l.contains("busy") || l.contains("no answer within"))
    });

    // Once the plugin has worked off the reads it was still busy with, SPN answers again.
    let mut after = json!(null);
    let recovered = wait_until(Duration::from_secs(20), || {
        after = gw.query(QUERY, json!(null)).1;
        after.get("errors").is_none()
    });
    assert!(recovered, "{after}");
    assert_eq!(after["data"], healthy["data"]);
    let _ = std::fs::remove_dir_all(&data);
}
