//! OTLP/JSON encoding of the resource and the closed spans, and the export thread: batching,
//! the timeout of each POST, the flush on stop and the once-a-minute warning.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::layer::{new_trace_id, AttributeValue, FinishedSpan};
use super::{Message, Queue, Settings, LOG_TARGET};

/// Start the thread that ships what `receiver` is sent; what it returns hears from the thread
/// once it has stopped.
pub(super) fn spawn(
    settings: Settings,
    queue: Arc<Queue>,
    receiver: Receiver<Message>,
) -> std::io::Result<Receiver<()>> {
    let (done_tx, done) = mpsc::channel();
    let exporter = Exporter {
        resource: resource(&settings.service_name),
        settings,
        queue,
        last_warning: None,
        lost_since_warning: 0,
        dropped_reported: 0,
    };
    std::thread::Builder::new()
        .name("simpul-otlp".into())
        .spawn(move || {
            exporter.run(receiver);
            let _ = done_tx.send(());
        })?;
    Ok(done)
}

/// The resource's attributes.
pub(super) fn resource(service_name: &str) -> Value {
    let instance = format!("{:032x}", new_trace_id());
    json!({ "attributes": [
        text("service.name", service_name),
        text("service.version", env!("CARGO_PKG_VERSION")),
        text(
            "service.instance.id",
            // A random UUID (version 4 layout).
            &format!(
                "{}-{}-4{}-{:x}{}-{}",
                &instance[0..8],
                &instance[8..12],
                &instance[13..16],
                8 | (u8::from_str_radix(&instance[16..17], 16).unwrap_or(0) & 3),
                &instance[17..20],
                &instance[20..32]
            ),
        ),
        text("telemetry.sdk.name", "simpul"),
        text("telemetry.sdk.language", "rust"),
        text("telemetry.sdk.version", env!("CARGO_PKG_VERSION")),
    ]})
}

fn text(key: &str, value: &str) -> Value {
    json!({ "key": key, "value": { "stringValue": value } })
}

fn nanos(time: SystemTime) -> String {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
        .to_string()
}

/// One OTLP/JSON `ExportTraceServiceRequest` body.
pub(super) fn encode(resource: &Value, spans: &[FinishedSpan]) -> Value {
    let spans: Vec<Value> = spans
        .iter()
        .map(|span| {
            let attributes: Vec<Value> = span
                .attributes
                .iter()
                .map(|(key, value)| match value {
                    AttributeValue::Text(v) => text(key, v),
                    // int64 is a decimal string in OTLP/JSON.
                    AttributeValue::Int(v) => {
                        json!({ "key": key, "value": { "intValue": v.to_string() } })
                    }
                })
                .collect();
            let mut out = json!({
                "traceId": format!("{:032x}", span.trace_id),
                "spanId": format!("{:016x}", span.span_id),
                "name": span.name,
                "kind": span.kind.otlp(),
                "startTimeUnixNano": nanos(span.start),
                "endTimeUnixNano": nanos(span.end),
                "attributes": attributes,
                "status": match &span.error {
                    Some(message) => json!({ "code": 2, "message": message }),
                    None => json!({}),
                },
            });
            if let Some(parent) = span.parent_span_id {
                out["parentSpanId"] = json!(format!("{parent:016x}"));
            }
            out
        })
        .collect();
    json!({ "resourceSpans": [{
        "resource": resource,
        "scopeSpans": [{
            "scope": { "name": "simpul-gateway", "version": env!("CARGO_PKG_VERSION") },
            "spans": spans,
        }],
    }]})
}

/// The thread that ships batches.
struct Exporter {
    settings: Settings,
    resource: Value,
    queue: Arc<Queue>,
    last_warning: Option<Instant>,
    /// Spans lost (failed exports, full queue) since the last warning.
    lost_since_warning: u64,
    /// The queue's drop count at the last warning.
    dropped_reported: u64,
}

/// Warnings about the export come this often at most.
const WARNING_INTERVAL: Duration = Duration::from_secs(60);

impl Exporter {
    fn run(mut self, receiver: Receiver<Message>) {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(e) => {
                tracing::warn!(
                    target: LOG_TARGET,
                    "OpenTelemetry export is off: cannot start its runtime: {e}"
                );
                return;
            }
        };
        // reqwest's client and its futures need the runtime's context.
        let _context = runtime.enter();
        let client = match reqwest::Client::builder()
            .timeout(self.settings.timeout)
            .build()
        {
            Ok(client) => client,
            Err(e) => {
                tracing::warn!(
                    target: LOG_TARGET,
                    "OpenTelemetry export is off: cannot make its HTTP client: {e}"
                );
                return;
            }
        };
        let mut batch: Vec<FinishedSpan> = Vec::new();
        let mut due = Instant::now() + self.settings.schedule_delay;
        loop {
            let message = receiver.recv_timeout(due.saturating_duration_since(Instant::now()));
            match message {
                Ok(Message::Span(span)) => {
                    batch.push(*span);
                    if batch.len() >= self.settings.max_batch {
                        self.ship(&runtime, &client, &mut batch, None);
                        due = Instant::now() + self.settings.schedule_delay;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if !batch.is_empty() {
                        self.ship(&runtime, &client, &mut batch, None);
                    }
                    self.warn_about_drops();
                    due = Instant::now() + self.settings.schedule_delay;
                }
                Ok(Message::Flush) | Err(RecvTimeoutError::Disconnected) => {
                    while let Ok(Message::Span(span)) = receiver.try_recv() {
                        batch.push(*span);
                    }
                    let deadline = Instant::now() + self.settings.timeout;
                    while !batch.is_empty() && Instant::now() < deadline {
                        self.ship(&runtime, &client, &mut batch, Some(deadline));
                    }
                    return;
                }
            }
        }
    }

    /// POST up to a batch of `pending` (removing them, shipped or lost).
    fn ship(
        &mut self,
        runtime: &tokio::runtime::Runtime,
        client: &reqwest::Client,
        pending: &mut Vec<FinishedSpan>,
        deadline: Option<Instant>,
    ) {
        let count = pending.len().min(self.settings.max_batch);
        let batch: Vec<FinishedSpan> = pending.drain(..count).collect();
        let body = encode(&self.resource, &batch).to_string();
        let timeout = deadline.map_or(self.settings.timeout, |d| {
            d.saturating_duration_since(Instant::now())
        });
        let request = client
            .post(&self.settings.traces_url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send();
        let outcome = runtime.block_on(async {
            match tokio::time::timeout(timeout, request).await {
                Err(_) => Err(format!("no answer within {} ms", timeout.as_millis())),
                Ok(Err(e)) => Err(error_chain(&e)),
                Ok(Ok(response)) if response.status().is_success() => Ok(()),
                Ok(Ok(response)) => Err(format!("the collector answered {}", response.status())),
            }
        });
        if let Err(reason) = outcome {
            self.lost_since_warning += batch.len() as u64;
            self.warn(&format!("cannot export spans: {reason}"));
        }
    }

    /// Warn about spans a full queue dropped, if any since the last warning.
    fn warn_about_drops(&mut self) {
        if self.queue.dropped.load(Ordering::Relaxed) > self.dropped_reported {
            self.warn("the queue of spans to export was full");
        }
    }

    /// Warn, at most once per [`WARNING_INTERVAL`].
    fn warn(&mut self, what: &str) {
        if self
            .last_warning
            .is_some_and(|at| at.elapsed() < WARNING_INTERVAL)
        {
            return;
        }
        let dropped = self.queue.dropped.load(Ordering::Relaxed);
        let lost = self.lost_since_warning + (dropped - self.dropped_reported);
        tracing::warn!(
            target: LOG_TARGET,
            url = %self.settings.traces_url,
            "OpenTelemetry export: {what}; {lost} spans lost since the last such warning \
             (requests are served as usual; this warning comes once a minute at most)"
        );
        self.last_warning = Some(Instant::now());
        self.lost_since_warning = 0;
        self.dropped_reported = dropped;
    }
}

/// An error and its sources, `: `-separated.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
