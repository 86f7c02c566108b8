//! Running the gateway for real: `simpul config check` on a good file and on one with several
//! problems, and stopping on SIGTERM, the requests in flight drained within
//! `[server] shutdown_grace_ms` and cut off past it.
//!
//! The slow request is real: BPJAMSOSTEK's API simulator, in this process, answers late by
//! its injected latency, so a GraphQL request through the real binary is in flight that long.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use simpul_bpjamsostek_simulator::{Simulator, SimulatorData};
use simpul_tests::{artifacts, bpjamsostek, library, scratch_dir, wait_until, PATIENCE};

/// The demo's SPN export.
fn demo_spn() -> PathBuf {
    simpul_tests::workspace().join("gateway/demo/spn")
}

/// `simpul config check FILE`: exit code, stdout, stderr.
fn config_check(file: &Path) -> (Option<i32>, String, String) {
    let output = Command::new(artifacts().join("simpul"))
        .args(["config", "check"])
        .arg(file)
        .output()
        .expect("run simpul config check");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn config_check_passes_a_good_file_with_one_ok_line_per_provider() {
    let dir = scratch_dir("config-check-good");
    let file = dir.join("simpul.toml");
    let config = format!(
        r#"
listen = "127.0.0.1:4000"

[server]
shutdown_grace_ms = 5000

[[providers]]
key = "spn"
library = "{spn}"
[providers.config]
data_dir = "{data}"
{bpjs}"#,
        spn = library("simpul_adapter_spn").display(),
        data = demo_spn().display(),
        // Checking starts nothing: no simulator needs to be there.
        bpjs = bpjamsostek("http://127.0.0.1:9", 5000),
    );
    std::fs::write(&file, config).unwrap();
    let (code, stdout, stderr) = config_check(&file);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("ok: provider `spn`"), "{stdout}");
    assert!(
        lines[1].starts_with("ok: provider `bpjamsostek`"),
        "{stdout}"
    );
    // Nothing was served and no store was made beside the file.
    assert!(!dir.join("simpul-store.sqlite").exists());
}

#[test]
fn config_check_lists_every_problem_with_its_line_and_provider() {
    let dir = scratch_dir("config-check-bad");
    std::fs::write(dir.join("not-a-library.so"), "not a library").unwrap();
    let file = dir.join("simpul.toml");
    let config = format!(
        r#"listn = "127.0.0.1:4000"

[limits]
max_page_size = "lots"

[[providers]]
key = "spn"
library = "{spn}"
timout_ms = 5
[providers.config]
data_dir = 5

[[providers]]
key = "spn"
library = "plugins/libnothing.so"

[[providers]]
key = "fake"
library = "not-a-library.so"
"#,
        spn = library("simpul_adapter_spn").display(),
    );
    std::fs::write(&file, config).unwrap();
    let (code, stdout, stderr) = config_check(&file);
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let at = |line: usize| format!("{}:{line}: ", file.display());
    for (line, expected) in [
        (1, "unknown field `listn`"),
        (4, "invalid type: string \"lots\""),
        (9, "provider `spn`: unknown field `timout_ms`"),
        (
            11,
            "provider `spn`: config does not fit the plugin's schema: /data_dir",
        ),
        (13, "two providers use the key `spn`"),
        (15, "libnothing.so` does not exist"),
        (19, "provider `fake`: cannot use the plugin"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&at(line)) && l.contains(expected)),
            "no line {line} with {expected:?}:\n{stderr}"
        );
    }
    assert!(stderr.contains("7 problems found"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");

    // Bytes that are not UTF-8, and a file that is not there.
    let binary = dir.join("binary.toml");
    std::fs::write(&binary, b"listen = \"127.0.0.1:1\"\n\xc3\x28 = 1\n").unwrap();
    let (code, _, stderr) = config_check(&binary);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(&format!("{}:2: ", binary.display())),
        "{stderr}"
    );
    let (code, _, stderr) = config_check(&dir.join("missing.toml"));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("cannot read the file"), "{stderr}");
}

/// `simpul serve` as a raw process, to be sent signals.
struct Served {
    child: Child,
    address: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Served {
    fn start(dir: &Path) -> Served {
        let mut child = Command::new(artifacts().join("simpul"))
            .args([
                "serve",
                "--config",
                "simpul.toml",
                "--listen",
                "127.0.0.1:0",
            ])
            .current_dir(dir)
            .env("SIMPUL_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start simpul");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log);
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("http://").nth(1) {
                    let _ = tx.send(rest.split('/').next().unwrap_or_default().to_owned());
                }
            }
        });
        let address = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(address) => address.parse().expect("an address"),
            Err(_) => {
                let _ = child.kill();
                panic!("simpul serve did not start:\n{}", log.lock().unwrap());
            }
        };
        Served {
            child,
            address,
            log,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
    }

    /// The exit status, if the process exits within `within`.
    fn exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Wait (up to [`PATIENCE`]) for a log line containing `what`.
    fn wait_for_log(&self, what: &str) {
        assert!(
            wait_until(PATIENCE, || self.log().contains(what)),
            "no log line with {what:?}:\n{}",
            self.log()
        );
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const QUERY: &str = "{ trainingCenters(first: 5) { nodes { name provider { key } } } }";

/// POST [`QUERY`] on a thread of its own; its status and body, or the transport error.
fn slow_query(
    address: SocketAddr,
) -> std::thread::JoinHandle<Result<(u16, serde_json::Value), String>> {
    std::thread::spawn(move || {
        let body = json!({ "query": QUERY }).to_string();
        match ureq::post(&format!("http://{address}/graphql"))
            .set("content-type", "application/json")
            .send_string(&body)
        {
            Ok(r) => Ok((r.status(), r.into_json().map_err(|e| e.to_string())?)),
            Err(ureq::Error::Status(code, r)) => {
                Ok((code, r.into_json().map_err(|e| e.to_string())?))
            }
            Err(e) => Err(e.to_string()),
        }
    })
}

/// A gateway serving BPJAMSOSTEK through `simulator`, with this shutdown grace.
fn serve(name: &str, simulator: &Simulator, grace_ms: u64, timeout_ms: u64) -> Served {
    let dir = scratch_dir(name);
    let config = format!(
        "[server]\nshutdown_grace_ms = {grace_ms}\n{}",
        bpjamsostek(simulator.base_url(), timeout_ms)
    );
    std::fs::write(dir.join("simpul.toml"), config).unwrap();
    Served::start(&dir)
}

/// Put [`QUERY`] in flight and wait until it has reached the (slow) simulator.
fn in_flight(
    served: &Served,
    simulator: &Simulator,
) -> std::thread::JoinHandle<Result<(u16, serde_json::Value), String>> {
    let before = simulator.faults().total_requests();
    let request = slow_query(served.address);
    assert!(
        wait_until(PATIENCE, || simulator.faults().total_requests() > before),
        "the query never reached the simulator:\n{}",
        served.log()
    );
    request
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_refuses_new_connections_and_exits_0() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let simulator = runtime
        .block_on(Simulator::start(SimulatorData::demo()))
        .unwrap();
    let mut served = serve("drain", &simulator, 10_000, 8_000);
    simulator.faults().set_latency_ms(1500);
    let request = in_flight(&served, &simulator);

    let signalled = Instant::now();
    served.sigterm();
    served.wait_for_log("draining:");
    // The listener is closed: a new connection is refused while the old request still runs.
    assert!(
        wait_until(PATIENCE, || TcpStream::connect(served.address)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused)),
        "new connections are still accepted after SIGTERM"
    );
    assert!(
        !request.is_finished(),
        "the slow request was over before the check of new connections"
    );

    let (status, body) = request
        .join()
        .unwrap()
        .unwrap_or_else(|e| panic!("the request in flight failed: {e}\n{}", served.log()));
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let nodes = body["data"]["trainingCenters"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty(), "{body}");
    assert!(nodes.iter().all(|n| n["provider"]["key"] == "bpjamsostek"));

    let status = served
        .exit(Duration::from_secs(10))
        .unwrap_or_else(|| panic!("still running 10 s after SIGTERM:\n{}", served.log()));
    assert!(status.success(), "{status:?}\n{}", served.log());
    assert!(signalled.elapsed() < Duration::from_secs(10));
    let log = served.log();
    assert!(log.contains("SIGTERM received"), "{log}");
    assert!(
        log.contains("drained: every request in flight finished"),
        "{log}"
    );
    assert!(!log.contains("cut off"), "{log}");
}

#[test]
fn past_the_grace_the_process_exits_anyway_and_says_how_many_requests_it_cut_off() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let simulator = runtime
        .block_on(Simulator::start(SimulatorData::demo()))
        .unwrap();
    let mut served = serve("cut-off", &simulator, 500, 20_000);
    simulator.faults().set_latency_ms(10_000);
    let request = in_flight(&served, &simulator);

    let signalled = Instant::now();
    served.sigterm();
    let status = served
        .exit(Duration::from_secs(8))
        .unwrap_or_else(|| panic!("still running 8 s after SIGTERM:\n{}", served.log()));
    let took = signalled.elapsed();
    assert!(status.success(), "{status:?}\n{}", served.log());
    assert!(
        took >= Duration::from_millis(500),
        "exited {took:?} after SIGTERM, before its grace"
    );
    served.wait_for_log("1 request(s) cut off");
    // The cut-off caller gets no answer, not a made-up one.
    assert!(request.join().unwrap().is_err());
    simulator.faults().clear();
}
