//! Request ids: every request runs in a `request` span carrying its id, so every log line it
//! causes names it. The id comes from the client's `x-request-id` when that is a sane token,
//! else it is made up; either way it is echoed in the response's `x-request-id`. A W3C
//! `traceparent` header is kept on the span, so exported traces join the caller's.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

const HEADER: &str = "x-request-id";

/// Run the request inside its span and echo its id.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_owned)
        .unwrap_or_else(new_id);
    // Handlers (the audit log) read the id from the request's header.
    if let Ok(value) = HeaderValue::from_str(&id) {
        request.headers_mut().insert(HEADER, value);
    }
    let span = tracing::info_span!("request", id = %id, traceparent = tracing::field::Empty);
    // A W3C `traceparent` joins the caller's trace in the exported spans (`crate::telemetry`
    // checks its shape; a malformed one starts a trace of its own).
    if let Some(parent) = request
        .headers()
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 128)
    {
        span.record("traceparent", parent);
    }
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::info!(%method, %path, status = response.status().as_u16(), ms = started.elapsed().as_millis() as u64, "request finished");
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

/// A fresh id: the process start time and a counter, as hex.
fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = *START.get_or_init(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    format!("{start:x}-{:x}", COUNTER.fetch_add(1, Ordering::Relaxed))
}
