//! The plugin: [`FkblkkAdapter`], the toolkit's in-memory adapter over [`FkblkkData`].
//!
//! The folder is read once, when the instance is created (the secretariat re-sends whole
//! workbooks; there are no deltas), and queries are answered from memory. To pick up a new
//! workbook, restart the gateway. Log lines name files, sheets, rows and codes only.

use simpul_adapter_toolkit::plugin::{InMemoryAdapter, InMemorySource};
use simpul_adapter_toolkit::Records;
use simpul_plugin::sdk::Host;
use simpul_plugin::{AdapterError, ProviderInfo};
use simpul_schema::{Collection, ProviderKind, SourceKind, SourceStatus};

use crate::mapping::LoadError;
use crate::{FkblkkConfig, FkblkkData};

/// Version of the FK-BLKK provider contract this adapter implements.
pub const CONTRACT_VERSION: &str = "1.0";

/// The FK-BLKK adapter: the loaded workbooks, queried in memory.
pub type FkblkkAdapter = InMemoryAdapter<FkblkkData>;

impl InMemorySource for FkblkkData {
    type Config = FkblkkConfig;
    const PACKAGE: (&'static str, &'static str) =
        (env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
    /// What the workbooks record: no programme catalogue (a course is a centre's own).
    const COLLECTIONS: &'static [Collection] = &[
        Collection::TrainingCenters,
        Collection::Courses,
        Collection::CourseRuns,
        Collection::Participants,
        Collection::Enrollments,
        Collection::Outcomes,
        Collection::Partnerships,
        Collection::CredentialAwards,
    ];

    fn provider() -> ProviderInfo {
        ProviderInfo {
            key: "fkblkk".into(),
            name: "FK-BLKK Kabupaten Tangerang".into(),
            kind: ProviderKind::CommunityNetwork,
            source_kind: SourceKind::XlsxWorkbooks,
            contract_version: CONTRACT_VERSION.into(),
        }
    }

    fn config_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(FkblkkConfig)).unwrap_or_default()
    }

    fn open(config: &FkblkkConfig, host: Host) -> Result<Self, AdapterError> {
        let data = FkblkkData::load(config).map_err(|e| {
            let code = match e {
                LoadError::ShortSecret => "CONFIG_INVALID",
                LoadError::Folder(..) => "SOURCE_UNAVAILABLE",
            };
            AdapterError::new(code, e.to_string())
        })?;
        data.log(&host, &config.data_dir);
        Ok(data)
    }

    fn records(&self) -> &Records {
        &self.records
    }

    fn status(&self) -> &SourceStatus {
        &self.status
    }
}
