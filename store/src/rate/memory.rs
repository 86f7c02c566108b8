//! Buckets in a map in this process.
//!
//! ```
//! use simpul_store::{Bucket, RateLimiter};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let limiter = RateLimiter::memory(Bucket::new(1, 1000.0).unwrap());
//! assert!(limiter.check("k").await.is_ok());
//! # });
//! ```
//!
//! Buckets that have filled up again are dropped when the map grows large, so a stream of
//! one-off keys (client addresses) does not grow it without bound.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Bucket, Op};

/// Past this many buckets, full ones are dropped.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
pub(super) struct Memory {
    buckets: Mutex<HashMap<String, State>>,
}

#[derive(Debug, Clone, Copy)]
struct State {
    tokens: f64,
    at: Instant,
}

impl State {
    /// The state at `now`, refilled.
    fn at(self, bucket: &Bucket, now: Instant) -> State {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        State {
            tokens: (self.tokens + elapsed * bucket.refill_per_second)
                .min(f64::from(bucket.capacity)),
            at: now.max(self.at),
        }
    }
}

impl Memory {
    /// Take a token from `key` at `now`, or the time until one is there.
    #[cfg(test)]
    pub(super) fn take(&self, bucket: &Bucket, key: &str, now: Instant) -> Result<(), Duration> {
        self.apply(bucket, key, now, Op::Take(1.0))
    }

    /// Apply `op` to `key`'s bucket at `now`.
    pub(super) fn apply(
        &self,
        bucket: &Bucket,
        key: &str,
        now: Instant,
        op: Op,
    ) -> Result<(), Duration> {
        // A panic elsewhere cannot leave a half-updated bucket: updates are single stores.
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            let full = f64::from(bucket.capacity);
            buckets.retain(|_, state| state.at(bucket, now).tokens < full);
        }
        let full = State {
            tokens: f64::from(bucket.capacity),
            at: now,
        };
        let state = buckets.entry(key.to_owned()).or_insert(full);
        *state = state.at(bucket, now);
        match op {
            Op::Spend(cost) => {
                state.tokens = (state.tokens - cost).max(-f64::from(bucket.capacity));
                Ok(())
            }
            Op::Take(cost) if state.tokens >= 1.0 => {
                state.tokens -= cost;
                Ok(())
            }
            Op::Take(_) => Err(bucket.time_to_one(state.tokens)),
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.buckets.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// `result` is a refusal with a wait of `expected_ms`, to a millisecond.
    fn assert_wait(result: Result<(), Duration>, expected_ms: f64) {
        let wait = result.expect_err("refused").as_secs_f64() * 1000.0;
        assert!(
            (wait - expected_ms).abs() < 1.0,
            "{wait} ms, not {expected_ms}"
        );
    }

    #[test]
    fn burst_then_refill() {
        let bucket = Bucket::new(3, 10.0).unwrap(); // a token every 100 ms
        let memory = Memory::default();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(memory.take(&bucket, "a", t0), Ok(()));
        }
        assert_wait(memory.take(&bucket, "a", t0), 100.0);
        assert_wait(memory.take(&bucket, "a", t0 + ms(40)), 60.0);
        assert_eq!(memory.take(&bucket, "a", t0 + ms(101)), Ok(()));
        assert!(memory.take(&bucket, "a", t0 + ms(101)).is_err());
        // Idle long enough, the bucket is full again and never fuller.
        let later = t0 + ms(10_000);
        for _ in 0..3 {
            assert_eq!(memory.take(&bucket, "a", later), Ok(()));
        }
        assert!(memory.take(&bucket, "a", later).is_err());
    }

    #[test]
    fn spending_goes_into_debt_and_peeking_takes_nothing() {
        let bucket = Bucket::new(4, 10.0).unwrap(); // a token every 100 ms
        let memory = Memory::default();
        let t0 = Instant::now();
        assert_eq!(memory.apply(&bucket, "a", t0, Op::Take(0.0)), Ok(()));
        assert_eq!(memory.apply(&bucket, "a", t0, Op::Take(1.0)), Ok(()));
        // 3 left; a request that cost 6 more leaves the bucket 3 in debt.
        assert_eq!(memory.apply(&bucket, "a", t0, Op::Spend(6.0)), Ok(()));
        assert_wait(memory.take(&bucket, "a", t0), 400.0);
        assert_wait(memory.apply(&bucket, "a", t0, Op::Take(0.0)), 400.0);
        // Debt is bounded by the capacity.
        assert_eq!(memory.apply(&bucket, "a", t0, Op::Spend(100.0)), Ok(()));
        assert_wait(memory.take(&bucket, "a", t0), 500.0);
        assert_eq!(memory.take(&bucket, "a", t0 + ms(500)), Ok(()));
    }

    #[test]
    fn keys_are_independent() {
        let bucket = Bucket::new(1, 1.0).unwrap();
        let memory = Memory::default();
        let t0 = Instant::now();
        assert!(memory.take(&bucket, "a", t0).is_ok());
        assert!(memory.take(&bucket, "a", t0).is_err());
        assert!(memory.take(&bucket, "b", t0).is_ok());
    }

    #[test]
    fn clock_going_backwards_does_not_refill() {
        let bucket = Bucket::new(1, 1.0).unwrap();
        let memory = Memory::default();
        let t0 = Instant::now() + ms(5_000);
        assert!(memory.take(&bucket, "a", t0).is_ok());
        assert!(memory.take(&bucket, "a", t0 - ms(3_000)).is_err());
    }

    #[test]
    fn full_buckets_are_pruned() {
        let bucket = Bucket::new(1, 1.0).unwrap();
        let memory = Memory::default();
        let t0 = Instant::now();
        for i in 0..=PRUNE_ABOVE {
            assert!(memory.take(&bucket, &i.to_string(), t0).is_ok());
        }
        assert!(memory.take(&bucket, "still-empty", t0 + ms(500)).is_ok());
        assert_eq!(memory.len(), PRUNE_ABOVE + 2);
        // Two seconds on, every bucket is full again: all are dropped before the next take.
        assert!(memory.take(&bucket, "fresh", t0 + ms(2_000)).is_ok());
        assert_eq!(memory.len(), 1);
    }
}
