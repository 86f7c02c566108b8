//! The HTTP surface: `/graphql` (GraphQL over HTTP, GraphiQL for browsers), `/ld/{id}`
//! (courses, runs and centres as JSON-LD), `/healthz`, `/readyz`, `/metrics`, and
//! `POST /admin/providers/{key}/reload` (swap a provider's plugin, admin keys only). Every
//! request runs in a `request` span with its id (`x-request-id`, taken from the client or made
//! up, and echoed back).

mod admin;
mod admission;
mod client;
mod console;
mod depth;
mod graphql;
mod health;
mod ld;
mod request_id;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::engine::Engine;
use crate::graphql::ServedSchema;
use crate::metrics::Metrics;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema (holds the engine).
    pub schema: ServedSchema,
    /// The engine, for health reports.
    pub engine: Arc<Engine>,
    /// Longest time one GraphQL request may run.
    pub request_timeout: std::time::Duration,
    /// How long relation loads of one level are gathered into one call.
    pub batch_window: std::time::Duration,
    /// Counters and histograms for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// Keys, rate limits, audit log, persisted queries.
    pub access: Arc<crate::access::Access>,
    /// Most aliases in one query.
    pub max_aliases: usize,
    /// Deepest selection of data (`limits.max_depth`); introspection has its own bound.
    pub max_depth: usize,
    /// Largest request body (bytes); larger bodies get 413.
    pub max_body_bytes: usize,
    /// Where a plugin reload reads the config.
    pub config_source: Arc<crate::host::ConfigSource>,
}

/// The gateway's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(console::index))
        .route("/assets/{hash}/{name}", get(console::asset))
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/ld/{id}", get(ld::get))
        .route("/admin/providers/{key}/reload", post(admin::reload))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.max_body_bytes.saturating_add(1),
        ))
        .layer(axum::middleware::from_fn(request_id::request_id))
        .with_state(state)
}
