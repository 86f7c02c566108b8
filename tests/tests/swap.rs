//! Swapping plugins without a restart, under load: the real binary serves SPN from a library
//! and a data folder named in its config file while four clients query it without pause; the
//! test replaces the library (in place and at a new path), changes the config, and swaps six
//! times through `simpul plugins reload` and SIGHUP; a library that cannot load and a SIGHUP
//! with nothing changed swap nothing. Not one request may fail, each swap must be visible (the generation in `/readyz`, the
//! data the new config names), and every retired generation must be destroyed.
//!
//! The second test holds a request in flight (BPJAMSOSTEK's simulator answers late) across a
//! reload: it finishes on the old generation, which is destroyed only then.
//!
//! The figures (requests, failures, latency, each swap's time) are printed: `cargo nextest run
//! -p simpul-tests --test swap --no-capture`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use simpul_bpjamsostek_simulator::{Simulator, SimulatorData};
use simpul_tests::{artifacts, bpjamsostek, library, scratch_dir, wait_until, Gateway, PATIENCE};

const QUERY: &str = "{ trainingCenters(first: 50) { nodes { id name } } }";
const RENAMED: &str = "SPN Training Center Lebak (data B)";

/// Write `bytes` to `path` the way an operator must replace a library that may be loaded:
/// a new file renamed over the old (writing into the loaded file would change the code
/// under the running process).
fn install(path: &Path, bytes: &[u8]) {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes).unwrap();
    std::fs::rename(&partial, path).unwrap();
}

/// The config file: SPN from `library`, reading `data`.
fn write_config(dir: &Path, library: &Path, data: &Path) {
    let config = format!(
        r#"[access]
public_readyz_detail = true
[rate_limit]
capacity = 0

[[providers]]
key = "spn"
library = "{}"
[providers.config]
data_dir = "{}"
"#,
        library.display(),
        data.display()
    );
    install(&dir.join("simpul.toml"), config.as_bytes());
}

/// SPN's demo folder, and a copy in which one centre has another name.
fn data_folders(dir: &Path) -> (PathBuf, PathBuf) {
    let a = simpul_tests::workspace().join("gateway/demo/spn");
    let b = dir.join("data-b");
    std::fs::create_dir_all(&b).unwrap();
    for entry in std::fs::read_dir(&a).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = text.replace("SPN Training Center Lebak;", &format!("{RENAMED};"));
        std::fs::write(b.join(entry.file_name()), text).unwrap();
    }
    (a, b)
}

/// `simpul plugins reload spn` against `gateway`: whether it succeeded, stdout and stderr.
fn reload_command(gateway: &Gateway, key: &str) -> (bool, String, String) {
    let output = Command::new(artifacts().join("simpul"))
        .args(["plugins", "reload", "spn", "--url", &gateway.base])
        .env("SIMPUL_API_KEY", key)
        .output()
        .expect("run simpul plugins reload");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn hangup(gateway: &Gateway) {
    let status = Command::new("kill")
        .args(["-HUP", &gateway.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

/// SPN's generation in `/readyz`.
fn generation(gateway: &Gateway) -> u64 {
    gateway.provider("spn")["generation"].as_u64().unwrap_or(0)
}

/// The names of the centres the gateway serves now.
fn names(gateway: &Gateway) -> Vec<String> {
    let (_, body) = gateway.query(QUERY, json!({}));
    body["data"]["trainingCenters"]["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter_map(|n| n["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What the clients saw.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    failures: Vec<String>,
}

/// Four clients querying `base` until `stop`.
fn load(
    base: &str,
    stop: &Arc<AtomicBool>,
    tally: &Arc<Mutex<Tally>>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..4)
        .map(|_| {
            let (base, stop, tally) = (base.to_owned(), Arc::clone(stop), Arc::clone(tally));
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new().build();
                let body = json!({ "query": QUERY }).to_string();
                while !stop.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    let outcome = match agent
                        .post(&format!("{base}/graphql"))
                        .set("content-type", "application/json")
                        .send_string(&body)
                    {
                        Ok(r) => r.into_json::<Value>().map_err(|e| e.to_string()),
                        Err(e) => Err(e.to_string()),
                    };
                    let elapsed = started.elapsed().as_micros() as u64;
                    let mut tally = tally.lock().unwrap();
                    match outcome {
                        Ok(body)
                            if body.get("errors").is_none()
                                && body["data"]["trainingCenters"]["nodes"]
                                    .as_array()
                                    .is_some_and(|n| !n.is_empty()) =>
                        {
                            tally.latencies_us.push(elapsed)
                        }
                        Ok(body) => tally.failures.push(body.to_string()),
                        Err(e) => tally.failures.push(e),
                    }
                }
            })
        })
        .collect()
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}

#[test]
fn plugins_and_configs_swap_under_load_without_a_failed_request() {
    let dir = scratch_dir("swap-under-load");
    let (data_a, data_b) = data_folders(&dir);
    let original = std::fs::read(library("simpul_adapter_spn")).unwrap();
    // Another build of the plugin: the same code with other bytes (trailing bytes are outside
    // every segment the loader maps), so it is a different file to load.
    let version = |n: u8| {
        let mut bytes = original.clone();
        bytes.extend_from_slice(format!("\0simpul swap test build {n}").as_bytes());
        bytes
    };
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    let first = dir
        .join("lib")
        .join(library("simpul_adapter_spn").file_name().unwrap());
    let second = dir.join("lib").join("spn-next.so");
    install(&first, &original);
    write_config(&dir, &first, &data_a);
    let created = Command::new(artifacts().join("simpul"))
        .args([
            "keys", "create", "--role", "admin", "--label", "ops", "--config",
        ])
        .arg(dir.join("simpul.toml"))
        .output()
        .unwrap();
    let key = String::from_utf8_lossy(&created.stdout)
        .lines()
        .find(|l| l.starts_with("smp_"))
        .unwrap_or_else(|| panic!("no key: {}", String::from_utf8_lossy(&created.stderr)))
        .trim()
        .to_owned();
    let gateway = Gateway::start(&dir, &["--config", "simpul.toml"], &[]);
    assert_eq!(generation(&gateway), 1);
    // Only an admin key reloads, and only a provider that exists.
    let post = |path: &str, key: Option<&str>| {
        let mut request = ureq::post(&format!("{}{path}", gateway.base));
        if let Some(key) = key {
            request = request.set("authorization", &format!("Bearer {key}"));
        }
        match request.call() {
            Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
            Err(e) => panic!("POST {path}: {e}"),
        }
    };
    let (status, body) = post("/admin/providers/spn/reload", None);
    assert_eq!(status, 403, "{body}");
    let (status, body) = post("/admin/providers/spn/reload", Some("smp_not_a_key"));
    assert_eq!(status, 401, "{body}");
    let (status, body) = post("/admin/providers/..%2Fspn/reload", Some(&key));
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("UNKNOWN_PROVIDER"), "{body}");
    let (ok, _, stderr) = reload_command(&gateway, "smp_not_a_key");
    assert!(!ok && stderr.contains("not reloaded"), "{stderr}");
    assert_eq!(generation(&gateway), 1);
    assert!(names(&gateway)
        .iter()
        .any(|n| n == "SPN Training Center Lebak"));

    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let clients = load(&gateway.base, &stop, &tally);
    let started = Instant::now();
    let mut swaps: Vec<(String, u128)> = Vec::new();
    let settle = || std::thread::sleep(Duration::from_millis(400));
    let mut expect = |what: &str, generation_now: u64, data_b: bool, took: Duration| {
        let seen = names(&gateway);
        assert_eq!(
            generation(&gateway),
            generation_now,
            "{what}:\n{}",
            gateway.log()
        );
        assert_eq!(
            seen.iter().any(|n| n == RENAMED),
            data_b,
            "{what}: {seen:?}"
        );
        swaps.push((what.to_owned(), took.as_millis()));
    };
    settle();

    // 1. A new build installed over the loaded file, reloaded through the admin endpoint.
    install(&first, &version(2));
    let t = Instant::now();
    let (ok, stdout, stderr) = reload_command(&gateway, &key);
    assert!(ok, "{stdout}{stderr}");
    print!("plugins reload: {stdout}");
    assert!(
        stdout.contains("generation 1") && stdout.contains("generation 2"),
        "{stdout}"
    );
    expect(
        "new build at the same path, `plugins reload`",
        2,
        false,
        t.elapsed(),
    );
    settle();

    // 2. The config names other data; SIGHUP.
    write_config(&dir, &first, &data_b);
    let t = Instant::now();
    hangup(&gateway);
    assert!(
        wait_until(PATIENCE, || generation(&gateway) == 3),
        "{}",
        gateway.log()
    );
    expect("config changed, SIGHUP", 3, true, t.elapsed());
    settle();

    // 3. SIGHUP with nothing changed swaps nothing.
    hangup(&gateway);
    assert!(wait_until(PATIENCE, || gateway
        .log()
        .contains("no provider's library or config changed")));
    assert_eq!(generation(&gateway), 3);

    // 4. A library that cannot load: refused, the running one still serves.
    std::fs::write(dir.join("lib/broken.so"), b"not a library").unwrap();
    write_config(&dir, &dir.join("lib/broken.so"), &data_a);
    let (ok, _, stderr) = reload_command(&gateway, &key);
    assert!(!ok, "a broken library was swapped in");
    assert!(stderr.contains("still serves"), "{stderr}");
    assert_eq!(generation(&gateway), 3);
    settle();

    // 5. The library at a new path, back on the first data; `plugins reload`.
    install(&second, &version(3));
    write_config(&dir, &second, &data_a);
    let t = Instant::now();
    let (ok, stdout, stderr) = reload_command(&gateway, &key);
    assert!(ok, "{stdout}{stderr}");
    print!("plugins reload: {stdout}");
    expect(
        "library at a new path and other data, `plugins reload`",
        4,
        false,
        t.elapsed(),
    );
    settle();

    // 6. Another build over the file at the new path; SIGHUP.
    install(&second, &version(4));
    let t = Instant::now();
    hangup(&gateway);
    assert!(
        wait_until(PATIENCE, || generation(&gateway) == 5),
        "{}",
        gateway.log()
    );
    expect("new build at the same path, SIGHUP", 5, false, t.elapsed());
    settle();

    // 7. Back to the first build and data B, the same config reloaded twice.
    write_config(&dir, &first, &data_b);
    for (n, generation_now) in [(7, 6), (8, 7)] {
        let t = Instant::now();
        let (ok, stdout, stderr) = reload_command(&gateway, &key);
        assert!(ok, "{stdout}{stderr}");
        print!("plugins reload: {stdout}");
        expect(
            &format!("`plugins reload` #{n}"),
            generation_now,
            true,
            t.elapsed(),
        );
        settle();
    }

    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    let elapsed = started.elapsed();
    let tally = tally.lock().unwrap();
    assert!(
        tally.failures.is_empty(),
        "{} failed requests during the swaps, the first: {}",
        tally.failures.len(),
        tally.failures[0]
    );
    let mut sorted = tally.latencies_us.clone();
    sorted.sort_unstable();
    assert!(
        sorted.len() >= 100,
        "too few requests to prove anything: {}",
        sorted.len()
    );
    // Each retired generation is destroyed once no call holds it.
    assert!(
        wait_until(PATIENCE, || gateway
            .log()
            .matches("plugin generation retired")
            .count()
            >= 6),
        "retired generations were not destroyed:\n{}",
        gateway.log()
    );
    println!(
        "swap under load: 4 clients, {} requests in {:.1} s, 0 failed",
        sorted.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "latency ms: p50 {:.1}, p99 {:.1}, max {:.1}",
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.99),
        percentile(&sorted, 1.0)
    );
    for (what, ms) in &swaps {
        println!("swap: {what}: visible after {ms} ms");
    }
}

#[test]
fn a_call_in_flight_finishes_on_the_old_generation_which_is_destroyed_after_it() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let simulator = runtime
        .block_on(Simulator::start(SimulatorData::demo()))
        .unwrap();
    let dir = scratch_dir("swap-in-flight");
    let config = format!(
        r#"[access]
public_readyz_detail = true
[rate_limit]
capacity = 0
[limits]
request_timeout_ms = 60000

{bpjs}"#,
        bpjs = bpjamsostek(simulator.base_url(), 30_000),
    );
    std::fs::write(dir.join("simpul.toml"), config).unwrap();
    let gateway = Gateway::start(&dir, &["--config", "simpul.toml"], &[]);
    simulator.faults().set_latency_ms(8000);
    let before = simulator.faults().total_requests();
    let base = gateway.base.clone();
    let request = std::thread::spawn(move || {
        let body = json!({ "query": QUERY }).to_string();
        ureq::post(&format!("{base}/graphql"))
            .set("content-type", "application/json")
            .send_string(&body)
            .map_err(|e| e.to_string())
            .and_then(|r| r.into_json::<Value>().map_err(|e| e.to_string()))
    });
    assert!(wait_until(PATIENCE, || simulator.faults().total_requests() > before));

    // SIGHUP reloads only what changed: change the config (the adapter's retries).
    let text = std::fs::read_to_string(dir.join("simpul.toml")).unwrap();
    install(
        &dir.join("simpul.toml"),
        text.replace("max_retries = 1", "max_retries = 2")
            .as_bytes(),
    );
    let reloaded = Instant::now();
    let status = Command::new("kill")
        .args(["-HUP", &gateway.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        wait_until(PATIENCE, || gateway.provider("bpjamsostek")["generation"]
            == 2),
        "{}",
        gateway.log()
    );
    let retired = |gateway: &Gateway| {
        gateway
            .log()
            .lines()
            .any(|l| l.contains("plugin generation retired") && l.contains("generation=1"))
    };
    // The swap is done (the new instance waited up to 2 s for the slow source's status) while
    // the request, 8 s at the source, is still in flight on generation 1.
    assert!(
        !request.is_finished(),
        "the request ended before the swap; nothing was proved"
    );
    assert!(
        !retired(&gateway),
        "generation 1 was retired while its call was in flight"
    );
    let answer = request
        .join()
        .unwrap()
        .expect("the request in flight was cut off");
    assert!(answer.get("errors").is_none(), "{answer}");
    assert!(answer["data"]["trainingCenters"]["nodes"]
        .as_array()
        .is_some_and(|n| !n.is_empty()));
    assert!(
        wait_until(PATIENCE, || retired(&gateway)),
        "generation 1 was not destroyed after its last call:\n{}",
        gateway.log()
    );
    println!(
        "in flight across a reload: answered {} ms after the reload began",
        reloaded.elapsed().as_millis()
    );
    // New calls go to the new generation.
    simulator.faults().set_latency_ms(0);
    let (status, body) = gateway.query(QUERY, json!({}));
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
}
