//! A bounded property/fuzz test of the HTTP + GraphQL entry (issue 6, item 5).
//!
//! One demo gateway gets requests from a seeded generator in fifteen categories ([`CATEGORIES`]):
//! random bytes and JSON, wrong request shapes, content types and headers, GET parameters,
//! broken GraphQL, huge and deep documents, wrong variables, forged ids and cursors, extreme
//! paging, filters and aggregates with wrong literals, and plain random queries as a baseline.
//! Every response is held to the same properties ([`check`]): it arrives within [`DEADLINE`];
//! its status is one a client can act on (no 5xx but a 504 with `REQUEST_TIMEOUT`); a JSON body
//! has `data` or a non-empty `errors` list whose entries have a message (and a code when our
//! resolvers raised them, i.e. they have a `path`); no error blames a provider for the
//! client's input; and no 16-digit number comes back that the request did not contain.
//! `/healthz` and the breakers in `/readyz` are checked after every batch. A gateway that dies
//! or stops answering is noted, restarted, and the kind of input that did it is not sent again
//! in that run. Deterministic regression cases ([`regressions`]) pin down what was found.
//!
//! The seed is printed; `SIMPUL_FUZZ_SEED=<seed>` replays a run. The budget is 20 s or 2000
//! requests, whichever comes first; `SIMPUL_FUZZ_SECONDS=<s>` runs longer (without the request
//! cap unless `SIMPUL_FUZZ_REQUESTS=<n>` sets one). `SIMPUL_FUZZ_TABLE=<file>` also writes the
//! summary table as markdown (`tests/FUZZ.md` shows one). The report is printed; see it with
//! `cargo nextest run -p simpul-tests --test fuzz --no-capture`. Each finding's first request is
//! saved as a raw HTTP file under the run's scratch folder (`nc 127.0.0.1 4000 < file` replays
//! it against a gateway on port 4000).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use serde_json::Value;
use simpul_tests::{demo_with, sixteen_digit_runs, Gateway};

/// Longest a response may take.
const DEADLINE: Duration = Duration::from_secs(10);
/// Longest `/healthz` may take.
const HEALTH_DEADLINE: Duration = Duration::from_secs(3);
/// The gateway's settings for this run: its own request timeout below [`DEADLINE`], so that a
/// slow request shows up as its 504 rather than as our timeout, and a rate limit no fuzz run
/// reaches, so that every request gets past admission (the limiter still runs).
const SETTINGS: &[(&str, &str)] = &[
    ("SIMPUL__LIMITS__REQUEST_TIMEOUT_MS", "5000"),
    ("SIMPUL__RATE_LIMIT__CAPACITY", "1000000"),
    ("SIMPUL__RATE_LIMIT__REFILL_PER_SECOND", "100000"),
];
/// Requests between two health checks.
const BATCH: usize = 25;
/// The gateway's body limit (`gateway/src/http/mod.rs`).
const MAX_BODY: usize = 1024 * 1024;
/// Longest error message that still reads as one.
const MAX_MESSAGE: usize = 8 * 1024;
/// Statuses a client can act on (401 and 403 for keys and roles).
const STATUSES: &[u16] = &[200, 400, 401, 403, 404, 405, 406, 413, 415, 422, 429, 504];
/// Statuses hyper answers itself, before any route runs, without a body: URI too long, header
/// fields too large (and 400, without a body, for a request it cannot parse).
const BEFORE_ROUTING: &[u16] = &[414, 431];
/// Codes that blame a provider: a healthy demo provider should never fail on client input.
const PROVIDER_CODES: &[&str] = &["PROVIDER_ERROR", "PROVIDER_UNAVAILABLE", "PLUGIN_PANIC"];
/// The served schema (a test in the gateway keeps it current).
const SDL: &str = include_str!("../../schema/schema.graphql");

/// The categories and how often each is drawn.
const CATEGORIES: &[(&str, u32)] = &[
    ("bytes", 4),
    ("json", 4),
    ("shape", 6),
    ("http", 6),
    ("get", 6),
    ("syntax", 10),
    ("huge", 6),
    ("deep", 5),
    ("variables", 9),
    ("ids", 8),
    ("cursors", 8),
    ("paging", 7),
    ("filters", 10),
    ("aggregates", 8),
    ("query", 10),
];

#[test]
fn fuzz_http_and_graphql_entry() {
    let budget = Budget::from_env();
    println!(
        "fuzz: seed {} (replay with SIMPUL_FUZZ_SEED={}), budget {} s or {} requests",
        budget.seed,
        budget.seed,
        budget.time.as_secs(),
        if budget.requests == usize::MAX {
            "unlimited".to_owned()
        } else {
            budget.requests.to_string()
        }
    );
    let mut run = Run::start();
    run.collect_corpus();
    let cases = regressions(&run.corpus);
    // Cases that bring the whole gateway down go last, so that it is restarted only once.
    let (fatal, safe): (Vec<_>, Vec<_>) = cases.into_iter().partition(|c| c.fatal);
    for case in safe {
        run.regression(case);
    }
    run.fuzz(&budget);
    for case in fatal {
        run.regression(case);
    }
    run.report(&budget);
}

// ---------------------------------------------------------------------------------------------
// Budget

struct Budget {
    seed: u64,
    time: Duration,
    requests: usize,
}

impl Budget {
    fn from_env() -> Budget {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let seed = var("SIMPUL_FUZZ_SEED")
            .map(|s| s.trim().parse().expect("SIMPUL_FUZZ_SEED is a u64"))
            .unwrap_or_else(|| {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos() as u64);
                nanos ^ (u64::from(std::process::id()) << 32)
            });
        let seconds = var("SIMPUL_FUZZ_SECONDS").map(|s| {
            s.trim()
                .parse::<u64>()
                .expect("SIMPUL_FUZZ_SECONDS is a number")
        });
        let requests = var("SIMPUL_FUZZ_REQUESTS")
            .map(|s| s.trim().parse().expect("SIMPUL_FUZZ_REQUESTS is a number"))
            .unwrap_or(if seconds.is_some() { usize::MAX } else { 2000 });
        Budget {
            seed,
            time: Duration::from_secs(seconds.unwrap_or(20)),
            requests,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 client: every byte of the request is ours, and a dropped connection or a
// missed deadline is an outcome, not a panic.

#[derive(Clone, Debug)]
struct HttpRequest {
    method: String,
    target: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    chunked: bool,
}

impl HttpRequest {
    /// POST /graphql with a JSON content type and `Accept: application/json`.
    fn post(body: impl Into<Vec<u8>>) -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            target: "/graphql".into(),
            headers: vec![
                ("content-type".into(), b"application/json".to_vec()),
                ("accept".into(), b"application/json".to_vec()),
            ],
            body: body.into(),
            chunked: false,
        }
    }

    /// POST a document with variables given as JSON text.
    fn graphql(query: &str, variables: Option<&str>) -> HttpRequest {
        let mut body = format!("{{\"query\":{}", json_string(query));
        if let Some(variables) = variables {
            let _ = write!(body, ",\"variables\":{variables}");
        }
        body.push('}');
        HttpRequest::post(body)
    }

    /// GET a path (with its query string).
    fn get(target: &str) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            target: target.into(),
            headers: vec![("accept".into(), b"application/json".to_vec())],
            body: Vec::new(),
            chunked: false,
        }
    }

    /// GET /graphql with these parameters, percent-encoded.
    fn get_params(params: &[(&str, &str)]) -> HttpRequest {
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect();
        HttpRequest::get(&format!("/graphql?{}", query.join("&")))
    }

    /// Replace a header (or add it).
    fn set(mut self, name: &str, value: impl Into<Vec<u8>>) -> HttpRequest {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Add a header, keeping any of the same name.
    fn add(mut self, name: &str, value: impl Into<Vec<u8>>) -> HttpRequest {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    fn remove(mut self, name: &str) -> HttpRequest {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self
    }

    fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    fn wants_html(&self) -> bool {
        self.header("accept")
            .is_some_and(|a| String::from_utf8_lossy(a).contains("text/html"))
    }

    /// The request on the wire.
    fn bytes(&self, host: &str) -> Vec<u8> {
        let mut out = format!(
            "{} {} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n",
            self.method, self.target
        )
        .into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        if self.chunked {
            out.extend_from_slice(b"transfer-encoding: chunked\r\n\r\n");
            for piece in self.body.chunks(4096) {
                out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                out.extend_from_slice(piece);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
        } else {
            if !self.body.is_empty() || self.method != "GET" {
                out.extend_from_slice(
                    format!("content-length: {}\r\n", self.body.len()).as_bytes(),
                );
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&self.body);
        }
        out
    }
}

#[derive(Debug)]
struct HttpResponse {
    status: u16,
    headers: Headers,
    body: Vec<u8>,
}

impl HttpResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Debug)]
enum Outcome {
    Answered(HttpResponse),
    /// No complete response within the deadline.
    Timeout,
    /// The connection ended without a complete response.
    Closed(String),
    /// Nobody listens any more.
    Refused(String),
}

impl Outcome {
    fn label(&self) -> String {
        match self {
            Outcome::Answered(r) => r.status.to_string(),
            Outcome::Timeout => "timeout".into(),
            Outcome::Closed(_) => "closed".into(),
            Outcome::Refused(_) => "refused".into(),
        }
    }
}

/// Send `raw` and read the response, all within `deadline`.
fn exchange(addr: SocketAddr, raw: &[u8], deadline: Duration) -> (Outcome, Duration) {
    let started = Instant::now();
    let mut stream = match TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
        Ok(stream) => stream,
        Err(e) => return (Outcome::Refused(e.to_string()), started.elapsed()),
    };
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(deadline));
    if let Err(e) = stream.write_all(raw) {
        if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
            return (Outcome::Timeout, started.elapsed());
        }
        // Otherwise the server may have answered early (413) and closed: read what it sent.
    }
    let mut received = Vec::new();
    let mut buffer = vec![0_u8; 64 * 1024];
    let outcome = loop {
        let left = deadline.saturating_sub(started.elapsed());
        if left.is_zero() {
            break Outcome::Timeout;
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut buffer) {
            Ok(0) => break finish(&received),
            Ok(n) => {
                received.extend_from_slice(&buffer[..n]);
                if complete(&received) {
                    break finish(&received);
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                break Outcome::Timeout
            }
            Err(e) if received.is_empty() => break Outcome::Closed(e.to_string()),
            Err(_) => break finish(&received),
        }
    };
    (outcome, started.elapsed())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Split a raw response into status, headers and the raw body bytes.
/// Header names (lower case) and values.
type Headers = Vec<(String, String)>;

fn split_response(raw: &[u8]) -> Option<(u16, Headers, &[u8])> {
    let end = find(raw, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some((status, headers, &raw[end + 4..]))
}

fn complete(raw: &[u8]) -> bool {
    let Some((_, headers, body)) = split_response(raw) else {
        return false;
    };
    let get = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        return body.ends_with(b"0\r\n\r\n");
    }
    get("content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| body.len() >= n)
}

fn finish(raw: &[u8]) -> Outcome {
    let Some((status, headers, body)) = split_response(raw) else {
        return Outcome::Closed(if raw.is_empty() {
            "closed without a response".into()
        } else {
            format!("an incomplete response of {} bytes", raw.len())
        });
    };
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        let n = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(body.len());
        body[..n.min(body.len())].to_vec()
    };
    Outcome::Answered(HttpResponse {
        status,
        headers,
        body,
    })
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = find(raw, b"\r\n") {
        let size = String::from_utf8_lossy(&raw[..line_end]);
        let Ok(size) = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        let start = line_end + 2;
        if size == 0 || start + size > raw.len() {
            break;
        }
        out.extend_from_slice(&raw[start..start + size]);
        raw = &raw[(start + size + 2).min(raw.len())..];
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Properties

/// One broken property.
struct Violation {
    property: &'static str,
    detail: String,
}

fn violation(property: &'static str, detail: impl Into<String>) -> Violation {
    Violation {
        property,
        detail: detail.into(),
    }
}

/// What a response says about itself, for the table.
#[derive(Default)]
struct Seen {
    codes: Vec<String>,
    uncoded: Vec<String>,
    provider_failure: bool,
}

/// The properties every response must have.
fn check(request: &HttpRequest, raw: &[u8], outcome: &Outcome) -> (Vec<Violation>, Seen) {
    let mut out = Vec::new();
    let mut seen = Seen::default();
    let response = match outcome {
        Outcome::Answered(r) => r,
        Outcome::Timeout => {
            out.push(violation(
                "hang",
                format!("no response within {DEADLINE:?}"),
            ));
            return (out, seen);
        }
        Outcome::Closed(e) => {
            out.push(violation(
                "no response",
                format!("the connection ended: {e}"),
            ));
            return (out, seen);
        }
        Outcome::Refused(e) => {
            out.push(violation("died", format!("cannot connect: {e}")));
            return (out, seen);
        }
    };
    let status = response.status;
    let text = response.text();
    // No 16-digit number the request did not contain (a clear NIK would be one).
    let sent = format!(
        "{}{}",
        String::from_utf8_lossy(raw),
        percent_decode(&request.target)
    );
    for run in sixteen_digit_runs(&text) {
        if !sent.contains(&run) {
            out.push(violation(
                "16-digit echo",
                format!("{run} in: {}", snippet(&text, 300)),
            ));
        }
    }
    if !STATUSES.contains(&status) && !BEFORE_ROUTING.contains(&status) {
        out.push(violation(
            "status",
            format!("HTTP {status}: {}", snippet(&text, 300)),
        ));
    }
    // hyper's own answer to a request it cannot parse (a DEL in a header value, say): no body.
    let unparsed =
        status == 400 && response.body.is_empty() && response.header("content-type").is_none();
    if BEFORE_ROUTING.contains(&status) || unparsed {
        return (out, seen);
    }
    let content_type = response.header("content-type").unwrap_or("");
    if status == 200
        && request.method == "GET"
        && request.wants_html()
        && content_type.starts_with("text/html")
    {
        return (out, seen); // GraphiQL
    }
    if request.method == "HEAD" {
        return (out, seen); // no body, by definition
    }
    if status == 404 && !request.target.starts_with("/graphql?") && request.target != "/graphql" {
        return (out, seen); // not our route
    }
    if status == 405 && !matches!(request.method.as_str(), "GET" | "POST") {
        if response.header("allow").is_none() {
            out.push(violation("unclear error", "405 without an Allow header"));
        }
        return (out, seen);
    }
    let json_type = content_type.starts_with("application/json")
        || content_type.starts_with("application/graphql-response+json");
    let body = match response.json() {
        Some(body) if json_type => body,
        _ => {
            out.push(violation(
                "not JSON",
                format!("HTTP {status} {content_type:?}: {}", snippet(&text, 200)),
            ));
            return (out, seen);
        }
    };
    let Some(object) = body.as_object() else {
        out.push(violation("malformed", "the body is not a JSON object"));
        return (out, seen);
    };
    match object.get("errors") {
        None if object.contains_key("data") => {}
        None => out.push(violation("malformed", "neither `data` nor `errors`")),
        Some(Value::Array(errors)) if errors.is_empty() => {
            out.push(violation("malformed", "an empty `errors` list"))
        }
        Some(Value::Array(errors)) => {
            for error in errors {
                let message = error.get("message").and_then(Value::as_str).unwrap_or("");
                if message.trim().is_empty() {
                    out.push(violation(
                        "malformed",
                        format!(
                            "an error without a message: {}",
                            snippet(&error.to_string(), 200)
                        ),
                    ));
                }
                if message.len() > MAX_MESSAGE {
                    out.push(violation(
                        "unclear error",
                        format!(
                            "an error message of {} bytes: {}",
                            message.len(),
                            snippet(message, 120)
                        ),
                    ));
                }
                let code = error.pointer("/extensions/code");
                match code {
                    Some(Value::String(code))
                        if !code.is_empty()
                            && code.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
                    {
                        seen.codes.push(code.clone());
                        if PROVIDER_CODES.contains(&code.as_str())
                            && !message.contains("circuit breaker is open")
                        {
                            seen.provider_failure = true;
                            out.push(violation(
                                "provider blamed",
                                format!("{code}: {}", snippet(message, 200)),
                            ));
                        }
                    }
                    Some(other) => out.push(violation(
                        "malformed",
                        format!("extensions.code is {other}"),
                    )),
                    None => {
                        seen.uncoded.push(normalise(message));
                        if error.get("path").is_some() {
                            out.push(violation(
                                "uncoded error",
                                format!(
                                    "an error at a path without extensions.code: {}",
                                    snippet(message, 200)
                                ),
                            ));
                        }
                    }
                }
            }
        }
        Some(other) => out.push(violation(
            "malformed",
            format!(
                "`errors` is not a list: {}",
                snippet(&other.to_string(), 100)
            ),
        )),
    }
    if status == 504 && !seen.codes.iter().any(|c| c == "REQUEST_TIMEOUT") {
        out.push(violation("status", "504 without REQUEST_TIMEOUT"));
    }
    (out, seen)
}

/// A message with numbers and quoted parts blanked, to count kinds of message.
fn normalise(message: &str) -> String {
    let first_line = message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if first_line.starts_with("-->") {
        return "(a parse error: ` --> line:column` and the parser's excerpt of the line)".into();
    }
    let mut out = String::new();
    let mut quoted = None;
    for c in first_line.chars() {
        match quoted {
            Some(q) if c == q => {
                quoted = None;
                out.push(c);
            }
            Some(_) => {}
            None if c == '"' || c == '`' => {
                quoted = Some(c);
                out.push(c);
                out.push('…');
            }
            None if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            None => out.push(c),
        }
    }
    // The value found and the chain of enclosing types vary; the kind of message does not.
    if let Some(i) = out.find(" found ") {
        out.truncate(i + " found".len());
        out.push_str(" …");
    }
    if let Some(i) = out.find(" (occurred") {
        out.truncate(i);
    }
    snippet(&out, 100)
}

fn snippet(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.replace('\n', "⏎");
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", text[..end].replace('\n', "⏎"), text.len())
}

// ---------------------------------------------------------------------------------------------
// The run: one gateway, statistics, findings.

#[derive(Default)]
struct Stats {
    requests: usize,
    statuses: BTreeMap<String, usize>,
    codes: BTreeSet<String>,
    uncoded: BTreeSet<String>,
    slowest: Duration,
    violations: usize,
}

struct Finding {
    property: &'static str,
    category: &'static str,
    kind: String,
    detail: String,
    count: usize,
    example: Option<PathBuf>,
}

/// A generated request and where it came from.
struct Case {
    category: &'static str,
    kind: &'static str,
    request: HttpRequest,
}

struct Run {
    gateway: Option<Gateway>,
    dir: PathBuf,
    demo_dir: PathBuf,
    addr: SocketAddr,
    host: String,
    restarts: usize,
    stats: BTreeMap<&'static str, Stats>,
    findings: Vec<Finding>,
    regressions: Vec<(&'static str, &'static str, Result<(), String>)>,
    quarantined: BTreeSet<String>,
    corpus: Corpus,
    saved: usize,
    fuzzed: usize,
    fuzz_time: Duration,
    last_blamed: Option<String>,
}

impl Run {
    fn start() -> Run {
        let (gateway, dir) = demo_with("fuzz", SETTINGS);
        let host = gateway.base.trim_start_matches("http://").to_owned();
        Run {
            addr: host.parse().expect("the gateway listens on an address"),
            host,
            gateway: Some(gateway),
            demo_dir: dir.join("demo"),
            dir,
            restarts: 0,
            stats: BTreeMap::new(),
            findings: Vec::new(),
            regressions: Vec::new(),
            quarantined: BTreeSet::new(),
            corpus: Corpus::default(),
            saved: 0,
            fuzzed: 0,
            fuzz_time: Duration::ZERO,
            last_blamed: None,
        }
    }

    /// Kill the gateway (whatever state it is in) and start a fresh one on the same demo data.
    fn restart(&mut self) {
        drop(self.gateway.take());
        let demo = self.demo_dir.to_string_lossy().into_owned();
        let mut env = vec![("SIMPUL_DEMO_DIR", demo.as_str())];
        env.extend_from_slice(SETTINGS);
        let gateway = Gateway::start(&self.dir, &[], &env);
        self.host = gateway.base.trim_start_matches("http://").to_owned();
        self.addr = self
            .host
            .parse()
            .expect("the gateway listens on an address");
        self.gateway = Some(gateway);
        self.restarts += 1;
    }

    fn send(&self, request: &HttpRequest) -> (Vec<u8>, Outcome, Duration) {
        let raw = request.bytes(&self.host);
        let (outcome, took) = exchange(self.addr, &raw, DEADLINE);
        (raw, outcome, took)
    }

    /// POST a query that must succeed (to learn ids and cursors).
    fn must(&self, query: &str) -> Value {
        let (_, outcome, _) = self.send(&HttpRequest::graphql(query, None));
        match outcome {
            Outcome::Answered(r) if r.status == 200 => r.json().unwrap_or(Value::Null),
            other => panic!("{query}: {other:?}"),
        }
    }

    fn healthy(&self) -> bool {
        let raw = HttpRequest::get("/healthz").bytes(&self.host);
        matches!(exchange(self.addr, &raw, HEALTH_DEADLINE).0, Outcome::Answered(r) if r.status == 200)
    }

    fn open_breakers(&self) -> Vec<String> {
        let raw = HttpRequest::get("/readyz").bytes(&self.host);
        let Outcome::Answered(response) = exchange(self.addr, &raw, HEALTH_DEADLINE).0 else {
            return Vec::new();
        };
        response
            .json()
            .and_then(|body| body.get("providers").and_then(Value::as_array).cloned())
            .unwrap_or_default()
            .iter()
            .filter(|p| p.get("breaker").and_then(Value::as_str) != Some("closed"))
            .map(|p| {
                p.get("key")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned()
            })
            .collect()
    }

    /// Learn real ids and cursors from the demo.
    fn collect_corpus(&mut self) {
        const QUERIES: &[(&str, &str)] = &[
            ("trainingCenters", "{ trainingCenters(first: 50) { edges { cursor node { id address { region { id } } } } } }"),
            ("trainingCenters/name", "{ trainingCenters(first: 50, order_by: [{ name: desc }]) { edges { cursor } } }"),
            ("courses", "{ courses(first: 50) { edges { cursor node { id occupations { id } } } } }"),
            ("courseRuns", "{ courseRuns(first: 50) { edges { cursor node { id } } } }"),
            ("courseRuns/startDate", "{ courseRuns(first: 50, order_by: [{ startDate: desc }]) { edges { cursor } } }"),
            ("participants", "{ participants(first: 50) { edges { cursor node { id person { id } } } } }"),
            ("participants/birthYear", "{ participants(first: 50, order_by: [{ birthYear: asc }]) { edges { cursor } } }"),
            ("partnerships", "{ partnerships(first: 20) { edges { cursor node { id } } } }"),
            ("course.runs", "{ courses(first: 5) { nodes { runs(first: 10) { edges { cursor } } } } }"),
            ("participant.enrollments", "{ participants(first: 5) { nodes { enrollments(first: 10) { edges { cursor node { id } } } } } }"),
            ("reference", "{ providers { id } regions(level: PROVINCE) { id code } }"),
        ];
        for (list, query) in QUERIES {
            let body = self.must(query);
            self.corpus.harvest(list, &body);
        }
        assert!(
            self.corpus.ids.len() > 20 && self.corpus.cursors.len() > 20,
            "the demo gave too few ids ({}) or cursors ({})",
            self.corpus.ids.len(),
            self.corpus.cursors.len()
        );
    }

    /// Send one fuzz case and hold its response to the properties.
    fn fuzz_one(&mut self, case: Case) {
        let (raw, outcome, took) = self.send(&case.request);
        let (mut violations, seen) = check(&case.request, &raw, &outcome);
        let timed_out = matches!(outcome, Outcome::Timeout);
        let fatal = (timed_out || matches!(outcome, Outcome::Closed(_) | Outcome::Refused(_)))
            && !self.healthy();
        if fatal {
            violations.push(violation(
                "died or hung",
                format!(
                    "/healthz does not answer after this request ({})",
                    outcome.label()
                ),
            ));
        }
        if seen.provider_failure {
            self.last_blamed = Some(format!("{}/{}", case.category, case.kind));
        }
        let stats = self.stats.entry(case.category).or_default();
        stats.requests += 1;
        *stats.statuses.entry(outcome.label()).or_default() += 1;
        stats.codes.extend(seen.codes);
        stats.uncoded.extend(seen.uncoded);
        stats.slowest = stats.slowest.max(took);
        stats.violations += violations.len();
        for v in violations {
            self.note(case.category, case.kind, v, &raw);
        }
        // A gateway that died, or that may still be busy with a request that outlived its
        // deadline, is replaced; that kind of input is not sent again in this run.
        if fatal || timed_out {
            self.quarantined
                .insert(format!("{}/{}", case.category, case.kind));
            self.restart();
        }
    }

    /// Record a violation (one finding per property and kind of input, with a count).
    fn note(&mut self, category: &'static str, kind: &str, v: Violation, raw: &[u8]) {
        if let Some(f) = self
            .findings
            .iter_mut()
            .find(|f| f.property == v.property && f.category == category && f.kind == kind)
        {
            f.count += 1;
            return;
        }
        let example = (self.saved < 200).then(|| {
            self.saved += 1;
            let dir = self.dir.join("findings");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!(
                "{:03}-{category}-{kind}-{}.http",
                self.saved,
                v.property.replace(' ', "-")
            ));
            let _ = std::fs::write(&file, raw);
            file
        });
        self.findings.push(Finding {
            property: v.property,
            category,
            kind: kind.to_owned(),
            detail: v.detail,
            count: 1,
            example,
        });
    }

    /// Checks between batches: the process answers, and client input opened no breaker.
    fn between_batches(&mut self) {
        if !self.healthy() {
            self.note(
                "health",
                "between batches",
                violation("died or hung", "/healthz does not answer"),
                b"GET /healthz",
            );
            self.restart();
            return;
        }
        let open = self.open_breakers();
        if !open.is_empty() {
            let culprit = self.last_blamed.clone().unwrap_or_else(|| "?".into());
            let detail = format!(
                "client input opened the circuit breaker of {}: every caller loses that provider for `open_ms` (last input blamed on a provider: {culprit})",
                open.join(", ")
            );
            self.note(
                "health",
                "breaker",
                violation("breaker opened", detail),
                culprit.as_bytes(),
            );
            // A fresh gateway, so that the rest of the run sees every provider again.
            self.restart();
        }
    }

    fn fuzz(&mut self, budget: &Budget) {
        let corpus = std::mem::take(&mut self.corpus);
        let mut generator = Generator::new(budget.seed, Sdl::parse(SDL), &corpus);
        let started = Instant::now();
        let mut n = 0;
        while n < budget.requests && started.elapsed() < budget.time {
            let case = generator.case(&self.quarantined);
            self.fuzz_one(case);
            n += 1;
            if n % BATCH == 0 {
                self.between_batches();
            }
        }
        self.between_batches();
        self.fuzzed = n;
        self.fuzz_time = started.elapsed();
        drop(generator);
        self.corpus = corpus;
    }

    fn regression(&mut self, case: Regression) {
        if !self.healthy() {
            self.restart();
        }
        let mut result = Ok(());
        for request in &case.before {
            let _ = self.send(request);
        }
        let (_, outcome, took) = self.send(&case.request);
        if let Err(e) = (case.expect)(self, &outcome) {
            result = Err(format!(
                "{e} [{}, {} ms]",
                outcome.label(),
                took.as_millis()
            ));
        }
        if !self.healthy() {
            result = Err(format!(
                "the gateway died or stopped answering ({}); {}",
                outcome.label(),
                result.err().unwrap_or_default()
            ));
            self.restart();
        } else if !self.open_breakers().is_empty() {
            // A fresh gateway, so that what follows sees every provider.
            self.restart();
        }
        self.regressions.push((case.name, case.at_fault, result));
    }

    fn table(&self) -> String {
        let mut out = String::from(
            "| category | requests | statuses seen | error codes seen | slowest | violations |\n|---|---|---|---|---|---|\n",
        );
        let mut total = Stats::default();
        for (category, _) in CATEGORIES {
            let Some(s) = self.stats.get(category) else {
                let _ = writeln!(out, "| {category} | 0 | | | | |");
                continue;
            };
            let statuses: Vec<String> = s
                .statuses
                .iter()
                .map(|(status, n)| format!("{status}×{n}"))
                .collect();
            let mut codes: Vec<String> = s.codes.iter().map(|c| format!("`{c}`")).collect();
            if !s.uncoded.is_empty() {
                codes.push(format!("{} kinds uncoded", s.uncoded.len()));
            }
            let _ = writeln!(
                out,
                "| {category} | {} | {} | {} | {} ms | {} |",
                s.requests,
                statuses.join(", "),
                codes.join(" "),
                s.slowest.as_millis(),
                s.violations
            );
            total.requests += s.requests;
            total.violations += s.violations;
            total.slowest = total.slowest.max(s.slowest);
        }
        let _ = writeln!(
            out,
            "| **all** | **{}** | | | {} ms | **{}** |",
            total.requests,
            total.slowest.as_millis(),
            total.violations
        );
        out
    }

    fn report(self, budget: &Budget) {
        let table = self.table();
        let mut report = String::new();
        let _ = writeln!(
            report,
            "\nfuzz: seed {}, {} requests in {:.1} s, {} gateway restart(s), quarantined: {}\n",
            budget.seed,
            self.fuzzed,
            self.fuzz_time.as_secs_f64(),
            self.restarts,
            if self.quarantined.is_empty() {
                "none".to_owned()
            } else {
                self.quarantined
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        report.push_str(&table);
        let uncoded: BTreeSet<&String> = self.stats.values().flat_map(|s| &s.uncoded).collect();
        if !uncoded.is_empty() {
            let _ = writeln!(
                report,
                "\nerror messages seen without extensions.code (library request errors):"
            );
            for message in uncoded.iter().take(40) {
                let _ = writeln!(report, "  - {message}");
            }
        }
        let _ = writeln!(report, "\nregression cases:");
        for (name, at_fault, result) in &self.regressions {
            match result {
                Ok(()) => {
                    let _ = writeln!(report, "  ok    {name}");
                }
                Err(e) => {
                    let _ = writeln!(report, "  FAIL  {name}: {e}\n        at fault: {at_fault}");
                }
            }
        }
        let mut findings: Vec<&Finding> = self.findings.iter().collect();
        findings.sort_by_key(|f| (f.property, f.category, f.kind.clone()));
        let _ = writeln!(report, "\nfuzz findings ({}):", findings.len());
        for f in &findings {
            let _ = writeln!(
                report,
                "  [{}] {}/{} ×{}: {}{}",
                f.property,
                f.category,
                f.kind,
                f.count,
                f.detail,
                f.example
                    .as_ref()
                    .map(|p| format!("\n        request: {}", p.display()))
                    .unwrap_or_default()
            );
        }
        println!("{report}");
        if let Ok(path) = std::env::var("SIMPUL_FUZZ_TABLE") {
            let text = format!(
                "Seed {}, {} requests in {:.1} s, {} restart(s).\n\n{table}",
                budget.seed,
                self.fuzzed,
                self.fuzz_time.as_secs_f64(),
                self.restarts
            );
            std::fs::write(&path, text).expect("write SIMPUL_FUZZ_TABLE");
        }
        let failed_regressions: Vec<&str> = self
            .regressions
            .iter()
            .filter(|r| r.2.is_err())
            .map(|r| r.0)
            .collect();
        // The last gateway must still answer.
        let alive = self.healthy();
        drop(self.gateway);
        assert!(
            failed_regressions.is_empty() && findings.is_empty() && alive,
            "the entry broke its properties (seed {}): failed regressions {:?}, {} fuzz findings{} (see the report above)",
            budget.seed,
            failed_regressions,
            findings.len(),
            if alive { "" } else { ", and the gateway is down at the end" }
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Real ids and cursors from the demo, to forge from.

#[derive(Default)]
struct Corpus {
    /// (type name, global id).
    ids: Vec<(String, String)>,
    /// (list, cursor).
    cursors: Vec<(String, String)>,
    region_codes: Vec<String>,
}

impl Corpus {
    fn harvest(&mut self, list: &str, value: &Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("id", Value::String(id)) => {
                            let type_name = decode_id(id)
                                .and_then(|raw| raw.split(':').nth(1).map(str::to_owned))
                                .unwrap_or_default();
                            if !self.ids.iter().any(|(_, known)| known == id) {
                                self.ids.push((type_name, id.clone()));
                            }
                        }
                        ("cursor", Value::String(c)) => {
                            self.cursors.push((list.to_owned(), c.clone()));
                        }
                        ("code", Value::String(c)) => self.region_codes.push(c.clone()),
                        _ => self.harvest(list, v),
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.harvest(list, item);
                }
            }
            _ => {}
        }
    }

    fn ids_of(&self, type_name: &str) -> Vec<&str> {
        self.ids
            .iter()
            .filter(|(t, _)| t == type_name)
            .map(|(_, id)| id.as_str())
            .collect()
    }

    fn cursors_of(&self, list: &str) -> Vec<&str> {
        self.cursors
            .iter()
            .filter(|(l, _)| l == list)
            .map(|(_, c)| c.as_str())
            .collect()
    }
}

fn decode_id(id: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim_end_matches('=')).ok()?;
    String::from_utf8(bytes).ok()
}

fn b64(text: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

// ---------------------------------------------------------------------------------------------
// The schema, read from the served SDL, so that generated inputs follow it as it changes.

#[derive(Clone, Debug)]
enum Ty {
    Named(String),
    List(Box<Ty>),
    NonNull(Box<Ty>),
}

impl Ty {
    fn parse(text: &str) -> Ty {
        let text = text.trim();
        if let Some(inner) = text.strip_suffix('!') {
            return Ty::NonNull(Box::new(Ty::parse(inner)));
        }
        if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            return Ty::List(Box::new(Ty::parse(inner)));
        }
        Ty::Named(text.to_owned())
    }

    fn named(&self) -> &str {
        match self {
            Ty::Named(n) => n,
            Ty::List(t) | Ty::NonNull(t) => t.named(),
        }
    }

    fn render(&self) -> String {
        match self {
            Ty::Named(n) => n.clone(),
            Ty::List(t) => format!("[{}]", t.render()),
            Ty::NonNull(t) => format!("{}!", t.render()),
        }
    }

    fn required(&self) -> bool {
        matches!(self, Ty::NonNull(_))
    }
}

#[derive(Clone, Debug)]
struct Arg {
    name: String,
    ty: Ty,
}

#[derive(Clone, Debug)]
struct Field {
    name: String,
    args: Vec<Arg>,
    ty: Ty,
}

#[derive(Debug)]
enum Def {
    Object(Vec<Field>),
    Interface(Vec<Field>),
    Input(Vec<Arg>),
    Enum(Vec<String>),
    Scalar,
    Union(Vec<String>),
}

struct Sdl {
    defs: HashMap<String, Def>,
    implementors: HashMap<String, Vec<String>>,
}

impl Sdl {
    fn parse(text: &str) -> Sdl {
        let mut clean = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("\"\"\"") {
            clean.push_str(&rest[..start]);
            let after = &rest[start + 3..];
            let end = after.find("\"\"\"").expect("a closed description");
            rest = &after[end + 3..];
        }
        clean.push_str(rest);
        let mut defs = HashMap::new();
        let mut implementors: HashMap<String, Vec<String>> = HashMap::new();
        let mut open: Option<(String, String, Vec<String>)> = None;
        for line in clean.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some((keyword, name, body)) = open.as_mut() {
                if line == "}" {
                    let def = match keyword.as_str() {
                        "type" => Some(Def::Object(body.iter().map(|l| field(l)).collect())),
                        "interface" => {
                            Some(Def::Interface(body.iter().map(|l| field(l)).collect()))
                        }
                        "input" => Some(Def::Input(body.iter().map(|l| arg(l)).collect())),
                        "enum" => Some(Def::Enum(
                            body.iter()
                                .map(|l| l.split_whitespace().next().unwrap_or("").to_owned())
                                .collect(),
                        )),
                        _ => None,
                    };
                    if let Some(def) = def {
                        defs.insert(name.clone(), def);
                    }
                    open = None;
                } else {
                    body.push(line.to_owned());
                }
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [keyword @ ("type" | "input" | "enum" | "interface"), name, rest @ ..] => {
                    if let Some(i) = rest.iter().position(|w| *w == "implements") {
                        for interface in rest[i + 1..].iter().filter(|w| !matches!(**w, "&" | "{"))
                        {
                            implementors
                                .entry((*interface).to_owned())
                                .or_default()
                                .push((*name).to_owned());
                        }
                    }
                    open = Some(((*keyword).to_owned(), (*name).to_owned(), Vec::new()));
                }
                ["schema", ..] => open = Some(("schema".into(), "schema".into(), Vec::new())),
                ["scalar", name, ..] => {
                    defs.insert((*name).to_owned(), Def::Scalar);
                }
                ["union", name, "=", members @ ..] => {
                    let members = members
                        .iter()
                        .filter(|m| **m != "|")
                        .map(|m| (*m).to_owned())
                        .collect();
                    defs.insert((*name).to_owned(), Def::Union(members));
                }
                _ => {}
            }
        }
        assert!(defs.contains_key("Query"), "the SDL has a Query type");
        Sdl { defs, implementors }
    }

    fn fields(&self, type_name: &str) -> &[Field] {
        match self.defs.get(type_name) {
            Some(Def::Object(fields) | Def::Interface(fields)) => fields,
            _ => &[],
        }
    }

    fn query_field(&self, name: &str) -> Field {
        self.fields("Query")
            .iter()
            .find(|f| f.name == name)
            .cloned()
            .unwrap_or_else(|| panic!("no Query.{name} in the SDL"))
    }

    fn is_leaf(&self, type_name: &str) -> bool {
        matches!(
            self.defs.get(type_name),
            Some(Def::Scalar | Def::Enum(_)) | None
        )
    }
}

fn field(line: &str) -> Field {
    let line = line.split(" @").next().unwrap_or(line);
    let (head, ty) = match line.find('(') {
        Some(open) => {
            let close = line.rfind(')').expect("closed arguments");
            let ty = line[close + 1..].trim_start_matches(':');
            ((&line[..open], Some(&line[open + 1..close])), ty)
        }
        None => {
            let (name, ty) = line.split_once(':').expect("name: Type");
            ((name, None), ty)
        }
    };
    Field {
        name: head.0.trim().to_owned(),
        args: head
            .1
            .map(|args| args.split(',').map(arg).collect())
            .unwrap_or_default(),
        ty: Ty::parse(ty),
    }
}

fn arg(text: &str) -> Arg {
    let text = text.split('=').next().unwrap_or(text);
    let (name, ty) = text.split_once(':').expect("name: Type");
    Arg {
        name: name.trim().to_owned(),
        ty: Ty::parse(ty),
    }
}

// ---------------------------------------------------------------------------------------------
// Values, written either as GraphQL literals or as JSON variables.

#[derive(Clone, Debug)]
enum Val {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    /// Number text as is (`1e999`, `0x10`).
    Raw(String),
    Str(String),
    Enum(String),
    List(Vec<Val>),
    Obj(Vec<(String, Val)>),
}

impl Val {
    fn gql(&self) -> String {
        match self {
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) => format!("{f:?}"),
            Val::Raw(r) => r.clone(),
            Val::Str(s) => json_string(s),
            Val::Enum(e) => e.clone(),
            Val::List(items) => {
                format!(
                    "[{}]",
                    items.iter().map(Val::gql).collect::<Vec<_>>().join(", ")
                )
            }
            Val::Obj(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.gql()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn json(&self) -> String {
        match self {
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) if f.is_finite() => format!("{f:?}"),
            Val::Float(_) => "1e999".into(),
            Val::Raw(r) if serde_json::from_str::<Value>(r).is_ok() => r.clone(),
            Val::Raw(r) => json_string(r),
            Val::Str(s) | Val::Enum(s) => json_string(s),
            Val::List(items) => {
                format!(
                    "[{}]",
                    items.iter().map(Val::json).collect::<Vec<_>>().join(",")
                )
            }
            Val::Obj(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{}:{}", json_string(k), v.json()))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Pools of values

const WORDS: &[&str] = &[
    "spn",
    "bbplk",
    "bpjamsostek",
    "gw",
    "ref",
    "COMPLETED",
    "ENROLLED",
    "DROPPED",
    "LAID_OFF",
    "EMPLOYED",
    "SELF_EMPLOYED",
    "SEEKING_WORK",
    "OPEN",
    "PLANNED",
    "FINISHED",
    "CANCELLED",
    "F",
    "M",
    "L",
    "P",
    "PARTNER_FUNDED",
    "APBN",
    "APBD",
    "SMA",
    "SMK",
    "S1",
    "Menjahit",
    "Las",
    "Teknik Las",
    "BLK Lebak",
    "Rangkasbitung",
    "KBJI_2014/7212",
    "",
    " ",
    "%",
    "_",
    "\\",
    "%%",
    "a%",
    "%a%",
    "_a_",
    "%\\%%",
    "null",
    "NULL",
    "'; DROP TABLE peserta; --",
    "\" OR 1=1 --",
    "${jndi:ldap://x}",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "日本語",
    "ñandú",
    "🙂🙃",
    "\u{202e}kiri",
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "e\u{301}",
    "3602131501900001",
    "0000000000000000",
    "9999999999999999",
    "36.02",
    "c2:0:x",
    "gw:Person:x",
];

const DATES: &[&str] = &[
    "2023-01-01",
    "2024-02-29",
    "2020-12-31",
    "1970-01-01",
    "2025-07-08",
    "0001-01-01",
    "9999-12-31",
];

const BAD_DATES: &[&str] = &[
    "2023-02-30",
    "2023-13-01",
    "2023-1-1",
    "",
    "2023-01-01T00:00:00Z",
    "+002023-01-01",
    "99999-01-01",
    "yesterday",
    "2023/01/01",
    "٢٠٢٣-٠١-٠١",
    "2023-01-01\u{0}",
];

const REGIONS: &[&str] = &[
    "36",
    "36.02",
    "36.02.13",
    "36.02.13.2007",
    "31",
    "32.01",
    "35.78",
];

const BAD_REGIONS: &[&str] = &[
    "36.",
    ".36",
    "36..02",
    "3602",
    "99.99.99.9999",
    "",
    "36.02.13.2007.1",
    "٣٦",
    "36.2",
    "36.02.1",
    "36 .02",
    "%",
    "36%",
    "36.02.13.2007.9999.1",
    "-36",
    "36.02\u{0}",
];

const INTS: &[i128] = &[
    0, 1, 2, 3, 5, 10, 20, 99, 100, 101, -1, 1990, 2000, 2023, 2024,
];

const EXTREME_INTS: &[i128] = &[
    -2_147_483_648,
    -1,
    0,
    2_147_483_647,
    2_147_483_648,
    -2_147_483_649,
    4_294_967_296,
    9_223_372_036_854_775_807,
    18_446_744_073_709_551_615,
    170_141_183_460_469_231_731_687_303_715_884_105_727,
];

const RAW_NUMBERS: &[&str] = &[
    "1e999",
    "-0",
    "0x10",
    "00",
    "1.",
    ".5",
    "1e",
    "01",
    "1_000",
    "NaN",
    "Infinity",
    "-Infinity",
    "1.0e-400",
    "9e18",
    "+1",
];

const FLOATS: &[f64] = &[0.0, 1.5, -1.0, 50.0, 75.25, 100.0, 1e300, -1e-300, 3.25];

/// Positions written into forged `c2:` cursors.
const POSITIONS: &[&str] = &[
    "0",
    "1",
    "99",
    "2147483648",
    "4294967296",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551613",
    "18446744073709551614",
    "18446744073709551615",
    "18446744073709551616",
    "100000000000000000000",
    "-1",
    "",
    "0x10",
    "1e3",
];

const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    "...",
    "$",
    "@",
    "\"",
    "\"\"\"",
    "#",
    "!",
    "=",
    "|",
    "&",
    ",",
    "query",
    "mutation",
    "subscription",
    "fragment",
    "on",
    "null",
    "true",
    "__typename",
    "__schema",
    "\u{0}",
    "\u{feff}",
    "🙂",
    "\u{202e}",
    "\\",
    "\\u",
    "\"\\uD800\"",
    "\"\\u{110000}\"",
    "\"\\x41\"",
    "1e999",
    "-",
    "0x1F",
    ".5",
    "\r",
    "\t",
    "\u{2028}",
    "\u{85}",
    "Ω",
    "$$",
    "@@skip",
    "@skip(if: false)",
    "@include(if: $nope)",
    "... on Nope",
    "...F",
    "fragment F on Query { __typename }",
];

// ---------------------------------------------------------------------------------------------
// The generator

struct Generator<'a> {
    rng: StdRng,
    sdl: Sdl,
    corpus: &'a Corpus,
}

const LISTS: &[&str] = &["trainingCenters", "courses", "courseRuns", "participants"];
const AGGREGATES: &[&str] = &[
    "enrollments_aggregate",
    "participants_aggregate",
    "courseRuns_aggregate",
];
const SENSITIVE: &[&str] = &[
    "nik",
    "fullName",
    "phone",
    "birthDate",
    "kpj",
    "email",
    "address",
];

impl<'a> Generator<'a> {
    fn new(seed: u64, sdl: Sdl, corpus: &'a Corpus) -> Generator<'a> {
        Generator {
            rng: StdRng::seed_from_u64(seed),
            sdl,
            corpus,
        }
    }

    // --- dice

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.rng.random_range(0..n)
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// Log-uniform in `1..=max`: small sizes often, huge ones sometimes.
    fn size(&mut self, max: usize) -> usize {
        let bits = (usize::BITS - max.leading_zeros()) as usize;
        let top = 1_usize << self.below(bits + 1).min(bits);
        (1 + self.below(top)).min(max)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0; n];
        self.rng.fill_bytes(&mut out);
        out
    }

    fn extreme(&mut self) -> i128 {
        if self.chance(0.6) {
            self.pick(&[-2_147_483_648, -1, 0, 1, 20, 100, 101, 1000, 2_147_483_647])
        } else {
            self.pick(INTS)
        }
    }

    fn real_id(&mut self) -> String {
        let corpus = self.corpus;
        corpus.ids[self.below(corpus.ids.len())].1.clone()
    }

    fn word(&mut self) -> String {
        match self.below(6) {
            0 => {
                let n = self.below(24);
                (0..n)
                    .map(|_| char::from(b' ' + self.below(95) as u8))
                    .collect()
            }
            1 => {
                let n = 1 + self.below(12);
                (0..n)
                    .map(|_| {
                        char::from_u32(self.rng.random_range(0..0x11_0000)).unwrap_or('\u{fffd}')
                    })
                    .collect()
            }
            _ => self.pick(WORDS).to_owned(),
        }
    }

    fn forged_id(&mut self) -> String {
        let real = self.real_id();
        let key = self.word();
        match self.below(16) {
            0 => {
                let n = self.size(64);
                b64(self.bytes(n))
            }
            1 => STANDARD.encode(decode_id(&real).unwrap_or_default()),
            2 => format!("{real}=="),
            3 => real[..self.below(real.len())].to_owned(),
            4 => {
                let mut chars: Vec<char> = real.chars().collect();
                let i = self.below(chars.len());
                chars[i] = self.pick(&['A', '_', '-', '+', '/', '=', '*', ' ']);
                chars.into_iter().collect()
            }
            5 => decode_id(&real).unwrap_or_default(),
            6 => b64(format!(
                "{}:{}:{key}",
                self.pick(&[
                    "spn",
                    "bbplk",
                    "bpjamsostek",
                    "gw",
                    "ref",
                    "nosuch",
                    "SPN",
                    ""
                ]),
                self.pick(&[
                    "TrainingCenter",
                    "Course",
                    "CourseRun",
                    "Participant",
                    "Enrollment",
                    "Outcome",
                    "Partnership",
                    "Person",
                    "Provider",
                    "Region",
                    "Occupation",
                    "Nope",
                    "node",
                    "",
                ])
            )),
            7 => b64(format!("spn:Course:{}", "k".repeat(self.size(100_000)))),
            8 => b64(format!("gw:Person:{}", hex(&self.bytes(32)))),
            9 => b64(self.pick(&[
                "ref:Region:99.99",
                "ref:Region:",
                "ref:Occupation:KBJI_2014/",
                "ref:Occupation:x",
                "gw:Provider:nosuch",
                "gw:Participant:1",
                "::",
                "spn::1",
                "spn:Course:",
                ":Course:1",
                "spn:Cou rse:1",
                "spn:Course:1:2:3",
                "gw:Person:",
                "ref:Region:36\u{0}",
            ])),
            10 => b64([0xff, 0xfe, b':', 0x80, b':', b'x']),
            11 => String::new(),
            12 => self.word(),
            _ => {
                // A real id of a type the field does not hold, or an unchanged real one.
                real
            }
        }
    }

    fn forged_cursor(&mut self, list: &str) -> String {
        let corpus = self.corpus;
        let own = corpus.cursors_of(list);
        let real = if own.is_empty() || self.chance(0.3) {
            self.pick(&corpus.cursors).1
        } else {
            self.pick(&own).to_owned()
        };
        let decoded = decode_id(&real).unwrap_or_default();
        let id = decoded.splitn(3, ':').nth(2).unwrap_or("x").to_owned();
        match self.below(14) {
            0 => {
                let n = self.size(48);
                b64(self.bytes(n))
            }
            1 => real[..self.below(real.len())].to_owned(),
            2 => b64(format!("c2:{}:{id}", self.pick(POSITIONS))),
            3 => b64(format!("c2:{}:{}", self.pick(POSITIONS), self.forged_id())),
            4 => b64(format!(
                "{}:0:{id}",
                self.pick(&["c1", "c3", "C2", "", "c2 "])
            )),
            5 => b64(format!("c2:{}:", self.pick(POSITIONS))),
            6 => b64("c2:"),
            7 => format!("{real}="),
            8 => STANDARD.encode(&decoded),
            9 => b64([b'c', b'2', b':', b'0', b':', 0xff, 0xfe]),
            10 => String::new(),
            11 => "A".repeat(self.size(200_000)),
            12 => self.word(),
            _ => real, // another list's or order's cursor, or a real one
        }
    }

    // --- values

    fn value(&mut self, ty: &Ty, hint: &str, op: &str, depth: usize, wrong: f64) -> Val {
        if self.chance(wrong) {
            return self.wrong_value(depth);
        }
        match ty {
            Ty::NonNull(inner) => self.value(inner, hint, op, depth, wrong),
            Ty::List(inner) => {
                let n = if matches!(op, "_in" | "_nin") && self.chance(0.05) {
                    self.size(100_000)
                } else if depth > 3 {
                    self.below(2)
                } else {
                    self.below(4)
                };
                Val::List(
                    (0..n)
                        .map(|_| self.value(inner, hint, op, depth + 1, wrong))
                        .collect(),
                )
            }
            Ty::Named(name) => match self.sdl.defs.get(name) {
                Some(Def::Enum(values)) => {
                    let values = values.clone();
                    Val::Enum(self.pick(&values))
                }
                Some(Def::Input(fields)) => {
                    if depth > 5 {
                        return Val::Obj(Vec::new());
                    }
                    let fields = fields.clone();
                    let mut out: Vec<(String, Val)> = Vec::new();
                    for _ in 0..1 + self.below(3) {
                        let f = self.pick(&fields);
                        if out.iter().any(|(k, _)| *k == f.name) {
                            continue;
                        }
                        let (h, o) = if f.name.starts_with('_') {
                            (hint, f.name.as_str())
                        } else {
                            (f.name.as_str(), "")
                        };
                        let v = self.value(&f.ty, h, o, depth + 1, wrong);
                        out.push((f.name.clone(), v));
                    }
                    Val::Obj(out)
                }
                _ => self.scalar(name, hint, op),
            },
        }
    }

    fn scalar(&mut self, name: &str, hint: &str, op: &str) -> Val {
        match name {
            "Int" => Val::Int(match hint {
                "first" | "last" | "limit" => self.pick(&[1, 2, 3, 5, 10]),
                "offset" => self.pick(&[0, 1, 5, 10]),
                "birthYear" | "fiscalYear" => self.pick(&[1980, 1990, 2000, 2023, 2024]),
                _ => self.pick(INTS),
            }),
            "Float" => Val::Float(self.pick(FLOATS)),
            "Boolean" => Val::Bool(self.chance(0.5)),
            "ID" => Val::Str(if self.chance(0.6) {
                self.real_id()
            } else {
                self.forged_id()
            }),
            "Date" => Val::Str(self.pick(DATES).to_owned()),
            "RegionCode" => Val::Str(
                if self.chance(0.5) && !self.corpus.region_codes.is_empty() {
                    let corpus = self.corpus;
                    self.pick(&corpus.region_codes)
                } else {
                    self.pick(REGIONS).to_owned()
                },
            ),
            _ => Val::Str(match (hint, op) {
                (_, "_like" | "_ilike") => self.like_pattern(),
                ("provider", _) => self
                    .pick(&["spn", "bbplk", "bpjamsostek", "SPN", "x"])
                    .to_owned(),
                ("after" | "before", _) => self.forged_cursor("any"),
                _ => self.word(),
            }),
        }
    }

    fn like_pattern(&mut self) -> String {
        match self.below(8) {
            0 => "%".repeat(self.size(200_000)),
            1 => "%a".repeat(self.size(60_000)),
            2 => "_".repeat(self.size(100_000)),
            3 => format!("%{}%", "x".repeat(self.size(300_000))),
            4 => "\\".repeat(self.size(1000)),
            _ => self
                .pick(&[
                    "%", "%a%", "BLK%", "%Lebak", "_", "%\\%%", "\\", "%%%%", "[a-z]%", "a_b",
                ])
                .to_owned(),
        }
    }

    /// A value of a random other type.
    fn wrong_value(&mut self, depth: usize) -> Val {
        match self.below(12) {
            0 => Val::Null,
            1 => Val::Bool(self.chance(0.5)),
            2 => Val::Int(self.pick(EXTREME_INTS)),
            3 => Val::Float(self.pick(FLOATS)),
            4 => Val::Raw(self.pick(RAW_NUMBERS).to_owned()),
            5 => Val::Str(self.word()),
            6 => Val::Str(self.pick(BAD_DATES).to_owned()),
            7 => Val::Str(self.pick(BAD_REGIONS).to_owned()),
            8 => Val::Enum(
                self.pick(&["FOO", "asc", "ASC", "desc_nulls", "true", "null_", "_", "Ω"])
                    .to_owned(),
            ),
            9 if depth < 4 => Val::List(
                (0..self.below(3))
                    .map(|_| self.wrong_value(depth + 1))
                    .collect(),
            ),
            10 if depth < 4 => Val::Obj(vec![(
                self.pick(&["_eq", "_nope", "a", "__typename", "_and", "where"])
                    .to_owned(),
                self.wrong_value(depth + 1),
            )]),
            _ => Val::Str(String::new()),
        }
    }

    // --- documents

    fn args(&mut self, field: &Field, wrong: f64, keep: f64) -> String {
        let mut parts = Vec::new();
        for a in &field.args {
            let paging = matches!(a.name.as_str(), "first" | "limit");
            if a.ty.required() || self.chance(if paging { 0.7 } else { keep }) {
                let v = self.value(&a.ty, &a.name, "", 0, wrong);
                parts.push(format!("{}: {}", a.name, v.gql()));
            }
        }
        if self.chance(wrong / 4.0) {
            parts.push(format!(
                "{}: {}",
                self.pick(&["nope", "first", "where", "_eq"]),
                self.wrong_value(0).gql()
            ));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("({})", parts.join(", "))
        }
    }

    fn selection(&mut self, type_name: &str, depth: usize, max_depth: usize, wrong: f64) -> String {
        let fields = self.sdl.fields(type_name).to_vec();
        let union = match self.sdl.defs.get(type_name) {
            Some(Def::Union(members)) => Some(members.clone()),
            _ => None,
        };
        if fields.is_empty() && union.is_none() {
            return "__typename".into();
        }
        let mut parts = Vec::new();
        if union.is_some() || matches!(self.sdl.defs.get(type_name), Some(Def::Interface(_))) {
            parts.push(
                if union.is_some() {
                    "__typename"
                } else {
                    "__typename id"
                }
                .to_owned(),
            );
            let implementors = union
                .or_else(|| self.sdl.implementors.get(type_name).cloned())
                .unwrap_or_default();
            if !implementors.is_empty() && depth < max_depth {
                for _ in 0..1 + self.below(2) {
                    let t = self.pick(&implementors);
                    let inner = self.selection(&t, depth + 1, max_depth, wrong);
                    parts.push(format!("... on {t} {{ {inner} }}"));
                }
            }
            return parts.join(" ");
        }
        let mut chosen: Vec<usize> = (0..fields.len()).collect();
        for i in (1..chosen.len()).rev() {
            let j = self.below(i + 1);
            chosen.swap(i, j);
        }
        chosen.truncate(1 + self.below(4));
        for i in chosen {
            let f = &fields[i];
            let named = f.ty.named().to_owned();
            let args = if f.args.iter().any(|a| a.ty.required()) || self.chance(0.3) {
                self.args(f, wrong, 0.2)
            } else {
                String::new()
            };
            if self.sdl.is_leaf(&named) {
                parts.push(format!("{}{args}", f.name));
            } else if depth >= max_depth {
                parts.push(format!("{}{args} {{ __typename }}", f.name));
            } else {
                let inner = self.selection(&named, depth + 1, max_depth, wrong);
                parts.push(format!("{}{args} {{ {inner} }}", f.name));
            }
        }
        if type_name == "Participant" && self.chance(0.3) {
            // Personal data: refused without the scope, and never a clear NIK.
            parts.push(self.pick(SENSITIVE).to_owned());
        }
        parts.join(" ")
    }

    /// A root field with arguments and a selection: `name(args) { ... }`.
    fn root(&mut self, field: &Field, wrong: f64) -> String {
        let args = self.args(field, wrong, 0.35);
        let named = field.ty.named().to_owned();
        if self.sdl.is_leaf(&named) {
            return format!("{}{args}", field.name);
        }
        let max_depth = if self.chance(0.05) {
            11 + self.below(5)
        } else {
            1 + self.below(4)
        };
        let inner = self.selection(&named, 1, max_depth, wrong);
        format!("{}{args} {{ {inner} }}", field.name)
    }

    /// A random document: one to three root fields under aliases.
    fn document(&mut self, wrong: f64) -> String {
        let roots = self.sdl.fields("Query").to_vec();
        let parts: Vec<String> = (0..1 + self.below(3))
            .map(|i| {
                let f = self.pick(&roots);
                format!("q{i}: {}", self.root(&f, wrong))
            })
            .collect();
        format!("{{ {} }}", parts.join(" "))
    }

    /// A list field with these arguments and a selection that shows cursors.
    fn list_query(&mut self, list: &str, args: &str) -> String {
        let node = self.pick(&["id", "id __typename", "id provider { key }"]);
        format!(
            "{{ {list}{args} {{ totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} edges {{ cursor node {{ {node} }} }} }} }}"
        )
    }

    /// Usually `application/json`, sometimes the GraphQL response type (400 for request errors).
    fn accept(&mut self, request: HttpRequest) -> HttpRequest {
        if self.chance(0.3) {
            request.set("accept", "application/graphql-response+json")
        } else {
            request
        }
    }

    fn post(&mut self, query: &str) -> HttpRequest {
        let request = HttpRequest::graphql(query, None);
        self.accept(request)
    }

    // --- categories

    fn case(&mut self, quarantined: &BTreeSet<String>) -> Case {
        let total: u32 = CATEGORIES.iter().map(|c| c.1).sum();
        for _ in 0..100 {
            let mut roll = self.rng.random_range(0..total);
            let mut category = CATEGORIES[0].0;
            for (name, weight) in CATEGORIES {
                if roll < *weight {
                    category = name;
                    break;
                }
                roll -= weight;
            }
            let (kind, request) = match category {
                "bytes" => self.random_bytes(),
                "json" => self.random_json(),
                "shape" => self.shape(),
                "http" => self.http(),
                "get" => self.get(),
                "syntax" => self.syntax(),
                "huge" => self.huge(),
                "deep" => self.deep(),
                "variables" => self.variables(),
                "ids" => self.ids(),
                "cursors" => self.cursors(),
                "paging" => self.paging(),
                "filters" => self.filters(),
                "aggregates" => self.aggregates(),
                _ => ("random", {
                    let q = self.document(0.03);
                    self.post(&q)
                }),
            };
            if !quarantined.contains(&format!("{category}/{kind}")) {
                return Case {
                    category,
                    kind,
                    request,
                };
            }
        }
        Case {
            category: "query",
            kind: "random",
            request: HttpRequest::graphql("{ __typename }", None),
        }
    }

    fn random_bytes(&mut self) -> (&'static str, HttpRequest) {
        let n = self.size(64 * 1024);
        let mut body = self.bytes(n);
        let kind = match self.below(4) {
            0 => {
                let mut prefixed = b"{\"query\":\"".to_vec();
                prefixed.append(&mut body);
                body = prefixed;
                "json-prefix"
            }
            1 => {
                // Invalid UTF-8 inside an otherwise fine request.
                body = [
                    b"{\"query\":\"{ __typename \xff\xfe }\"}".as_slice(),
                    &body[..n.min(8)],
                ]
                .concat();
                "invalid-utf8"
            }
            _ => "random",
        };
        (kind, HttpRequest::post(body))
    }

    fn json_value(&mut self, depth: usize) -> String {
        match self.below(if depth > 200 { 5 } else { 8 }) {
            0 => "null".into(),
            1 => self.pick(&["true", "false"]).into(),
            2 => self
                .pick(&[
                    "0",
                    "-1",
                    "1e999",
                    "1.5",
                    "123456789012345678901234567890",
                    "-0",
                ])
                .into(),
            3 | 4 => json_string(&self.word()),
            5 if depth < 3 => {
                let n = self.below(6);
                let items: Vec<String> = (0..n).map(|_| self.json_value(depth + 1)).collect();
                format!("[{}]", items.join(","))
            }
            6 if depth < 3 => {
                let n = self.below(6);
                let items: Vec<String> = (0..n)
                    .map(|_| {
                        let key = self.pick(&[
                            "query",
                            "variables",
                            "operationName",
                            "extensions",
                            "id",
                            "",
                        ]);
                        format!("{}:{}", json_string(key), self.json_value(depth + 1))
                    })
                    .collect();
                format!("{{{}}}", items.join(","))
            }
            _ => {
                // Nested arrays and objects, sometimes past serde_json's 128 levels.
                let d = self.size(1000);
                let (open, close) = if self.chance(0.5) {
                    ("[", "]")
                } else {
                    ("{\"a\":", "}")
                };
                format!("{}1{}", open.repeat(d), close.repeat(d))
            }
        }
    }

    fn random_json(&mut self) -> (&'static str, HttpRequest) {
        let value = self.json_value(0);
        (
            if value.starts_with('{') {
                "object"
            } else {
                "value"
            },
            HttpRequest::post(value),
        )
    }

    fn shape(&mut self) -> (&'static str, HttpRequest) {
        let query = self.document(0.0);
        let q = json_string(&query);
        let odd = self.json_value(1);
        let (kind, body) = match self.below(12) {
            0 => ("query-not-string", format!("{{\"query\":{odd}}}")),
            1 => ("query-missing", format!("{{\"variables\":{{}},\"operationName\":{}}}", json_string(&self.word()))),
            2 => ("variables-not-object", format!("{{\"query\":{q},\"variables\":{}}}", self.pick(&["[]", "[1,2]", "\"{}\"", "1", "true", "\"\""]))),
            3 => ("extensions-odd", format!(
                "{{\"query\":{q},\"extensions\":{}}}",
                self.pick(&["[]", "\"x\"", "{\"simpul\":\"x\"}", "{\"simpul\":{\"trace\":\"yes\"}}", "{\"simpul\":{\"trace\":true}}", "{\"simpul\":{\"trace\":[true]}}", "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"00\"}}", "{\"simpul\":null}", "{\"\":{}}"])
            )),
            4 => ("extensions-random", format!("{{\"query\":{q},\"extensions\":{{\"simpul\":{odd},\"x\":{}}}}}", self.json_value(1))),
            5 => {
                let name = self.pick(&["A", "B", "C", "", "a", "query", "A B", "🙂"]);
                let name_json = if self.chance(0.2) { self.pick(&["1", "[]", "{}", "true"]).to_owned() } else { json_string(name) };
                let multi = "query A { __typename } query B { providers { key } } mutation C { __typename }";
                if self.chance(0.5) {
                    ("operation-name", format!("{{\"query\":{},\"operationName\":{name_json}}}", json_string(multi)))
                } else {
                    ("operation-name-missing", format!("{{\"query\":{}}}", json_string(multi)))
                }
            }
            6 => ("extra-keys", format!("{{\"query\":{q},\"id\":1,\"queryId\":\"x\",\"doc\":{odd}}}")),
            7 => ("duplicate-keys", format!("{{\"query\":\"{{ nope }}\",\"query\":{q},\"variables\":null,\"variables\":{{}}}}")),
            8 => ("batch", format!("[{{\"query\":{q}}},{{\"query\":{q}}}]")),
            9 => ("framing", format!(
                "{}{{\"query\":{q}}}{}",
                self.pick(&["\u{feff}", " \n\t", "", "\u{0}"]),
                self.pick(&["", " ", "garbage", "}", "\u{0}", "{\"query\":\"{a}\"}"])
            )),
            10 => {
                // Apollo's persisted queries: a hash alone, a hash that does not match, odd hashes.
                let random = json_string(&hex(&self.bytes(32)));
                let long = json_string(&"f".repeat(self.size(100_000)));
                let hash = self.pick(&[
                    "\"0000000000000000000000000000000000000000000000000000000000000000\"".to_owned(),
                    random,
                    long,
                    "1".to_owned(),
                    "null".to_owned(),
                    "[]".to_owned(),
                    json_string(""),
                    json_string("../../etc/passwd"),
                ]);
                let text = if self.chance(0.5) { "\"\"".to_owned() } else { q.clone() };
                ("persisted-query", format!("{{\"query\":{text},\"extensions\":{{\"persistedQuery\":{{\"version\":1,\"sha256Hash\":{hash}}}}}}}"))
            }
            _ => ("null-fields", format!("{{\"query\":{q},\"variables\":null,\"operationName\":null,\"extensions\":null}}")),
        };
        let request = HttpRequest::post(body);
        (kind, self.accept(request))
    }

    fn http(&mut self) -> (&'static str, HttpRequest) {
        let query = self.document(0.0);
        let body = format!("{{\"query\":{}}}", json_string(&query));
        let base = HttpRequest::post(body.clone());
        match self.below(16) {
            0 => ("no-content-type", base.remove("content-type")),
            1 => {
                let ct = self.pick(&[
                    "text/plain", "application/graphql", "application/x-www-form-urlencoded",
                    "application/json; charset=utf-16", "application/json; charset=latin1",
                    "application/json; charset=UTF-8", "application/json;charset=\"utf-8\"",
                    "APPLICATION/JSON", "application/json;;;", "application/json; charset",
                    "application/graphql-response+json", "application/json5", "application/*",
                    "*/*", "application/json, text/plain", "application/json; charset=utf-8; charset=latin1",
                    "", " ", "json",
                ]);
                ("content-type", base.set("content-type", ct))
            }
            2 => (
                "multipart",
                HttpRequest::post(format!(
                    "--x\r\ncontent-disposition: form-data; name=\"operations\"\r\n\r\n{body}\r\n--x--\r\n"
                ))
                .set("content-type", "multipart/form-data; boundary=x"),
            ),
            3 => ("graphql-body", HttpRequest::post(query).set("content-type", "application/graphql")),
            4 => ("two-content-types", base.add("content-type", "text/plain")),
            5 => {
                let n = self.size(300_000);
                ("huge-header", base.set("x-padding", "a".repeat(n)))
            }
            6 => {
                let n = self.size(200_000);
                ("huge-content-type", base.set("content-type", format!("application/json; x={}", "a".repeat(n))))
            }
            7 => {
                let n = self.size(300);
                let mut r = base;
                for i in 0..n {
                    r = r.add(&format!("x-h{i}"), "1");
                }
                ("many-headers", r)
            }
            8 => {
                let accept = self.pick(&[
                    "text/html", "application/json;q=0", "*/*", "application/*",
                    "application/graphql-response+json;q=0.5, application/json",
                    ";;;", "application/json;q=abc", "application/json;q=-1", "image/png",
                    "application/graphql-response+json;q=0, application/json;q=0",
                    "", "*/*;q=0.0001",
                ]);
                ("accept", base.set("accept", accept))
            }
            9 => ("header-bytes", base.set("x-request-id", vec![0x80, 0xff, b'a', 0xfe]).set("content-type", [b"application/json; x=".as_slice(), &[0xc3, 0x28]].concat())),
            10 => {
                let mut r = base;
                r.chunked = true;
                ("chunked", r)
            }
            11 => ("request-id", base.set("x-request-id", self.pick(&["../../x", "a b", "", "x".repeat(65).as_str(), "abc-DEF_123", "\u{7f}"]).as_bytes().to_vec())),
            14 => {
                let value: Vec<u8> = match self.below(8) {
                    0 => format!("Bearer {}", hex(&self.bytes(16))).into_bytes(),
                    1 => format!("Bearer {}", "k".repeat(self.size(200_000))).into_bytes(),
                    2 => b"Bearer ".to_vec(),
                    3 => b"Basic dXNlcjpwYXNz".to_vec(),
                    4 => [b"Bearer ".as_slice(), &[0xff, 0xfe, 0x80]].concat(),
                    5 => b"bearer sk_live_x".to_vec(),
                    6 => format!("Bearer {}", self.word()).into_bytes(),
                    _ => b"Bearer smp_0000000000000000_0000000000000000".to_vec(),
                };
                ("authorization", base.set("authorization", value))
            }
            15 => {
                let key = match self.below(4) {
                    0 => hex(&self.bytes(24)),
                    1 => String::new(),
                    2 => "x".repeat(self.size(100_000)),
                    _ => self.word(),
                };
                let request = base.set("x-api-key", key.into_bytes());
                if self.chance(0.3) {
                    ("api-key", request.set("authorization", "Bearer also"))
                } else {
                    ("api-key", request)
                }
            }
            12 => {
                let method = self.pick(&["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO"]);
                let mut r = base;
                r.method = method.to_owned();
                ("method", r)
            }
            _ => {
                let mut r = base;
                r.target = self.pick(&["/graphql/", "/graphql?", "/GRAPHQL", "/graphql#x", "/graphql?query=", "//graphql", "/graphql/../graphql", "/graphql%00"]).to_owned();
                ("path", r)
            }
        }
    }

    fn get(&mut self) -> (&'static str, HttpRequest) {
        let query = self.document(0.02);
        match self.below(10) {
            0 => ("query", HttpRequest::get_params(&[("query", &query)])),
            1 => {
                let bad = self.mutate(&query);
                ("broken-query", HttpRequest::get_params(&[("query", &bad)]))
            }
            2 => {
                let variables = self.pick(&[
                    "[]",
                    "{",
                    "1",
                    "null",
                    "{\"a\":1}",
                    "\"x\"",
                    "{\"id\":null}",
                ]);
                (
                    "variables",
                    HttpRequest::get_params(&[
                        ("query", "query($id: ID!) { node(id: $id) { id } }"),
                        ("variables", variables),
                    ]),
                )
            }
            3 => (
                "mutation",
                HttpRequest::get_params(&[
                    (
                        "query",
                        self.pick(&[
                            "mutation { __typename }",
                            "query A { __typename } mutation B { __typename }",
                            "mutation M { x }",
                            "subscription { x }",
                        ]),
                    ),
                    ("operationName", self.pick(&["B", "A", "M", "", "C"])),
                ]),
            ),
            4 => {
                let raw = self.pick(&[
                    "%",
                    "%z",
                    "%zz",
                    "%ff%fe",
                    "%00",
                    "%7B%7D%",
                    "query",
                    "query=%7B",
                    "=",
                    "&&&",
                    "query=%7B__typename%7D&query=%7Bnope%7D",
                    "query=%7B+__typename+%7D",
                    "query=%E2%82%AC",
                ]);
                ("encoding", HttpRequest::get(&format!("/graphql?{raw}")))
            }
            5 => {
                let n = self.size(120_000);
                (
                    "long-url",
                    HttpRequest::get_params(&[(
                        "query",
                        &format!("{{ __typename }} #{}", "x".repeat(n)),
                    )]),
                )
            }
            6 => {
                let html = HttpRequest::get("/graphql").set("accept", "text/html");
                if self.chance(0.5) {
                    ("graphiql", html)
                } else {
                    (
                        "html-with-query",
                        HttpRequest::get_params(&[("query", &query)])
                            .set("accept", "text/html,application/json;q=0.9"),
                    )
                }
            }
            7 => (
                "no-query",
                HttpRequest::get(self.pick(&[
                    "/graphql",
                    "/graphql?variables=%7B%7D",
                    "/graphql?operationName=A",
                ])),
            ),
            8 => (
                "extensions",
                HttpRequest::get_params(&[
                    ("query", &query),
                    (
                        "extensions",
                        self.pick(&["{\"simpul\":{\"trace\":true}}", "[]", "{", "{\"simpul\":1}"]),
                    ),
                ]),
            ),
            _ => {
                let request = HttpRequest::get_params(&[("query", &query)]);
                (
                    "accept",
                    request.set(
                        "accept",
                        self.pick(&["application/graphql-response+json", "text/plain", "*/*", ""]),
                    ),
                )
            }
        }
    }

    /// Break a document: truncate it, drop, repeat or swap pieces, insert odd tokens.
    fn mutate(&mut self, query: &str) -> String {
        let mut chars: Vec<char> = query.chars().collect();
        for _ in 0..1 + self.below(3) {
            let len = chars.len().max(1);
            let at = self.below(len);
            match self.below(7) {
                0 => chars.truncate(at),
                1 => {
                    let end = (at + 1 + self.below(8)).min(chars.len());
                    if at < end {
                        chars.drain(at..end);
                    }
                }
                2 => {
                    let end = (at + 1 + self.below(12)).min(chars.len());
                    if at < end {
                        let piece: Vec<char> = chars[at..end].to_vec();
                        let times = self.size(50);
                        for _ in 0..times {
                            chars.splice(at..at, piece.iter().copied());
                        }
                    }
                }
                3 => {
                    let other = self.below(len);
                    if at < chars.len() && other < chars.len() {
                        chars.swap(at, other);
                    }
                }
                4 => {
                    let brace = self.pick(&['{', '}', '(', ')', '[', ']']);
                    let n = self.size(20);
                    let at = at.min(chars.len());
                    chars.splice(at..at, std::iter::repeat_n(brace, n));
                }
                _ => {
                    let token = format!(" {} ", self.pick(TOKENS));
                    let at = at.min(chars.len());
                    chars.splice(at..at, token.chars());
                }
            }
        }
        chars.into_iter().collect()
    }

    fn syntax(&mut self) -> (&'static str, HttpRequest) {
        let query = self.document(0.0);
        let broken = self.mutate(&query);
        let kind = match self.below(6) {
            0 => "nul",
            1 => "unicode",
            _ => "mutated",
        };
        let broken = match kind {
            "nul" => broken.replacen(' ', "\u{0}", 1 + self.below(3)),
            "unicode" => {
                let c =
                    char::from_u32(self.rng.random_range(0x80..0x11_0000)).unwrap_or('\u{fffd}');
                broken.replacen(' ', &c.to_string(), 1)
            }
            _ => broken,
        };
        if self.chance(0.1) {
            return (
                "mutated-get",
                HttpRequest::get_params(&[("query", &broken)]),
            );
        }
        (kind, self.post(&broken))
    }

    fn huge(&mut self) -> (&'static str, HttpRequest) {
        match self.below(16) {
            0 => {
                let n = MAX_BODY + self.size(2 * MAX_BODY);
                (
                    "body-over-limit",
                    HttpRequest::graphql(&format!("{{ __typename }} #{}", "x".repeat(n)), None),
                )
            }
            1 => {
                let n = self.size(MAX_BODY - 100);
                let filler = if self.chance(0.5) { " " } else { "\n" };
                (
                    "whitespace",
                    self.post(&format!("{{ __typename{} }}", filler.repeat(n))),
                )
            }
            2 => {
                let n = self.size(MAX_BODY / 12);
                let line = "# a comment\n";
                (
                    "comments",
                    self.post(&format!("{}{{ __typename }}", line.repeat(n))),
                )
            }
            3 => {
                let n = self.size(100_000);
                let field = self.pick(&[
                    "__typename",
                    "providers { key }",
                    "region(code: \"36\") { name }",
                ]);
                let q: String = (0..n).map(|i| format!("a{i}: {field} ")).collect();
                ("aliases", self.post(&format!("{{ {q}}}")))
            }
            4 => {
                let n = self.size(100_000);
                (
                    "same-field",
                    self.post(&format!("{{ {}}}", "__typename ".repeat(n))),
                )
            }
            5 => {
                let n = self.size(5000);
                let spreads: String = (0..n).map(|i| format!("...F{i} ")).collect();
                let defs: String = (0..n)
                    .map(|i| format!("fragment F{i} on Query {{ __typename }} "))
                    .collect();
                (
                    "fragments-many",
                    self.post(&format!("{{ {spreads}}} {defs}")),
                )
            }
            6 => {
                let n = self.size(5000);
                let defs: String = (0..n)
                    .map(|i| format!("fragment F{i} on Query {{ __typename ...F{} }} ", i + 1))
                    .collect();
                (
                    "fragments-chain",
                    self.post(&format!(
                        "{{ ...F0 }} {defs} fragment F{n} on Query {{ __typename }}"
                    )),
                )
            }
            7 => {
                let n = 1 + self.below(50);
                let defs: String = (0..n)
                    .map(|i| {
                        format!(
                            "fragment F{i} on Query {{ __typename ...F{} }} ",
                            (i + 1) % n
                        )
                    })
                    .collect();
                ("fragment-cycle", self.post(&format!("{{ ...F0 }} {defs}")))
            }
            8 => {
                // Each fragment spreads the next one twice: 2^depth fields from a small document.
                let depth = 2 + self.below(30);
                let defs: String = (0..depth)
                    .map(|i| format!("fragment F{i} on Query {{ ...F{} ...F{} }} ", i + 1, i + 1))
                    .collect();
                (
                    "fragment-fanout",
                    self.post(&format!(
                        "{{ ...F0 }} {defs} fragment F{depth} on Query {{ __typename }}"
                    )),
                )
            }
            9 => {
                let n = self.size(20_000);
                let ops: String = (0..n)
                    .map(|i| format!("query O{i} {{ __typename }} "))
                    .collect();
                let name = format!("O{}", self.below(n + 2));
                let body = format!(
                    "{{\"query\":{},\"operationName\":{}}}",
                    json_string(&ops),
                    json_string(&name)
                );
                ("operations", self.accept(HttpRequest::post(body)))
            }
            10 => {
                let n = self.size(50_000);
                (
                    "directives",
                    self.post(&format!(
                        "{{ __typename {} }}",
                        "@skip(if: false) ".repeat(n)
                    )),
                )
            }
            11 => {
                let n = self.size(MAX_BODY - 200);
                let c = self.pick(&["a", "é", "\\n", "🙂"]);
                (
                    "long-string",
                    self.post(&format!(
                        "{{ region(code: \"{}\") {{ name }} }}",
                        c.repeat(n / c.len())
                    )),
                )
            }
            12 => {
                let n = self.size(50_000);
                (
                    "repeated-args",
                    self.post(&format!(
                        "{{ region({}) {{ name }} }}",
                        "code: \"36\", ".repeat(n)
                    )),
                )
            }
            13 => {
                let n = self.size(30_000);
                let defs: String = (0..n).map(|i| format!("$v{i}: Int ")).collect();
                (
                    "variable-defs",
                    self.post(&format!("query Q({defs}) {{ __typename }}")),
                )
            }
            14 => {
                let n = self.size(MAX_BODY / 2 - 100);
                (
                    "long-syntax-error",
                    self.post(&format!("{{ __typename {} !!! }}", "x ".repeat(n))),
                )
            }
            _ => {
                let n = self.size(2000);
                let lists: String = (0..n)
                    .map(|i| format!("l{i}: courseRuns(first: 100) {{ nodes {{ code }} }} "))
                    .collect();
                ("wide-lists", self.post(&format!("{{ {lists}}}")))
            }
        }
    }

    fn deep(&mut self) -> (&'static str, HttpRequest) {
        let depth = self.pick(&[
            10, 30, 64, 100, 128, 150, 200, 260, 300, 500, 1000, 10_000, 100_000,
        ]);
        match self.below(6) {
            0 => {
                let open = "a { ".repeat(depth);
                (
                    "selection",
                    self.post(&format!("{{ {open}b{} }}", " }".repeat(depth))),
                )
            }
            1 => {
                let chain = "courses(first: 1) { nodes { trainingCenter { ".repeat(depth.min(2000));
                (
                    "real-selection",
                    self.post(&format!(
                        "{{ {chain}id{} }}",
                        " } } }".repeat(depth.min(2000))
                    )),
                )
            }
            2 | 3 => {
                let (open, close, field) = match self.below(4) {
                    0 => ("{_not: ", "}", "trainingCenters"),
                    1 => ("{_and: [", "]}", "courseRuns"),
                    2 => ("{a: ", "}", "region-code"),
                    _ => ("[", "]", "nodes"),
                };
                let literal = format!(
                    "{}{}{}",
                    open.repeat(depth),
                    if field == "nodes" { "\"x\"" } else { "{}" },
                    close.repeat(depth)
                );
                let q = match field {
                    "region-code" => format!("{{ region(code: {literal}) {{ name }} }}"),
                    "nodes" => format!("{{ nodes(ids: {literal}) {{ id }} }}"),
                    list => format!("{{ {list}(where: {literal}) {{ totalCount }} }}"),
                };
                if self.chance(0.2) {
                    (
                        "value-literal-get",
                        HttpRequest::get_params(&[("query", &q)]),
                    )
                } else {
                    ("value-literal", self.post(&q))
                }
            }
            4 => {
                let d = depth.min(100_000);
                let w = format!("{}{{}}{}", "{\"_not\":".repeat(d), "}".repeat(d));
                ("json-variables", self.accept(HttpRequest::graphql("query($w: TrainingCenterBoolExp) { trainingCenters(where: $w) { totalCount } }", Some(&w))))
            }
            _ => {
                let d = depth.min(50_000);
                (
                    "inline-fragments",
                    self.post(&format!(
                        "{{ {}__typename{} }}",
                        "... on Query { ".repeat(d),
                        " }".repeat(d)
                    )),
                )
            }
        }
    }

    fn variables(&mut self) -> (&'static str, HttpRequest) {
        // A root field whose arguments all come from variables.
        let roots: Vec<Field> = self
            .sdl
            .fields("Query")
            .iter()
            .filter(|f| !f.args.is_empty())
            .cloned()
            .collect();
        let f = self.pick(&roots);
        let mut defs = Vec::new();
        let mut uses = Vec::new();
        let mut values: Vec<(String, String)> = Vec::new();
        let kind = self.pick(&[
            "wrong-type",
            "missing",
            "extra",
            "null",
            "huge-list",
            "declared-type",
            "undefined",
            "numbers",
            "valid",
            "default",
        ]);
        for (i, a) in f.args.iter().enumerate() {
            if !a.ty.required() && !self.chance(0.6) {
                continue;
            }
            let name = format!("v{i}");
            let declared = if kind == "declared-type" && self.chance(0.5) {
                self.pick(&[
                    "Int",
                    "String!",
                    "[ID!]!",
                    "Boolean",
                    "Nope",
                    "TrainingCenterBoolExp",
                    "[[Int]]",
                    "ID",
                ])
                .to_owned()
            } else {
                a.ty.render()
            };
            let default = if kind == "default" && self.chance(0.5) {
                format!(" = {}", self.value(&a.ty, &a.name, "", 0, 0.5).gql())
            } else {
                String::new()
            };
            defs.push(format!("${name}: {declared}{default}"));
            uses.push(format!("{}: ${name}", a.name));
            let v = match kind {
                "wrong-type" => self.wrong_value(0).json(),
                "null" => "null".to_owned(),
                "numbers" => self
                    .pick(&[
                        "1e400",
                        "-0",
                        "9007199254740993",
                        "2147483648",
                        "1.0",
                        "-2147483649",
                        "1e2",
                        "0.1",
                    ])
                    .to_owned(),
                "huge-list" => {
                    let n = self.size(100_000);
                    let item = self.value(a.ty.item(), &a.name, "", 1, 0.0).json();
                    format!("[{}]", vec![item; n].join(","))
                }
                _ => self.value(&a.ty, &a.name, "", 0, 0.05).json(),
            };
            values.push((name, v));
        }
        if kind == "missing" && !values.is_empty() {
            let i = self.below(values.len());
            values.remove(i);
        }
        if kind == "extra" {
            values.push((format!("extra{}", self.below(9)), self.json_value(1)));
        }
        if kind == "undefined" {
            uses.push(format!("{}: $undefined", f.args[0].name));
        }
        let selection = if self.sdl.is_leaf(f.ty.named()) {
            String::new()
        } else {
            let named = f.ty.named().to_owned();
            format!(" {{ {} }}", self.selection(&named, 1, 2, 0.0))
        };
        let query = format!(
            "query Q{} {{ {}{}{selection} }}",
            if defs.is_empty() {
                String::new()
            } else {
                format!("({})", defs.join(", "))
            },
            f.name,
            if uses.is_empty() {
                String::new()
            } else {
                format!("({})", uses.join(", "))
            },
        );
        let variables = format!(
            "{{{}}}",
            values
                .iter()
                .map(|(k, v)| format!("{}:{v}", json_string(k)))
                .collect::<Vec<_>>()
                .join(",")
        );
        let request = HttpRequest::graphql(&query, Some(&variables));
        (kind, self.accept(request))
    }

    fn ids(&mut self) -> (&'static str, HttpRequest) {
        let sel = "__typename id ... on TrainingCenter { name } ... on Participant { sourceId nikMasked } ... on Person { providers }";
        match self.below(6) {
            0 => {
                let id = self.forged_id();
                (
                    "node",
                    self.post(&format!("{{ node(id: {}) {{ {sel} }} }}", json_string(&id))),
                )
            }
            1 => {
                let n = self.size(150);
                let ids: Vec<String> = (0..n)
                    .map(|_| {
                        let id = if self.chance(0.5) {
                            self.real_id()
                        } else {
                            self.forged_id()
                        };
                        json_string(&id)
                    })
                    .collect();
                let request = HttpRequest::graphql(
                    &format!("query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {sel} }} }}"),
                    Some(&format!("{{\"ids\":[{}]}}", ids.join(","))),
                );
                ("nodes", self.accept(request))
            }
            2 => {
                let corpus = self.corpus;
                let people = corpus.ids_of("Person");
                let id = if self.chance(0.3) && !people.is_empty() {
                    self.pick(&people).to_owned()
                } else {
                    self.forged_id()
                };
                ("person", self.post(&format!("{{ person(id: {}) {{ id providers participantRecords {{ sourceId nikMasked }} }} }}", json_string(&id))))
            }
            3 => {
                let (list, field) = self.pick(&[
                    ("courses", "trainingCenterId"),
                    ("courseRuns", "courseId"),
                    ("courseRuns", "trainingCenterId"),
                ]);
                let ids: Vec<String> = (0..1 + self.below(4))
                    .map(|_| json_string(&self.forged_id()))
                    .collect();
                let op = if self.chance(0.5) {
                    format!("_eq: {}", ids[0])
                } else {
                    format!("_in: [{}]", ids.join(", "))
                };
                ("filter", self.post(&format!("{{ {list}(first: 5, where: {{ {field}: {{ {op} }} }}) {{ totalCount nodes {{ id }} }} }}")))
            }
            4 => {
                let id = self.forged_id();
                let request = HttpRequest::graphql(
                    &format!("query($id: ID!) {{ node(id: $id) {{ {sel} }} }}"),
                    Some(&format!("{{\"id\":{}}}", json_string(&id))),
                );
                ("node-variable", self.accept(request))
            }
            _ => {
                let id = self.real_id();
                (
                    "real",
                    self.post(&format!("{{ node(id: {}) {{ {sel} }} }}", json_string(&id))),
                )
            }
        }
    }

    fn cursors(&mut self) -> (&'static str, HttpRequest) {
        let nested = self.chance(0.15);
        let list = if self.chance(0.15) {
            "partnerships"
        } else {
            self.pick(LISTS)
        };
        let cursor = self.forged_cursor(if nested { "course.runs" } else { list });
        let which = if list == "partnerships" || nested {
            "after"
        } else {
            self.pick(&["after", "before"])
        };
        let size = match (which, list, nested) {
            ("before", _, _) => format!("last: {}", 1 + self.below(5)),
            _ => format!("first: {}", 1 + self.below(5)),
        };
        let order = if !nested && list != "partnerships" && self.chance(0.3) {
            match list {
                "courseRuns" => ", order_by: [{ startDate: desc }]",
                "participants" => ", order_by: [{ birthYear: asc }]",
                "trainingCenters" => ", order_by: [{ name: desc }]",
                _ => ", order_by: [{ name: asc }]",
            }
        } else {
            ""
        };
        let args = format!("({size}, {which}: {}{order})", json_string(&cursor));
        let query = if nested {
            format!("{{ courses(first: 3) {{ nodes {{ runs{args} {{ totalCount edges {{ cursor }} }} }} }} }}")
        } else {
            self.list_query(list, &args)
        };
        (
            if nested { "nested" } else { which_kind(which) },
            self.post(&query),
        )
    }

    fn paging(&mut self) -> (&'static str, HttpRequest) {
        let list = self.pick(LISTS);
        let (a, b) = (self.extreme(), self.extreme());
        let (kind, args) = match self.below(7) {
            0 => ("first", format!("(first: {a})")),
            1 => ("last", format!("(last: {a})")),
            2 => ("first-and-last", format!("(first: {a}, last: {b})")),
            3 => ("limit-offset", format!("(limit: {a}, offset: {b})")),
            4 => ("offset", format!("(offset: {a})")),
            5 => ("limit-and-first", format!("(limit: {a}, first: {b})")),
            _ => {
                let q = format!("{{ courses(first: 2) {{ nodes {{ runs(first: {a}) {{ totalCount nodes {{ code }} }} }} }} participants(first: 2) {{ nodes {{ enrollments(first: {b}) {{ totalCount }} }} }} }}");
                return ("nested", self.post(&q));
            }
        };
        let q = self.list_query(list, &args);
        (kind, self.post(&q))
    }

    fn filters(&mut self) -> (&'static str, HttpRequest) {
        let list = self.pick(LISTS);
        let f = self.sdl.query_field(list);
        let where_ty = f
            .args
            .iter()
            .find(|a| a.name == "where")
            .map(|a| a.ty.clone())
            .expect("a where argument");
        let order_ty = f
            .args
            .iter()
            .find(|a| a.name == "order_by")
            .map(|a| a.ty.clone())
            .expect("an order_by argument");
        let (kind, filter) = match self.below(6) {
            0 => ("like", {
                let field = match list {
                    "participants" => "sex",
                    "courseRuns" => "code",
                    _ => "name",
                };
                format!(
                    "{{ {field}: {{ {}: {} }} }}",
                    self.pick(&["_like", "_ilike"]),
                    json_string(&self.like_pattern())
                )
            }),
            1 => ("in", {
                let n = self.size(100_000);
                let (field, item) = match list {
                    "courseRuns" => ("fiscalYear", "2023".to_owned()),
                    "participants" => ("birthYear", "1990".to_owned()),
                    _ => ("provider", json_string("spn")),
                };
                format!(
                    "{{ {field}: {{ {}: [{}] }} }}",
                    self.pick(&["_in", "_nin"]),
                    vec![item; n].join(", ")
                )
            }),
            2 => ("prefix", {
                let field = match list {
                    "participants" => "domicileRegencyCode",
                    "courses" => "trainingCenter: { regionCode",
                    _ => "regionCode",
                };
                let code = if self.chance(0.5) {
                    self.pick(BAD_REGIONS)
                } else {
                    self.pick(REGIONS)
                };
                let close = if field.contains('{') { " }" } else { "" };
                format!("{{ {field}: {{ _prefix: {} }}{close} }}", json_string(code))
            }),
            3 => (
                "wrong-literals",
                self.value(&where_ty, "", "", 0, 0.3).gql(),
            ),
            _ => ("random", self.value(&where_ty, "", "", 0, 0.03).gql()),
        };
        let order = if self.chance(0.4) {
            format!(
                ", order_by: {}",
                self.value(&order_ty, "", "", 0, 0.1).gql()
            )
        } else {
            String::new()
        };
        let first = 1 + self.below(10);
        let q = self.list_query(list, &format!("(first: {first}, where: {filter}{order})"));
        (kind, self.post(&q))
    }

    fn aggregates(&mut self) -> (&'static str, HttpRequest) {
        let name = self.pick(AGGREGATES);
        let f = self.sdl.query_field(name);
        let arg_ty = |n: &str| {
            f.args
                .iter()
                .find(|a| a.name == n)
                .map(|a| a.ty.clone())
                .expect("an aggregate argument")
        };
        let (where_ty, group_ty, having_ty) =
            (arg_ty("where"), arg_ty("group_by"), arg_ty("having"));
        let group_values = match self.sdl.defs.get(group_ty.named()) {
            Some(Def::Enum(values)) => values.clone(),
            _ => Vec::new(),
        };
        let kind = self.pick(&[
            "random",
            "group-by-all",
            "group-by-repeated",
            "having",
            "wrong-literals",
        ]);
        let mut args = Vec::new();
        if kind != "group-by-all" || self.chance(0.5) {
            args.push(format!(
                "where: {}",
                self.value(
                    &where_ty,
                    "",
                    "",
                    0,
                    if kind == "wrong-literals" { 0.3 } else { 0.02 }
                )
                .gql()
            ));
        }
        match kind {
            "group-by-all" => args.push(format!("group_by: [{}]", group_values.join(", "))),
            "group-by-repeated" => {
                let g = self.pick(&group_values);
                args.push(format!(
                    "group_by: [{}]",
                    vec![g; self.size(500)].join(", ")
                ));
            }
            _ => args.push(format!(
                "group_by: {}",
                self.value(&group_ty, "", "", 0, 0.05).gql()
            )),
        }
        if kind == "having" || self.chance(0.3) {
            let having = if kind == "having" && self.chance(0.5) {
                format!(
                    "{{ count: {{ {}: {} }} }}",
                    self.pick(&["_gt", "_lt", "_eq", "_in", "_is_null", "_gte"]),
                    self.wrong_value(0).gql()
                )
            } else {
                self.value(&having_ty, "", "", 0, 0.05).gql()
            };
            args.push(format!("having: {having}"));
        }
        let named = f.ty.named().to_owned();
        let selection = self.selection(&named, 1, 4, 0.0);
        let q = format!(
            "{{ {name}({}) {{ {selection} aggregate {{ count }} suppressedGroups }} }}",
            args.join(", ")
        );
        (kind, self.post(&q))
    }
}

impl Ty {
    /// The item type of a list (or the type itself).
    fn item(&self) -> &Ty {
        match self {
            Ty::NonNull(inner) => inner.item(),
            Ty::List(inner) => inner,
            named => named,
        }
    }
}

fn which_kind(which: &str) -> &'static str {
    if which == "before" {
        "before"
    } else {
        "after"
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// Deterministic regression cases: what the fuzzer found, and a few properties kept from
// breaking again.

type Expectation = fn(&Run, &Outcome) -> Result<(), String>;

struct Regression {
    name: &'static str,
    /// Where the fault lies when this fails.
    at_fault: &'static str,
    /// Requests sent first (their answers are not checked).
    before: Vec<HttpRequest>,
    request: HttpRequest,
    expect: Expectation,
    /// Known to take the whole gateway down: run last.
    fatal: bool,
}

fn body_of(outcome: &Outcome) -> Result<(u16, Value), String> {
    match outcome {
        Outcome::Answered(r) => match r.json() {
            Some(body) => Ok((r.status, body)),
            None => Err(format!(
                "HTTP {} {:?} is not JSON: {}",
                r.status,
                r.header("content-type").unwrap_or(""),
                snippet(&r.text(), 200)
            )),
        },
        other => Err(format!("no response: {other:?}")),
    }
}

fn codes(body: &Value) -> Vec<String> {
    body.get("errors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e.pointer("/extensions/code")
                        .and_then(Value::as_str)
                        .unwrap_or("(none)")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn messages(body: &Value) -> String {
    body.get("errors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .map(|e| snippet(e.get("message").and_then(Value::as_str).unwrap_or(""), 160))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

/// An error with this code, and no provider blamed.
fn expect_code(outcome: &Outcome, code: &str) -> Result<(), String> {
    let (status, body) = body_of(outcome)?;
    let seen = codes(&body);
    if seen.iter().any(|c| c == code) && !seen.iter().any(|c| PROVIDER_CODES.contains(&c.as_str()))
    {
        Ok(())
    } else {
        Err(format!(
            "expected {code}, got HTTP {status} with codes {seen:?}: {}",
            messages(&body)
        ))
    }
}

/// Some errors, no data, and no provider blamed.
fn expect_rejected(outcome: &Outcome) -> Result<(), String> {
    let (status, body) = body_of(outcome)?;
    let seen = codes(&body);
    let data = body.get("data").filter(|d| !d.is_null());
    if !seen.is_empty()
        && data.is_none()
        && !seen.iter().any(|c| PROVIDER_CODES.contains(&c.as_str()))
    {
        Ok(())
    } else {
        Err(format!(
            "expected a rejection, got HTTP {status}: {}",
            snippet(&body.to_string(), 300)
        ))
    }
}

/// No provider blamed for the input (a result, or an error that names the input).
fn expect_no_provider_blamed(outcome: &Outcome) -> Result<(), String> {
    let (status, body) = body_of(outcome)?;
    let seen = codes(&body);
    if seen.iter().any(|c| PROVIDER_CODES.contains(&c.as_str())) {
        Err(format!(
            "HTTP {status}, codes {seen:?}: {}",
            messages(&body)
        ))
    } else {
        Ok(())
    }
}

fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

fn regressions(corpus: &Corpus) -> Vec<Regression> {
    let run_id = corpus.ids_of("CourseRun")[0].to_owned();
    let run_key = decode_id(&run_id).unwrap_or_default();
    let run_key = run_key.splitn(3, ':').nth(2).unwrap_or("x");
    let centre_cursor = corpus.cursors_of("trainingCenters")[0].to_owned();
    let long_like = "%a".repeat(30_000);
    let graphql_response = |r: HttpRequest| r.set("accept", "application/graphql-response+json");
    let fanout = {
        let defs: String = (0..18)
            .map(|i| format!("fragment F{i} on Query {{ ...F{} ...F{} }} ", i + 1, i + 1))
            .collect();
        format!("{{ ...F0 }} {defs} fragment F18 on Query {{ __typename }}")
    };
    vec![
        Regression {
            name: "cursor-after-position-overflow",
            at_fault: "gateway/src/engine/cursor.rs PageRequest::plan: `a.position + 1 + n` overflows for a forged position near usize::MAX (a panic in debug builds: the connection is dropped without a response)",
            before: vec![],
            request: HttpRequest::graphql(
                &format!("{{ courseRuns(first: 2, after: {}) {{ totalCount edges {{ cursor }} }} }}", json_string(&b64(format!("c2:18446744073709551615:{run_key}")))),
                None,
            ),
            expect: |_, o| expect_code(o, "INVALID_CURSOR"),
            fatal: false,
        },
        Regression {
            name: "cursor-before-position-overflow",
            at_fault: "gateway/src/engine/cursor.rs PageRequest::plan: `b.position + 1` overflows for position usize::MAX",
            before: vec![],
            request: HttpRequest::graphql(
                &format!("{{ courseRuns(last: 2, before: {}) {{ totalCount edges {{ cursor }} }} }}", json_string(&b64("c2:18446744073709551615:x"))),
                None,
            ),
            expect: |_, o| expect_code(o, "INVALID_CURSOR"),
            fatal: false,
        },
        Regression {
            name: "cursor-of-another-list",
            at_fault: "gateway/src/engine/cursor.rs",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ courseRuns(first: 2, after: {}) {{ totalCount }} }}", json_string(&centre_cursor)), None),
            expect: |_, o| expect_code(o, "INVALID_CURSOR"),
            fatal: false,
        },
        Regression {
            name: "truncated-cursor",
            at_fault: "gateway/src/engine/cursor.rs",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ trainingCenters(first: 2, after: {}) {{ totalCount }} }}", json_string(&centre_cursor[..centre_cursor.len() / 2])), None),
            expect: |_, o| expect_code(o, "INVALID_CURSOR"),
            fatal: false,
        },
        Regression {
            name: "forged-id-of-an-unknown-type",
            at_fault: "gateway/src/graphql/query.rs node",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ node(id: {}) {{ id }} }}", json_string(&b64("gw:Participant:1"))), None),
            expect: |_, o| expect_code(o, "INVALID_ID"),
            fatal: false,
        },
        Regression {
            name: "nodes-above-the-page-size",
            at_fault: "gateway/src/graphql/query.rs nodes",
            before: vec![],
            request: HttpRequest::graphql(
                "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                Some(&format!("{{\"ids\":[{}]}}", vec![json_string(&run_id); 101].join(","))),
            ),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "first-negative",
            at_fault: "gateway/src/engine/cursor.rs",
            before: vec![],
            request: HttpRequest::graphql("{ courseRuns(first: -1) { totalCount } }", None),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "first-and-last",
            at_fault: "gateway/src/engine/cursor.rs",
            before: vec![],
            request: HttpRequest::graphql("{ courseRuns(first: 1, last: 1) { totalCount } }", None),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "first-far-above-the-page-size-is-bad-user-input",
            at_fault: "gateway/src/graphql/query.rs: the complexity of a list multiplies the unchecked `first` (2^31-1 × children), so the request fails as `Query is too complex.` without a code before the resolver can say `first` is above max_page_size (config.rs documents BAD_USER_INPUT)",
            before: vec![],
            request: HttpRequest::graphql("{ courseRuns(first: 2147483647) { nodes { code } } }", None),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "null-for-a-non-null-variable-is-a-request-error",
            at_fault: "gateway/src/http/graphql.rs",
            before: vec![],
            request: graphql_response(HttpRequest::graphql("query($id: ID!) { node(id: $id) { id } }", Some("{\"id\":null}"))),
            expect: |_, o| expect_request_error_uncoded(o),
            fatal: false,
        },
        Regression {
            name: "missing-required-variable-is-a-request-error",
            at_fault: "gateway/src/http/graphql.rs execute: async-graphql reports a missing non-null variable while resolving (`data: null` and an uncoded error at path [\"node\"], HTTP 200), where the module's contract (and the GraphQL-over-HTTP spec) make variable coercion a request error: 400 without data",
            before: vec![],
            request: graphql_response(HttpRequest::graphql("query($id: ID!) { node(id: $id) { id } }", Some("{}"))),
            expect: |_, o| expect_request_error_uncoded(o),
            fatal: false,
        },
        Regression {
            name: "unknown-operation-name",
            at_fault: "gateway/src/http/graphql.rs",
            before: vec![],
            request: graphql_response(HttpRequest::post(r#"{"query":"query A { __typename } query B { __typename }","operationName":"C"}"#)),
            expect: |_, o| expect_request_error_uncoded(o),
            fatal: false,
        },
        Regression {
            name: "mutation-over-get",
            at_fault: "gateway/src/http/graphql.rs get",
            before: vec![],
            request: HttpRequest::get_params(&[("query", "mutation { __typename }")]),
            expect: |_, o| match o {
                Outcome::Answered(r) if r.status == 405 && r.header("allow") == Some("POST") => Ok(()),
                other => Err(format!("expected 405 with Allow: POST, got {}", other.label())),
            },
            fatal: false,
        },
        Regression {
            name: "malformed-persisted-query-hash-is-a-client-error",
            at_fault: "gateway/src/http/admission.rs persisted: simpul_store's PersistedQueries::get refuses a hash that is not 64 lowercase hex digits with Error::Invalid, and every store error becomes 503 STORE_UNAVAILABLE (logged as `persisted queries unavailable`); `../../etc/passwd` or an upper-case hash is the client's mistake (400)",
            before: vec![],
            request: HttpRequest::post(r#"{"query":"","extensions":{"persistedQuery":{"version":1,"sha256Hash":"ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"}}}"#),
            expect: |_, o| match body_of(o)? {
                (400, body) if !codes(&body).iter().any(|c| c == "STORE_UNAVAILABLE" || c == "(none)") => Ok(()),
                (status, body) => Err(format!("expected 400 with a code, got {status}: {body}")),
            },
            fatal: false,
        },
        Regression {
            name: "unknown-key-is-401",
            at_fault: "gateway/src/access/mod.rs Access::admit",
            before: vec![],
            request: HttpRequest::post("{\"query\":\"{ __typename }\"}").set("authorization", "Bearer not-a-key"),
            expect: |_, o| match body_of(o)? {
                (401, body) if codes(&body) == ["UNAUTHENTICATED"] => Ok(()),
                (status, body) => Err(format!("expected 401 UNAUTHENTICATED, got {status}: {body}")),
            },
            fatal: false,
        },
        Regression {
            name: "text-plain-is-415",
            at_fault: "gateway/src/http/graphql.rs post",
            before: vec![],
            request: HttpRequest::post("{\"query\":\"{ __typename }\"}").set("content-type", "text/plain"),
            expect: |_, o| match body_of(o)? {
                (415, body) if codes(&body) == ["BAD_REQUEST"] => Ok(()),
                (status, body) => Err(format!("expected 415 BAD_REQUEST, got {status}: {body}")),
            },
            fatal: false,
        },
        Regression {
            name: "body-over-the-limit-is-a-json-413",
            at_fault: "gateway/src/http/mod.rs router: DefaultBodyLimit's rejection is axum's text/plain `Failed to buffer the request body: length limit exceeded`, not a GraphQL error body with a code",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ __typename }} #{}", "x".repeat(MAX_BODY + 10)), None),
            expect: |_, o| match body_of(o)? {
                (413, body) if !codes(&body).is_empty() && codes(&body).iter().all(|c| c != "(none)") => Ok(()),
                (status, body) => Err(format!("expected 413 with a coded error, got {status}: {body}")),
            },
            fatal: false,
        },
        Regression {
            name: "syntax-error-message-is-bounded",
            at_fault: "gateway/src/http/graphql.rs execute: a parse error's message is pest's excerpt of the whole offending line, so a 100 KB one-line document gets a 200 KB message (and a 1 MiB one 2 MB, after ~10 s of parsing in a debug build)",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ __typename {} !!! }}", "x ".repeat(50_000)), None),
            expect: |_, o| {
                let (_, body) = body_of(o)?;
                let longest = body
                    .get("errors")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e.get("message").and_then(Value::as_str))
                    .map(str::len)
                    .max()
                    .unwrap_or(0);
                if longest > 0 && longest <= MAX_MESSAGE {
                    Ok(())
                } else {
                    Err(format!("longest error message: {longest} bytes"))
                }
            },
            fatal: false,
        },
        Regression {
            name: "fragment-fanout-is-rejected",
            at_fault: "gateway/src/graphql/mod.rs build / gateway/src/http/graphql.rs execute: nothing bounds how many fields fragment spreads expand to; async-graphql's validation expands each spread again (2^depth work from a ~1 KB document: depth 18 takes ~1 s, depth 30 runs for hours), synchronously on a runtime worker where request_timeout cannot stop it, and /healthz stops answering meanwhile",
            before: vec![],
            request: HttpRequest::graphql(&fanout, None),
            expect: |_, o| expect_rejected(o),
            fatal: false,
        },
        Regression {
            name: "deep-filter-is-bad-user-input",
            at_fault: "gateway/src/graphql/filters (no bound on the depth of `where`) and gateway/src/host/mod.rs CallError::code (a plugin's BadRequest becomes PROVIDER_ERROR): a `_not` nested 150 deep passes the gateway and every plugin rejects it (`not a valid request: recursion limit exceeded`), reported as PROVIDER_ERROR from each provider beside `totalCount: 0`",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ trainingCenters(where: {}) {{ totalCount }} }}", nested("{_not: ", "{name: {_eq: \"x\"}}", "}", 150)), None),
            expect: |_, o| expect_code(o, "BAD_USER_INPUT"),
            fatal: false,
        },
        Regression {
            name: "long-like-pattern-is-not-a-provider-failure",
            at_fault: "adapters/bbplk/src/query/filter.rs (SQLite refuses LIKE patterns over 50,000 bytes: `LIKE or GLOB pattern too complex`) and gateway/src/host/mod.rs CallError::code / is_callers_fault (SOURCE_ERROR becomes PROVIDER_UNAVAILABLE and counts as a breaker failure)",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ trainingCenters(where: {{ name: {{ _like: {} }} }}) {{ totalCount }} }}", json_string(&long_like)), None),
            expect: |_, o| expect_no_provider_blamed(o),
            fatal: false,
        },
        Regression {
            name: "long-in-list-is-not-a-provider-failure",
            at_fault: "adapters/bbplk/src/query/filter.rs binds every `_in` item as an SQL parameter (`too many SQL variables` past SQLite's 32,766) and gateway/src/host/mod.rs turns it into PROVIDER_UNAVAILABLE",
            before: vec![],
            request: HttpRequest::graphql(
                "query($s: [Int!]) { courseRuns(where: { fiscalYear: { _nin: $s } }) { totalCount } }",
                Some(&format!("{{\"s\":[{}]}}", (0..40_000).map(|i| i.to_string()).collect::<Vec<_>>().join(","))),
            ),
            expect: |_, o| expect_no_provider_blamed(o),
            fatal: false,
        },
        Regression {
            name: "client-input-cannot-open-a-breaker",
            at_fault: "gateway/src/host/mod.rs Provider::attempt: an adapter's SOURCE_ERROR caused by the query itself counts as a breaker failure, so five anonymous requests with a long `_like` open BBPLK's breaker and every caller loses BBPLK for open_ms",
            before: (0..6)
                .map(|_| HttpRequest::graphql(&format!("{{ trainingCenters(where: {{ name: {{ _like: {} }} }}) {{ totalCount }} }}", json_string(&long_like)), None))
                .collect(),
            request: HttpRequest::get("/readyz"),
            expect: |run, _| {
                let open = run.open_breakers();
                if open.is_empty() {
                    Ok(())
                } else {
                    Err(format!("open breakers after six long `_like` filters: {open:?}"))
                }
            },
            fatal: false,
        },
        Regression {
            name: "deep-filter-literal-does-not-crash",
            at_fault: "gateway/src/http/admission.rs admit parses the document (async_graphql::parser::parse_query) before any depth check, and async_graphql_parser::parse::parse_value recurses without a limit (only selection sets are limited): a `_not` literal nested 300 deep (a 6 KB body) overflows the worker's stack and aborts the whole process (Schema::execute in gateway/src/http/graphql.rs execute would parse it the same way)",
            before: vec![],
            request: HttpRequest::graphql(&format!("{{ trainingCenters(where: {}) {{ totalCount }} }}", nested("{_not: ", "{name: {_eq: \"x\"}}", "}", 300)), None),
            expect: |_, o| expect_rejected(o),
            fatal: true,
        },
        Regression {
            name: "deep-list-literal-over-get-does-not-crash",
            at_fault: "gateway/src/http/graphql.rs is_mutation parses the GET document with async_graphql::parser::parse_query before any limit, and parse_value overflows the stack on a list literal nested 500 deep",
            before: vec![],
            request: HttpRequest::get_params(&[("query", &format!("{{ nodes(ids: {}) {{ id }} }}", nested("[", "\"x\"", "]", 500)))]),
            expect: |_, o| expect_rejected(o),
            fatal: true,
        },
    ]
}

/// A request error (400, no data) whose errors have messages; library request errors carry
/// no code, so none is required.
fn expect_request_error_uncoded(outcome: &Outcome) -> Result<(), String> {
    let (status, body) = body_of(outcome)?;
    let errors = body
        .get("errors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if status == 400 && body.get("data").is_none() && !errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "expected 400 without data, got HTTP {status}: {}",
            snippet(&body.to_string(), 300)
        ))
    }
}
