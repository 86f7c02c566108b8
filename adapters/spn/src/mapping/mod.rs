//! From raw SPN rows to the unified model ([`SpnData`]).
//!
//! The mapping follows UNIFIED.md §3 ("Mapping: SPN CSV → unified"). It is made of pure
//! functions over [`RawTable`]s: [`values`] (cell transforms and vocabularies),
//! [`organisations`] (centres, partnerships, courses, runs) and [`people`] (participants,
//! enrolments, outcomes). A bad row never fails the load: it is skipped and reported as a
//! [`SourceIssue`] in [`SpnData::status`]; doubtful values become `DataWarning`s on the record.

pub mod organisations;
pub mod people;
pub mod values;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use simpul_adapter_toolkit::plugin::InMemorySource;
use simpul_adapter_toolkit::Records;
use simpul_schema::{SourceIssue, SourceStatus};

pub use organisations::{map_courses_and_runs, map_partnerships, map_training_centers, run_status};
pub use people::{map_outcomes, map_people};

use simpul_schema::identity::{Nik, PersonKeys};

use crate::config::SpnConfig;
use crate::error::SpnError;
use crate::source::{self, RawRow, RawTable, SpnFiles};

/// Everything the SPN export holds: the unified [`Records`] (also reached through `Deref`:
/// `data.participants`, `data.query(..)`, which strips personal data unless asked) and the
/// source status. Participants always carry their [`simpul_schema::ParticipantPii`] and
/// outcomes their revenue here.
#[derive(Debug, Clone, PartialEq)]
pub struct SpnData {
    /// Centres, courses (one per `kode_pusat` and `nama_pelatihan`), runs (one per
    /// `pelatihan.csv` row), participants (one per `id_peserta`), enrolments, outcomes,
    /// partnerships.
    pub records: Records,
    /// Freshness, counts, rejected rows and files, records with warnings.
    pub status: SourceStatus,
}

impl std::ops::Deref for SpnData {
    type Target = Records;

    fn deref(&self) -> &Records {
        &self.records
    }
}

impl std::ops::DerefMut for SpnData {
    fn deref_mut(&mut self) -> &mut Records {
        &mut self.records
    }
}

impl SpnData {
    /// Read the folder named in `config` and map it.
    ///
    /// # Errors
    /// Only for a folder or file that is unusable as a whole (see [`SpnError`]); bad rows are
    /// reported in [`SpnData::status`] instead.
    pub fn load(config: &SpnConfig) -> Result<Self, SpnError> {
        let files = source::read_folder(&config.data_dir)?;
        let mut data = Self::from_files(files, config.effective_snapshot());
        if let Some(secret) = &config.identity_secret {
            data.link_people(&PersonKeys::new(secret));
        }
        Ok(data)
    }

    /// Give every participant with a valid NIK its person key (the keyed hash that links the
    /// same person across providers).
    pub fn link_people(&mut self, keys: &PersonKeys) {
        for participant in &mut self.participants {
            participant.person_key = participant
                .pii
                .as_ref()
                .and_then(|pii| pii.nik.as_deref())
                .and_then(|nik| Nik::parse(nik).ok())
                .map(|nik| keys.person_key(&nik));
        }
    }

    /// Map files already read; `snapshot` is the day run statuses are derived for.
    pub fn from_files(files: SpnFiles, snapshot: NaiveDate) -> Self {
        let mut issues = files.issues;
        let mut notices = files.notices;
        for table in [
            &files.pusat_pelatihan,
            &files.pelatihan,
            &files.peserta,
            &files.hasil,
            &files.kerjasama,
        ] {
            notices.extend(table.notices.iter().cloned());
        }
        for table in [
            &files.pusat_pelatihan,
            &files.pelatihan,
            &files.peserta,
            &files.hasil,
            &files.kerjasama,
        ] {
            issues.extend(table.rejected.iter().cloned());
        }
        let training_centers =
            map_training_centers(&files.pusat_pelatihan, &mut issues, &mut notices);
        let partnerships = map_partnerships(&files.kerjasama, &training_centers, &mut issues);
        let (courses, course_runs) = map_courses_and_runs(
            &files.pelatihan,
            &training_centers,
            &partnerships,
            snapshot,
            &mut issues,
        );
        let (participants, enrollments) = map_people(&files.peserta, &course_runs, &mut issues);
        let outcomes = map_outcomes(&files.hasil, &enrollments, &mut issues);

        let records = Records {
            training_centers,
            courses,
            course_runs,
            participants,
            enrollments,
            outcomes,
            partnerships,
            // SPN's export records neither (its manifest does not declare them).
            ..Records::default()
        };
        let status = records.status(
            <Self as InMemorySource>::COLLECTIONS,
            files.modified.and_then(rfc3339),
            issues,
            notices,
        );
        Self { records, status }
    }
}

/// A file time as RFC 3339 UTC; `None` when it does not fit (no panic on odd clocks).
fn rfc3339(time: std::time::SystemTime) -> Option<String> {
    let since_epoch = time.duration_since(std::time::UNIX_EPOCH).ok()?;
    let secs = i64::try_from(since_epoch.as_secs()).ok()?;
    let at = DateTime::<Utc>::from_timestamp(secs, 0)?;
    Some(at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// A row-level issue with its code. `reason` must not contain personal data.
pub(crate) fn issue(code: &str, file: &str, line: u64, reason: impl Into<String>) -> SourceIssue {
    SourceIssue::new(code, file, reason).at_line(line)
}

/// A row that survived de-duplication.
pub(crate) struct Kept<'a> {
    /// The first row with its key.
    pub row: &'a RawRow,
    /// A later row had the same key and different content (and was dropped).
    pub conflicted: bool,
}

/// The rows of `table` with a unique key (`key_columns` joined by `/`), in file order. A row
/// with an empty key cell is skipped; an exact duplicate of an earlier row (ignoring the
/// `ignore` columns) is dropped and counted; a row with an earlier row's key but different
/// content is dropped with an issue and the kept row is marked `conflicted`.
pub(crate) fn dedupe<'a>(
    table: &'a RawTable,
    key_columns: &[&str],
    ignore: &[&str],
    issues: &mut Vec<SourceIssue>,
) -> Vec<Kept<'a>> {
    let mut kept: Vec<Kept<'a>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    'rows: for row in &table.rows {
        let mut parts = Vec::with_capacity(key_columns.len());
        for column in key_columns {
            let Some(value) = row.get(column) else {
                let reason = format!("required `{column}` is empty; row skipped");
                issues.push(
                    issue("ROW_SKIPPED_INVALID_REQUIRED", table.file, row.line, reason)
                        .with_key(*column),
                );
                continue 'rows;
            };
            parts.push(values::text(value));
        }
        let key = parts.join("/");
        let Some(&i) = index.get(&key) else {
            index.insert(key, kept.len());
            kept.push(Kept {
                row,
                conflicted: false,
            });
            continue;
        };
        let first = &mut kept[i];
        let (code, reason) = if first.row.same_content(row, ignore) {
            (
                "DUPLICATE_ROW",
                format!("exact duplicate of line {}; dropped", first.row.line),
            )
        } else {
            first.conflicted = true;
            (
                "DUPLICATE_KEY_CONFLICT",
                format!(
                    "same key `{key}` as line {} with different content; line {} kept, this row dropped",
                    first.row.line, first.row.line
                ),
            )
        };
        issues.push(issue(code, table.file, row.line, reason).with_key(key));
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FILES};
    use simpul_schema::{Collection, QueryRequest};

    /// Pseudo-random CSV-ish input through the whole pipeline: no panic, whatever the bytes.
    #[test]
    fn arbitrary_input_never_panics() {
        let alphabet: Vec<char> = ";;;\"\"\r\n\n /.-,0123456789LPlp+62ASPN-TC-01\u{feff}\u{301}é"
            .chars()
            .collect();
        let mut seed: u64 = 0x5eed;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        for round in 0..300 {
            let mut files = SpnFiles::default();
            for spec in FILES {
                let header: Vec<&str> = spec.columns().collect();
                let mut text = header.join(";");
                for _ in 0..next(6) {
                    text.push('\n');
                    for c in 0..header.len() {
                        if c > 0 {
                            text.push(';');
                        }
                        for _ in 0..next(12) {
                            text.push(alphabet[next(alphabet.len())]);
                        }
                    }
                }
                let mut bytes = text.into_bytes();
                if round % 7 == 0 && !bytes.is_empty() {
                    let at = next(bytes.len());
                    bytes[at] = 0xff;
                }
                let Ok(table) = parse(&spec, &bytes) else {
                    continue;
                };
                match spec.name {
                    "pusat_pelatihan.csv" => files.pusat_pelatihan = table,
                    "pelatihan.csv" => files.pelatihan = table,
                    "peserta.csv" => files.peserta = table,
                    "hasil.csv" => files.hasil = table,
                    _ => files.kerjasama = table,
                }
            }
            let snapshot = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default();
            let data = SpnData::from_files(files, snapshot);
            let _ = data.query(&QueryRequest::all(Collection::Participants));
        }
    }
}
