//! Simpul's own store: who may ask what, what they asked, and how fast.
//!
//! ```
//! use simpul_store::{NewKey, Role, Scope, Store};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = Store::memory().await?;
//! let created = store.keys().create(NewKey::new(Role::Analyst, "dashboard")).await?;
//! let principal = store.keys().authenticate(created.secret.expose()).await?;
//! assert!(principal.has_scope(Scope::AggregateRead));
//! assert!(!principal.has_scope(Scope::PiiRead));
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! # Overview
//!
//! - [`Store`] connects to SQLite (the default, a file or in memory) or PostgreSQL through
//!   sea-orm and brings the schema up to date on connect ([`migration`]). Its parts:
//!   - [`Partners`]: the organisations keys are issued to, each tied to one provider key.
//!   - [`Keys`]: API keys with a [`Role`] and [`Scopes`]. A key (`smp_<id>_<secret>`) is shown
//!     once at creation; only a SHA-256 hash of it is stored. [`Keys::authenticate`] turns a
//!     presented key into a [`Principal`] or a typed [`AuthError`].
//!   - [`Audit`]: who read which personal-data fields, when, and how many records; field names
//!     and counts only, never values.
//!   - [`PersistedQueries`]: query texts by their SHA-256 ([`operation_hash`]).
//! - [`RateLimiter`]: a token [`Bucket`] per key, in memory or shared by several gateway
//!   instances through Redis; [`RateError`] says when to come back or that Redis is away.
//!
//! Scopes are the strings of the unified schema's `@requiresScope` (see
//! `shared/providers/UNIFIED.md` §1 "Personal data"); [`Role::default_scopes`] documents what
//! each role gets.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod access;
mod audit;
pub mod entity;
mod error;
mod hash;
mod keys;
pub mod migration;
mod partners;
mod persisted;
mod rate;
mod secret;
mod store;

pub use access::{Role, Scope, Scopes};
pub use audit::{Audit, AuditEntry, AuditFilter, AuditRecord};
pub use error::{AuthError, Error, RateError};
pub use hash::operation_hash;
pub use keys::{CreatedKey, KeyInfo, Keys, NewKey, Principal};
pub use partners::{NewPartner, Partner, Partners};
pub use persisted::{PersistedQueries, PersistedQuery};
pub use rate::{Bucket, RateLimiter};
pub use secret::KeySecret;
pub use store::Store;
