//! A stand-in for the provider's API: serves `sample/training_centers.json` the way
//! [`{{lib_name}}::source`] reads it (`GET /training-centers?page=1&size=100` →
//! `{"items": [...], "page": 1, "totalPages": 1}`), so the adapter can be run and checked
//! without the provider. The crate's tests start it in-process; by hand:
//!
//! ```text
//! cargo run --example sample_server              # http://127.0.0.1:8787
//! cargo run --example sample_server -- 127.0.0.1:0
//! ```

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// The paging parameters of a request.
#[derive(Debug, Deserialize)]
struct Paging {
    page: Option<usize>,
    size: Option<usize>,
}

/// The sample items, as written by `simpul adapter new`.
pub fn sample_items() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample/training_centers.json");
    let text = std::fs::read_to_string(path).expect("read sample/training_centers.json");
    serde_json::from_str(&text).expect("sample/training_centers.json is a JSON list")
}

/// The API over `items`.
pub fn router(items: Vec<Value>) -> Router {
    Router::new()
        .route("/training-centers", get(page))
        .with_state(Arc::new(items))
}

/// One page of items.
async fn page(State(items): State<Arc<Vec<Value>>>, Query(paging): Query<Paging>) -> Json<Value> {
    let size = paging.size.unwrap_or(100).clamp(1, 1000);
    let page = paging.page.unwrap_or(1).max(1);
    let total_pages = items.len().div_ceil(size).max(1);
    let slice: Vec<Value> = items
        .iter()
        .skip((page - 1) * size)
        .take(size)
        .cloned()
        .collect();
    Json(json!({"items": slice, "page": page, "totalPages": total_pages}))
}

#[tokio::main]
async fn main() {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8787".into());
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .unwrap_or_else(|e| panic!("cannot listen on {address}: {e}"));
    let items = sample_items();
    let local = listener.local_addr().expect("a local address");
    println!("serving {} training centres on http://{local}", items.len());
    axum::serve(listener, router(items)).await.expect("serve");
}
