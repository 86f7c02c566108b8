//! A raw HTTP/1.1 client: every byte of the request is ours, and a dropped connection or a
//! missed deadline is an outcome, not a panic. Owns the request the fuzzer sends
//! ([`HttpRequest`]), what came back ([`Outcome`]) and the reading of a raw response.

use std::fmt::Write as _;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::values::{json_string, percent_encode};

#[derive(Clone, Debug)]
pub(crate) struct HttpRequest {
    pub(crate) method: String,
    pub(crate) target: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    pub(crate) chunked: bool,
}

impl HttpRequest {
    /// POST /graphql with a JSON content type and `Accept: application/json`.
    pub(crate) fn post(body: impl Into<Vec<u8>>) -> HttpRequest {
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
    pub(crate) fn graphql(query: &str, variables: Option<&str>) -> HttpRequest {
        let mut body = format!("{{\"query\":{}", json_string(query));
        if let Some(variables) = variables {
            let _ = write!(body, ",\"variables\":{variables}");
        }
        body.push('}');
        HttpRequest::post(body)
    }

    /// GET a path (with its query string).
    pub(crate) fn get(target: &str) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            target: target.into(),
            headers: vec![("accept".into(), b"application/json".to_vec())],
            body: Vec::new(),
            chunked: false,
        }
    }

    /// GET /graphql with these parameters, percent-encoded.
    pub(crate) fn get_params(params: &[(&str, &str)]) -> HttpRequest {
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect();
        HttpRequest::get(&format!("/graphql?{}", query.join("&")))
    }

    /// Replace a header (or add it).
    pub(crate) fn set(mut self, name: &str, value: impl Into<Vec<u8>>) -> HttpRequest {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Add a header, keeping any of the same name.
    pub(crate) fn add(mut self, name: &str, value: impl Into<Vec<u8>>) -> HttpRequest {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub(crate) fn remove(mut self, name: &str) -> HttpRequest {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self
    }

    fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    pub(crate) fn wants_html(&self) -> bool {
        self.header("accept")
            .is_some_and(|a| String::from_utf8_lossy(a).contains("text/html"))
    }

    /// The request on the wire.
    pub(crate) fn bytes(&self, host: &str) -> Vec<u8> {
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
pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    headers: Headers,
    pub(crate) body: Vec<u8>,
}

impl HttpResponse {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Debug)]
pub(crate) enum Outcome {
    Answered(HttpResponse),
    /// No complete response within the deadline.
    Timeout,
    /// The connection ended without a complete response.
    Closed(String),
    /// Nobody listens any more.
    Refused(String),
}

impl Outcome {
    pub(crate) fn label(&self) -> String {
        match self {
            Outcome::Answered(r) => r.status.to_string(),
            Outcome::Timeout => "timeout".into(),
            Outcome::Closed(_) => "closed".into(),
            Outcome::Refused(_) => "refused".into(),
        }
    }
}

/// Send `raw` and read the response, all within `deadline`.
pub(crate) fn exchange(addr: SocketAddr, raw: &[u8], deadline: Duration) -> (Outcome, Duration) {
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
