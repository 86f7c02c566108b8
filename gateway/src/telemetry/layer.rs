//! The tracing layer: which spans are recorded (`request`, `adapter_call`) and which of their
//! fields, the events that complete them, parent links and a caller's `traceparent`, and the
//! random trace and span ids.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::TrySendError;
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Filter, Layer};
use tracing_subscriber::registry::LookupSpan;

use super::{Message, Queue};

/// Which of the two spans, and how it is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Request,
    AdapterCall,
}

impl Kind {
    fn of(metadata: &Metadata<'_>) -> Option<Kind> {
        if !metadata.is_span() {
            return None;
        }
        match (metadata.name(), metadata.target()) {
            ("request", target) if target.starts_with("simpul_gateway::http") => {
                Some(Kind::Request)
            }
            ("adapter_call", target) if target.starts_with("simpul_gateway::host") => {
                Some(Kind::AdapterCall)
            }
            _ => None,
        }
    }

    /// OTLP's `SpanKind`: SERVER for the request, INTERNAL for the call (the plugin runs in
    /// this process).
    pub(super) fn otlp(self) -> u8 {
        match self {
            Kind::Request => 2,
            Kind::AdapterCall => 1,
        }
    }

    /// The exported name of a span field, `None` for fields that are not exported.
    fn attribute(self, field: &str) -> Option<&'static str> {
        match (self, field) {
            (Kind::Request, "id") => Some("simpul.request.id"),
            (Kind::AdapterCall, "provider") => Some("simpul.provider"),
            (Kind::AdapterCall, "collection") => Some("simpul.collection"),
            _ => None,
        }
    }
}

/// Events that complete a span: the request's "request finished" line, an adapter call's
/// failures and retries.
fn completes_a_span(metadata: &Metadata<'_>) -> bool {
    metadata.is_event()
        && *metadata.level() <= Level::INFO
        && (metadata
            .target()
            .starts_with("simpul_gateway::http::request_id")
            || metadata.target().starts_with("simpul_gateway::host"))
}

/// The layer's own filter: decided once per call site, so other spans and events cost it
/// nothing.
struct OnlyOurSpans;

impl<S> Filter<S> for OnlyOurSpans {
    fn enabled(&self, metadata: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        Kind::of(metadata).is_some() || completes_a_span(metadata)
    }

    fn callsite_enabled(&self, metadata: &'static Metadata<'static>) -> Interest {
        if Kind::of(metadata).is_some() || completes_a_span(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::INFO)
    }
}

/// A span's value of an attribute.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum AttributeValue {
    Text(String),
    Int(i64),
}

/// A span while it is open (in its extensions).
struct OpenSpan {
    kind: Kind,
    trace_id: u128,
    span_id: u64,
    parent_span_id: Option<u64>,
    start: SystemTime,
    attributes: Vec<(&'static str, AttributeValue)>,
    /// The error an unsuccessful span ends with.
    error: Option<String>,
}

impl OpenSpan {
    fn set(&mut self, key: &'static str, value: AttributeValue) {
        match self.attributes.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.attributes.push((key, value)),
        }
    }
}

/// A closed span, as it is shipped.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FinishedSpan {
    pub(super) name: &'static str,
    pub(super) kind: Kind,
    pub(super) trace_id: u128,
    pub(super) span_id: u64,
    pub(super) parent_span_id: Option<u64>,
    pub(super) start: SystemTime,
    pub(super) end: SystemTime,
    pub(super) attributes: Vec<(&'static str, AttributeValue)>,
    pub(super) error: Option<String>,
}

/// The layer that records the spans into `queue`, with its own filter (see
/// [`super::Telemetry::layer`]).
pub(super) fn recording_into<S>(queue: Arc<Queue>) -> impl Layer<S> + Send + Sync + 'static
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    SpanLayer { queue }.with_filter(OnlyOurSpans)
}

/// Records the two spans and sends each, closed, to the queue.
struct SpanLayer {
    queue: Arc<Queue>,
}

/// A span's exported fields and the caller's `traceparent`.
struct SpanFields<'a> {
    span: &'a mut OpenSpan,
    traceparent: Option<String>,
}

impl SpanFields<'_> {
    fn value(&mut self, field: &Field, value: AttributeValue) {
        if self.span.kind == Kind::Request && field.name() == "traceparent" {
            if let AttributeValue::Text(text) = value {
                self.traceparent = Some(text);
            }
            return;
        }
        if let Some(key) = self.span.kind.attribute(field.name()) {
            self.span.set(key, value);
        }
    }
}

impl Visit for SpanFields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.value(field, AttributeValue::Text(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.value(field, AttributeValue::Text(value.to_owned()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.value(field, AttributeValue::Int(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.value(
            field,
            AttributeValue::Int(i64::try_from(value).unwrap_or(i64::MAX)),
        );
    }
}

/// The fields of an event that complete a span.
#[derive(Default)]
struct EventFields {
    method: Option<String>,
    path: Option<String>,
    status: Option<i64>,
    code: Option<String>,
    attempt: Option<i64>,
}

impl Visit for EventFields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match field.name() {
            "method" => self.method = Some(format!("{value:?}")),
            "path" => self.path = Some(format!("{value:?}")),
            "code" => self.code = Some(format!("{value:?}")),
            _ => {}
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "method" => self.method = Some(value.to_owned()),
            "path" => self.path = Some(value.to_owned()),
            "code" => self.code = Some(value.to_owned()),
            _ => {}
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        match field.name() {
            "status" => self.status = Some(value),
            "attempt" => self.attempt = Some(value),
            _ => {}
        }
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.record_i64(field, i64::try_from(value).unwrap_or(i64::MAX));
    }
}

impl<S> Layer<S> for SpanLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(kind) = Kind::of(attrs.metadata()) else {
            return;
        };
        let Some(span) = ctx.span(id) else {
            return;
        };
        // The nearest ancestor this layer records (the filtered context skips the others).
        let parent = span.parent().and_then(|parent| {
            parent
                .extensions()
                .get::<OpenSpan>()
                .map(|p| (p.trace_id, p.span_id))
        });
        let mut open = OpenSpan {
            kind,
            trace_id: parent.map_or_else(new_trace_id, |(trace, _)| trace),
            span_id: new_span_id(),
            parent_span_id: parent.map(|(_, span)| span),
            start: SystemTime::now(),
            attributes: Vec::new(),
            error: None,
        };
        let mut fields = SpanFields {
            span: &mut open,
            traceparent: None,
        };
        attrs.record(&mut fields);
        if let Some((trace, caller)) = fields.traceparent.as_deref().and_then(parse_traceparent) {
            if parent.is_none() {
                open.trace_id = trace;
                open.parent_span_id = Some(caller);
            }
        }
        span.extensions_mut().insert(open);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut extensions = span.extensions_mut();
        if let Some(open) = extensions.get_mut::<OpenSpan>() {
            let mut fields = SpanFields {
                span: open,
                traceparent: None,
            };
            values.record(&mut fields);
            // `traceparent = Empty` recorded once the header is read: a root request span (no
            // caller's parent yet) joins the caller's trace. Spans made before keep theirs.
            if let Some((trace, caller)) = fields.traceparent.as_deref().and_then(parse_traceparent)
            {
                if open.parent_span_id.is_none() {
                    open.trace_id = trace;
                    open.parent_span_id = Some(caller);
                }
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.event_span(event) else {
            return;
        };
        let mut extensions = span.extensions_mut();
        let Some(open) = extensions.get_mut::<OpenSpan>() else {
            return;
        };
        let mut fields = EventFields::default();
        event.record(&mut fields);
        match open.kind {
            Kind::Request => {
                if let Some(method) = fields.method {
                    open.set("http.request.method", AttributeValue::Text(method));
                }
                if let Some(path) = fields.path {
                    open.set("url.path", AttributeValue::Text(path));
                }
                if let Some(status) = fields.status {
                    open.set("http.response.status_code", AttributeValue::Int(status));
                    if status >= 500 {
                        open.error = Some(format!("HTTP {status}"));
                    }
                }
            }
            Kind::AdapterCall => match (fields.attempt, fields.code) {
                // "retrying": the failure before it is not the call's end.
                (Some(attempt), _) => {
                    open.set("simpul.retries", AttributeValue::Int(attempt));
                    open.error = None;
                }
                // "adapter call failed": only the code, never the message (it may quote the
                // source).
                (None, Some(code)) if *event.metadata().level() <= Level::WARN => {
                    open.set("simpul.error.code", AttributeValue::Text(code.clone()));
                    open.error = Some(code);
                }
                _ => {}
            },
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else {
            return;
        };
        let Some(open) = span.extensions_mut().remove::<OpenSpan>() else {
            return;
        };
        let finished = FinishedSpan {
            name: span.name(),
            kind: open.kind,
            trace_id: open.trace_id,
            span_id: open.span_id,
            parent_span_id: open.parent_span_id,
            start: open.start,
            end: SystemTime::now(),
            attributes: open.attributes,
            error: open.error,
        };
        if let Err(TrySendError::Full(_)) = self
            .queue
            .sender
            .try_send(Message::Span(Box::new(finished)))
        {
            self.queue.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The trace and parent span ids of a W3C `traceparent` value (`00-<32 hex>-<16 hex>-<2 hex>`),
/// `None` when it is malformed or its ids are all zeros.
pub(super) fn parse_traceparent(value: &str) -> Option<(u128, u64)> {
    let parts: Vec<&str> = value.trim().split('-').collect();
    let [version, trace, span, flags, ..] = parts[..] else {
        return None;
    };
    let hex = |s: &str, len: usize| {
        s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    if !hex(version, 2) || version == "ff" || !hex(trace, 32) || !hex(span, 16) || !hex(flags, 2) {
        return None;
    }
    // Version 00 has exactly four parts; later versions may add more.
    if version == "00" && parts.len() != 4 {
        return None;
    }
    let trace = u128::from_str_radix(trace, 16).ok()?;
    let span = u64::from_str_radix(span, 16).ok()?;
    (trace != 0 && span != 0).then_some((trace, span))
}

/// The next of this process's pseudo-random numbers (SplitMix64 from a random start): never
/// the same twice in 2^64 draws.
fn next_random() -> u64 {
    static STATE: OnceLock<AtomicU64> = OnceLock::new();
    let state = STATE.get_or_init(|| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.write_u32(std::process::id());
        AtomicU64::new(hasher.finish())
    });
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut z = state
        .fetch_add(GAMMA, Ordering::Relaxed)
        .wrapping_add(GAMMA);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(super) fn new_span_id() -> u64 {
    loop {
        let id = next_random();
        if id != 0 {
            return id;
        }
    }
}

pub(super) fn new_trace_id() -> u128 {
    (u128::from(next_random()) << 64) | u128::from(new_span_id())
}
