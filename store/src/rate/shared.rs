//! Buckets in Redis, shared by every gateway instance that uses the same Redis and prefix.
//!
//! ```no_run
//! use simpul_store::{Bucket, RateLimiter};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let limiter = RateLimiter::redis("redis://127.0.0.1:6379", Bucket::new(60, 1.0)?).await?;
//! limiter.check("abcd1234").await?; // HSET simpul:rate:abcd1234 tokens 59.000000 us ...
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! One check (or spend) is one `EVALSHA` of `bucket.lua` (loaded on first use). The connection is a
//! [`ConnectionManager`]: it reconnects by itself after an outage, and every command gives up
//! after [`TIMEOUT`], so an unreachable Redis costs a request at most that much.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Script};

use super::{Bucket, Op};
use crate::RateError;

/// How long connecting or one command may take.
pub(super) const TIMEOUT: Duration = Duration::from_millis(500);

pub(super) struct Shared {
    connection: ConnectionManager,
    script: Script,
    prefix: String,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl Shared {
    pub(super) async fn connect(url: &str, prefix: &str) -> Result<Shared, RateError> {
        let client = Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(TIMEOUT)
            .set_response_timeout(TIMEOUT)
            .set_number_of_retries(1);
        let connection = ConnectionManager::new_with_config(client, config).await?;
        Ok(Shared {
            connection,
            script: Script::new(include_str!("bucket.lua")),
            prefix: prefix.to_owned(),
        })
    }

    /// Apply `op` to `key`'s bucket: `Ok(Err(wait))` when refused.
    pub(super) async fn apply(
        &self,
        bucket: &Bucket,
        key: &str,
        op: Op,
    ) -> Result<Result<(), Duration>, RateError> {
        let mut connection = self.connection.clone();
        let (cost, need) = match op {
            Op::Take(cost) => (cost, 1),
            Op::Spend(cost) => (cost, 0),
        };
        let (taken, wait_us): (i64, u64) = self
            .script
            .key(format!("{}{key}", self.prefix))
            .arg(bucket.capacity)
            .arg(bucket.refill_per_second)
            .arg(cost)
            .arg(need)
            .invoke_async(&mut connection)
            .await?;
        Ok(if taken == 1 {
            Ok(())
        } else {
            Err(Duration::from_micros(wait_us))
        })
    }
}
