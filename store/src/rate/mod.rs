//! [`RateLimiter`]: a token bucket per key, in memory or shared through Redis.
//!
//! ```
//! use simpul_store::{Bucket, RateError, RateLimiter};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let limiter = RateLimiter::memory(Bucket::new(2, 1.0)?);
//! limiter.check("abcd1234").await?;
//! limiter.check("abcd1234").await?;
//! let Err(RateError::Limited { retry_after }) = limiter.check("abcd1234").await else {
//!     panic!("the third request in a row is refused");
//! };
//! assert!(retry_after.as_secs_f64() <= 1.0);
//! limiter.check("efgh5678").await?; // every key has its own bucket
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! A bucket holds up to `capacity` tokens and gains `refill_per_second` of them each second;
//! a request takes one or is refused with the time until the next. The key is whatever the
//! gateway limits by: an API key id, or a client address for anonymous requests.
//!
//! A request that turns out to cost more than one token (the gateway counts the adapter calls
//! it made) pays the rest afterwards with [`RateLimiter::spend`], which never refuses: the
//! bucket may go below zero, down to `-capacity` at most, and the key's next request waits
//! until it is back above one. [`RateLimiter::peek`] asks whether a request would pass without
//! taking anything (the gateway's limit on failed key attempts, which spends only on failure).
//!
//! ```
//! use simpul_store::{Bucket, RateLimiter};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let limiter = RateLimiter::memory(Bucket::new(5, 0.001)?);
//! limiter.check("k").await?; // 4 left
//! limiter.spend("k", 6).await?; // the request cost 7 in all: 2 in debt
//! assert!(limiter.peek("k").await.is_err());
//! assert!(limiter.check("k").await.is_err());
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! With several gateway instances, use [`RateLimiter::redis`]: each check runs one Lua script
//! atomically on the Redis server, against Redis's clock, so the instances share one budget
//! per key. Buckets live under `simpul:rate:<key>` and expire once they would be full again.

mod memory;
mod shared;

use std::time::{Duration, Instant};

use crate::{Error, RateError};

/// The shape of every key's bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    capacity: u32,
    refill_per_second: f64,
}

impl Bucket {
    /// Up to `capacity` requests in a burst (at least 1), then `refill_per_second` a second on
    /// average (positive and finite).
    pub fn new(capacity: u32, refill_per_second: f64) -> Result<Bucket, Error> {
        if capacity == 0 {
            return Err(Error::invalid("bucket", "capacity must be at least 1"));
        }
        if !(refill_per_second.is_finite() && refill_per_second > 0.0) {
            return Err(Error::invalid(
                "bucket",
                "refill must be positive and finite",
            ));
        }
        Ok(Bucket {
            capacity,
            refill_per_second,
        })
    }

    /// Tokens when full.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Tokens gained per second.
    pub fn refill_per_second(&self) -> f64 {
        self.refill_per_second
    }

    /// How long until a bucket holding `tokens` (< 1) holds one.
    fn time_to_one(&self, tokens: f64) -> Duration {
        Duration::from_secs_f64(((1.0 - tokens) / self.refill_per_second).max(0.0))
    }
}

/// What to do to a bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    /// Refuse unless a whole token is there; then take this many (0: only look).
    Take(f64),
    /// Take this many whatever the bucket holds (down to `-capacity`).
    Spend(f64),
}

/// Per-key token buckets, in memory or in Redis. Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct RateLimiter {
    bucket: Bucket,
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    Memory(memory::Memory),
    Redis(shared::Shared),
}

impl RateLimiter {
    /// Where Redis buckets live unless told otherwise: `simpul:rate:<key>`.
    pub const DEFAULT_PREFIX: &'static str = "simpul:rate:";

    /// Buckets in this process's memory: for a single gateway instance, and tests.
    pub fn memory(bucket: Bucket) -> RateLimiter {
        RateLimiter {
            bucket,
            backend: Backend::Memory(memory::Memory::default()),
        }
    }

    /// Buckets in the Redis at `url` (`redis://127.0.0.1:6379`), under
    /// [`RateLimiter::DEFAULT_PREFIX`]. Fails with [`RateError::Unavailable`] when Redis
    /// cannot be reached now; later outages fail checks the same way until it is back (the
    /// connection is re-established on its own).
    pub async fn redis(url: &str, bucket: Bucket) -> Result<RateLimiter, RateError> {
        Self::redis_with_prefix(url, bucket, Self::DEFAULT_PREFIX).await
    }

    /// [`RateLimiter::redis`] with buckets under `prefix` instead (tests, or several
    /// limiters in one Redis).
    pub async fn redis_with_prefix(
        url: &str,
        bucket: Bucket,
        prefix: &str,
    ) -> Result<RateLimiter, RateError> {
        Ok(RateLimiter {
            bucket,
            backend: Backend::Redis(shared::Shared::connect(url, prefix).await?),
        })
    }

    /// Take a token from `key`'s bucket, or say when to come back.
    pub async fn check(&self, key: &str) -> Result<(), RateError> {
        self.apply(key, Op::Take(1.0)).await
    }

    /// Whether [`RateLimiter::check`] would pass now, taking nothing.
    pub async fn peek(&self, key: &str) -> Result<(), RateError> {
        self.apply(key, Op::Take(0.0)).await
    }

    /// Take `tokens` from `key`'s bucket whatever it holds: it may go below zero (down to
    /// `-capacity`), and the key's next [`RateLimiter::check`] waits until it is back above
    /// one. Fails only when Redis is unavailable.
    pub async fn spend(&self, key: &str, tokens: u32) -> Result<(), RateError> {
        if tokens == 0 {
            return Ok(());
        }
        self.apply(key, Op::Spend(f64::from(tokens))).await
    }

    async fn apply(&self, key: &str, op: Op) -> Result<(), RateError> {
        let taken = match &self.backend {
            Backend::Memory(memory) => memory.apply(&self.bucket, key, Instant::now(), op),
            Backend::Redis(redis) => redis.apply(&self.bucket, key, op).await?,
        };
        taken.map_err(|retry_after| RateError::Limited { retry_after })
    }

    /// The buckets' shape.
    pub fn bucket(&self) -> Bucket {
        self.bucket
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_validated() {
        assert!(Bucket::new(0, 1.0).is_err());
        assert!(Bucket::new(1, 0.0).is_err());
        assert!(Bucket::new(1, f64::NAN).is_err());
        assert!(Bucket::new(1, f64::INFINITY).is_err());
        let b = Bucket::new(5, 2.0).unwrap();
        assert_eq!((b.capacity(), b.refill_per_second()), (5, 2.0));
        assert_eq!(b.time_to_one(0.0), Duration::from_millis(500));
    }
}
