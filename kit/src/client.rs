//! [`Client`]: the suite's side of one plugin instance. Every call goes through it, so it can
//! note what every answer must respect whatever the check: personal data only when asked for,
//! the records of the collection asked for, and the error messages (scanned for personal data
//! later).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use simpul_plugin::host::PluginInstance;
use simpul_plugin::{PluginError, PluginErrorKind};
use simpul_schema::analytics::{AggregateRequest, AggregateResponse};
use simpul_schema::{AdapterRequest, AdapterResponse, QueryRequest, SourceStatus};

use crate::records::{collection_name, Record};

/// The deadline of a status request: at least this, as the gateway gives it (abi.md §7).
pub const STATUS_DEADLINE: Duration = Duration::from_secs(300);

/// Why a call gave no usable answer: the host's error, or an answer of the wrong shape.
#[derive(Debug, Clone, PartialEq)]
pub struct CallFailure {
    /// What happened, for a check's reason.
    pub message: String,
    /// The host's error kind, when the call itself failed.
    pub kind: Option<PluginErrorKind>,
}

impl std::fmt::Display for CallFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A record sent with personal data that the request did not ask for.
#[derive(Debug, Clone)]
pub struct Unasked {
    /// `participants 42`.
    pub record: String,
    /// The request it answered.
    pub request: serde_json::Value,
}

/// One plugin instance, called by the suite.
#[derive(Debug, Clone)]
pub struct Client {
    instance: Arc<PluginInstance>,
    deadline: Duration,
    errors: Arc<Mutex<Vec<String>>>,
    unasked: Arc<Mutex<Vec<Unasked>>>,
    calls: Arc<std::sync::atomic::AtomicU64>,
}

impl Client {
    /// A client for `instance`, each call under `deadline`.
    pub fn new(instance: PluginInstance, deadline: Duration) -> Self {
        Self {
            instance: Arc::new(instance),
            deadline,
            errors: Arc::default(),
            unasked: Arc::default(),
            calls: Arc::default(),
        }
    }

    /// Send `request` under `deadline`. Adapter error messages are kept for the scan.
    pub async fn call_within(
        &self,
        request: &AdapterRequest,
        deadline: Duration,
    ) -> Result<AdapterResponse, CallFailure> {
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.instance
            .call(request, deadline)
            .await
            .map_err(|e| self.failure(e))
    }

    /// Send `request` under the ordinary deadline.
    pub async fn call(&self, request: &AdapterRequest) -> Result<AdapterResponse, CallFailure> {
        self.call_within(request, self.deadline).await
    }

    fn failure(&self, error: PluginError) -> CallFailure {
        let kind = match &error {
            PluginError::Call { kind, .. } => Some(kind.clone()),
            _ => None,
        };
        let message = match &kind {
            Some(PluginErrorKind::Adapter(e)) => {
                self.keep_error(&e.message);
                format!("adapter error {}: {}", e.code, e.message)
            }
            Some(PluginErrorKind::BadRequest(text) | PluginErrorKind::Panicked(text)) => {
                self.keep_error(text);
                kind.as_ref().map(ToString::to_string).unwrap_or_default()
            }
            Some(other) => other.to_string(),
            None => error.to_string(),
        };
        CallFailure { message, kind }
    }

    fn keep_error(&self, message: &str) {
        let mut errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        if errors.len() < 10_000 {
            errors.push(message.to_owned());
        }
    }

    /// Ask a query of `T`'s collection: its records and total count.
    pub async fn query<T: Record>(
        &self,
        request: &QueryRequest,
    ) -> Result<(Vec<T>, u64), CallFailure> {
        self.query_within(request, self.deadline).await
    }

    /// [`Client::query`] under another deadline.
    pub async fn query_within<T: Record>(
        &self,
        request: &QueryRequest,
        deadline: Duration,
    ) -> Result<(Vec<T>, u64), CallFailure> {
        let (records, total, _) = self.page_within(request, deadline).await?;
        Ok((records, total))
    }

    /// Ask a query of `T`'s collection: its records and the cursor after them (`next`).
    pub async fn page<T: Record>(
        &self,
        request: &QueryRequest,
    ) -> Result<(Vec<T>, Option<String>), CallFailure> {
        let (records, _, next) = self.page_within(request, self.deadline).await?;
        Ok((records, next))
    }

    async fn page_within<T: Record>(
        &self,
        request: &QueryRequest,
        deadline: Duration,
    ) -> Result<(Vec<T>, u64, Option<String>), CallFailure> {
        let wrapped = AdapterRequest::Query(request.clone());
        let answer = self.call_within(&wrapped, deadline).await?;
        let AdapterResponse::Query(response) = answer else {
            return Err(wrong("a query was answered with another kind of response"));
        };
        let got = response.records.collection();
        let records = T::from_records(response.records).ok_or_else(|| {
            wrong(&format!(
                "a query of {} was answered with {} records",
                collection_name(T::COLLECTION),
                collection_name(got)
            ))
        })?;
        if !request.include_pii {
            let mut unasked = self.unasked.lock().unwrap_or_else(|p| p.into_inner());
            for record in records.iter().filter(|r| r.has_personal_data()) {
                if unasked.len() < 1_000 {
                    unasked.push(Unasked {
                        record: format!(
                            "{} {}",
                            collection_name(T::COLLECTION),
                            record.source_id()
                        ),
                        request: serde_json::to_value(&wrapped).unwrap_or_default(),
                    });
                }
            }
        }
        Ok((records, response.total_count, response.next))
    }

    /// Ask an aggregate.
    pub async fn aggregate(
        &self,
        request: &AggregateRequest,
    ) -> Result<AggregateResponse, CallFailure> {
        match self
            .call(&AdapterRequest::Aggregate(request.clone()))
            .await?
        {
            AdapterResponse::Aggregate(answer) => Ok(answer),
            _ => Err(wrong(
                "an aggregate was answered with another kind of response",
            )),
        }
    }

    /// Ask the source's status.
    pub async fn status(&self) -> Result<SourceStatus, CallFailure> {
        let deadline = self.deadline.max(STATUS_DEADLINE);
        match self.call_within(&AdapterRequest::Status, deadline).await? {
            AdapterResponse::Status(status) => Ok(status),
            _ => Err(wrong(
                "a status request was answered with another kind of response",
            )),
        }
    }

    /// The messages of every adapter error so far (AdapterError, bad-request and panic texts).
    pub fn error_messages(&self) -> Vec<String> {
        self.errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Records sent with personal data the request did not ask for, so far.
    pub fn unasked(&self) -> Vec<Unasked> {
        self.unasked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Calls made so far.
    pub fn calls(&self) -> u64 {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Completions the plugin made that the ABI forbids, and ones after the host stopped
    /// waiting.
    pub fn stray_and_late(&self) -> (u64, u64) {
        (
            self.instance.stray_completions(),
            self.instance.late_completions(),
        )
    }

    /// Stop the instance (its dispatch threads, then `destroy`), once no clone is calling.
    pub async fn shutdown(self) {
        if let Ok(instance) = Arc::try_unwrap(self.instance) {
            instance.shutdown().await;
        }
    }
}

fn wrong(message: &str) -> CallFailure {
    CallFailure {
        message: message.to_owned(),
        kind: None,
    }
}
