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
pub mod generation;
pub mod recorder;
mod swap;

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use simpul_plugin::host::PluginInstance;
use simpul_plugin::{CollectionCapabilities, PluginError, PluginErrorKind};
use simpul_schema::{AdapterRequest, AdapterResponse, Collection, SourceStatus};

use tokio::sync::Semaphore;
use tracing::Instrument;

use self::breaker::{BreakerState, CircuitBreaker};
pub use self::generation::Generation;
pub use self::swap::{ConfigSource, ReloadError, Swap};
use crate::config::{Config, ProviderConfig, RetryPolicy};
use crate::metrics::Metrics;

/// One configured provider: its policy (breaker, concurrency bound, deadline, retries) and
/// the plugin generation it serves from now.
#[derive(Debug)]
pub struct Provider {
    /// Provider key: namespace of its global ids.
    pub key: String,
    /// Whether the gateway refuses to start without it.
    pub required: bool,
    /// Deadline for one call.
    pub timeout: Duration,
    /// Whether the engine may push work down to the adapter (see [`Provider::capabilities`]).
    pub pushdown: bool,
    /// Whether the adapter computes the aggregates it declares (else the engine does).
    pub aggregate_pushdown: bool,
    /// The circuit breaker.
    pub breaker: CircuitBreaker,
    breaker_open_ms: u64,
    permits: Semaphore,
    retry: RetryPolicy,
    metrics: Arc<Metrics>,
    /// Where its calls are recorded, when `record` is set.
    recorder: Option<recorder::Recorder>,
    /// The plugin generation new calls go to (replaced by [`PluginHost::reload`]).
    current: RwLock<Arc<Generation>>,
    /// One reload at a time.
    reloading: tokio::sync::Mutex<()>,
    /// The table it was started from (a reload reports policy changes against it).
    configured: ProviderConfig,
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
    /// 1 at start, one more per reload.
    generation: u64,
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
    /// Handed to reloaded plugins that ask for it, as at start.
    identity_secret: Option<String>,
}

impl PluginHost {
    /// Load and create every provider in `config`.
    pub async fn start(config: &Config, metrics: Arc<Metrics>) -> Result<Self, StartError> {
        let mut providers: Vec<Provider> = Vec::new();
        for (index, entry) in config.providers.iter().enumerate() {
            let secret = config.identity.secret.as_deref();
            let provider = start_provider(index, entry, secret, Arc::clone(&metrics)).await;
            if let ProviderState::Failed(reason) = &provider.current().state {
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
            identity_secret: config.identity.secret.clone(),
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
                let current = p.current();
                let status = current.source_status.get();
                ProviderReport {
                    key: p.key.clone(),
                    name: current.manifest.as_ref().map(|m| m.provider.name.clone()),
                    state: match current.state {
                        ProviderState::Ready(_) => "ready",
                        ProviderState::Failed(_) => "failed",
                    },
                    required: p.required,
                    library: current.library.clone(),
                    generation: current.number,
                    reason: match &current.state {
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
                    manifest_warnings: current.manifest_warnings.clone(),
                    stray_completions: current.instance().map_or(0, |i| i.stray_completions()),
                }
            })
            .collect()
    }

    /// Shut every instance down, joining their runtimes.
    pub async fn shutdown(self) {
        for provider in self.providers {
            let generation = provider
                .current
                .into_inner()
                .unwrap_or_else(|p| p.into_inner());
            let Ok(mut generation) = Arc::try_unwrap(generation) else {
                continue;
            };
            let stopped = ProviderState::Failed("the gateway has shut down".into());
            if let ProviderState::Ready(instance) =
                std::mem::replace(&mut generation.state, stopped)
            {
                if let Ok(instance) = Arc::try_unwrap(instance) {
                    instance.shutdown().await;
                }
            }
        }
    }
}

impl Provider {
    /// The plugin generation new calls go to now. A caller that holds it keeps that
    /// generation (and its instance) alive across a reload.
    pub fn current(&self) -> Arc<Generation> {
        Arc::clone(&self.current.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Whether the adapter looks up social-security memberships by KPJ (its manifest says so;
    /// never assumed).
    pub fn looks_up_memberships(&self) -> bool {
        self.current()
            .manifest
            .as_ref()
            .is_some_and(|m| m.capabilities.memberships)
    }

    /// Whether the adapter serves this collection at all (assumed when its manifest is unknown,
    /// so that a provider that failed to load still reports its failure).
    pub fn serves(&self, collection: Collection) -> bool {
        self.current()
            .manifest
            .as_ref()
            .is_none_or(|m| m.capabilities.collections.contains_key(&collection))
    }

    /// What the engine may push down to the adapter for this collection: the manifest's
    /// declaration, or nothing when the provider is configured with `pushdown = false`.
    pub fn capabilities(&self, collection: Collection) -> CollectionCapabilities {
        self.current()
            .manifest
            .as_ref()
            .filter(|_| self.pushdown)
            .and_then(|m| m.capabilities.collections.get(&collection))
            .cloned()
            .unwrap_or_default()
    }

    /// What identifies the plugin that answers now: the provider's key, the plugin's name
    /// and version, and a digest of its library file and its config. Answers kept under one
    /// scope are never served under another, so a new plugin or config starts afresh.
    pub fn cache_scope(&self) -> String {
        self.current().scope.clone()
    }

    /// Record a fault found in an answer the adapter gave (`code` in the metrics, `what` in
    /// the log, which names the request through its span).
    pub fn fault(&self, code: &'static str, what: &str) {
        tracing::warn!(provider = %self.key, code, "{what}");
        self.metrics.provider_fault(&self.key, code);
    }

    /// The running plugin instance, if the provider serves.
    pub fn instance(&self) -> Option<Arc<PluginInstance>> {
        self.current().instance().cloned()
    }

    /// What the adapter reported about its source (`None` until it has answered).
    pub fn source_status(&self) -> Option<SourceStatus> {
        self.current().source_status.get().cloned()
    }

    /// Call the provider's adapter through its policy: breaker, concurrency bound, deadline,
    /// retries.
    pub async fn call(&self, request: &AdapterRequest) -> Result<AdapterResponse, CallError> {
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
                // Each attempt goes to the generation current when it starts: a retry after a
                // reload reaches the new plugin.
                let generation = self.current();
                let instance = match &generation.state {
                    ProviderState::Ready(instance) => instance,
                    ProviderState::Failed(reason) => {
                        return Err(CallError::Unavailable(reason.clone()))
                    }
                };
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
    let (key, generation) = Generation::load(1, entry.key.as_deref(), entry, identity_secret).await;
    let key = match (&entry.key, &generation.manifest) {
        (None, None) => format!("provider{index}"),
        _ => key,
    };
    let recorder = match (&entry.record, &generation.manifest) {
        // A recording that cannot be opened is the operator's to fix; the provider serves.
        (Some(path), Some(manifest)) => match recorder::Recorder::open(path, &key, manifest) {
            Ok(recorder) => Some(recorder),
            Err(e) => {
                tracing::error!(provider = %key, path = %path.display(), "cannot open the recording, calls are not recorded: {e}");
                None
            }
        },
        _ => None,
    };
    Provider {
        breaker: CircuitBreaker::new(entry.breaker.clone()),
        breaker_open_ms: entry.breaker.open_ms,
        permits: Semaphore::new(entry.max_concurrency.max(1)),
        retry: entry.retry.clone(),
        metrics,
        key,
        required: entry.required,
        timeout: Duration::from_millis(entry.timeout_ms),
        pushdown: entry.pushdown,
        aggregate_pushdown: entry.aggregate_pushdown,
        recorder,
        current: RwLock::new(Arc::new(generation)),
        reloading: tokio::sync::Mutex::new(()),
        configured: entry.clone(),
    }
}
