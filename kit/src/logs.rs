//! Capturing what a plugin logs. The host writes each plugin log line (and its own notes on
//! the plugin: stray completions, unknown vocabulary) as a `tracing` event with target
//! `simpul::plugin` and a `provider` field, from whatever thread the plugin logs on; the
//! [`CaptureLayer`] in the process's global subscriber keeps the lines of the providers a
//! [`Capture`] is open for, so the suite can scan them for personal data.
//!
//! A program that has its own subscriber adds [`layer()`] to it (the `simpul` binary does);
//! otherwise [`install`] sets a global subscriber made of the layer alone. [`Capture::works`]
//! says whether lines really arrive (a probe line), so a missing layer is a skipped check,
//! never a silent pass.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// The target of plugin log lines.
pub const TARGET: &str = "simpul::plugin";

/// Lines kept per open capture at most (later ones are counted, not kept).
const MAX_LINES: usize = 100_000;

/// One captured line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// The level it was logged at.
    pub level: Level,
    /// The message and every other field, as text.
    pub text: String,
}

#[derive(Default)]
struct Sink {
    open: BTreeSet<String>,
    lines: Vec<(String, LogLine)>,
    dropped: u64,
}

static SINK: Mutex<Sink> = Mutex::new(Sink {
    open: BTreeSet::new(),
    lines: Vec::new(),
    dropped: 0,
});

fn sink() -> MutexGuard<'static, Sink> {
    SINK.lock().unwrap_or_else(|p| p.into_inner())
}

/// The layer that keeps plugin log lines for open [`Capture`]s, at every level.
#[derive(Debug, Clone, Copy, Default)]
pub struct CaptureLayer;

/// The capture layer, with a filter of its own that lets only plugin lines through (at any
/// level, whatever the other layers' filters): add it to the process's subscriber beside
/// the others (`registry().with(fmt_layer.with_filter(env_filter)).with(layer())`). Put a
/// global filter in front of it and it sees only what that filter lets through.
pub fn layer<S>() -> impl Layer<S>
where
    S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    CaptureLayer.with_filter(tracing_subscriber::filter::filter_fn(|meta| {
        meta.target() == TARGET
    }))
}

/// Set a global subscriber made of the capture layer alone, unless the process already has
/// one (which then should include [`layer()`]). Whether this call installed it.
pub fn install() -> bool {
    use tracing_subscriber::layer::SubscriberExt as _;
    let subscriber = tracing_subscriber::registry().with(layer());
    tracing::subscriber::set_global_default(subscriber).is_ok()
}

impl<S: Subscriber> Layer<S> for CaptureLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() != TARGET {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let Some(provider) = fields.provider else {
            return;
        };
        let mut sink = sink();
        if !sink.open.contains(&provider) {
            return;
        }
        if sink.lines.len() >= MAX_LINES {
            sink.dropped += 1;
            return;
        }
        let line = LogLine {
            level: *event.metadata().level(),
            text: fields.text,
        };
        sink.lines.push((provider, line));
    }
}

#[derive(Default)]
struct Fields {
    provider: Option<String>,
    text: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record(field, format!("{value:?}"));
    }
}

impl Fields {
    fn record(&mut self, field: &Field, value: String) {
        match field.name() {
            "provider" => self.provider = Some(value),
            "message" => {
                let rest = std::mem::take(&mut self.text);
                self.text = value;
                if !rest.is_empty() {
                    self.text.push(' ');
                    self.text.push_str(&rest);
                }
            }
            name => {
                if !self.text.is_empty() {
                    self.text.push(' ');
                }
                let _ = write!(self.text, "{name}={value}");
            }
        }
    }
}

/// The lines of one provider, kept while this is alive. Use a provider name no other
/// instance in the process has ([`Capture::unique_provider`]).
#[derive(Debug)]
pub struct Capture {
    provider: String,
}

impl Capture {
    /// A provider name unique in this process, built from `key`.
    pub fn unique_provider(key: &str) -> String {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        format!("{key}~kit{}", NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// Start keeping the lines of `provider`.
    pub fn open(provider: &str) -> Self {
        sink().open.insert(provider.to_owned());
        Self {
            provider: provider.to_owned(),
        }
    }

    /// Whether lines of this provider really reach the capture: a debug-level probe line
    /// is logged and looked for (and then forgotten).
    pub fn works(&self) -> bool {
        let marker = format!("simpul-adapter-kit probe {}", self.provider);
        tracing::debug!(target: TARGET, provider = %self.provider, "{marker}");
        let mut sink = sink();
        let before = sink.lines.len();
        sink.lines
            .retain(|(p, l)| !(p == &self.provider && l.text == marker));
        sink.lines.len() < before
    }

    /// The lines captured so far.
    pub fn lines(&self) -> Vec<LogLine> {
        sink()
            .lines
            .iter()
            .filter(|(p, _)| p == &self.provider)
            .map(|(_, l)| l.clone())
            .collect()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let mut sink = sink();
        sink.open.remove(&self.provider);
        sink.lines.retain(|(p, _)| p != &self.provider);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_open_providers_are_kept_with_their_fields() {
        install();
        let provider = Capture::unique_provider("t");
        let capture = Capture::open(&provider);
        assert!(capture.works());
        tracing::warn!(target: TARGET, provider = %provider, call_id = 7_u64, "rejected a.csv:3");
        tracing::warn!(target: TARGET, provider = "someone-else", "not mine");
        tracing::warn!(target: "elsewhere", provider = %provider, "not a plugin line");
        let lines = capture.lines();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0].text, "rejected a.csv:3 call_id=7");
        assert_eq!(lines[0].level, Level::WARN);
        drop(capture);
        tracing::warn!(target: TARGET, provider = %provider, "after the capture closed");
        assert!(sink().lines.iter().all(|(p, _)| p != &provider));
    }
}
