//! The properties every response is held to: what counts as a violation ([`check`]), the
//! statuses and codes allowed, and the helpers that name what a response said ([`Seen`],
//! [`normalise`], [`snippet`]).

use std::time::Duration;

use serde_json::Value;
use simpul_tests::sixteen_digit_runs;

use crate::client::{HttpRequest, Outcome};
use crate::values::percent_decode;

/// Longest a response may take.
pub(crate) const DEADLINE: Duration = Duration::from_secs(10);
/// Longest error message that still reads as one.
pub(crate) const MAX_MESSAGE: usize = 8 * 1024;
/// Statuses a client can act on (401 and 403 for keys and roles).
const STATUSES: &[u16] = &[200, 400, 401, 403, 404, 405, 406, 413, 415, 422, 429, 504];
/// Statuses hyper answers itself, before any route runs, without a body: URI too long, header
/// fields too large (and 400, without a body, for a request it cannot parse).
const BEFORE_ROUTING: &[u16] = &[414, 431];
/// Codes that blame a provider: a healthy demo provider should never fail on client input.
pub(crate) const PROVIDER_CODES: &[&str] =
    &["PROVIDER_ERROR", "PROVIDER_UNAVAILABLE", "PLUGIN_PANIC"];

/// One broken property.
pub(crate) struct Violation {
    pub(crate) property: &'static str,
    pub(crate) detail: String,
}

pub(crate) fn violation(property: &'static str, detail: impl Into<String>) -> Violation {
    Violation {
        property,
        detail: detail.into(),
    }
}

/// What a response says about itself, for the table and the category's expectation
/// (`expect.rs`).
#[derive(Default)]
pub(crate) struct Seen {
    /// The status, when a response came.
    pub(crate) status: Option<u16>,
    /// hyper's own answer before any route (414, 431, or a 400 without a body).
    pub(crate) bare: bool,
    pub(crate) codes: Vec<String>,
    pub(crate) uncoded: Vec<String>,
    pub(crate) provider_failure: bool,
}

/// The properties every response must have.
pub(crate) fn check(
    request: &HttpRequest,
    raw: &[u8],
    outcome: &Outcome,
) -> (Vec<Violation>, Seen) {
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
    seen.status = Some(status);
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
        seen.bare = true;
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

pub(crate) fn snippet(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.replace('\n', "⏎");
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", text[..end].replace('\n', "⏎"), text.len())
}
