//! `/healthz` (the process is up), `/readyz` (each provider's state) and `/metrics`
//! (Prometheus).
//!
//! `/readyz` tells everyone the overall status and each provider's key, state and breaker.
//! The detail (library, why it failed to load, record counts, rejected input rows, warnings)
//! goes only to admin keys, or to everyone with `[access] public_readyz_detail = true` (the
//! demo): library paths and load errors describe the host, and record counts of personal
//! collections are not public.

use axum::extract::State;
use axum::http::header;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

use super::client::ClientAddr;
use super::AppState;
use simpul_store::Role;

/// Always 200 while the process serves HTTP.
pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 with each provider's state when at least one provider serves; 503 otherwise.
pub async fn readyz(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
) -> (StatusCode, Json<Value>) {
    let reports = state.engine.host().reports();
    let ready = reports.iter().filter(|r| r.is_ready()).count();
    let status = if ready == 0 {
        "unavailable"
    } else if ready < reports.len() {
        "degraded"
    } else {
        "ready"
    };
    let code = if ready == 0 {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let keyed = headers.contains_key(header::AUTHORIZATION) || headers.contains_key("x-api-key");
    // A key is checked like any other (rate limits, failed attempts); a bad one sees no more
    // than the public.
    let detail = state.access.public_readyz_detail
        || (keyed
            && state
                .access
                .admit(&headers, client)
                .await
                .is_ok_and(|p| p.role == Role::Admin));
    let providers = if detail {
        json!(reports)
    } else {
        reports.iter().map(public_report).collect()
    };
    (
        code,
        Json(json!({ "status": status, "providers": providers })),
    )
}

/// A provider's report as anyone may see it: key, state and breaker.
fn public_report(report: &crate::host::ProviderReport) -> Value {
    let full = serde_json::to_value(report).unwrap_or_default();
    let mut public = serde_json::Map::new();
    for field in ["key", "state", "breaker"] {
        if let Some(value) = full.get(field) {
            public.insert(field.to_owned(), value.clone());
        }
    }
    Value::Object(public)
}

/// Prometheus metrics, with each provider's breaker state as a gauge.
pub async fn metrics(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    let mut gauges = Vec::new();
    for p in state.engine.host().providers() {
        let labels = vec![("provider", p.key.clone())];
        gauges.push((
            "simpul_provider_breaker_state",
            labels.clone(),
            f64::from(p.breaker.state().gauge()),
        ));
        let current = p.current();
        gauges.push((
            "simpul_plugin_generation",
            labels.clone(),
            current.number as f64,
        ));
        if let Some(instance) = current.instance() {
            gauges.push((
                "simpul_plugin_stray_completions",
                labels.clone(),
                instance.stray_completions() as f64,
            ));
            gauges.push((
                "simpul_plugin_late_completions",
                labels,
                instance.late_completions() as f64,
            ));
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&gauges),
    )
}
