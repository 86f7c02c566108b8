//! One connection to a Redis that may be down or slow: every operation is bounded by a
//! timeout, a connection that cannot be made is retried in the background at most once a
//! second (operations meanwhile fail at once), and failures are logged at most once a minute.
//!
//! The connection is a [`ConnectionManager`]: once made, it reconnects by itself after an
//! outage.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// How long after a failed connection attempt the next one may start.
const RECONNECT_PAUSE: Duration = Duration::from_secs(1);
/// How often a failing Redis is logged.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// Why a Redis operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// No connection (yet, or since the last attempt failed).
    #[error("not connected to Redis at {0}")]
    NotConnected(String),
    /// The operation took longer than its bound.
    #[error("Redis at {url} took longer than {ms} ms")]
    Timeout {
        /// Where.
        url: String,
        /// The bound.
        ms: u128,
    },
    /// Redis refused or failed the operation.
    #[error("Redis at {url}: {source}")]
    Redis {
        /// Where.
        url: String,
        /// Why.
        source: redis::RedisError,
    },
}

/// A URL that is not a Redis URL.
#[derive(Debug, thiserror::Error)]
#[error("`{url}` is not a Redis URL: {source}")]
pub struct BadUrl {
    /// The URL, its password removed.
    pub url: String,
    /// Why.
    pub source: redis::RedisError,
}

/// A bounded, lazily (re)connecting link to one Redis. Cheap to clone.
#[derive(Clone)]
pub struct RedisLink(Arc<Inner>);

struct Inner {
    client: redis::Client,
    /// The URL without its password, for messages.
    url: String,
    timeout: Duration,
    connection: Mutex<Option<ConnectionManager>>,
    connecting: AtomicBool,
    next_attempt: Mutex<Option<Instant>>,
    last_warning: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for RedisLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLink")
            .field("url", &self.0.url)
            .field("timeout", &self.0.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisLink {
    /// A link to the Redis at `url` whose operations take at most `timeout`; not connected
    /// yet (see [`RedisLink::connect`]).
    pub fn new(url: &str, timeout: Duration) -> Result<Self, BadUrl> {
        let client = redis::Client::open(url).map_err(|source| BadUrl {
            url: redact(url),
            source,
        })?;
        Ok(Self(Arc::new(Inner {
            client,
            url: redact(url),
            timeout,
            connection: Mutex::new(None),
            connecting: AtomicBool::new(false),
            next_attempt: Mutex::new(None),
            last_warning: Mutex::new(None),
        })))
    }

    /// The URL, its password removed.
    pub fn url(&self) -> &str {
        &self.0.url
    }

    /// Try to connect now, waiting at most `wait`; whether connected. A failure is logged,
    /// and later operations try again in the background.
    pub async fn connect(&self, wait: Duration) -> bool {
        if self.current().is_some() {
            return true;
        }
        if self.0.connecting.swap(true, Ordering::SeqCst) {
            return false;
        }
        let made = tokio::time::timeout(wait, self.open(wait)).await;
        self.0.connecting.store(false, Ordering::SeqCst);
        match made {
            Ok(Ok(connection)) => {
                *lock(&self.0.connection) = Some(connection);
                true
            }
            Ok(Err(source)) => {
                self.failed(&LinkError::Redis {
                    url: self.0.url.clone(),
                    source,
                });
                false
            }
            Err(_) => {
                self.failed(&LinkError::Timeout {
                    url: self.0.url.clone(),
                    ms: wait.as_millis(),
                });
                false
            }
        }
    }

    async fn open(&self, wait: Duration) -> redis::RedisResult<ConnectionManager> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(wait)
            .set_response_timeout(self.0.timeout)
            .set_number_of_retries(1);
        ConnectionManager::new_with_config(self.0.client.clone(), config).await
    }

    fn current(&self) -> Option<ConnectionManager> {
        lock(&self.0.connection).clone()
    }

    /// The connection, or [`LinkError::NotConnected`] at once (then a connection attempt is
    /// started in the background, unless one ran less than a second ago).
    fn connection(&self) -> Result<ConnectionManager, LinkError> {
        if let Some(connection) = self.current() {
            return Ok(connection);
        }
        let due = lock(&self.0.next_attempt).is_none_or(|at| Instant::now() >= at);
        if due && !self.0.connecting.load(Ordering::SeqCst) {
            *lock(&self.0.next_attempt) = Some(Instant::now() + RECONNECT_PAUSE);
            let link = self.clone();
            tokio::spawn(async move {
                link.connect(link.0.timeout.max(RECONNECT_PAUSE)).await;
            });
        }
        Err(LinkError::NotConnected(self.0.url.clone()))
    }

    /// Run one command within the timeout.
    async fn run<T: redis::FromRedisValue>(&self, command: redis::Cmd) -> Result<T, LinkError> {
        let mut connection = self.connection()?;
        match tokio::time::timeout(self.0.timeout, command.query_async(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(source)) => Err(LinkError::Redis {
                url: self.0.url.clone(),
                source,
            }),
            Err(_) => Err(LinkError::Timeout {
                url: self.0.url.clone(),
                ms: self.0.timeout.as_millis(),
            }),
        }
    }

    /// `GET key`.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, LinkError> {
        let mut command = redis::cmd("GET");
        command.arg(key);
        self.run(command).await
    }

    /// `SET key value PX ttl_ms`.
    pub async fn set(&self, key: &str, value: &[u8], ttl_ms: u64) -> Result<(), LinkError> {
        let mut command = redis::cmd("SET");
        command.arg(key).arg(value).arg("PX").arg(ttl_ms.max(1));
        self.run(command).await
    }

    /// Log a failure, at most once a minute (`what` says what was being done).
    pub fn warn(&self, what: &str, error: &LinkError) {
        let mut last = lock(&self.0.last_warning);
        if last.is_some_and(|at| at.elapsed() < WARN_EVERY) {
            return;
        }
        *last = Some(Instant::now());
        tracing::warn!("{what}: {error} (the request went on without it; logged once a minute)");
    }

    fn failed(&self, error: &LinkError) {
        *lock(&self.0.next_attempt) = Some(Instant::now() + RECONNECT_PAUSE);
        self.warn("cannot connect to Redis", error);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// `url` without the password between `:` and `@` of its authority.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{}", &rest[at + 1..])
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redact("redis://:secret@cache:6379/0"),
            "redis://:***@cache:6379/0"
        );
        assert_eq!(
            redact("redis://user:pw@cache:6379"),
            "redis://user:***@cache:6379"
        );
        assert_eq!(redact("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }

    #[tokio::test]
    async fn an_unreachable_redis_fails_fast_and_never_panics() {
        let link = RedisLink::new("redis://127.0.0.1:1", Duration::from_millis(100)).unwrap();
        assert!(!link.connect(Duration::from_millis(500)).await);
        let started = Instant::now();
        assert!(matches!(
            link.get("k").await,
            Err(LinkError::NotConnected(_))
        ));
        assert!(link.set("k", b"v", 10).await.is_err());
        assert!(started.elapsed() < Duration::from_millis(50));
        assert!(RedisLink::new("not a url", Duration::from_millis(1)).is_err());
    }
}
