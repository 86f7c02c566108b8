//! `POST /admin/providers/{key}/reload`: swap provider `key`'s plugin for a new generation
//! made from the config as it is now (the config file read again), without a restart. Admin
//! keys only. `simpul plugins reload KEY` is its command line.
//!
//! ```text
//! $ curl -X POST -H "authorization: Bearer $ADMIN_KEY" http://127.0.0.1:4000/admin/providers/spn/reload
//! {"provider":"spn","from":{"generation":1,…},"to":{"generation":2,…},"tookMs":41}
//! ```
//!
//! | answer | when |
//! |---|---|
//! | 200 and the swap | the new generation serves |
//! | 401 / 403 | no admin key |
//! | 404 `UNKNOWN_PROVIDER` | no provider has that key |
//! | 409 `NOT_CONFIGURED` | the config no longer has the provider's table |
//! | 422 `RELOAD_FAILED` | the new plugin cannot serve (the old one still does), or the config file has problems |

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use simpul_store::Role;

use super::client::ClientAddr;
use super::AppState;
use crate::host::ReloadError;

/// Reload one provider's plugin.
pub async fn reload(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> (StatusCode, Json<Value>) {
    let fail = |status: StatusCode, code: &str, message: String| {
        (
            status,
            Json(json!({ "error": { "code": code, "message": message } })),
        )
    };
    match state.access.admit(&headers, client).await {
        Ok(principal) if principal.role == Role::Admin => {}
        Ok(_) => {
            return fail(
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                "reloading a plugin needs an admin key".into(),
            )
        }
        Err(denied) => return fail(denied.status, denied.code, denied.message),
    }
    let config = match state.config_source.load() {
        Ok(config) => config,
        Err(e) => {
            return fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                "RELOAD_FAILED",
                format!("nothing was swapped: {e}"),
            )
        }
    };
    match state.engine.host().reload(&key, &config).await {
        Ok(swap) => (StatusCode::OK, Json(json!(swap))),
        Err(e @ ReloadError::UnknownProvider(_)) => {
            fail(StatusCode::NOT_FOUND, "UNKNOWN_PROVIDER", e.to_string())
        }
        Err(e @ ReloadError::NotConfigured(_)) => {
            fail(StatusCode::CONFLICT, "NOT_CONFIGURED", e.to_string())
        }
        Err(e @ ReloadError::CannotServe { .. }) => fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "RELOAD_FAILED",
            e.to_string(),
        ),
    }
}
