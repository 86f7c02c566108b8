//! What the engine did for one request, per provider: calls made and what was pushed down.
//!
//! Collected for every request; returned in the response's `extensions.simpul.providers` when
//! the request asks for it (`"extensions": { "simpul": { "trace": true } }`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use simpul_schema::Collection;

/// One adapter call.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRecord {
    /// Which collection.
    pub collection: Collection,
    /// `list` (a filtered, ordered read), `lookup` (by local keys), `aggregate` (groups summarised
    /// by the adapter), `scan` (a page of records the engine summarises itself) or `count` (a
    /// collection's total alone, no record).
    pub kind: &'static str,
    /// The filter went to the adapter.
    pub filter_pushed: bool,
    /// The order went to the adapter.
    pub order_pushed: bool,
    /// The adapter was asked for at most this many records (`None`: all matching).
    pub limit: Option<u64>,
    /// The adapter was asked for personal data in clear.
    pub personal_data: bool,
    /// The only fields the adapter was asked to fill (a projection); absent: all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    /// Records the adapter returned.
    pub records: usize,
    /// Time the call took, in microseconds (retries included).
    pub micros: u64,
    /// Error code when the call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
}

impl CallRecord {
    /// A call about to be made with `request`; [`Engine::query_logged`](super::Engine) fills
    /// in its records, time and error.
    pub fn new(
        kind: &'static str,
        request: &simpul_schema::QueryRequest,
        filter_pushed: bool,
        order_pushed: bool,
    ) -> Self {
        Self {
            collection: request.collection,
            kind,
            filter_pushed,
            order_pushed,
            limit: request.limit,
            personal_data: request.include_pii,
            fields: request.fields.clone(),
            records: 0,
            micros: 0,
            error: None,
        }
    }
}

/// The calls of one request, by provider, whether the request may read personal data in
/// clear (then, and only then, the engine asks adapters for it), and the id its adapter calls
/// carry ([`QueryRequest::request_id`](simpul_schema::QueryRequest)). Cheap to clone
/// (shared); each new log is a new request, with a new id.
#[derive(Debug, Clone)]
pub struct CallLog {
    calls: Arc<Mutex<BTreeMap<String, Vec<CallRecord>>>>,
    personal_data: bool,
    request_id: Arc<str>,
}

impl Default for CallLog {
    fn default() -> Self {
        Self {
            calls: Arc::default(),
            personal_data: false,
            request_id: next_request_id(),
        }
    }
}

/// A process-unique request id: a counter, so that no two requests of this gateway share one
/// (a plugin instance lives in one gateway process).
fn next_request_id() -> Arc<str> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Arc::from(NEXT.fetch_add(1, Ordering::Relaxed).to_string())
}

impl CallLog {
    /// The log of a request whose caller may read personal data in clear (`pii:read`).
    pub fn with_personal_data() -> Self {
        Self {
            personal_data: true,
            ..Self::default()
        }
    }

    /// Whether adapters are asked for personal data in clear.
    pub fn personal_data(&self) -> bool {
        self.personal_data
    }

    /// The id every adapter call of this request carries.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// Record one call.
    pub fn record(&self, provider: &str, call: CallRecord) {
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(provider.to_owned())
            .or_default()
            .push(call);
    }

    /// How many adapter calls were made so far.
    pub fn call_count(&self) -> usize {
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .map(Vec::len)
            .sum()
    }

    /// Calls per provider so far.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<CallRecord>> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The trace as JSON: `{ "<provider>": { "calls": n, "details": [...] } }`.
    pub fn to_json(&self) -> serde_json::Value {
        let calls = self.snapshot();
        serde_json::Value::Object(
            calls
                .into_iter()
                .map(|(provider, details)| {
                    (
                        provider,
                        serde_json::json!({ "calls": details.len(), "details": details }),
                    )
                })
                .collect(),
        )
    }
}
