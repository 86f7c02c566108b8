//! [`FkblkkAdapter`]: the plugin's [`Adapter`] implementation and manifest.
//!
//! The folder is read once, when the instance is created (the secretariat re-sends whole
//! workbooks; there are no deltas), and queries are answered from memory. To pick up a new
//! workbook, restart the gateway. Log lines name files, sheets, rows and codes only.

use simpul_adapter_toolkit::plugin::{in_memory_manifest, log_load};
use simpul_plugin::sdk::{Adapter, Host};
use simpul_plugin::{AdapterError, Manifest, ProviderInfo};
use simpul_schema::{AdapterRequest, AdapterResponse, ProviderKind, SourceKind};

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
        let provider = ProviderInfo {
            key: "fkblkk".into(),
            name: "FK-BLKK Kabupaten Tangerang".into(),
            kind: ProviderKind::CommunityNetwork,
            source_kind: SourceKind::XlsxWorkbooks,
            contract_version: CONTRACT_VERSION.into(),
        };
        let schema = serde_json::to_value(schemars::schema_for!(FkblkkConfig));
        let (name, version) = (env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        in_memory_manifest(name, version, provider, schema.unwrap_or_default())
    }

    async fn create(config: FkblkkConfig, host: Host) -> Result<Self, AdapterError> {
        let data = FkblkkData::load(&config).map_err(|e| {
            let code = match e {
                LoadError::ShortSecret => "CONFIG_INVALID",
                LoadError::Folder(..) => "SOURCE_UNAVAILABLE",
            };
            AdapterError::new(code, e.to_string())
        })?;
        let (rejected, notices) = (&data.rejected, data.notices.len());
        log_load(
            &host,
            &config.data_dir,
            rejected,
            notices,
            data.status.warnings,
        );
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
