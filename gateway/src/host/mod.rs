//! The plugin host: loads each configured provider's plugin, keeps its state, and is the only
//! place that calls plugins.
//!
//! A provider that fails to load is kept with its reason (and reported by `/readyz` and as a
//! GraphQL error on every list it would have contributed to); the gateway serves the others,
//! unless the provider is marked `required`.
//!
//! Every call goes through the provider's policy: its circuit breaker ([`breaker`]), a bound on
//! calls in flight, a deadline, and retries of failures another attempt may cure. Each call is
//! a `tracing` span (`adapter_call`, with provider and collection) and is counted in
//! [`Metrics`]; with `record = "FILE.jsonl"`, each call that reached the adapter is appended to
//! the provider's recording ([`recorder`]).

pub mod breaker;
pub mod recorder;

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use simpul_plugin::host::{HostSettings, PluginInstance, PluginLibrary};
use simpul_plugin::{CollectionCapabilities, Manifest, PluginError, PluginErrorKind};
use simpul_schema::{AdapterRequest, AdapterResponse, Collection, SourceStatus};

use tokio::sync::Semaphore;
use tracing::Instrument;

use self::breaker::{BreakerState, CircuitBreaker};
use crate::config::{resolve_library, Config, ProviderConfig, RetryPolicy};
use crate::metrics::Metrics;

/// One configured provider.
#[derive(Debug)]
pub struct Provider {
    /// Provider key: namespace of its global ids.
    pub key: String,
    /// The plugin library file.
    pub library: String,
    /// Whether the gateway refuses to start without it.
    pub required: bool,
    /// Deadline for one call.
    pub timeout: Duration,
    /// The plugin's manifest, when the library loaded.
    pub manifest: Option<Manifest>,
    /// What in the manifest this gateway did not know (ignored, or mapped to OTHER/UNKNOWN).
    pub manifest_warnings: Vec<String>,
    /// Whether the engine may push work down to the adapter (see [`Provider::capabilities`]).
    pub pushdown: bool,
    /// Ready to serve, or why not.
    pub state: ProviderState,
    /// What the adapter reported about its source, once it has (see [`STATUS_WAIT`]).
    source_status: Arc<OnceLock<SourceStatus>>,
    /// The circuit breaker.
    pub breaker: CircuitBreaker,
    breaker_open_ms: u64,
    permits: Semaphore,
    retry: RetryPolicy,
    metrics: Arc<Metrics>,
    /// Where its calls are recorded, when `record` is set.
    recorder: Option<recorder::Recorder>,
}

/// Whether a provider can serve.
#[derive(Debug)]
pub enum ProviderState {
    /// Loaded and created.
    Ready(Arc<PluginInstance>),
    /// Could not be loaded or created; the reason names the library.
    Failed(String),
}

/// A provider's state as `/readyz` shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderReport {
    key: String,
    name: Option<String>,
    state: &'static str,
    required: bool,
    library: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_as_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record_counts: Option<std::collections::BTreeMap<String, u64>>,
    rejected_records: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rejected: Vec<simpul_schema::SourceIssue>,
    warnings: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notices: Vec<simpul_schema::SourceIssue>,
    breaker: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    manifest_warnings: Vec<String>,
    stray_completions: u64,
}

impl ProviderReport {
    /// Whether the provider serves.
    pub fn is_ready(&self) -> bool {
        self.state == "ready"
    }
}

/// Why the gateway cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A required provider failed.
    #[error("required provider `{key}` is unavailable: {reason}")]
    RequiredProvider {
        /// Provider key.
        key: String,
        /// Why.
        reason: String,
    },
    /// Two providers share a key.
    #[error("two providers use the key `{0}`; give one of them another `key`")]
    DuplicateKey(String),
}

/// All configured providers, in configuration order.
#[derive(Debug, Default)]
pub struct PluginHost {
    providers: Vec<Provider>,
    person_keys: Option<simpul_schema::identity::PersonKeys>,
}

impl PluginHost {
    /// Load and create every provider in `config`.
    pub async fn start(config: &Config, metrics: Arc<Metrics>) -> Result<Self, StartError> {
        let mut providers: Vec<Provider> = Vec::new();
        for (index, entry) in config.providers.iter().enumerate() {
            let secret = config.identity.secret.as_deref();
            let provider = start_provider(index, entry, secret, Arc::clone(&metrics)).await;
            if let ProviderState::Failed(reason) = &provider.state {
                if provider.required {
                    return Err(StartError::RequiredProvider {
                        key: provider.key.clone(),
                        reason: reason.clone(),
                    });
                }
                tracing::error!(provider = %provider.key, "provider unavailable, serving the others: {reason}");
            }
            if providers.iter().any(|p| p.key == provider.key) {
                return Err(StartError::DuplicateKey(provider.key));
            }
            providers.push(provider);
        }
        Ok(Self {
            providers,
            person_keys: config
                .identity
                .secret
                .as_deref()
                .map(simpul_schema::identity::PersonKeys::new),
        })
    }

    /// How person keys are made from NIKs (`None` without an identity secret).
    pub fn person_keys(&self) -> Option<&simpul_schema::identity::PersonKeys> {
        self.person_keys.as_ref()
    }

    /// Every provider, in configuration order.
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// The provider with this key.
    pub fn get(&self, key: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.key == key)
    }

    /// Each provider's state, for `/readyz`.
    pub fn reports(&self) -> Vec<ProviderReport> {
        self.providers
            .iter()
            .map(|p| {
                let status = p.source_status();
                ProviderReport {
                    key: p.key.clone(),
                    name: p.manifest.as_ref().map(|m| m.provider.name.clone()),
                    state: match p.state {
                        ProviderState::Ready(_) => "ready",
                        ProviderState::Failed(_) => "failed",
                    },
                    required: p.required,
                    library: p.library.clone(),
                    reason: match &p.state {
                        ProviderState::Failed(reason) => Some(reason.clone()),
                        ProviderState::Ready(_) => None,
                    },
                    data_as_of: status.and_then(|s| s.data_as_of.clone()),
                    record_counts: status.map(|s| s.record_counts.clone()),
                    rejected_records: status.map_or(0, |s| s.rejected.len()),
                    rejected: status.map(|s| s.rejected.clone()).unwrap_or_default(),
                    warnings: status.map_or(0, |s| s.warnings),
                    notices: status.map(|s| s.notices.clone()).unwrap_or_default(),
                    breaker: p.breaker.state().as_str(),
                    manifest_warnings: p.manifest_warnings.clone(),
                    stray_completions: p.instance().map_or(0, |i| i.stray_completions()),
                }
            })
            .collect()
    }

    /// Shut every instance down, joining their runtimes.
    pub async fn shutdown(self) {
        for provider in self.providers {
            if let ProviderState::Ready(instance) = provider.state {
                if let Ok(instance) = Arc::try_unwrap(instance) {
                    instance.shutdown().await;
                }
            }
        }
    }
}

impl Provider {
    /// Whether the adapter looks up social-security memberships by KPJ (its manifest says so;
    /// never assumed).
    pub fn looks_up_memberships(&self) -> bool {
        self.manifest
            .as_ref()
            .is_some_and(|m| m.capabilities.memberships)
    }

    /// Whether the adapter serves this collection at all (assumed when its manifest is unknown,
    /// so that a provider that failed to load still reports its failure).
    pub fn serves(&self, collection: Collection) -> bool {
        self.manifest
            .as_ref()
            .is_none_or(|m| m.capabilities.collections.contains_key(&collection))
    }

    /// What the engine may push down to the adapter for this collection: the manifest's
    /// declaration, or nothing when the provider is configured with `pushdown = false`.
    pub fn capabilities(&self, collection: Collection) -> CollectionCapabilities {
        self.manifest
            .as_ref()
            .filter(|_| self.pushdown)
            .and_then(|m| m.capabilities.collections.get(&collection))
            .cloned()
            .unwrap_or_default()
    }

    /// Record a fault found in an answer the adapter gave (`code` in the metrics, `what` in
    /// the log, which names the request through its span).
    pub fn fault(&self, code: &'static str, what: &str) {
        tracing::warn!(provider = %self.key, code, "{what}");
        self.metrics.provider_fault(&self.key, code);
    }

    /// The running plugin instance, if the provider serves.
    pub fn instance(&self) -> Option<&PluginInstance> {
        match &self.state {
            ProviderState::Ready(instance) => Some(instance),
            ProviderState::Failed(_) => None,
        }
    }

    /// What the adapter reported about its source (`None` until it has answered).
    pub fn source_status(&self) -> Option<&SourceStatus> {
        self.source_status.get()
    }

    /// Call the provider's adapter through its policy: breaker, concurrency bound, deadline,
    /// retries.
    pub async fn call(&self, request: &AdapterRequest) -> Result<AdapterResponse, CallError> {
        let instance = match &self.state {
            ProviderState::Ready(instance) => instance,
            ProviderState::Failed(reason) => return Err(CallError::Unavailable(reason.clone())),
        };
        let collection = match request {
            AdapterRequest::Query(q) => serde_json::to_value(q.collection)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            AdapterRequest::Aggregate(a) => serde_json::to_value(a.view)
                .ok()
                .and_then(|v| v.as_str().map(|view| format!("{view}_aggregate")))
                .unwrap_or_default(),
            AdapterRequest::Status => "status".to_owned(),
            AdapterRequest::Membership(_) => "membership".to_owned(),
        };
        let span =
            tracing::info_span!("adapter_call", provider = %self.key, collection = %collection);
        async {
            let mut attempt = 1;
            loop {
                match self.attempt(instance, request, &collection).await {
                    Err(e)
                        if attempt < self.retry.max_attempts
                            && e.retryable(self.retry.on_timeout) =>
                    {
                        let pause = self
                            .retry
                            .backoff_ms
                            .saturating_mul(1 << (attempt - 1).min(10));
                        tracing::info!(attempt, code = e.code(), "retrying in {pause} ms");
                        tokio::time::sleep(Duration::from_millis(pause)).await;
                        attempt += 1;
                    }
                    other => return other,
                }
            }
        }
        .instrument(span)
        .await
    }

    async fn attempt(
        &self,
        instance: &PluginInstance,
        request: &AdapterRequest,
        collection: &str,
    ) -> Result<AdapterResponse, CallError> {
        let Some(admission) = self.breaker.admit() else {
            self.metrics.provider_rejected(&self.key, collection);
            return Err(CallError::CircuitOpen);
        };
        let started = Instant::now();
        let mut call_time = None;
        let result = match tokio::time::timeout(self.timeout, self.permits.acquire()).await {
            // One deadline covers the wait for a slot and the call: a caller that queued
            // behind a slow call has only what is left of it.
            Ok(Ok(_permit)) => {
                let call = Instant::now();
                let result = instance
                    .call(request, self.timeout.saturating_sub(started.elapsed()))
                    .await
                    .map_err(CallError::Plugin);
                call_time = Some(call.elapsed());
                result
            }
            Ok(Err(_closed)) => Err(CallError::Unavailable(
                "the provider is shutting down".into(),
            )),
            Err(_elapsed) => Err(CallError::Busy),
        };
        let changed = match &result {
            Ok(_) => self.breaker.success(admission),
            // The caller's mistake, or the gateway's own queue being full: not the provider's.
            Err(e) if e.is_callers_fault() || matches!(e, CallError::Busy) => {
                self.breaker.neutral(admission);
                None
            }
            // Slow while the provider served other calls: this request was slow, not the
            // provider (see `breaker`).
            Err(e) if e.is_timeout() => self.breaker.timeout(admission),
            Err(_) => self.breaker.failure(admission),
        };
        match changed {
            Some(BreakerState::Open) => {
                tracing::warn!(
                    "circuit breaker open: calls fail fast for {} ms",
                    self.breaker_open_ms
                )
            }
            Some(state) => tracing::info!("circuit breaker {}", state.as_str()),
            None => {}
        }
        let code = result.as_ref().err().map(CallError::code);
        match &result {
            Ok(_) => tracing::debug!(ms = started.elapsed().as_millis() as u64, "adapter call ok"),
            Err(e) => tracing::warn!(code = code.unwrap_or_default(), "adapter call failed: {e}"),
        }
        self.metrics
            .provider_call(&self.key, collection, started.elapsed(), code);
        if let (Some(recorder), Some(call_time)) = (&self.recorder, call_time) {
            recorder.record(request, call_time, &result);
        }
        result
    }

    /// Recorded lines dropped so far (`record`: the queue was full or a write failed).
    pub fn recording_dropped(&self) -> u64 {
        self.recorder
            .as_ref()
            .map_or(0, recorder::Recorder::dropped)
    }
}

/// Why a call to a provider failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The provider never started.
    #[error("provider is unavailable: {0}")]
    Unavailable(String),
    /// Its circuit breaker is open after repeated failures.
    #[error("provider is unavailable: its circuit breaker is open after repeated failures")]
    CircuitOpen,
    /// Too many calls in flight until the deadline.
    #[error("provider is busy: no call slot freed up before the deadline")]
    Busy,
    /// The plugin failed the call.
    #[error(transparent)]
    Plugin(PluginError),
}

impl CallError {
    /// The GraphQL error code for this failure.
    pub fn code(&self) -> &'static str {
        match self {
            CallError::Unavailable(_) | CallError::CircuitOpen => "PROVIDER_UNAVAILABLE",
            CallError::Busy => "PROVIDER_TIMEOUT",
            CallError::Plugin(PluginError::Call { kind, .. }) => match kind {
                PluginErrorKind::Timeout(_) => "PROVIDER_TIMEOUT",
                PluginErrorKind::Panicked(_) | PluginErrorKind::Poisoned => "PLUGIN_PANIC",
                PluginErrorKind::Adapter(e) => match e.code.as_str() {
                    "SOURCE_TIMEOUT" => "PROVIDER_TIMEOUT",
                    "SOURCE_INVALID" => "PROVIDER_ERROR",
                    "BAD_REQUEST" => "BAD_USER_INPUT",
                    code if code.starts_with("SOURCE_") => "PROVIDER_UNAVAILABLE",
                    _ => "PROVIDER_ERROR",
                },
                PluginErrorKind::Cancelled | PluginErrorKind::Busy => "PROVIDER_UNAVAILABLE",
                _ => "PROVIDER_ERROR",
            },
            CallError::Plugin(_) => "PROVIDER_UNAVAILABLE",
        }
    }

    /// The caller's request was at fault, not the provider: no retry, no breaker count.
    fn is_callers_fault(&self) -> bool {
        match self {
            CallError::Plugin(PluginError::Call { kind, .. }) => match kind {
                PluginErrorKind::Adapter(e) => e.code == "BAD_REQUEST",
                PluginErrorKind::BadRequest(_) => true,
                _ => false,
            },
            _ => false,
        }
    }

    /// The provider, or the adapter's source, ran past a deadline.
    fn is_timeout(&self) -> bool {
        match self {
            CallError::Plugin(PluginError::Call { kind, .. }) => match kind {
                PluginErrorKind::Timeout(_) => true,
                PluginErrorKind::Adapter(e) => e.code == "SOURCE_TIMEOUT",
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether another attempt may succeed.
    fn retryable(&self, on_timeout: bool) -> bool {
        match self {
            CallError::Plugin(PluginError::Call { kind, .. }) => match kind {
                PluginErrorKind::Adapter(e) => e.code == "SOURCE_UNAVAILABLE",
                PluginErrorKind::Cancelled => true,
                PluginErrorKind::Timeout(_) => on_timeout,
                _ => false,
            },
            CallError::Busy => on_timeout,
            _ => false,
        }
    }
}

async fn start_provider(
    index: usize,
    entry: &ProviderConfig,
    identity_secret: Option<&str>,
    metrics: Arc<Metrics>,
) -> Provider {
    let path = resolve_library(&entry.library);
    let mut provider = Provider {
        breaker: CircuitBreaker::new(entry.breaker.clone()),
        breaker_open_ms: entry.breaker.open_ms,
        permits: Semaphore::new(entry.max_concurrency.max(1)),
        retry: entry.retry.clone(),
        metrics,
        key: entry
            .key
            .clone()
            .unwrap_or_else(|| format!("provider{index}")),
        library: path.display().to_string(),
        required: entry.required,
        timeout: Duration::from_millis(entry.timeout_ms),
        manifest: None,
        manifest_warnings: Vec::new(),
        pushdown: entry.pushdown,
        state: ProviderState::Failed("not started".into()),
        source_status: Arc::new(OnceLock::new()),
        recorder: None,
    };
    let library = match PluginLibrary::open(&path) {
        Ok(library) => library,
        Err(e) => {
            provider.state = ProviderState::Failed(e.to_string());
            return provider;
        }
    };
    if entry.key.is_none() {
        provider.key = library.manifest().provider.key.clone();
    }
    provider.manifest = Some(library.manifest().clone());
    if let Some(path) = &entry.record {
        // A recording that cannot be opened is the operator's to fix; the provider serves.
        match recorder::Recorder::open(path, &provider.key, library.manifest()) {
            Ok(recorder) => provider.recorder = Some(recorder),
            Err(e) => {
                tracing::error!(provider = %provider.key, path = %path.display(), "cannot open the recording, calls are not recorded: {e}")
            }
        }
    }
    let config = match serde_json::to_value(&entry.config) {
        Ok(mut config) => {
            let wants_secret = library.manifest().config_schema["properties"]
                .get("identity_secret")
                .is_some();
            if let (Some(secret), Some(table), true) =
                (identity_secret, config.as_object_mut(), wants_secret)
            {
                table
                    .entry("identity_secret")
                    .or_insert_with(|| secret.into());
            }
            config
        }
        Err(e) => {
            provider.state =
                ProviderState::Failed(format!("config cannot be expressed as JSON: {e}"));
            return provider;
        }
    };
    let settings = HostSettings {
        call_threads: entry.call_threads.max(1),
        // The provider's own bound keeps more from waiting; the queue only needs room for them.
        queue: entry.max_concurrency.max(1) * 2,
        max_payload_bytes: entry.max_response_bytes,
    };
    for warning in library.manifest_warnings() {
        tracing::warn!(provider = %provider.key, "plugin manifest: {warning}");
    }
    provider.manifest_warnings = library.manifest_warnings().to_vec();
    let instance = match library.create_with(&provider.key, config, settings).await {
        Ok(instance) => Arc::new(instance),
        Err(e) => {
            provider.state = ProviderState::Failed(e.to_string());
            return provider;
        }
    };
    // The source's status (counts, rejected rows) can take long on a large source: wait for
    // it briefly, then let it finish in the background while the provider already serves.
    let mut status = tokio::spawn(fetch_status(
        Arc::clone(&instance),
        provider.key.clone(),
        provider.timeout.max(STATUS_DEADLINE),
        Arc::clone(&provider.source_status),
    ));
    if tokio::time::timeout(STATUS_WAIT, &mut status)
        .await
        .is_err()
    {
        tracing::info!(provider = %provider.key, "the source's status is still being gathered; serving meanwhile");
    }
    provider.state = ProviderState::Ready(instance);
    provider
}

/// How long start-up waits for a provider's status before serving without it.
pub const STATUS_WAIT: Duration = Duration::from_secs(2);
/// The least deadline of the status request (it may count every record of a large source).
const STATUS_DEADLINE: Duration = Duration::from_secs(300);

/// Ask the adapter for its source's status and keep the answer.
async fn fetch_status(
    instance: Arc<PluginInstance>,
    key: String,
    deadline: Duration,
    slot: Arc<OnceLock<SourceStatus>>,
) {
    match instance.call(&AdapterRequest::Status, deadline).await {
        Ok(AdapterResponse::Status(status)) => {
            // Each rejected row is in the plugin's own log and in /readyz; here, the count.
            tracing::info!(provider = %key, rejected = status.rejected.len(), warnings = status.warnings, "source status");
            let _ = slot.set(status);
        }
        Ok(_) => {
            tracing::warn!(provider = %key, "status request answered with another kind of response")
        }
        Err(e) => tracing::warn!(provider = %key, "status request failed: {e}"),
    }
}
