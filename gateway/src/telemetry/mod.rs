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
//! one transport take this module (reqwest, serde_json and tracing-subscriber were here
//! already), not a new dependency tree.
//!
//! This file owns the configuration (`[telemetry]`, the environment, [`Settings`]) and the
//! [`Telemetry`] handle; `layer` records the spans, `export` encodes and ships them.

mod export;
mod layer;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tracing::Subscriber;
use tracing_subscriber::layer::Layer;
use tracing_subscriber::registry::LookupSpan;

use layer::FinishedSpan;

/// The target of this module's own log lines (the export thread's warnings included), as it
/// was before the module was split.
const LOG_TARGET: &str = module_path!();

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

/// Closed spans on their way from the layer to the export thread.
struct Queue {
    sender: SyncSender<Message>,
    /// Spans dropped because the queue was full.
    dropped: AtomicU64,
}

/// What the export thread is sent.
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
        let done = export::spawn(settings.clone(), Arc::clone(&queue), receiver)?;
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
        layer::recording_into(Arc::clone(&self.queue))
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
