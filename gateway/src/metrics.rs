//! Prometheus metrics, rendered at `/metrics` in the text exposition format.
//!
//! | metric | labels | what |
//! |---|---|---|
//! | `simpul_provider_calls_total` | provider, collection, outcome (`ok`/`error`) | adapter calls |
//! | `simpul_provider_errors_total` | provider, code | failed calls by error code |
//! | `simpul_provider_call_duration_seconds` | provider | latency histogram of adapter calls |
//! | `simpul_provider_breaker_state` | provider | 0 closed, 1 half-open, 2 open |
//! | `simpul_plugin_stray_completions` | provider | completions the ABI forbids (a second one, an id never issued), ignored |
//! | `simpul_plugin_late_completions` | provider | answers that came after the host stopped waiting, released |
//! | `simpul_graphql_requests_total` | operation, outcome (`ok`/`error`) | GraphQL requests |
//! | `simpul_graphql_request_duration_seconds` | operation | latency histogram of requests |
//! | `simpul_shared_cache_total` | provider, collection, result (`hit`/`stale`/`miss`/`skip`/`error`) | lookups in the shared cache tier ([`crate::engine::shared_cache`]) |
//!
//! Label values are bounded: operation names are the client's, so only the first
//! [`MAX_OPERATIONS`] distinct well-formed names are kept; the rest count as `other`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Histogram bucket bounds, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Distinct operation names tracked before the rest count as `other`.
pub const MAX_OPERATIONS: usize = 100;

type Labels = Vec<(&'static str, String)>;

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Debug, Default)]
struct Registry {
    counters: BTreeMap<(&'static str, Labels), u64>,
    histograms: BTreeMap<(&'static str, Labels), Histogram>,
    operations: BTreeSet<String>,
}

/// The gateway's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    registry: Mutex<Registry>,
}

impl Metrics {
    fn with<R>(&self, f: impl FnOnce(&mut Registry) -> R) -> R {
        f(&mut self.registry.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn count(&self, name: &'static str, labels: Labels) {
        self.with(|r| *r.counters.entry((name, labels)).or_default() += 1);
    }

    fn observe(&self, name: &'static str, labels: Labels, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        self.with(|r| {
            let h = r.histograms.entry((name, labels)).or_default();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    h.counts[i] += 1;
                }
            }
            h.count += 1;
            h.sum += seconds;
        });
    }

    /// One adapter call finished; `error` is its code when it failed.
    pub fn provider_call(
        &self,
        provider: &str,
        collection: &str,
        elapsed: Duration,
        error: Option<&str>,
    ) {
        let outcome = if error.is_some() { "error" } else { "ok" };
        self.count(
            "simpul_provider_calls_total",
            vec![
                ("provider", provider.into()),
                ("collection", collection.into()),
                ("outcome", outcome.into()),
            ],
        );
        if let Some(code) = error {
            self.count(
                "simpul_provider_errors_total",
                vec![("provider", provider.into()), ("code", code.into())],
            );
        }
        self.observe(
            "simpul_provider_call_duration_seconds",
            vec![("provider", provider.into())],
            elapsed,
        );
    }

    /// A call the open circuit breaker refused: counted, with no latency (nothing ran).
    pub fn provider_rejected(&self, provider: &str, collection: &str) {
        self.count(
            "simpul_provider_calls_total",
            vec![
                ("provider", provider.into()),
                ("collection", collection.into()),
                ("outcome", "rejected".into()),
            ],
        );
        self.count(
            "simpul_provider_errors_total",
            vec![
                ("provider", provider.into()),
                ("code", "PROVIDER_UNAVAILABLE".into()),
            ],
        );
    }

    /// A fault of a provider's adapter found in an answer it gave (personal data it was not
    /// asked for, say): counted under `simpul_provider_errors_total` with its code.
    pub fn provider_fault(&self, provider: &str, code: &str) {
        self.count(
            "simpul_provider_errors_total",
            vec![("provider", provider.into()), ("code", code.into())],
        );
    }

    /// One lookup in the shared cache tier: `hit` (fresh), `stale` (served while refreshed),
    /// `miss`, `skip` (never kept: personal data in clear, or the provider opted out) or
    /// `error` (Redis down, slow or an unreadable entry: the provider was asked).
    pub fn shared_cache(&self, provider: &str, collection: &str, result: &'static str) {
        self.count(
            "simpul_shared_cache_total",
            vec![
                ("provider", provider.into()),
                ("collection", collection.into()),
                ("result", result.into()),
            ],
        );
    }

    /// One GraphQL request finished.
    pub fn request(&self, operation: Option<&str>, elapsed: Duration, ok: bool) {
        let operation = self.with(|r| {
            let name = operation.unwrap_or("anonymous");
            let well_formed = !name.is_empty()
                && name.len() <= 64
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !well_formed {
                return "other".to_owned();
            }
            if r.operations.contains(name) || r.operations.len() < MAX_OPERATIONS {
                r.operations.insert(name.to_owned());
                name.to_owned()
            } else {
                "other".to_owned()
            }
        });
        let outcome = if ok { "ok" } else { "error" };
        self.count(
            "simpul_graphql_requests_total",
            vec![
                ("operation", operation.clone()),
                ("outcome", outcome.into()),
            ],
        );
        self.observe(
            "simpul_graphql_request_duration_seconds",
            vec![("operation", operation)],
            elapsed,
        );
    }

    /// The exposition text; `gauges` are current values computed by the caller
    /// (`(name, labels, value)`), such as breaker states.
    pub fn render(&self, gauges: &[(&'static str, Labels, f64)]) -> String {
        let mut out = String::new();
        self.with(|r| {
            let mut last = "";
            for ((name, labels), value) in &r.counters {
                if *name != last {
                    let _ = writeln!(out, "# TYPE {name} counter");
                    last = name;
                }
                let _ = writeln!(out, "{name}{} {value}", render_labels(labels, None));
            }
            last = "";
            for ((name, labels), h) in &r.histograms {
                if *name != last {
                    let _ = writeln!(out, "# TYPE {name} histogram");
                    last = name;
                }
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "{name}_bucket{} {}",
                        render_labels(labels, Some(&bound.to_string())),
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "{name}_bucket{} {}",
                    render_labels(labels, Some("+Inf")),
                    h.count
                );
                let _ = writeln!(out, "{name}_sum{} {}", render_labels(labels, None), h.sum);
                let _ = writeln!(
                    out,
                    "{name}_count{} {}",
                    render_labels(labels, None),
                    h.count
                );
            }
        });
        let mut last = "";
        for (name, labels, value) in gauges {
            if *name != last {
                let _ = writeln!(out, "# TYPE {name} gauge");
                last = name;
            }
            let _ = writeln!(out, "{name}{} {value}", render_labels(labels, None));
        }
        out
    }
}

fn render_labels(labels: &Labels, le: Option<&str>) -> String {
    let mut parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    if let Some(le) = le {
        parts.push(format!("le=\"{le}\""));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(","))
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_gauges() {
        let m = Metrics::default();
        m.provider_call("spn", "courseRuns", Duration::from_millis(2), None);
        m.provider_call(
            "spn",
            "courseRuns",
            Duration::from_millis(20),
            Some("PROVIDER_TIMEOUT"),
        );
        m.request(Some("Runs"), Duration::from_millis(3), true);
        m.request(Some("bad name\""), Duration::from_millis(3), false);
        let text = m.render(&[(
            "simpul_provider_breaker_state",
            vec![("provider", "spn".into())],
            2.0,
        )]);
        assert!(text.contains(r#"simpul_provider_calls_total{provider="spn",collection="courseRuns",outcome="ok"} 1"#), "{text}");
        assert!(
            text.contains(
                r#"simpul_provider_errors_total{provider="spn",code="PROVIDER_TIMEOUT"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(
                r#"simpul_provider_call_duration_seconds_bucket{provider="spn",le="0.005"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"simpul_provider_call_duration_seconds_count{provider="spn"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"simpul_graphql_requests_total{operation="other",outcome="error"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"simpul_provider_breaker_state{provider="spn"} 2"#),
            "{text}"
        );
    }
}
