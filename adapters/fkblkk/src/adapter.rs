//! [`FkblkkAdapter`]: the plugin's [`Adapter`] implementation, manifest and capabilities.
//!
//! The folder is read once, when the instance is created (the secretariat re-sends whole
//! workbooks; there are no deltas), and queries are answered from memory. To pick up a new
//! workbook, restart the gateway. Log lines name files, sheets, rows and codes only.

use simpul_plugin::sdk::{Adapter, Host};
use simpul_plugin::{AdapterError, Capabilities, CollectionCapabilities, Manifest, ProviderInfo};
use simpul_schema::{AdapterRequest, AdapterResponse, Collection, ProviderKind, SourceKind};

use crate::mapping::LoadError;
use crate::{FkblkkConfig, FkblkkData};

/// Version of the FK-BLKK provider contract this adapter implements.
pub const CONTRACT_VERSION: &str = "1.0";

/// The FK-BLKK adapter: the loaded workbooks, queried in memory.
pub struct FkblkkAdapter {
    data: FkblkkData,
}

impl FkblkkAdapter {
    /// The loaded data (for tests and in-process use).
    pub fn data(&self) -> &FkblkkData {
        &self.data
    }
}

impl Adapter for FkblkkAdapter {
    type Config = FkblkkConfig;

    fn manifest() -> Manifest {
        let every = Collection::ALL
            .iter()
            .map(|c| (*c, CollectionCapabilities::full()))
            .collect();
        Manifest {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            provider: ProviderInfo {
                key: "fkblkk".into(),
                name: "FK-BLKK Kabupaten Tangerang".into(),
                kind: ProviderKind::CommunityNetwork,
                source_kind: SourceKind::XlsxWorkbooks,
                contract_version: CONTRACT_VERSION.into(),
            },
            capabilities: Capabilities {
                collections: every,
                aggregates: Vec::new(),
            },
            encodings: vec![simpul_plugin::ENCODING_JSON.to_owned()],
            config_schema: serde_json::to_value(schemars::schema_for!(FkblkkConfig))
                .unwrap_or_default(),
        }
    }

    async fn create(config: FkblkkConfig, host: Host) -> Result<Self, AdapterError> {
        let data = FkblkkData::load(&config).map_err(|e| {
            let code = match e {
                LoadError::ShortSecret => "CONFIG_INVALID",
                LoadError::Folder(..) => "SOURCE_UNAVAILABLE",
            };
            AdapterError::new(code, e.to_string())
        })?;
        for f in &data.rejected {
            let line = f.line.map(|l| format!(" row {l}")).unwrap_or_default();
            let key = f.key.as_deref().unwrap_or("-");
            host.warn(&format!(
                "rejected {}{line} {} [{key}]: {}",
                f.source, f.code, f.reason
            ));
        }
        host.info(&format!(
            "loaded {}: {} units rejected, {} notes, {} records with warnings",
            config.data_dir.display(),
            data.rejected.len(),
            data.notices.len(),
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
