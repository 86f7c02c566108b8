//! `/healthz` (the process is up), `/readyz` (each provider's state) and `/metrics`
//! (Prometheus).

use axum::extract::State;
use axum::http::header;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::AppState;

/// Always 200 while the process serves HTTP.
pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 with each provider's state when at least one provider serves; 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
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
    (
        code,
        Json(json!({ "status": status, "providers": reports })),
    )
}

/// Prometheus metrics, with each provider's breaker state as a gauge.
pub async fn metrics(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    let gauges: Vec<_> = state
        .engine
        .host()
        .providers()
        .iter()
        .map(|p| {
            let labels = vec![("provider", p.key.clone())];
            (
                "simpul_provider_breaker_state",
                labels,
                f64::from(p.breaker.state().gauge()),
            )
        })
        .collect();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&gauges),
    )
}
