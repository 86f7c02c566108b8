//! The plugin side an in-memory adapter shares with every other: [`InMemoryAdapter`], the
//! SDK's `Adapter` for any [`InMemorySource`] (loaded once when the instance is created,
//! queried from memory, status as loaded); a manifest declaring the source's collections with
//! full capabilities (the records are in memory, so the engine's reference semantics apply to any
//! field); and the load summary logged once, naming files, rows and codes only.

use std::path::Path;

use simpul_plugin::sdk::{Adapter, Host};
use simpul_plugin::{AdapterError, Capabilities, CollectionCapabilities, Manifest, ProviderInfo};
use simpul_schema::{AdapterRequest, AdapterResponse, Collection, SourceStatus};

use crate::dataset::{Loaded, Records};
use crate::findings::Finding;

/// A source served from memory: read and mapped once, when the instance is created. To pick
/// up new data, the gateway restarts the instance.
pub trait InMemorySource: Sized + Send + Sync + 'static {
    /// The adapter's configuration.
    type Config: serde::de::DeserializeOwned + Send;
    /// The adapter crate's name and version (`env!("CARGO_PKG_NAME")`, `…VERSION`).
    const PACKAGE: (&'static str, &'static str);
    /// The collections the source records: the gateway asks only these, so a collection left
    /// out is "not recorded here", not "none". No default: a collection added to the model
    /// is not declared by an adapter that never heard of it.
    const COLLECTIONS: &'static [Collection];

    /// Who the provider is and which contract version the adapter implements.
    fn provider() -> ProviderInfo;
    /// The configuration's JSON Schema.
    fn config_schema() -> serde_json::Value;
    /// Read and map the source; the error's code says why nothing can be served
    /// (`SOURCE_UNAVAILABLE`, `CONFIG_INVALID`, …).
    fn open(config: &Self::Config, host: Host) -> Result<Self, AdapterError>;
    /// The records served.
    fn records(&self) -> &Records;
    /// The source status, as loaded.
    fn status(&self) -> &SourceStatus;
}

/// The plugin of an [`InMemorySource`]: export it with `simpul_plugin::export_adapter!`.
pub struct InMemoryAdapter<S>(S);

impl<S> InMemoryAdapter<S> {
    /// The loaded data (for tests and in-process use).
    pub fn data(&self) -> &S {
        &self.0
    }
}

impl<S: InMemorySource> Adapter for InMemoryAdapter<S> {
    type Config = S::Config;

    fn manifest() -> Manifest {
        let (name, version) = S::PACKAGE;
        in_memory_manifest(
            name,
            version,
            S::provider(),
            S::config_schema(),
            S::COLLECTIONS,
        )
    }

    async fn create(config: S::Config, host: Host) -> Result<Self, AdapterError> {
        S::open(&config, host).map(Self)
    }

    async fn handle(&self, request: AdapterRequest) -> Result<AdapterResponse, AdapterError> {
        match request {
            AdapterRequest::Status => Ok(AdapterResponse::Status(self.0.status().clone())),
            AdapterRequest::Aggregate(_) => Err(AdapterError::unsupported("aggregation")),
            AdapterRequest::Membership(_) => Err(AdapterError::unsupported("membership lookups")),
            AdapterRequest::Query(query) => self
                .0
                .records()
                .query(&query)
                .map(AdapterResponse::Query)
                .map_err(|e| AdapterError::new("BAD_REQUEST", e.to_string())),
        }
    }
}

/// The manifest of an adapter that serves `collections` from memory, JSON-encoded.
pub fn in_memory_manifest(
    name: &str,
    version: &str,
    provider: ProviderInfo,
    config_schema: serde_json::Value,
    collections: &[Collection],
) -> Manifest {
    let every = collections
        .iter()
        .map(|c| (*c, CollectionCapabilities::full()))
        .collect();
    Manifest {
        name: name.into(),
        version: version.into(),
        provider,
        capabilities: Capabilities {
            collections: every,
            aggregates: Vec::new(),
            memberships: false,
        },
        encodings: simpul_plugin::Encoding::names(),
        config_schema,
    }
}

impl Loaded {
    /// Log the load of `dir` ([`log_load`]).
    pub fn log(&self, host: &Host, dir: &Path) {
        let (notices, warnings) = (self.notices.len(), self.status.warnings);
        log_load(host, dir, &self.rejected, notices, warnings);
    }
}

/// Log each rejected unit as a warning and one summary line of the load.
pub fn log_load(host: &Host, dir: &Path, rejected: &[Finding], notices: usize, warnings: u64) {
    for f in rejected {
        let line = f.line.map(|l| format!(" row {l}")).unwrap_or_default();
        let key = f.key.as_deref().unwrap_or("-");
        host.warn(&format!(
            "rejected {}{line} {} [{key}]: {}",
            f.source, f.code, f.reason
        ));
    }
    host.info(&format!(
        "loaded {}: {} units rejected, {notices} notes, {warnings} records with warnings",
        dir.display(),
        rejected.len(),
    ));
}
