//! The ways the store, authentication and rate limiting fail.
//!
//! ```
//! use simpul_store::{AuthError, Store};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = Store::memory().await.unwrap();
//! let refused = store.keys().authenticate("smp_not-a-key").await.unwrap_err();
//! assert!(matches!(refused, AuthError::Malformed));
//! assert!(!refused.to_string().contains("not-a-key"), "errors never echo the key");
//! # });
//! ```
//!
//! None of these messages contains a key, a secret, a hash or a personal value: they may be
//! logged and shown to callers as they are.

use std::time::Duration;

/// A store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database refused or could not be reached.
    #[error("store database: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// No row has this id.
    #[error("{what} `{id}` not found")]
    NotFound {
        /// `partner`, `api key`, ...
        what: &'static str,
        /// The id asked for (never a secret).
        id: String,
    },
    /// An argument breaks a rule; `reason` says which.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// The argument.
        what: &'static str,
        /// The rule it breaks.
        reason: String,
    },
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed: {0}")]
    Entropy(String),
}

impl Error {
    pub(crate) fn invalid(what: &'static str, reason: impl Into<String>) -> Self {
        Error::Invalid {
            what,
            reason: reason.into(),
        }
    }
}

/// A presented API key was refused. The variants are distinct so the gateway can log why; it
/// should answer every one of them alike (401) so callers learn nothing about other keys.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// Not of the form `smp_<8 characters>_<43 characters>`.
    #[error("malformed API key")]
    Malformed,
    /// Well-formed, but no key has this id, or the secret does not match.
    #[error("unknown API key")]
    Unknown,
    /// The key was revoked.
    #[error("revoked API key")]
    Revoked,
    /// The key's `expires_at` has passed.
    #[error("expired API key")]
    Expired,
    /// The store could not be asked.
    #[error("cannot check the API key: {0}")]
    Store(#[from] sea_orm::DbErr),
}

/// A rate-limit check did not let the request through.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RateError {
    /// The key's bucket is empty: one token is back after `retry_after`.
    #[error("rate limited: retry after {} ms", retry_after.as_millis())]
    Limited {
        /// When the next token is there (the `Retry-After` header, rounded up to seconds).
        retry_after: Duration,
    },
    /// The Redis backend is unreachable or failed. The gateway decides whether to let
    /// requests through (fail open) or refuse them (fail closed).
    #[error("rate limiter backend unavailable: {0}")]
    Unavailable(#[from] redis::RedisError),
}
