//! [`SpnAdapter`]: the plugin's [`Adapter`] implementation, its manifest and capabilities.
//!
//! The export folder is read once, when the instance is created (SPN re-exports the whole
//! folder each time; there are no deltas), and queries are answered from memory, so every call
//! completes inline without touching the plugin's runtime. To pick up a new export, restart
//! the gateway.

use simpul_adapter_toolkit::plugin::in_memory_manifest;
use simpul_plugin::sdk::{Adapter, Host};
use simpul_plugin::{AdapterError, Manifest, ProviderInfo};
use simpul_schema::{AdapterRequest, AdapterResponse, ProviderKind, SourceKind};

use crate::{SpnConfig, SpnData, SpnError};

/// Version of the SPN provider contract this adapter implements.
pub const CONTRACT_VERSION: &str = "1.0";

/// The SPN adapter: the loaded export, queried in memory.
pub struct SpnAdapter {
    data: SpnData,
}

impl SpnAdapter {
    /// The loaded data (for tests and in-process use).
    pub fn data(&self) -> &SpnData {
        &self.data
    }
}

impl Adapter for SpnAdapter {
    type Config = SpnConfig;

    fn manifest() -> Manifest {
        let provider = ProviderInfo {
            key: "spn".into(),
            name: "SPN Training Center".into(),
            kind: ProviderKind::TradeUnion,
            source_kind: SourceKind::CsvFiles,
            contract_version: CONTRACT_VERSION.into(),
        };
        let schema = serde_json::to_value(schemars::schema_for!(SpnConfig));
        let (name, version) = (env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        in_memory_manifest(name, version, provider, schema.unwrap_or_default())
    }

    async fn create(config: SpnConfig, host: Host) -> Result<Self, AdapterError> {
        let data = SpnData::load(&config).map_err(|e| {
            let code = match e {
                SpnError::FolderMissing { .. } | SpnError::FolderUnreadable { .. } => {
                    "SOURCE_UNAVAILABLE"
                }
                _ => "SOURCE_INVALID",
            };
            AdapterError::new(code, e.to_string())
        })?;
        for issue in &data.status.rejected {
            let line = issue.line.map(|l| format!(":{l}")).unwrap_or_default();
            host.warn(&format!(
                "rejected {}{line} [{}]: {}",
                issue.source, issue.code, issue.reason
            ));
        }
        for notice in &data.status.notices {
            let key = notice
                .key
                .as_deref()
                .map(|k| format!(" `{k}`"))
                .unwrap_or_default();
            host.info(&format!(
                "{} [{}]{key}: {}",
                notice.source, notice.code, notice.reason
            ));
        }
        host.info(&format!(
            "loaded {}: {} rows rejected, {} records with warnings",
            config.data_dir.display(),
            data.status.rejected.len(),
            data.status.warnings
        ));
        Ok(Self { data })
    }

    async fn handle(&self, request: AdapterRequest) -> Result<AdapterResponse, AdapterError> {
        match request {
            AdapterRequest::Status => Ok(AdapterResponse::Status(self.data.status.clone())),
            AdapterRequest::Aggregate(_) => Err(AdapterError::unsupported("aggregation")),
            AdapterRequest::Query(query) => self
                .data
                .query(&query)
                .map(AdapterResponse::Query)
                .map_err(|e| AdapterError::new("BAD_REQUEST", e.to_string())),
        }
    }
}
