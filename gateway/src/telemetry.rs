//! OpenTelemetry export of the `request` and `adapter_call` spans: OTLP over HTTP with JSON
//! bodies, off by default.
//!
//! ```toml
//! [telemetry]
//! otlp_endpoint = "http://127.0.0.1:4318"   # spans are POSTed to {otlp_endpoint}/v1/traces
//! service_name = "simpul"                   # the resource's service.name (default "simpul")
//! ```
//!
//! or, as every OpenTelemetry SDK reads them, `OTEL_EXPORTER_OTLP_ENDPOINT=http://…:4318`
//! (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`: the full URL, `/v1/traces` included) and
//! `OTEL_SERVICE_NAME`. The file's values win over those (and `SIMPUL__TELEMETRY__*` over the
//! file, as for every setting); with neither, nothing is exported and no layer is installed.
//! `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turn it off. The batching follows
//! the standard variables too: `OTEL_BSP_SCHEDULE_DELAY` (ms between exports, default 5000),
//! `OTEL_BSP_MAX_QUEUE_SIZE` (2048), `OTEL_BSP_MAX_EXPORT_BATCH_SIZE` (512),
//! `OTEL_EXPORTER_OTLP_TIMEOUT` (ms per export, default 10000).
//!
//! What is exported: one span per HTTP request (`request`, kind SERVER, with its request id,
//! method, path and status) and one per adapter call (`adapter_call`, kind INTERNAL, child of
//! its request's span, with the provider, the collection, the retries and the error code of a
//! failed call), each with a 32-hex trace id and 16-hex span id; the resource names
//! `service.name`, `service.version` and `service.instance.id` (random per process). Only
//! those two spans are recorded, and only the fields named above: a field added to either span
//! later is not exported until this module names it, so query text, variables and answers
//! (personal data) never leave the process. A `traceparent` field on the `request` span (the
//! W3C header's value, given when the span is made or recorded into a `traceparent = Empty`
//! field before its first child) makes the request join the caller's trace.
//!
//! Never at the requests' expense: a closed span goes into a bounded queue with `try_send`
//! (when it is full the span is dropped and counted) and a background thread of its own ships
//! batches with a timeout. An unreachable or slow collector costs the spans, not the requests,
//! and is logged as a warning at most once a minute, with the spans lost since the last one.
//! `simpul serve` flushes what is queued when it stops (for a few seconds at most).
//!
//! Why the configuration is read early: tracing is set up in `main` before any command runs,
//! and a layer cannot be added to the global subscriber afterwards. So `main` parses the command
//! line first and, for `simpul serve`, reads the `[telemetry]` section of the config file it
//! will serve (the same file and `SIMPUL__*` overrides; a file that cannot be read is left for
//! `serve` to report) with [`for_command`]; then it installs the layer only when export is on.
//! The embedded demo has no file: there the environment decides. It is a hand-written
//! `tracing_subscriber` layer rather than the OpenTelemetry SDK: two spans, one encoding and
//! one transport take this file (reqwest, serde_json and tracing-subscriber were here already),
//! not a new dependency tree.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::{json, Value};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Filter, Layer};
use tracing_subscriber::registry::LookupSpan;

/// `[telemetry]` in the config file: OpenTelemetry export of the request and adapter-call
/// spans (see the [module](self)). Off unless an endpoint is set here or in the environment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TelemetryConfig {
    /// The collector's OTLP/HTTP base URL (`http://127.0.0.1:4318`): spans are POSTed to
    /// `{otlp_endpoint}/v1/traces`. Default: `OTEL_EXPORTER_OTLP_ENDPOINT`, else no export.
    #[serde(deserialize_with = "endpoint")]
    pub otlp_endpoint: Option<String>,
    /// The resource attribute `service.name`. Default: `OTEL_SERVICE_NAME`, else `simpul`.
    pub service_name: Option<String>,
}

fn endpoint<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let url = String::deserialize(d)?;
    check_url(&url).map_err(serde::de::Error::custom)?;
    Ok(Some(url))
}

fn check_url(url: &str) -> Result<(), String> {
    match reqwest::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => Ok(()),
        _ => Err(format!(
            "`{url}` is not an http:// or https:// URL (OTLP over HTTP: http://127.0.0.1:4318)"
        )),
    }
}

/// The export's settings, resolved from the config section and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Where batches are POSTed (`…/v1/traces`).
    pub traces_url: String,
    /// `service.name`.
    pub service_name: String,
    /// Longest time one export may take.
    pub timeout: Duration,
    /// Longest time a closed span waits before it is shipped.
    pub schedule_delay: Duration,
    /// Closed spans waiting to be shipped, at most; more are dropped and counted.
    pub max_queue: usize,
    /// Spans per POST, at most.
    pub max_batch: usize,
}

impl Settings {
    /// Resolve the settings from `config` and the environment (`env` looks a variable up).
    /// `Ok(None)`: export is off. `Err`: an endpoint from the environment is not a URL.
    pub fn resolve(
        config: &TelemetryConfig,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Settings>, String> {
        let var = |name: &str| {
            env(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        if var("OTEL_SDK_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || var("OTEL_TRACES_EXPORTER").is_some_and(|v| v.eq_ignore_ascii_case("none"))
        {
            return Ok(None);
        }
        let traces = |base: &str| format!("{}/v1/traces", base.trim_end_matches('/'));
        let (traces_url, source) = if let Some(base) = &config.otlp_endpoint {
            (traces(base), "[telemetry] otlp_endpoint")
        } else if let Some(url) = var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            (url, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        } else if let Some(base) = var("OTEL_EXPORTER_OTLP_ENDPOINT") {
            (traces(&base), "OTEL_EXPORTER_OTLP_ENDPOINT")
        } else {
            return Ok(None);
        };
        check_url(&traces_url).map_err(|e| format!("{source}: {e}"))?;
        let millis = |name: &str, default: u64| {
            var(name)
                .and_then(|v| v.parse::<u64>().ok())
                .map_or(Duration::from_millis(default), Duration::from_millis)
        };
        let count = |name: &str, default: usize| {
            var(name)
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| *n > 0)
                .unwrap_or(default)
        };
        let max_queue = count("OTEL_BSP_MAX_QUEUE_SIZE", 2048);
        Ok(Some(Settings {
            traces_url,
            service_name: config
                .service_name
                .clone()
                .or_else(|| var("OTEL_SERVICE_NAME"))
                .unwrap_or_else(|| "simpul".to_owned()),
            timeout: var("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT")
                .map(|_| millis("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", 10_000))
                .unwrap_or_else(|| millis("OTEL_EXPORTER_OTLP_TIMEOUT", 10_000)),
            schedule_delay: millis("OTEL_BSP_SCHEDULE_DELAY", 5000),
            max_queue,
            max_batch: count("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512).min(max_queue),
        }))
    }
}

/// The export for a command line, or `None`: only `simpul serve` exports, and only when the
/// config file it will serve (`--config FILE`, else `./simpul.toml` when present, else the
/// demo, which has none) or the environment names an endpoint. Call it before tracing is set
/// up (see the [module](self)); what it has to say goes to stderr.
pub fn for_command(cli: &crate::cli::Cli) -> Option<Telemetry> {
    let crate::cli::Command::Serve { config, .. } = &cli.command else {
        return None;
    };
    let local = Path::new("simpul.toml");
    let file = config
        .as_deref()
        .or_else(|| local.exists().then_some(local));
    // A file that cannot be used is `serve`'s to report, a moment later.
    let section = file.and_then(read_section).unwrap_or_default();
    match Settings::resolve(&section, |name| std::env::var(name).ok()) {
        Ok(Some(settings)) => match Telemetry::start(settings) {
            Ok(telemetry) => Some(telemetry),
            Err(e) => {
                eprintln!("simpul: OpenTelemetry export is off: cannot start its thread: {e}");
                None
            }
        },
        Ok(None) => None,
        Err(e) => {
            eprintln!("simpul: OpenTelemetry export is off: {e}");
            None
        }
    }
}

/// The `[telemetry]` section of a config file, with the `SIMPUL__*` overrides applied as
/// [`crate::config::Config::load`] applies them; `None` if the file cannot be read or the
/// section does not fit.
pub fn read_section(file: &Path) -> Option<TelemetryConfig> {
    let text = std::fs::read_to_string(file).ok()?;
    let mut value: toml::Value = toml::from_str(&text).ok()?;
    crate::config::apply_env_overrides(&mut value, std::env::vars()).ok()?;
    value.get("telemetry")?.clone().try_into().ok()
}

/// A running export: the queue of closed spans and the thread that ships them.
pub struct Telemetry {
    queue: Arc<Queue>,
    settings: Settings,
    done: Receiver<()>,
}

struct Queue {
    sender: SyncSender<Message>,
    /// Spans dropped because the queue was full.
    dropped: AtomicU64,
}

enum Message {
    Span(Box<FinishedSpan>),
    /// Ship everything queued, then stop.
    Flush,
}

impl Telemetry {
    /// Start the export thread.
    pub fn start(settings: Settings) -> std::io::Result<Telemetry> {
        let (sender, receiver) = mpsc::sync_channel(settings.max_queue);
        let queue = Arc::new(Queue {
            sender,
            dropped: AtomicU64::new(0),
        });
        let (done_tx, done) = mpsc::channel();
        let exporter = Exporter {
            settings: settings.clone(),
            resource: resource(&settings.service_name),
            queue: Arc::clone(&queue),
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
        Ok(Telemetry {
            queue,
            settings,
            done,
        })
    }

    /// The layer that records the spans into this export's queue, with its own filter: the
    /// `request` and `adapter_call` spans and the few events that complete them, nothing else
    /// (whatever the other layers' filters let through).
    pub fn layer<S>(&self) -> impl Layer<S> + Send + Sync + 'static
    where
        S: Subscriber + for<'a> LookupSpan<'a>,
    {
        SpanLayer {
            queue: Arc::clone(&self.queue),
        }
        .with_filter(OnlyOurSpans)
    }

    /// Log where the spans go (once tracing is up).
    pub fn announce(&self) {
        tracing::info!(
            "exporting request and adapter-call spans over OTLP to {} as service {}",
            self.settings.traces_url,
            self.settings.service_name
        );
    }

    /// Spans dropped so far because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.queue.dropped.load(Ordering::Relaxed)
    }

    /// Ship what is queued and stop, waiting `grace` at most.
    pub fn shutdown(self, grace: Duration) {
        let deadline = Instant::now() + grace;
        let mut message = Message::Flush;
        loop {
            match self.queue.sender.try_send(message) {
                Ok(()) => break,
                Err(TrySendError::Full(m)) if Instant::now() < deadline => {
                    message = m;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(_) => return,
            }
        }
        let _ = self
            .done
            .recv_timeout(deadline.saturating_duration_since(Instant::now()));
    }
}

/// Which of the two spans, and how it is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
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
    fn otlp(self) -> u8 {
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
enum AttributeValue {
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
struct FinishedSpan {
    name: &'static str,
    kind: Kind,
    trace_id: u128,
    span_id: u64,
    parent_span_id: Option<u64>,
    start: SystemTime,
    end: SystemTime,
    attributes: Vec<(&'static str, AttributeValue)>,
    error: Option<String>,
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
fn parse_traceparent(value: &str) -> Option<(u128, u64)> {
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

fn new_span_id() -> u64 {
    loop {
        let id = next_random();
        if id != 0 {
            return id;
        }
    }
}

fn new_trace_id() -> u128 {
    (u128::from(next_random()) << 64) | u128::from(new_span_id())
}

/// The resource's attributes.
fn resource(service_name: &str) -> Value {
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
fn encode(resource: &Value, spans: &[FinishedSpan]) -> Value {
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
                tracing::warn!("OpenTelemetry export is off: cannot start its runtime: {e}");
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
                tracing::warn!("OpenTelemetry export is off: cannot make its HTTP client: {e}");
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

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::prelude::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn off_unless_an_endpoint_is_named() {
        let none = TelemetryConfig::default();
        assert_eq!(Settings::resolve(&none, env(&[])), Ok(None));
        assert_eq!(
            Settings::resolve(&none, env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", " ")])),
            Ok(None)
        );
        let on = Settings::resolve(
            &none,
            env(&[
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"),
                ("OTEL_BSP_SCHEDULE_DELAY", "100"),
            ]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(on.traces_url, "http://collector:4318/v1/traces");
        assert_eq!(on.service_name, "simpul");
        assert_eq!(on.schedule_delay, Duration::from_millis(100));
        assert_eq!((on.max_queue, on.max_batch), (2048, 512));
        assert_eq!(on.timeout, Duration::from_secs(10));
        assert_eq!(
            Settings::resolve(
                &none,
                env(&[
                    ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
                    ("OTEL_SDK_DISABLED", "true"),
                ])
            ),
            Ok(None)
        );
        assert!(
            Settings::resolve(&none, env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "collector")]))
                .unwrap_err()
                .contains("OTEL_EXPORTER_OTLP_ENDPOINT")
        );
    }

    #[test]
    fn the_file_wins_over_the_environment() {
        let file = TelemetryConfig {
            otlp_endpoint: Some("https://otel.internal:4318".into()),
            service_name: Some("simpul-eu".into()),
        };
        let settings = Settings::resolve(
            &file,
            env(&[
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4318"),
                ("OTEL_SERVICE_NAME", "other"),
            ]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(settings.traces_url, "https://otel.internal:4318/v1/traces");
        assert_eq!(settings.service_name, "simpul-eu");
        let traces_only = Settings::resolve(
            &TelemetryConfig::default(),
            env(&[
                ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/custom"),
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4318"),
                ("OTEL_SERVICE_NAME", "other"),
            ]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(traces_only.traces_url, "http://c:4318/custom");
        assert_eq!(traces_only.service_name, "other");
    }

    #[test]
    fn the_config_section_checks_its_url() {
        let parse = |text: &str| {
            crate::config::Config::parse(
                text,
                Path::new("simpul.toml"),
                Path::new("."),
                Vec::<(String, String)>::new(),
            )
        };
        assert!(parse("[telemetry]\notlp_endpoint = \"http://127.0.0.1:4318\"\n").is_ok());
        let err = parse("[telemetry]\notlp_endpoint = \"127.0.0.1:4318\"\n").unwrap_err();
        assert!(err.to_string().contains("telemetry.otlp_endpoint"), "{err}");
        assert!(err.to_string().contains("not an http://"), "{err}");
        let err = parse("[telemetry]\nendpoint = \"http://x\"\n").unwrap_err();
        assert!(
            err.to_string().contains("unknown field `endpoint`"),
            "{err}"
        );
    }

    #[test]
    fn the_section_is_read_from_the_file() {
        let dir = std::env::temp_dir().join(format!("simpul-telemetry-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("simpul.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:4000\"\n[telemetry]\notlp_endpoint = \"http://c:4318\"\n",
        )
        .unwrap();
        let section = read_section(&file).unwrap();
        assert_eq!(section.otlp_endpoint.as_deref(), Some("http://c:4318"));
        assert_eq!(section.service_name, None);
        std::fs::write(&file, "listen = \"0.0.0.0:4000\"\n").unwrap();
        assert!(read_section(&file).is_none());
        assert!(read_section(&dir.join("missing.toml")).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn traceparent() {
        assert_eq!(
            parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            Some((0x4bf92f3577b34da6a3ce929d0e0e4736, 0x00f067aa0ba902b7))
        );
        for bad in [
            "",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        ] {
            assert_eq!(parse_traceparent(bad), None, "{bad}");
        }
    }

    #[test]
    fn ids_are_hex_of_the_right_length_and_distinct() {
        let ids: std::collections::HashSet<u64> = (0..10_000).map(|_| new_span_id()).collect();
        assert_eq!(ids.len(), 10_000);
        assert_eq!(format!("{:032x}", new_trace_id()).len(), 32);
        let resource = resource("simpul");
        let uuid = resource["attributes"][2]["value"]["stringValue"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(uuid.len(), 36, "{uuid}");
        assert_eq!(&uuid[14..15], "4", "{uuid}");
    }

    /// The layer against a subscriber of its own, the queue read directly.
    fn recorded(work: impl FnOnce()) -> (Vec<FinishedSpan>, u64) {
        let (sender, receiver) = mpsc::sync_channel(4);
        let queue = Arc::new(Queue {
            sender,
            dropped: AtomicU64::new(0),
        });
        let layer = SpanLayer {
            queue: Arc::clone(&queue),
        }
        .with_filter(OnlyOurSpans);
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, work);
        let spans = receiver
            .try_iter()
            .filter_map(|m| match m {
                Message::Span(s) => Some(*s),
                Message::Flush => None,
            })
            .collect();
        (spans, queue.dropped.load(Ordering::Relaxed))
    }

    #[test]
    fn the_request_and_its_adapter_calls_share_a_trace() {
        // This test module's paths are not the gateway's: the spans name the gateway's targets.
        let (spans, dropped) = recorded(|| {
            tracing::info_span!(target: "simpul_gateway::http::request_id", "request", id = %"r-1", variables = "3602134507900001")
                .in_scope(|| {
                    tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"spn", collection = %"courses")
                        .in_scope(|| {
                            tracing::info_span!(target: "simpul_gateway::host", "inner").in_scope(|| {
                                tracing::warn!(target: "simpul_gateway::host", code = "PROVIDER_UNAVAILABLE", "adapter call failed: 3602134507900001");
                                tracing::info!(target: "simpul_gateway::host", attempt = 1, code = "PROVIDER_UNAVAILABLE", "retrying in 50 ms");
                            });
                        });
                    tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"bbplk", collection = %"courses")
                        .in_scope(|| {
                            tracing::warn!(target: "simpul_gateway::host", code = "PROVIDER_TIMEOUT", "adapter call failed: 3602134507900001");
                        });
                    tracing::info!(target: "simpul_gateway::http::request_id", method = %"POST", path = %"/graphql", status = 200u16, ms = 3u64, "request finished");
                });
            // Not ours: another crate's `request` span.
            tracing::info_span!(target: "hyper", "request").in_scope(|| {});
        });
        assert_eq!(dropped, 0);
        assert_eq!(spans.len(), 3, "{spans:?}");
        let (calls, request) = (&spans[..2], &spans[2]);
        assert_eq!(request.name, "request");
        assert_eq!(request.parent_span_id, None);
        assert_eq!(request.error, None);
        for call in calls {
            assert_eq!(call.name, "adapter_call");
            assert_eq!(call.trace_id, request.trace_id);
            assert_eq!(call.parent_span_id, Some(request.span_id));
        }
        assert_eq!(calls[0].error, None, "the retry succeeded");
        assert_eq!(calls[1].error.as_deref(), Some("PROVIDER_TIMEOUT"));
        let body = encode(&resource("simpul"), &spans).to_string();
        assert!(!body.contains("3602134507900001"), "{body}");
        let json: Value = serde_json::from_str(&body).unwrap();
        let exported = &json["resourceSpans"][0]["scopeSpans"][0]["spans"];
        assert_eq!(exported[0]["kind"], 1);
        assert_eq!(exported[2]["kind"], 2);
        assert_eq!(exported[0]["parentSpanId"], exported[2]["spanId"]);
        assert_eq!(exported[0]["traceId"].as_str().unwrap().len(), 32);
        assert_eq!(exported[0]["spanId"].as_str().unwrap().len(), 16);
        assert!(exported[2].get("parentSpanId").is_none());
        let attribute = |span: &Value, key: &str| {
            span["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["key"] == key)
                .map(|a| a["value"].clone())
        };
        assert_eq!(
            attribute(&exported[0], "simpul.provider"),
            Some(json!({ "stringValue": "spn" }))
        );
        assert_eq!(
            attribute(&exported[0], "simpul.retries"),
            Some(json!({ "intValue": "1" }))
        );
        assert_eq!(
            attribute(&exported[2], "http.response.status_code"),
            Some(json!({ "intValue": "200" }))
        );
        assert_eq!(
            attribute(&exported[2], "simpul.request.id"),
            Some(json!({ "stringValue": "r-1" }))
        );
        assert_eq!(exported[1]["status"]["code"], 2);
        let start: u128 = exported[2]["startTimeUnixNano"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let end: u128 = exported[2]["endTimeUnixNano"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(start <= end && start > 1_600_000_000_000_000_000);
    }

    #[test]
    fn a_traceparent_joins_the_callers_trace() {
        let (spans, _) = recorded(|| {
            tracing::info_span!(target: "simpul_gateway::http::request_id", "request", id = %"r-2",
                traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .in_scope(|| {
                tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"spn", collection = %"courses")
                    .in_scope(|| {});
                tracing::info!(target: "simpul_gateway::http::request_id", method = %"GET", path = %"/ld/x", status = 503u16, "request finished");
            });
        });
        let (call, request) = (&spans[0], &spans[1]);
        assert_eq!(request.trace_id, 0x4bf92f3577b34da6a3ce929d0e0e4736);
        assert_eq!(request.parent_span_id, Some(0x00f067aa0ba902b7));
        assert_eq!(call.trace_id, request.trace_id);
        assert_eq!(call.parent_span_id, Some(request.span_id));
        assert_eq!(request.error.as_deref(), Some("HTTP 503"));
        assert!(request.attributes.iter().all(|(k, _)| *k != "traceparent"));
    }

    #[test]
    fn a_traceparent_recorded_after_the_span_is_made_counts_too() {
        let (spans, _) = recorded(|| {
            let span = tracing::info_span!(target: "simpul_gateway::http::request_id", "request", id = %"r-3",
                traceparent = tracing::field::Empty);
            span.record(
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            );
            span.in_scope(|| {
                tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"spn", collection = %"courses")
                    .in_scope(|| {});
            });
            // A malformed one is ignored: the request starts a trace of its own.
            let span = tracing::info_span!(target: "simpul_gateway::http::request_id", "request", id = %"r-4",
                traceparent = tracing::field::Empty);
            span.record("traceparent", "00-xyz-00f067aa0ba902b7-01");
            span.in_scope(|| {});
        });
        // The spans close when dropped at the end, the second first.
        let (call, other, request) = (&spans[0], &spans[1], &spans[2]);
        assert_eq!(request.trace_id, 0x4bf92f3577b34da6a3ce929d0e0e4736);
        assert_eq!(request.parent_span_id, Some(0x00f067aa0ba902b7));
        assert_eq!(call.trace_id, request.trace_id);
        assert_eq!(call.parent_span_id, Some(request.span_id));
        assert_ne!(other.trace_id, request.trace_id);
        assert_eq!(other.parent_span_id, None);
    }

    #[test]
    fn a_full_queue_drops_and_counts() {
        let (spans, dropped) = recorded(|| {
            for _ in 0..10 {
                tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"spn", collection = %"courses")
                    .in_scope(|| {});
            }
        });
        assert_eq!((spans.len(), dropped), (4, 6));
    }
}
