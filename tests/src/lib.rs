//! Helpers for Simpul's end-to-end tests: build the workspace's binaries and plugins once,
//! find them, start `simpul serve` on an ephemeral port, and talk to it over HTTP.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// Packages the end-to-end tests load or run.
const PACKAGES: &[&str] = &[
    "simpul-gateway",
    "simpul-adapter-spn",
    "simpul-adapter-bpjamsostek",
    "simpul-adapter-bbplk",
    "simpul-adapter-fkblkk",
    "simpul-zoo-misbehaving",
];

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// Build the gateway binary and every plugin (once per test process; cargo makes this a
/// no-op when they are fresh) and return the directory they are in (`target/e2e/debug`).
///
/// They are built in a target directory of their own: a crate that is both a `cdylib` and an
/// `rlib` gets an rlib without a hash in its name, so building it here with other features
/// than the test run's would overwrite the rlib the test run links against (cargo #6313).
///
/// `SIMPUL_TEST_ARTIFACTS=<dir>` uses the gateway and plugins already in `dir` instead (a
/// release build, or an earlier commit's build, to show that a test fails there).
pub fn artifacts() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("SIMPUL_TEST_ARTIFACTS") {
            return PathBuf::from(dir);
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        let target = workspace().join("target").join("e2e");
        command
            .arg("build")
            .arg("--quiet")
            .arg("--target-dir")
            .arg(&target)
            .current_dir(workspace());
        // Benchmarks run optimised, from target/release: build the plugins to match.
        if !cfg!(debug_assertions) {
            command.arg("--release");
        }
        for package in PACKAGES {
            command.args(["-p", package]);
        }
        let status = command.status().expect("cannot run cargo build");
        assert!(status.success(), "cargo build of the plugins failed");
        target.join(if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        })
    })
}

/// The built library of a workspace crate (`simpul_adapter_spn`).
pub fn library(crate_name: &str) -> PathBuf {
    artifacts().join(simpul_plugin::host::library_file_name(crate_name))
}

/// A fresh, empty directory for one test.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("simpul-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// A running `simpul serve`, killed on drop.
pub struct Gateway {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Gateway {
    /// Start `simpul serve --listen 127.0.0.1:0 <args>` in `dir` with extra environment, and
    /// wait until it prints its URL.
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Gateway {
        let mut command = Command::new(artifacts().join("simpul"));
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .current_dir(dir)
            .env("SIMPUL_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start simpul");
        let stderr_text = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = std::sync::Arc::clone(&stderr_text);
        let stderr = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut text = sink.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("http://").nth(1) {
                    let base = rest.split('/').next().unwrap_or_default().to_owned();
                    let _ = tx.send(format!("http://{base}"));
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(base) => Gateway {
                child,
                base,
                stderr: stderr_text,
            },
            Err(_) => {
                let _ = child.kill();
                let log = stderr_text.lock().unwrap().clone();
                panic!("simpul serve did not start; its log:\n{log}");
            }
        }
    }

    /// The gateway's process id (to send it signals).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the gateway logged so far.
    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// POST a query (and variables) to /graphql; returns status and the JSON body.
    pub fn query(&self, query: &str, variables: serde_json::Value) -> (u16, serde_json::Value) {
        let body = serde_json::json!({ "query": query, "variables": variables });
        let response = ureq::post(&format!("{}/graphql", self.base))
            .set("content-type", "application/json")
            .set("accept", "application/graphql-response+json")
            .send_string(&body.to_string());
        read(response)
    }

    /// POST a whole GraphQL-over-HTTP request body (query, variables, extensions) to /graphql;
    /// returns status and the JSON body.
    pub fn post(&self, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let response = ureq::post(&format!("{}/graphql", self.base))
            .set("content-type", "application/json")
            .set("accept", "application/graphql-response+json")
            .send_string(&body.to_string());
        read(response)
    }

    /// POST a query with the trace extension on (`{"simpul": {"trace": true}}`); the body has
    /// the adapter calls per provider in `extensions.simpul.providers`.
    pub fn traced(&self, query: &str) -> (u16, serde_json::Value) {
        self.post(&serde_json::json!({
            "query": query,
            "extensions": { "simpul": { "trace": true } }
        }))
    }

    /// GET a path; returns status and the body as text.
    pub fn get(&self, path: &str) -> (u16, String) {
        match ureq::get(&format!("{}{path}", self.base)).call() {
            Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
            Err(e) => panic!("GET {path}: {e}"),
        }
    }

    /// The provider `key` as `/readyz` shows it now (`state`, `reason`, `breaker`, …).
    pub fn provider(&self, key: &str) -> serde_json::Value {
        let (_, ready) = self.get("/readyz");
        let parsed: serde_json::Value = serde_json::from_str(&ready)
            .unwrap_or_else(|e| panic!("/readyz is not JSON ({e}): {ready}"));
        parsed["providers"]
            .as_array()
            .and_then(|all| all.iter().find(|p| p["key"] == key))
            .unwrap_or_else(|| panic!("no provider `{key}` in /readyz: {ready}"))
            .clone()
    }
}

fn read(response: Result<ureq::Response, ureq::Error>) -> (u16, serde_json::Value) {
    let (status, text) = match response {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("request failed: {e}"),
    };
    let json =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, json)
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every 16-digit run of digits in `text` (a clear NIK would be one), except the fractional
/// part of a decimal number (`2.6319018404907975`, an average): a NIK is not written after
/// `<digit>.`, and an average's digits are not one.
pub fn sixteen_digit_runs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    let mut fraction = false;
    let mut previous = [' ', ' '];
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            if run.is_empty() {
                fraction = previous[1] == '.' && previous[0].is_ascii_digit();
            }
            run.push(c);
        } else {
            if run.len() == 16 && !fraction {
                found.push(run.clone());
            }
            run.clear();
        }
        previous = [previous[1], c];
    }
    found
}

/// Start `simpul serve` on the embedded demo, its data in a scratch folder of its own.
pub fn demo(name: &str) -> (Gateway, PathBuf) {
    demo_with(name, &[])
}

/// [`demo`] with extra environment, e.g. config overrides such as
/// `SIMPUL__PROVIDERS__0__PUSHDOWN=false` (the demo config takes `SIMPUL__*` overrides too).
pub fn demo_with(name: &str, env: &[(&str, &str)]) -> (Gateway, PathBuf) {
    let dir = scratch_dir(name);
    let demo_dir = dir.join("demo");
    let mut all = vec![("SIMPUL_DEMO_DIR", demo_dir.to_str().unwrap_or_default())];
    all.extend_from_slice(env);
    let gateway = Gateway::start(&dir, &[], &all);
    (gateway, dir)
}

/// The providers whose centres a `trainingCenters { nodes { provider { key } } }` answer holds,
/// in answer order, repeats in a row collapsed.
pub fn centre_providers(body: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = body["data"]["trainingCenters"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("no partial data: {body}"))
        .iter()
        .map(|n| n["provider"]["key"].as_str().unwrap().to_owned())
        .collect();
    keys.dedup();
    keys
}

/// Assert a `trainingCenters` answer holds the centres of `others` and exactly one error:
/// `failed`'s, with `code`, on the list's path. Returns the error's message.
pub fn one_provider_failed(
    body: &serde_json::Value,
    failed: &str,
    code: &str,
    others: &[&str],
) -> String {
    assert_eq!(centre_providers(body), others, "{body}");
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(errors.len(), 1, "{body}");
    let e = &errors[0];
    assert_eq!(e["path"], serde_json::json!(["trainingCenters"]), "{body}");
    assert_eq!(
        (
            e["extensions"]["code"].as_str(),
            e["extensions"]["provider"].as_str()
        ),
        (Some(code), Some(failed)),
        "{body}"
    );
    e["message"].as_str().unwrap().to_owned()
}

/// How long the tests wait for something that should happen "soon" (a log line, a breaker's
/// pause running out) before they give up: far beyond what a busy two-core machine needs.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Poll `condition` (every 20 ms) until it holds or `timeout` has passed; whether it held.
/// For tests that wait for a condition instead of sleeping and hoping it came true.
pub fn wait_until(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if condition() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Gateway {
    /// Wait (up to [`PATIENCE`]) until the log has a line for which `line` holds, and return
    /// the log up to and including it: the gateway writes its log on its own schedule, and
    /// the line of a request may come after the response. Panics, with the log, if none comes.
    pub fn wait_for_log_line(&self, what: &str, line: impl Fn(&str) -> bool) -> String {
        let mut found = None;
        wait_until(PATIENCE, || {
            let log = self.log();
            let mut end = 0;
            for l in log.split_inclusive('\n') {
                end += l.len();
                if line(l.trim_end_matches('\n')) {
                    found = Some(log[..end].to_owned());
                    return true;
                }
            }
            false
        });
        found.unwrap_or_else(|| {
            panic!(
                "no log line {what} within {PATIENCE:?}; the log:\n{}",
                self.log()
            )
        })
    }
}

/// A provider table for BPJAMSOSTEK through the API simulator at `url` (its cache off, one
/// attempt per call), its calls allowed `timeout_ms`: [`Bpjamsostek`] with its defaults.
pub fn bpjamsostek(url: &str, timeout_ms: u64) -> String {
    Bpjamsostek::new(url, timeout_ms).to_string()
}

/// The BPJAMSOSTEK provider table, through the API simulator at `url`, written out by its
/// [`Display`](std::fmt::Display) (so it goes straight into a `format!` of a whole config):
/// its cache off, one gateway attempt per call and one adapter retry after a failed HTTP
/// request (1 ms later). By default the gateway's deadline per call and the adapter's own
/// per-request deadline are both `timeout_ms`; [`Bpjamsostek::request_timeout_ms`] and
/// [`Bpjamsostek::policy`] change what a test needs.
#[derive(Debug, Clone)]
pub struct Bpjamsostek {
    url: String,
    timeout_ms: u64,
    request_timeout_ms: u64,
    policy: String,
}

impl Bpjamsostek {
    /// The table for the simulator at `url`, the provider's calls allowed `timeout_ms`.
    pub fn new(url: &str, timeout_ms: u64) -> Bpjamsostek {
        Bpjamsostek {
            url: url.to_owned(),
            timeout_ms,
            request_timeout_ms: timeout_ms,
            policy: String::new(),
        }
    }

    /// The adapter's own deadline per HTTP request (`[providers.config] timeout_ms`), e.g.
    /// shorter than the gateway's so that the adapter gives up on a slow API first.
    pub fn request_timeout_ms(mut self, ms: u64) -> Bpjamsostek {
        self.request_timeout_ms = ms;
        self
    }

    /// More lines for the gateway's provider table (before `[providers.config]`), e.g.
    /// `breaker = { failure_threshold = 2, open_ms = 4000 }`.
    pub fn policy(mut self, lines: &str) -> Bpjamsostek {
        self.policy = lines.to_owned();
        self
    }
}

impl std::fmt::Display for Bpjamsostek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let policy = if self.policy.is_empty() {
            String::new()
        } else {
            format!("{}\n", self.policy.trim_end())
        };
        write!(
            f,
            r#"
[[providers]]
key = "bpjamsostek"
library = "{bpjs}"
timeout_ms = {timeout_ms}
retry = {{ max_attempts = 1 }}
{policy}[providers.config]
base_url = "{url}"
api_key = "sim-full-demo-96000001"
identity_secret = "a test secret that is long enough"
cache_ttl_ms = 0
max_retries = 1
backoff_base_ms = 1
timeout_ms = {request_timeout_ms}
"#,
            bpjs = library("simpul_adapter_bpjamsostek").display(),
            url = self.url,
            timeout_ms = self.timeout_ms,
            request_timeout_ms = self.request_timeout_ms,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::sixteen_digit_runs;

    #[test]
    fn a_nik_is_found_and_an_averages_fraction_is_not() {
        let nik = "3602134507900001";
        assert_eq!(sixteen_digit_runs(&format!("nik {nik}.")), [nik]);
        assert_eq!(sixteen_digit_runs(&format!("\"{nik}\"")), [nik]);
        assert_eq!(sixteen_digit_runs(&format!("x.{nik}")), [nik]);
        assert!(sixteen_digit_runs("{\"avg\":2.6319018404907975}").is_empty());
        assert!(sixteen_digit_runs("36021345079000012").is_empty());
    }
}
