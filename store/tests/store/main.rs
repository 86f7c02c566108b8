//! The store's integration tests, one module per feature. Every database test runs twice: on
//! SQLite and on a throwaway PostgreSQL database (see `common`); the rate-limit tests use the
//! Redis at 127.0.0.1:6379. Both services are required: when one is down the tests fail and
//! say so, they never skip.

/// Throwaway stores on both engines, the Redis URL, and the `on_both_backends!` macro.
#[macro_use]
mod common;

/// Issuing, listing, revoking and checking API keys; what the `api_key` table holds.
mod keys;

/// Recording and filtering the personal-data audit log.
mod audit;

/// Persisted queries by hash.
mod persisted;

/// Migrations on connect: idempotent, recorded, safe to run concurrently.
mod migrations;

/// Rate limits in memory and shared through Redis.
mod rate;
