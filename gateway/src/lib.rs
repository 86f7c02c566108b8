//! The Simpul gateway: HTTP + GraphQL server, query engine, plugin host and CLI.
//!
//! A request flows one way: [`http`] (GraphQL over HTTP) → [`graphql`] (validation, limits,
//! the unified schema) → [`engine`] (plans per provider, fans out, merges, pages) → [`host`]
//! (calls each provider's plugin) → adapters → back up as unified records.
//! [`config`] reads `simpul.toml`; [`demo`] is the embedded default; [`metrics`] feeds
//! `/metrics`; [`telemetry`] exports the request and adapter-call spans over OTLP (off by
//! default); [`cli`] is the `simpul` command.
#![forbid(unsafe_code)]

pub mod access;
pub mod cli;
pub mod config;
pub mod demo;
pub mod engine;
pub mod graphql;
pub mod host;
pub mod http;
pub mod metrics;
pub mod telemetry;
