//! A per-provider circuit breaker: closed → open after N failures in a row → half-open (one
//! probe) after a pause → closed on the probe's success, open again on its failure.
//!
//! A call that ran out of time counts as a failure only when nothing says the provider is
//! healthy: when another call to it succeeded while this one was running, the provider is
//! serving, and what was slow is this request (a caller's filter can make a statement slow,
//! and one caller must not take a provider away from everyone). Such a timeout leaves the
//! breaker as it is ([`CircuitBreaker::timeout`]). A provider that stops answering answers
//! nothing at all, so its timeouts still open the breaker; so does a caller alone with a
//! provider, for want of evidence either way.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::BreakerPolicy;

/// The breaker's state, as `/readyz` and `/metrics` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls fail at once.
    Open,
    /// One probe call is allowed through.
    HalfOpen,
}

impl BreakerState {
    /// `closed`, `open`, `half_open`.
    pub fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }

    /// 0 closed, 1 half-open, 2 open (the `/metrics` gauge).
    pub fn gauge(self) -> u8 {
        match self {
            BreakerState::Closed => 0,
            BreakerState::HalfOpen => 1,
            BreakerState::Open => 2,
        }
    }
}

#[derive(Debug)]
enum Inner {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen { probing: bool },
}

/// One provider's breaker.
#[derive(Debug)]
pub struct CircuitBreaker {
    policy: BreakerPolicy,
    inner: Mutex<Inner>,
    /// When the last successful call ended.
    last_success: Mutex<Option<Instant>>,
}

/// Permission to make one call; report how it went.
#[derive(Debug)]
#[must_use = "report the call's outcome to the breaker"]
pub struct Admission {
    probe: bool,
    admitted: Instant,
}

impl CircuitBreaker {
    /// A closed breaker.
    pub fn new(policy: BreakerPolicy) -> Self {
        Self {
            policy,
            inner: Mutex::new(Inner::Closed { failures: 0 }),
            last_success: Mutex::new(None),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The current state (an open breaker whose pause is over reads as half-open).
    pub fn state(&self) -> BreakerState {
        match &*self.lock() {
            Inner::Closed { .. } => BreakerState::Closed,
            Inner::Open { until } if Instant::now() >= *until => BreakerState::HalfOpen,
            Inner::Open { .. } => BreakerState::Open,
            Inner::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    /// May a call go through now? `None` while open (or while a probe is in flight).
    pub fn admit(&self) -> Option<Admission> {
        let mut inner = self.lock();
        let admitted = Instant::now();
        match &*inner {
            Inner::Closed { .. } => Some(Admission {
                probe: false,
                admitted,
            }),
            Inner::Open { until } if admitted >= *until => {
                *inner = Inner::HalfOpen { probing: true };
                Some(Admission {
                    probe: true,
                    admitted,
                })
            }
            Inner::Open { .. } | Inner::HalfOpen { probing: true } => None,
            Inner::HalfOpen { probing: false } => {
                *inner = Inner::HalfOpen { probing: true };
                Some(Admission {
                    probe: true,
                    admitted,
                })
            }
        }
    }

    /// The admitted call succeeded. Returns the new state when it changed.
    pub fn success(&self, admission: Admission) -> Option<BreakerState> {
        *self.last_success.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        let mut inner = self.lock();
        let changed = admission.probe || !matches!(&*inner, Inner::Closed { .. });
        *inner = Inner::Closed { failures: 0 };
        changed.then_some(BreakerState::Closed)
    }

    /// The admitted call failed. Returns the new state when it changed.
    pub fn failure(&self, admission: Admission) -> Option<BreakerState> {
        let mut inner = self.lock();
        let open = Inner::Open {
            until: Instant::now() + Duration::from_millis(self.policy.open_ms),
        };
        match &mut *inner {
            _ if admission.probe => {
                *inner = open;
                Some(BreakerState::Open)
            }
            Inner::Closed { failures } => {
                *failures += 1;
                if *failures >= self.policy.failure_threshold.max(1) {
                    *inner = open;
                    Some(BreakerState::Open)
                } else {
                    None
                }
            }
            // A call admitted before the breaker opened: it is open already.
            _ => None,
        }
    }

    /// The admitted call ran out of time: a failure, unless another call succeeded while it
    /// ran (see the module's documentation), when it is [`CircuitBreaker::neutral`]. Returns
    /// the new state when it changed.
    pub fn timeout(&self, admission: Admission) -> Option<BreakerState> {
        let served_meanwhile = self
            .last_success
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some_and(|at| at > admission.admitted);
        if served_meanwhile {
            self.neutral(admission);
            None
        } else {
            self.failure(admission)
        }
    }

    /// The call was not made or did not say anything about the provider's health (a request
    /// the adapter rejected): release a probe slot without changing the state.
    pub fn neutral(&self, admission: Admission) {
        if admission.probe {
            *self.lock() = Inner::HalfOpen { probing: false };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Poll `condition` every millisecond until it holds; panics after `timeout`.
    fn wait_until(timeout: Duration, what: &str, condition: impl Fn() -> bool) {
        let started = Instant::now();
        while !condition() {
            assert!(started.elapsed() < timeout, "not {what} after {timeout:?}");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn opens_after_the_threshold_then_probes_once() {
        // Long enough that no busy machine gets from the failure to the next check in it (the
        // check below says so when one does); the test waits for it to pass, not longer.
        let open = Duration::from_millis(500);
        let breaker = CircuitBreaker::new(BreakerPolicy {
            failure_threshold: 2,
            open_ms: open.as_millis() as u64,
        });
        assert_eq!(breaker.failure(breaker.admit().unwrap()), None);
        let opened = Instant::now();
        assert_eq!(
            breaker.failure(breaker.admit().unwrap()),
            Some(BreakerState::Open)
        );
        let refused = breaker.admit().is_none();
        let state = breaker.state();
        assert!(
            opened.elapsed() < open,
            "the check came {:?} after the breaker opened, past its pause: inconclusive",
            opened.elapsed()
        );
        assert!(refused, "open: calls fail fast");
        assert_eq!(state, BreakerState::Open);
        // The pause runs out: half-open, one probe at a time.
        wait_until(open * 20, "half-open", || {
            breaker.state() == BreakerState::HalfOpen
        });
        assert!(
            opened.elapsed() >= open,
            "half-open before its pause ran out"
        );
        let probe = breaker.admit().expect("one probe");
        assert!(breaker.admit().is_none(), "only one probe at a time");
        // A failed probe opens it again, for another pause.
        let reopened = Instant::now();
        assert_eq!(breaker.failure(probe), Some(BreakerState::Open));
        let refused = breaker.admit().is_none();
        assert!(reopened.elapsed() < open, "inconclusive, as above");
        assert!(refused, "open again after the failed probe");
        wait_until(open * 20, "half-open again", || {
            breaker.state() == BreakerState::HalfOpen
        });
        let probe = breaker.admit().unwrap();
        assert_eq!(breaker.success(probe), Some(BreakerState::Closed));
        assert_eq!(breaker.state(), BreakerState::Closed);
    }

    #[test]
    fn a_timeout_counts_unless_another_call_succeeded_meanwhile() {
        let breaker = CircuitBreaker::new(BreakerPolicy {
            failure_threshold: 2,
            open_ms: 1000,
        });
        // Slow calls while others succeed: the requests were slow, not the provider.
        for _ in 0..5 {
            let slow = breaker.admit().unwrap();
            std::thread::sleep(Duration::from_millis(2));
            assert_eq!(breaker.success(breaker.admit().unwrap()), None);
            assert_eq!(breaker.timeout(slow), None);
        }
        assert_eq!(breaker.state(), BreakerState::Closed);
        // A success before the call was admitted says nothing about it.
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(breaker.timeout(breaker.admit().unwrap()), None);
        assert_eq!(
            breaker.timeout(breaker.admit().unwrap()),
            Some(BreakerState::Open),
            "timeouts with nothing served in between open it"
        );
        // A probe that times out opens it again.
        let breaker = CircuitBreaker::new(BreakerPolicy {
            failure_threshold: 1,
            open_ms: 10,
        });
        assert_eq!(
            breaker.timeout(breaker.admit().unwrap()),
            Some(BreakerState::Open)
        );
        std::thread::sleep(Duration::from_millis(20));
        let probe = breaker.admit().unwrap();
        assert_eq!(breaker.timeout(probe), Some(BreakerState::Open));
    }

    #[test]
    fn a_success_resets_the_count() {
        let breaker = CircuitBreaker::new(BreakerPolicy {
            failure_threshold: 2,
            open_ms: 1000,
        });
        let _ = breaker.failure(breaker.admit().unwrap());
        assert_eq!(breaker.success(breaker.admit().unwrap()), None);
        assert_eq!(breaker.failure(breaker.admit().unwrap()), None);
        assert_eq!(breaker.state(), BreakerState::Closed);
    }
}
