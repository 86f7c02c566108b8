//! The adapter's configuration: where the CSV folder is and which day the data describes.
//!
//! The gateway deserialises this from the plugin's config block and validates it against the
//! JSON Schema derived here, so every field's doc comment is user-facing documentation.

use std::path::PathBuf;

use chrono::NaiveDate;
use schemars::gen::SchemaGenerator;
use schemars::schema::{InstanceType, Schema, SchemaObject, SingleOrVec};
use schemars::JsonSchema;
use serde::Deserialize;

/// The snapshot date of the SPN contract's sample export (30 June 2025).
pub const CONTRACT_SNAPSHOT: (i32, u32, u32) = (2025, 6, 30);

/// Configuration of the SPN adapter.
#[derive(Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct SpnConfig {
    /// Folder holding the SPN spreadsheet export: `pusat_pelatihan.csv`, `pelatihan.csv`,
    /// `peserta.csv` (required) and `hasil.csv`, `kerjasama.csv` (may be absent). A relative path
    /// is resolved against the gateway's working directory. The folder is read once, at load.
    pub data_dir: PathBuf,
    /// The day the export describes, `YYYY-MM-DD`. Used to derive each course run's status
    /// (ended before it: `COMPLETED`; under way on it: `RUNNING`; starting after it: `OPEN`) and
    /// whether a blank result means the enrolment is still in progress. Default: `2025-06-30`,
    /// the snapshot of the contract's sample data. `null` means "today" (the gateway's clock).
    #[serde(default = "default_snapshot")]
    #[schemars(schema_with = "snapshot_schema")]
    pub snapshot_date: Option<NaiveDate>,
    /// Key of the keyed hash (HMAC-SHA-256) that links people across providers by NIK; at
    /// least 16 characters. The gateway passes its `[identity] secret` here. Default: none
    /// (participants carry no person key).
    #[serde(default)]
    #[schemars(length(min = 16))]
    pub identity_secret: Option<String>,
}

impl std::fmt::Debug for SpnConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpnConfig")
            .field("data_dir", &self.data_dir)
            .field("snapshot_date", &self.snapshot_date)
            .field(
                "identity_secret",
                &self.identity_secret.as_ref().map(|_| "<secret>"),
            )
            .finish()
    }
}

impl SpnConfig {
    /// A configuration for `data_dir` with the default snapshot date.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            snapshot_date: default_snapshot(),
            identity_secret: None,
        }
    }

    /// The snapshot date in effect: the configured one, or today when it is `null`.
    pub fn effective_snapshot(&self) -> NaiveDate {
        self.snapshot_date
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// The default `snapshot_date`: the contract's snapshot, 2025-06-30.
pub fn default_snapshot() -> Option<NaiveDate> {
    let (y, m, d) = CONTRACT_SNAPSHOT;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `snapshot_date` is an ISO date or `null` (schemars is built without its chrono feature).
fn snapshot_schema(_: &mut SchemaGenerator) -> Schema {
    SchemaObject {
        instance_type: Some(SingleOrVec::Vec(vec![
            InstanceType::String,
            InstanceType::Null,
        ])),
        format: Some("date".to_owned()),
        ..Default::default()
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_null() {
        let c: SpnConfig = serde_json::from_str(r#"{"data_dir": "demo/spn"}"#).unwrap();
        assert_eq!(c.snapshot_date, NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!(c, SpnConfig::new("demo/spn"));
        let c: SpnConfig =
            serde_json::from_str(r#"{"data_dir": "x", "snapshot_date": null}"#).unwrap();
        assert_eq!(c.snapshot_date, None);
        let c: SpnConfig =
            serde_json::from_str(r#"{"data_dir": "x", "snapshot_date": "2024-01-31"}"#).unwrap();
        assert_eq!(c.effective_snapshot().to_string(), "2024-01-31");
    }

    #[test]
    fn rejects_unknown_fields_and_documents_every_field() {
        assert!(serde_json::from_str::<SpnConfig>(r#"{"data_dir": "x", "dir": "y"}"#).is_err());
        let schema = serde_json::to_value(schemars::schema_for!(SpnConfig)).unwrap();
        let props = &schema["properties"];
        for field in ["data_dir", "snapshot_date"] {
            assert!(
                props[field]["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{field} has no description"
            );
        }
        assert_eq!(props["snapshot_date"]["default"], "2025-06-30");
        assert_eq!(props["snapshot_date"]["format"], "date");
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["required"], serde_json::json!(["data_dir"]));
    }
}
