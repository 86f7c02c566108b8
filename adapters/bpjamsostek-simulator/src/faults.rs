//! Injected faults and request counting: the deterministic control tests need.
//!
//! A [`Faults`] handle is shared by the server and whoever drives it (a test, the CLI). Cloning
//! it shares the same state. Every request is counted (per path and per route template) before
//! any fault applies, so a test can assert exactly how many times a client tried.
//!
//! ```
//! use simpul_bpjamsostek_simulator::Faults;
//!
//! let faults = Faults::new();
//! faults.fail_next(2, 503, None);          // the next two requests answer 503
//! faults.fail_next(1, 429, Some(1));       // then one 429 with `Retry-After: 1`
//! faults.set_latency_ms(50);               // every request waits 50 ms first
//! assert_eq!(faults.request_count("/v1/lembaga-mitra"), 0);
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Shared, thread-safe fault switches and request counters.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    scripted: VecDeque<Scripted>,
    latency: Latency,
    error_rate: f64,
    rate_limit_rate: f64,
    random_retry_after: u64,
    rng: SplitMix64,
    by_path: BTreeMap<String, u64>,
    by_route: BTreeMap<&'static str, u64>,
    total: u64,
}

#[derive(Debug, Clone)]
struct Scripted {
    remaining: u32,
    status: u16,
    retry_after: Option<u64>,
    path_prefix: Option<String>,
}

#[derive(Debug, Clone, Copy, Default)]
enum Latency {
    #[default]
    None,
    Fixed(u64),
    Range(u64, u64),
}

/// A fault decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Injected {
    /// HTTP status to answer with.
    pub status: u16,
    /// `Retry-After` seconds to send, if any.
    pub retry_after: Option<u64>,
}

impl Faults {
    /// No faults, no latency, counters at zero.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Answer the next `n` requests (any path) with `status`, sending `Retry-After:
    /// retry_after` when given (a 429 always gets one; 1 s when not given). Scripted faults
    /// queue up in call order.
    pub fn fail_next(&self, n: u32, status: u16, retry_after: Option<u64>) {
        self.script(n, status, retry_after, None);
    }

    /// As [`Faults::fail_next`], but only for requests whose path starts with `path_prefix`
    /// (`/v1/peserta`); other requests pass untouched and do not use up the fault.
    pub fn fail_next_on(&self, path_prefix: &str, n: u32, status: u16, retry_after: Option<u64>) {
        self.script(n, status, retry_after, Some(path_prefix.to_owned()));
    }

    fn script(&self, n: u32, status: u16, retry_after: Option<u64>, path_prefix: Option<String>) {
        if n == 0 {
            return;
        }
        let retry_after = if status == 429 {
            Some(retry_after.unwrap_or(1).max(1))
        } else {
            retry_after
        };
        self.state().scripted.push_back(Scripted {
            remaining: n,
            status,
            retry_after,
            path_prefix,
        });
    }

    /// Delay every response by `ms` milliseconds (0 turns latency off).
    pub fn set_latency_ms(&self, ms: u64) {
        self.state().latency = if ms == 0 {
            Latency::None
        } else {
            Latency::Fixed(ms)
        };
    }

    /// Delay each response by a different, seeded pseudo-random time in `min_ms..=max_ms`.
    pub fn set_latency_range_ms(&self, min_ms: u64, max_ms: u64) {
        let (lo, hi) = (min_ms.min(max_ms), min_ms.max(max_ms));
        self.state().latency = Latency::Range(lo, hi);
    }

    /// Answer this fraction (0.0–1.0) of requests with 500 or 503, chosen by the seeded
    /// generator (see [`Faults::set_seed`]), after any scripted fault.
    pub fn set_error_rate(&self, rate: f64) {
        self.state().error_rate = clamp_rate(rate);
    }

    /// Answer this fraction (0.0–1.0) of requests with 429 and `Retry-After: retry_after`.
    pub fn set_rate_limit_rate(&self, rate: f64, retry_after: u64) {
        let mut state = self.state();
        state.rate_limit_rate = clamp_rate(rate);
        state.random_retry_after = retry_after.max(1);
    }

    /// Seed the generator behind random latency and random errors (same seed, same faults
    /// for the same request sequence).
    pub fn set_seed(&self, seed: u64) {
        self.state().rng = SplitMix64(seed);
    }

    /// Turn every fault and the latency off (counters are kept).
    pub fn clear(&self) {
        let mut state = self.state();
        state.scripted.clear();
        state.latency = Latency::None;
        state.error_rate = 0.0;
        state.rate_limit_rate = 0.0;
    }

    /// Requests received for exactly this path (no query string), e.g. `/v1/lembaga-mitra`.
    pub fn request_count(&self, path: &str) -> u64 {
        self.state().by_path.get(path).copied().unwrap_or(0)
    }

    /// Requests received for a route template, e.g. `/v1/peserta/{kpj}` (every KPJ together).
    pub fn route_count(&self, route: &str) -> u64 {
        self.state().by_route.get(route).copied().unwrap_or(0)
    }

    /// Requests received in all.
    pub fn total_requests(&self) -> u64 {
        self.state().total
    }

    /// Requests per route template.
    pub fn route_counts(&self) -> BTreeMap<&'static str, u64> {
        self.state().by_route.clone()
    }

    /// Set every counter back to zero.
    pub fn reset_counts(&self) {
        let mut state = self.state();
        state.by_path.clear();
        state.by_route.clear();
        state.total = 0;
    }

    /// Count a request and decide its latency and fault (used by the server).
    pub(crate) fn on_request(
        &self,
        path: &str,
        route: &'static str,
    ) -> (Duration, Option<Injected>) {
        let mut state = self.state();
        state.total += 1;
        *state.by_path.entry(path.to_owned()).or_default() += 1;
        *state.by_route.entry(route).or_default() += 1;
        let latency = match state.latency {
            Latency::None => 0,
            Latency::Fixed(ms) => ms,
            Latency::Range(lo, hi) => lo + state.rng.below(hi - lo + 1),
        };
        let fault = state.take_scripted(path).or_else(|| state.random_fault());
        (Duration::from_millis(latency), fault)
    }
}

impl State {
    fn take_scripted(&mut self, path: &str) -> Option<Injected> {
        let at = self.scripted.iter().position(|s| {
            s.path_prefix
                .as_deref()
                .is_none_or(|prefix| path.starts_with(prefix))
        })?;
        let entry = self.scripted.get_mut(at)?;
        entry.remaining -= 1;
        let injected = Injected {
            status: entry.status,
            retry_after: entry.retry_after,
        };
        if entry.remaining == 0 {
            self.scripted.remove(at);
        }
        Some(injected)
    }

    fn random_fault(&mut self) -> Option<Injected> {
        if self.rate_limit_rate > 0.0 && self.rng.unit() < self.rate_limit_rate {
            return Some(Injected {
                status: 429,
                retry_after: Some(self.random_retry_after.max(1)),
            });
        }
        if self.error_rate > 0.0 && self.rng.unit() < self.error_rate {
            let status = if self.rng.below(2) == 0 { 500 } else { 503 };
            return Some(Injected {
                status,
                retry_after: None,
            });
        }
        None
    }
}

fn clamp_rate(rate: f64) -> f64 {
    if rate.is_nan() {
        0.0
    } else {
        rate.clamp(0.0, 1.0)
    }
}

/// SplitMix64: a tiny deterministic generator (no dependency needed for test faults).
#[derive(Debug, Clone, Copy, Default)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripted_faults_run_in_order_and_by_path() {
        let f = Faults::new();
        f.fail_next_on("/v1/peserta", 1, 503, None);
        f.fail_next(1, 429, None);
        let (_, a) = f.on_request("/v1/lembaga-mitra", "/v1/lembaga-mitra");
        assert_eq!(
            a,
            Some(Injected {
                status: 429,
                retry_after: Some(1)
            })
        );
        let (_, b) = f.on_request("/v1/lembaga-mitra", "/v1/lembaga-mitra");
        assert_eq!(b, None);
        let (_, c) = f.on_request("/v1/peserta", "/v1/peserta");
        assert_eq!(c.map(|i| i.status), Some(503));
        assert_eq!(f.request_count("/v1/lembaga-mitra"), 2);
        assert_eq!(f.total_requests(), 3);
        f.reset_counts();
        assert_eq!(f.total_requests(), 0);
    }

    #[test]
    fn random_faults_are_deterministic_per_seed() {
        let run = |seed| {
            let f = Faults::new();
            f.set_seed(seed);
            f.set_error_rate(0.5);
            f.set_latency_range_ms(10, 20);
            (0..50)
                .map(|_| f.on_request("/x", "/x"))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        let outcomes = run(7);
        assert!(outcomes.iter().any(|(_, f)| f.is_some()));
        assert!(outcomes.iter().any(|(_, f)| f.is_none()));
        assert!(outcomes
            .iter()
            .all(|(d, _)| (10..=20).contains(&(d.as_millis() as u64))));
    }
}
