//! The plugin host: loads each configured provider's plugin, keeps its state, and is the only
//! place that calls plugins.
//!
//! A provider that fails to load is kept with its reason (and reported by `/readyz` and as a
//! GraphQL error on every list it would have contributed to); the gateway serves the others,
//! unless the provider is marked `required`.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use simpul_plugin::host::{PluginInstance, PluginLibrary};
use simpul_plugin::{Manifest, PluginError};
use simpul_schema::{AdapterRequest, AdapterResponse, SourceStatus};

use crate::config::{resolve_library, Config, ProviderConfig};

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
    /// Ready to serve, or why not.
    pub state: ProviderState,
    /// What the adapter reported about its source at start-up.
    pub source_status: Option<SourceStatus>,
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
}

impl PluginHost {
    /// Load and create every provider in `config`.
    pub async fn start(config: &Config) -> Result<Self, StartError> {
        let mut providers: Vec<Provider> = Vec::new();
        for (index, entry) in config.providers.iter().enumerate() {
            let provider = start_provider(index, entry).await;
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
        Ok(Self { providers })
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
                let status = p.source_status.as_ref();
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
    /// Call the provider's adapter under its deadline.
    pub async fn call(&self, request: &AdapterRequest) -> Result<AdapterResponse, CallError> {
        match &self.state {
            ProviderState::Ready(instance) => instance
                .call(request, self.timeout)
                .await
                .map_err(CallError::Plugin),
            ProviderState::Failed(reason) => Err(CallError::Unavailable(reason.clone())),
        }
    }
}

/// Why a call to a provider failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The provider never started.
    #[error("provider is unavailable: {0}")]
    Unavailable(String),
    /// The plugin failed the call.
    #[error(transparent)]
    Plugin(PluginError),
}

async fn start_provider(index: usize, entry: &ProviderConfig) -> Provider {
    let path = resolve_library(&entry.library);
    let mut provider = Provider {
        key: entry
            .key
            .clone()
            .unwrap_or_else(|| format!("provider{index}")),
        library: path.display().to_string(),
        required: entry.required,
        timeout: Duration::from_millis(entry.timeout_ms),
        manifest: None,
        state: ProviderState::Failed("not started".into()),
        source_status: None,
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
    let config = match serde_json::to_value(&entry.config) {
        Ok(config) => config,
        Err(e) => {
            provider.state =
                ProviderState::Failed(format!("config cannot be expressed as JSON: {e}"));
            return provider;
        }
    };
    let instance = match library.create(&provider.key, config).await {
        Ok(instance) => Arc::new(instance),
        Err(e) => {
            provider.state = ProviderState::Failed(e.to_string());
            return provider;
        }
    };
    match instance
        .call(&AdapterRequest::Status, provider.timeout)
        .await
    {
        Ok(AdapterResponse::Status(status)) => {
            // Each rejected row is in the plugin's own log and in /readyz; here, the count.
            tracing::info!(
                provider = %provider.key,
                rejected = status.rejected.len(),
                warnings = status.warnings,
                "provider ready"
            );
            provider.source_status = Some(status);
        }
        Ok(_) => {
            tracing::warn!(provider = %provider.key, "status request answered with another kind of response")
        }
        Err(e) => tracing::warn!(provider = %provider.key, "status request failed: {e}"),
    }
    provider.state = ProviderState::Ready(instance);
    provider
}
