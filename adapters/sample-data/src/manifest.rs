//! `manifest.json`: what a run produced (counts per provider, file and table; the seed; the
//! overlap counts; planted quirks). It holds no timestamps or durations, so it is as
//! deterministic as the data. [`Summary`] is also what [`crate::generate`] returns.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::GenerateError;

/// The whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// `simpul-sample-data <version>`.
    pub generator: String,
    /// The seed.
    pub seed: u64,
    /// Distinct people asked for and generated.
    pub participants: u64,
    /// The overlap fraction asked for.
    pub overlap_fraction: f64,
    /// Providers generated.
    pub providers: Vec<String>,
    /// Whether quirks were planted.
    pub messy: bool,
    /// The day the data describes.
    pub snapshot_date: String,
    /// How people are spread over providers.
    pub people: PeopleSummary,
    /// Per provider id.
    pub outputs: BTreeMap<String, ProviderSummary>,
}

/// People and their overlaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeopleSummary {
    /// Distinct people (= participants).
    pub total: u64,
    /// People at two or more providers (same NIK everywhere).
    pub at_two_or_more: u64,
    /// People at all three.
    pub at_all_three: u64,
    /// People per provider combination (`spn`, `spn+bbplk`, …).
    pub by_providers: BTreeMap<String, u64>,
    /// BPJAMSOSTEK members who never enrolled (only in `kepesertaan.json`).
    pub members_without_enrolment: u64,
}

/// One provider's output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSummary {
    /// Distinct people at this provider.
    pub participants: u64,
    /// Enrolments.
    pub enrollments: u64,
    /// Enrolments with a follow-up outcome.
    pub outcomes: u64,
    /// Rows per table or record kind (`peserta`, `pendaftaran`, …).
    pub tables: BTreeMap<String, u64>,
    /// Files written, relative to the output folder.
    pub files: BTreeMap<String, FileSummary>,
    /// Planted quirks by kind (empty without `--messy`).
    pub quirks: BTreeMap<String, u64>,
    /// Rows the provider's adapter is expected to reject because of planted quirks.
    pub expected_rejected_rows: u64,
}

/// One file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSummary {
    /// Data rows or records (not counting a header).
    pub records: u64,
    /// Size in bytes.
    pub bytes: u64,
}

impl FileSummary {
    /// The summary of a finished file.
    pub fn of(path: &Path, records: u64) -> Self {
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        Self { records, bytes }
    }
}

impl Summary {
    /// Write `manifest.json` into `out`.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn write(&self, out: &Path) -> Result<(), GenerateError> {
        let path = out.join("manifest.json");
        let mut text =
            serde_json::to_string_pretty(self).map_err(|source| GenerateError::Json {
                path: path.clone(),
                source,
            })?;
        text.push('\n');
        std::fs::write(&path, text).map_err(GenerateError::write(path))
    }
}
