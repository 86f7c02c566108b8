//! OpenTelemetry export against the real binary: a tiny OTLP/HTTP receiver on 127.0.0.1
//! captures what `simpul serve` POSTs to `/v1/traces` (`OTEL_EXPORTER_OTLP_ENDPOINT`), and a
//! query that reaches adapters must come back as a `request` span with `adapter_call` children
//! in its trace, without the query's variables. A collector that is not there, or that never
//! answers, must cost the spans, not the requests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use simpul_tests::{demo_with, sixteen_digit_runs, wait_until, Gateway, PATIENCE};

/// What the receiver was sent: (path, body) per POST.
type Posts = Arc<Mutex<Vec<(String, String)>>>;

/// An OTLP/HTTP receiver: answers every POST with 200 `{}` and keeps its path and body.
struct Collector {
    url: String,
    posts: Posts,
}

impl Collector {
    fn start() -> Collector {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the collector");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let posts: Posts = Arc::default();
        let kept = Arc::clone(&posts);
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let kept = Arc::clone(&kept);
                std::thread::spawn(move || {
                    let _ = receive(stream, &kept);
                });
            }
        });
        Collector { url, posts }
    }

    /// Every span received so far, each with its resource's attributes.
    fn spans(&self) -> Vec<(Value, Value)> {
        let posts = self.posts.lock().unwrap();
        let mut spans = Vec::new();
        for (_, body) in posts.iter() {
            let json: Value = serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("the export is not JSON ({e}): {body}"));
            for resource_spans in json["resourceSpans"].as_array().into_iter().flatten() {
                let resource = resource_spans["resource"].clone();
                for scope in resource_spans["scopeSpans"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    for span in scope["spans"].as_array().into_iter().flatten() {
                        spans.push((resource.clone(), span.clone()));
                    }
                }
            }
        }
        spans
    }
}

/// Serve one connection's requests (keep-alive) until it closes.
fn receive(stream: TcpStream, posts: &Posts) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header)?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        posts
            .lock()
            .unwrap()
            .push((path, String::from_utf8_lossy(&body).into_owned()));
        writer.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
        )?;
    }
}

fn attribute<'a>(item: &'a Value, key: &str) -> Option<&'a Value> {
    item["attributes"]
        .as_array()?
        .iter()
        .find(|a| a["key"] == key)
        .map(|a| &a["value"])
}

fn text<'a>(item: &'a Value, key: &str) -> Option<&'a str> {
    attribute(item, key).and_then(|v| v["stringValue"].as_str())
}

/// POST a query with variables and our own request id; returns status and body.
fn query(gw: &Gateway, request_id: &str, query: &str, variables: Value) -> (u16, Value) {
    let response = ureq::post(&format!("{}/graphql", gw.base))
        .set("content-type", "application/json")
        .set("x-request-id", request_id)
        .send_string(&json!({ "query": query, "variables": variables }).to_string());
    let (status, text) = match response {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("request failed: {e}"),
    };
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The query: a person looked up by NIK (a variable, as the gateway demands: personal data)
/// and SPN's participants counted, so that adapters are called.
const QUERY: &str = "query($nik: String!, $provider: String!) { personByNik(nik: $nik) { id } \
                     participants(first: 2, where: { provider: { _eq: $provider } }) { totalCount } }";
const NIK: &str = "3602134507900001";

#[test]
fn the_request_span_and_its_adapter_calls_reach_the_collector_without_personal_data() {
    let collector = Collector::start();
    let (gw, _dir) = demo_with(
        "telemetry-export",
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url.as_str()),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ],
    );
    let (status, body) = query(
        &gw,
        "telemetry-e2e-1",
        QUERY,
        json!({ "nik": NIK, "provider": "spn" }),
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body["data"]["participants"]["totalCount"].as_u64() > Some(0),
        "{body}"
    );

    // The request span, and SPN's adapter call as its child in the same trace.
    let mut found = None;
    let arrived = wait_until(PATIENCE, || {
        let spans = collector.spans();
        let Some((resource, request)) = spans.iter().find(|(_, s)| {
            s["name"] == "request" && text(s, "simpul.request.id") == Some("telemetry-e2e-1")
        }) else {
            return false;
        };
        let calls: Vec<Value> = spans
            .iter()
            .filter(|(_, s)| s["name"] == "adapter_call" && s["parentSpanId"] == request["spanId"])
            .map(|(_, s)| s.clone())
            .collect();
        if calls
            .iter()
            .any(|c| text(c, "simpul.provider") == Some("spn"))
        {
            found = Some((resource.clone(), request.clone(), calls));
            true
        } else {
            false
        }
    });
    assert!(
        arrived,
        "no request span with an SPN adapter call within {PATIENCE:?}; received: {:?}\nthe gateway's log:\n{}",
        collector.posts.lock().unwrap(),
        gw.log()
    );
    let (resource, request, calls) = found.unwrap();
    assert_eq!(text(&resource, "service.name"), Some("simpul"));
    assert_eq!(
        text(&resource, "service.instance.id").map(str::len),
        Some(36),
        "{resource}"
    );
    let hex = |v: &Value, len: usize| {
        v.as_str()
            .is_some_and(|s| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    assert!(hex(&request["traceId"], 32), "{request}");
    assert!(hex(&request["spanId"], 16), "{request}");
    assert!(request.get("parentSpanId").is_none(), "{request}");
    assert_eq!(request["kind"], 2, "SERVER: {request}");
    assert_eq!(
        attribute(&request, "http.response.status_code"),
        Some(&json!({ "intValue": "200" })),
        "{request}"
    );
    assert_eq!(text(&request, "url.path"), Some("/graphql"), "{request}");
    let start: u128 = request["startTimeUnixNano"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let end: u128 = request["endTimeUnixNano"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(start <= end, "{request}");
    for call in &calls {
        assert_eq!(call["traceId"], request["traceId"], "{call}");
        assert!(hex(&call["spanId"], 16), "{call}");
        assert_ne!(call["spanId"], request["spanId"]);
        assert_eq!(call["kind"], 1, "INTERNAL: {call}");
        assert!(text(call, "simpul.provider").is_some(), "{call}");
        assert!(text(call, "simpul.collection").is_some(), "{call}");
        let call_start: u128 = call["startTimeUnixNano"].as_str().unwrap().parse().unwrap();
        assert!(call_start >= start, "{call}");
    }

    // Nothing personal left the process: not the NIK, nor any other 16-digit number.
    let posts = collector.posts.lock().unwrap().clone();
    assert!(
        posts.iter().all(|(path, _)| path == "/v1/traces"),
        "{posts:?}"
    );
    for (_, body) in &posts {
        assert!(!body.contains(NIK), "{body}");
        assert!(sixteen_digit_runs(body).is_empty(), "{body}");
        assert!(!body.contains("personByNik"), "no query text: {body}");
    }

    // A caller's W3C traceparent: the request span joins the caller's trace, under its span.
    let response = ureq::post(&format!("{}/graphql", gw.base))
        .set("content-type", "application/json")
        .set("x-request-id", "telemetry-e2e-traced")
        .set(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .send_string(&json!({ "query": "{ providers { key } }" }).to_string());
    assert!(response.is_ok(), "{response:?}");
    let joined = wait_until(PATIENCE, || {
        collector.spans().iter().any(|(_, s)| {
            text(s, "simpul.request.id") == Some("telemetry-e2e-traced")
                && s["traceId"] == "4bf92f3577b34da6a3ce929d0e0e4736"
                && s["parentSpanId"] == "00f067aa0ba902b7"
        })
    });
    assert!(joined, "the request span did not join the caller's trace");
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Send `n` queries; all must be answered, none slowly. Returns the slowest.
fn queries_are_answered(gw: &Gateway, n: usize) -> Duration {
    let mut slowest = Duration::ZERO;
    for i in 0..n {
        let started = Instant::now();
        let (status, body) = query(
            gw,
            &format!("unreachable-{i}"),
            QUERY,
            json!({ "nik": NIK, "provider": "spn" }),
        );
        slowest = slowest.max(started.elapsed());
        assert_eq!(status, 200, "{body}");
        assert!(
            body["data"]["participants"]["totalCount"].is_u64(),
            "{body}"
        );
    }
    slowest
}

#[test]
fn an_unreachable_collector_costs_the_spans_not_the_requests() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let (gw, _dir) = demo_with(
        "telemetry-unreachable",
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", url.as_str()),
            ("OTEL_BSP_SCHEDULE_DELAY", "50"),
        ],
    );
    queries_are_answered(&gw, 10);
    let warning = |l: &str| l.contains("WARN") && l.contains("OpenTelemetry export");
    gw.wait_for_log_line("warning about the export", warning);
    // More requests, more failed exports (one every 50 ms): still one warning a minute.
    queries_are_answered(&gw, 10);
    std::thread::sleep(Duration::from_millis(500));
    let log = gw.log();
    assert_eq!(log.lines().filter(|l| warning(l)).count(), 1, "{log}");
    let (status, _) = gw.get("/healthz");
    assert_eq!(status, 200);
}

#[test]
fn a_collector_that_never_answers_does_not_slow_the_requests() {
    // Accepts connections and never reads or answers them.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let held = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&held);
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            keep.lock().unwrap().push(stream);
        }
    });
    let (gw, _dir) = demo_with(
        "telemetry-blackhole",
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", url.as_str()),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "30000"),
            ("OTEL_BSP_SCHEDULE_DELAY", "10"),
            // A tiny queue: it is full while the export hangs, and spans are dropped.
            ("OTEL_BSP_MAX_QUEUE_SIZE", "2"),
        ],
    );
    // The export of the first spans hangs (for 30 s); meanwhile every request is answered.
    let slowest = queries_are_answered(&gw, 30);
    assert!(
        slowest < Duration::from_secs(10),
        "a request took {slowest:?}"
    );
    assert!(
        !held.lock().unwrap().is_empty(),
        "the gateway never tried to export"
    );

    // Nor is stopping held up by the hung export: `simpul serve` flushes for 3 s at most on
    // SIGTERM (main's grace), not for the 30 s of the export's timeout.
    let stopping = Instant::now();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &gw.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
    let stopped = wait_until(PATIENCE, || has_exited(gw.pid()));
    let took = stopping.elapsed();
    assert!(
        stopped && took < Duration::from_secs(15),
        "the gateway took {took:?} to stop (exited: {stopped}); its log:\n{}",
        gw.log()
    );
}

/// Whether the process `pid` (our child, not yet reaped) has exited: a zombie, or gone.
fn has_exited(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // `pid (comm) S …`: the state follows the command's closing parenthesis.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => true,
    }
}
