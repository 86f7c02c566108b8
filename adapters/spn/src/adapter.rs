//! The plugin: [`SpnAdapter`], the toolkit's in-memory adapter over [`SpnData`].
//!
//! The export folder is read once, when the instance is created (SPN re-exports the whole
//! folder each time; there are no deltas), and queries are answered from memory, so every call
//! completes inline without touching the plugin's runtime. To pick up a new export, restart
//! the gateway.

use simpul_adapter_toolkit::plugin::{InMemoryAdapter, InMemorySource};
use simpul_adapter_toolkit::Records;
use simpul_plugin::sdk::Host;
use simpul_plugin::{AdapterError, ProviderInfo};
use simpul_schema::{Collection, ProviderKind, SourceKind, SourceStatus};

use crate::{SpnConfig, SpnData, SpnError};

/// Version of the SPN provider contract this adapter implements.
pub const CONTRACT_VERSION: &str = "1.0";

/// The SPN adapter: the loaded export, queried in memory.
pub type SpnAdapter = InMemoryAdapter<SpnData>;

impl InMemorySource for SpnData {
    type Config = SpnConfig;
    const PACKAGE: (&'static str, &'static str) =
        (env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
    /// What the export records: no certificates, no programme catalogue.
    const COLLECTIONS: &'static [Collection] = &[
        Collection::TrainingCenters,
        Collection::Courses,
        Collection::CourseRuns,
        Collection::Participants,
        Collection::Enrollments,
        Collection::Outcomes,
        Collection::Partnerships,
    ];

    fn provider() -> ProviderInfo {
        ProviderInfo {
            key: "spn".into(),
            name: "SPN Training Center".into(),
            kind: ProviderKind::TradeUnion,
            source_kind: SourceKind::CsvFiles,
            contract_version: CONTRACT_VERSION.into(),
        }
    }

    fn config_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(SpnConfig)).unwrap_or_default()
    }

    fn open(config: &SpnConfig, host: Host) -> Result<Self, AdapterError> {
        let data = SpnData::load(config).map_err(|e| {
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
        Ok(data)
    }

    fn records(&self) -> &Records {
        &self.records
    }

    fn status(&self) -> &SourceStatus {
        &self.status
    }
}
