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
        let taken = match &self.backend {
            Backend::Memory(memory) => memory.take(&self.bucket, key, Instant::now()),
            Backend::Redis(redis) => redis.take(&self.bucket, key).await?,
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
