//! From raw rows to the unified model ([`Data`]), and answering queries from the result.
//!
//! Everything here is a pure function of what [`crate::source`] read, so this is where most
//! tests live. A bad row never fails the load: it is skipped and reported as a [`SourceIssue`]
//! with a code, its place and its key; a doubtful value becomes a [`DataWarning`] on the
//! record; what was ignored or normalised is noted once in [`SourceStatus::notices`]. No
//! message here ever repeats a cell's value (it could be personal data).
//!
//! - [`columns`]: the columns the source has, by name ([`columns::COLUMNS`]).
//! - [`values`]: one cell → one unified value.

pub mod columns;
pub mod values;

use std::collections::{BTreeMap, HashMap};

use simpul_schema::filter::FilterError;
use simpul_schema::memory::InMemory;
use simpul_schema::{
    Address, ContactPoint, DataWarning, QueryRequest, QueryResponse, SourceIssue, SourceStatus,
    TrainingCenter,
};

/// One row (record, item) as the source holds it: trimmed, non-empty cells by column name.
/// Nothing is interpreted yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    /// The 1-based line (CSV) or row (sheet) it starts on, when the source has lines.
    pub line: Option<u64>,
    /// Its 1-based position in the source: the key of a row that has no id (`row 3`).
    pub ordinal: u64,
    /// Cells by column name (lower case); an empty cell is absent.
    pub cells: BTreeMap<String, String>,
}

impl RawRow {
    /// The cell of `column`, if it is not empty.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells.get(column).map(String::as_str)
    }

    /// The row's own key for reports: its id, or `row N` when it has none.
    pub fn key(&self) -> String {
        match self.get(columns::ID) {
            Some(id) => id.to_owned(),
            None => format!("row {}", self.ordinal),
        }
    }
}

/// What mapping one row normalised: reported once per table (a notice), not per row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Normalised {
    /// A region code written without dots was read as a dotted one.
    pub region_code: bool,
    /// Text that was not in Unicode NFC was served in NFC.
    pub text: bool,
}

/// What the source read: the rows, and what it rejected or noted on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawTable {
    /// Where the rows come from, as reports name it: a file, `file!sheet`, a table, an
    /// endpoint.
    pub source: String,
    /// The rows, in source order.
    pub rows: Vec<RawRow>,
    /// Units the source could not read at all (a malformed line, an unreadable file).
    pub rejected: Vec<SourceIssue>,
    /// What the source ignored or normalised (an unknown column), each once.
    pub notices: Vec<SourceIssue>,
    /// RFC 3339 time of the data (a file's modification time), if known.
    pub data_as_of: Option<String>,
}

/// Everything the adapter serves, in the unified model, and the state of its source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    /// One per accepted row.
    pub training_centers: Vec<TrainingCenter>,
    /// Freshness, counts, rejected rows, records with warnings, notices.
    pub status: SourceStatus,
}

impl Data {
    /// Map what the source read.
    pub fn from_table(table: RawTable) -> Self {
        let mut rejected = table.rejected.clone();
        let mut notices = table.notices.clone();
        let training_centers = map_training_centers(&table, &mut rejected, &mut notices);
        let warnings = training_centers
            .iter()
            .filter(|c| !c.warnings.is_empty())
            .count() as u64;
        let record_counts =
            BTreeMap::from([("trainingCenters".to_owned(), training_centers.len() as u64)]);
        Self {
            training_centers,
            status: SourceStatus {
                data_as_of: table.data_as_of,
                record_counts,
                rejected,
                warnings,
                notices,
            },
        }
    }

    /// Answer a query with the engine's own semantics (filter, order, page), from memory.
    /// Collections this adapter does not serve are empty (the manifest does not declare them,
    /// so the gateway never asks).
    ///
    /// # Errors
    /// The filter or sort names a field the collection does not have, or a literal that does
    /// not fit it.
    pub fn query(&self, request: &QueryRequest) -> Result<QueryResponse, FilterError> {
        InMemory {
            training_centers: &self.training_centers,
            courses: &[],
            course_runs: &[],
            participants: &[],
            enrollments: &[],
            outcomes: &[],
            partnerships: &[],
            credential_awards: &[],
            programs: &[],
        }
        .query(request)
    }
}

/// A rejected row: its code, place and key, never a cell's value.
fn rejected(table: &RawTable, row: &RawRow, code: &str, reason: impl Into<String>) -> SourceIssue {
    let issue = SourceIssue::new(code, table.source.clone(), reason).with_key(row.key());
    match row.line {
        Some(line) => issue.at_line(line),
        None => issue,
    }
}

/// Map every row of `table` to a training centre. A row without an id or a name is skipped
/// (`ROW_SKIPPED_INVALID_REQUIRED`); a second row with an id already seen is skipped
/// (`DUPLICATE_ROW` when identical, `DUPLICATE_KEY_CONFLICT` when not: the first one wins).
pub fn map_training_centers(
    table: &RawTable,
    rejects: &mut Vec<SourceIssue>,
    notices: &mut Vec<SourceIssue>,
) -> Vec<TrainingCenter> {
    let mut out: Vec<TrainingCenter> = Vec::new();
    // The row each id was first seen on.
    let mut seen: HashMap<String, &RawRow> = HashMap::new();
    // Rows whose region code, and rows whose text, had to be normalised.
    let (mut regions, mut texts) = (0, 0);
    for row in &table.rows {
        let missing: Vec<&str> = columns::REQUIRED
            .iter()
            .copied()
            .filter(|c| row.get(c).is_none())
            .collect();
        if !missing.is_empty() {
            let why = format!("required `{}` is empty; row skipped", missing.join("`, `"));
            rejects.push(rejected(table, row, "ROW_SKIPPED_INVALID_REQUIRED", why));
            continue;
        }
        let (centre, normalised) = map_training_center(row);
        if let Some(first) = seen.get(&centre.source_id) {
            let (code, why) = if first.cells == row.cells {
                (
                    "DUPLICATE_ROW",
                    "exact duplicate of an earlier row; dropped",
                )
            } else {
                (
                    "DUPLICATE_KEY_CONFLICT",
                    "same id as an earlier row with different content; the first is kept",
                )
            };
            rejects.push(rejected(table, row, code, why));
            continue;
        }
        regions += usize::from(normalised.region_code);
        texts += usize::from(normalised.text);
        seen.insert(centre.source_id.clone(), row);
        out.push(centre);
    }
    if regions > 0 {
        let why = format!(
            "{regions} region codes written without dots were read as dotted Kemendagri codes"
        );
        notices.push(
            SourceIssue::new("REGION_CODE_NORMALIZED", table.source.clone(), why)
                .with_key(columns::REGION_CODE),
        );
    }
    if texts > 0 {
        let why = format!("{texts} rows held text not in Unicode NFC; served in NFC");
        let key = [columns::ID, columns::NAME].join(",");
        notices
            .push(SourceIssue::new("TEXT_NORMALIZED_NFC", table.source.clone(), why).with_key(key));
    }
    out
}

/// One row with an id and a name → a training centre, and what had to be normalised.
/// Doubtful optional values are dropped with a warning on the record.
pub fn map_training_center(row: &RawRow) -> (TrainingCenter, Normalised) {
    let mut normalised = Normalised::default();
    let mut text = |column: &str| {
        let raw = row.get(column).unwrap_or_default();
        normalised.text |= values::needs_nfc(raw);
        values::text(raw)
    };
    let (source_id, name) = (text(columns::ID), text(columns::NAME));
    let mut warnings = Vec::new();
    let institution_type = match row.get(columns::TYPE) {
        None => simpul_schema::InstitutionType::Other,
        Some(raw) => values::institution_type(raw).unwrap_or_else(|| {
            warnings.push(DataWarning::new(
                "ENUM_UNKNOWN",
                "institutionType",
                "the type is not one this adapter knows; served as OTHER",
            ));
            simpul_schema::InstitutionType::Other
        }),
    };
    let region_code =
        row.get(columns::REGION_CODE)
            .and_then(|raw| match values::region_code(raw) {
                Some((code, changed)) => {
                    normalised.region_code = changed;
                    Some(code)
                }
                None => {
                    warnings.push(DataWarning::new(
                        "REGION_UNKNOWN",
                        "regionCode",
                        "not a Kemendagri region code (2, 4, 6 or 10 digits); left empty",
                    ));
                    None
                }
            });
    let telephone = row.get(columns::PHONE).and_then(|raw| {
        let phone = simpul_schema::identity::normalize_phone(raw);
        if phone.is_none() {
            warnings.push(DataWarning::new(
                "PHONE_INVALID",
                "contact.telephone",
                "not an Indonesian phone number; left empty",
            ));
        }
        phone
    });
    let email = row.get(columns::EMAIL).and_then(|raw| {
        let email = values::email(raw);
        if email.is_none() {
            warnings.push(DataWarning::new(
                "VALUE_INVALID",
                "contact.email",
                "not an e-mail address; left empty",
            ));
        }
        email
    });
    let active = row.get(columns::ACTIVE).and_then(|raw| {
        let active = values::yes_no(raw);
        if active.is_none() {
            warnings.push(DataWarning::new(
                "VALUE_INVALID",
                "active",
                "neither yes nor no; left empty",
            ));
        }
        active
    });
    let centre = TrainingCenter {
        source_id,
        warnings,
        name,
        alternate_names: Vec::new(),
        institution_type,
        sector: None,
        supervisor_id: None,
        address: region_code.map(|code| Address {
            street_address: None,
            region_code: Some(code),
        }),
        founded_year: None,
        area_hectares: None,
        facilities: Vec::new(),
        fields: Vec::new(),
        licenses: Vec::new(),
        years_of_experience: None,
        meets_vokasi_partner_criteria: None,
        contact: (telephone.is_some() || email.is_some())
            .then_some(ContactPoint { email, telephone }),
        active,
    };
    (centre, normalised)
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpul_schema::InstitutionType;

    fn row(ordinal: u64, cells: &[(&str, &str)]) -> RawRow {
        RawRow {
            line: Some(ordinal + 1),
            ordinal,
            cells: cells
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn table(rows: Vec<RawRow>) -> RawTable {
        RawTable {
            source: "centres".into(),
            rows,
            ..RawTable::default()
        }
    }

    #[test]
    fn a_full_row_maps_every_field() {
        let (centre, normalised) = map_training_center(&row(
            1,
            &[
                ("id", "TC-001"),
                ("name", "BLK  Komunitas Al-Hidayah"),
                ("type", "blkk"),
                ("region_code", "3603122001"),
                ("phone", "021-5551234"),
                ("email", "info@example.org"),
                ("active", "ya"),
            ],
        ));
        assert_eq!(
            normalised,
            Normalised {
                region_code: true,
                text: false
            }
        );
        assert_eq!(centre.source_id, "TC-001");
        assert_eq!(centre.name, "BLK Komunitas Al-Hidayah");
        assert_eq!(centre.institution_type, InstitutionType::Blkk);
        let address = centre.address.unwrap();
        assert_eq!(address.region_code.as_deref(), Some("36.03.12.2001"));
        let contact = centre.contact.unwrap();
        assert_eq!(contact.telephone.as_deref(), Some("+62215551234"));
        assert_eq!(contact.email.as_deref(), Some("info@example.org"));
        assert_eq!(centre.active, Some(true));
        assert!(centre.warnings.is_empty());
    }

    #[test]
    fn text_is_served_in_nfc_and_that_is_noted_once() {
        let data = Data::from_table(table(vec![
            row(1, &[("id", "TC-1"), ("name", "Cafe\u{301} Kerja")]),
            row(2, &[("id", "TC-2"), ("name", "Bengkel Jose\u{301}")]),
        ]));
        assert_eq!(data.training_centers[0].name, "Caf\u{e9} Kerja");
        let notices: Vec<(&str, &str)> = data
            .status
            .notices
            .iter()
            .map(|n| (n.code.as_str(), n.reason.as_str()))
            .collect();
        assert_eq!(
            notices,
            [(
                "TEXT_NORMALIZED_NFC",
                "2 rows held text not in Unicode NFC; served in NFC"
            )]
        );
    }

    #[test]
    fn doubtful_values_become_warnings_without_the_value() {
        let (centre, _) = map_training_center(&row(
            1,
            &[
                ("id", "TC-002"),
                ("name", "LPK Maju"),
                ("type", "castle"),
                ("region_code", "36-71"),
                ("phone", "12"),
                ("active", "perhaps"),
            ],
        ));
        let codes: Vec<&str> = centre.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "ENUM_UNKNOWN",
                "REGION_UNKNOWN",
                "PHONE_INVALID",
                "VALUE_INVALID"
            ]
        );
        assert_eq!(centre.institution_type, InstitutionType::Other);
        assert_eq!(centre.address, None);
        assert_eq!(centre.contact, None);
        for warning in &centre.warnings {
            for value in ["castle", "36-71", "perhaps"] {
                assert!(!warning.message.contains(value), "{warning:?}");
            }
        }
    }

    #[test]
    fn bad_rows_are_skipped_with_a_code_a_place_and_a_key() {
        let data = Data::from_table(table(vec![
            row(1, &[("id", "TC-001"), ("name", "One")]),
            row(2, &[("name", "No id")]),
            row(3, &[("id", "TC-003")]),
            row(4, &[("id", "TC-001"), ("name", "One")]),
            row(5, &[("id", "TC-001"), ("name", "Another")]),
            row(
                6,
                &[("id", "TC-006"), ("name", "Six"), ("region_code", "3671")],
            ),
        ]));
        let ids: Vec<&str> = data
            .training_centers
            .iter()
            .map(|c| c.source_id.as_str())
            .collect();
        assert_eq!(ids, ["TC-001", "TC-006"]);
        let rejected: Vec<(&str, Option<u64>, Option<&str>)> = data
            .status
            .rejected
            .iter()
            .map(|i| (i.code.as_str(), i.line, i.key.as_deref()))
            .collect();
        assert_eq!(
            rejected,
            [
                ("ROW_SKIPPED_INVALID_REQUIRED", Some(3), Some("row 2")),
                ("ROW_SKIPPED_INVALID_REQUIRED", Some(4), Some("TC-003")),
                ("DUPLICATE_ROW", Some(5), Some("TC-001")),
                ("DUPLICATE_KEY_CONFLICT", Some(6), Some("TC-001")),
            ]
        );
        assert_eq!(data.status.record_counts["trainingCenters"], 2);
        assert_eq!(data.status.notices.len(), 1);
        assert_eq!(data.status.notices[0].code, "REGION_CODE_NORMALIZED");
    }

    #[test]
    fn queries_use_the_reference_semantics() {
        let data = Data::from_table(table(vec![
            row(1, &[("id", "B"), ("name", "Beta")]),
            row(2, &[("id", "A"), ("name", "Alpha")]),
        ]));
        let mut request = QueryRequest::all(simpul_schema::Collection::TrainingCenters);
        request.order_by = vec![simpul_schema::OrderBy {
            field: "name".into(),
            direction: simpul_schema::Direction::Asc,
        }];
        request.limit = Some(1);
        let answer = data.query(&request).unwrap();
        assert_eq!(answer.total_count, 2);
        match answer.records {
            simpul_schema::Records::TrainingCenters(r) => assert_eq!(r[0].source_id, "A"),
            other => panic!("{other:?}"),
        }
    }
}
