//! From the API's records to the unified model ([`BpjamsostekData`]), and in-memory querying
//! of the result.
//!
//! The mapping follows UNIFIED.md §5 ("Mapping: BPJAMSOSTEK API → unified") and is made of pure
//! functions: [`values`] (dates, timestamps, numbers, codes, vocabularies), [`organisations`]
//! (centres, partnerships, courses, runs), [`people`] (participants, enrolments, outcomes),
//! [`credentials`] (certificates: credential awards) and [`membership`] (the eligibility
//! check). A bad record never fails a call: it is skipped and
//! reported as a [`SourceIssue`]; doubtful values become `DataWarning`s on the record.

pub mod credentials;
pub mod membership;
pub mod organisations;
pub mod people;
pub mod values;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, SecondsFormat};
use simpul_schema::filter::FilterError;
use simpul_schema::{
    Course, CourseRun, CredentialAward, DataWarning, Enrollment, Outcome, Participant, Partnership,
    QueryRequest, QueryResponse, SourceIssue, SourceStatus, TrainingCenter,
};

pub use credentials::{credential_id, map_credential_awards};
pub use membership::{map_membership, JkpStatus, MembershipSegment, SocialSecurityMembership};
pub use organisations::{
    map_courses_and_runs, map_partnerships, map_training_centers, meets_partner_criteria,
};
pub use people::{map_outcomes, map_people, People, ProgrammeEnrolments};

use crate::error::Endpoint;
use crate::identity::ParticipantKeys;
use crate::wire::{LembagaMitra, Nulled, Penempatan, ProgramVokasi};
use values::codes::{DUPLICATE_KEY, DUPLICATE_RECORD};

/// What was fetched for one answer. A collection that was not needed is `None`, and what
/// depends on it comes out empty.
#[derive(Debug, Clone, Default)]
pub struct Inputs<'a> {
    /// `GET /v1/lembaga-mitra`.
    pub lembaga: Option<&'a [LembagaMitra]>,
    /// `GET /v1/program-vokasi`.
    pub programmes: Option<&'a [ProgramVokasi]>,
    /// `GET /v1/peserta?program_id=` per programme.
    pub enrolments: Option<&'a [ProgrammeEnrolments]>,
    /// `GET /v1/penempatan`.
    pub placements: Option<&'a [Penempatan]>,
    /// Items that could not be decoded and paging inconsistencies, from fetching.
    pub fetch_issues: Vec<SourceIssue>,
    /// What the decoding ignored (fields the contract does not define), once each.
    pub fetch_notices: Vec<SourceIssue>,
}

/// The BPJAMSOSTEK data in the unified model. Participants carry their
/// [`simpul_schema::ParticipantPii`] and credential awards their numbers here;
/// [`BpjamsostekData::query`] strips both unless the request asks for personal data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BpjamsostekData {
    /// One per partner.
    pub training_centers: Vec<TrainingCenter>,
    /// One PKS per partner that has one.
    pub partnerships: Vec<Partnership>,
    /// One per programme.
    pub courses: Vec<Course>,
    /// One per programme (same key as its course).
    pub course_runs: Vec<CourseRun>,
    /// One per valid KPJ (or per enrolment without one), PII filled.
    pub participants: Vec<Participant>,
    /// One per enrolment.
    pub enrollments: Vec<Enrollment>,
    /// One per placement of a known enrolment.
    pub outcomes: Vec<Outcome>,
    /// One per enrolment with a certificate number (keyed as the enrolment), numbers filled.
    pub credential_awards: Vec<CredentialAward>,
    /// Skipped records and fetch problems (no personal data).
    pub issues: Vec<SourceIssue>,
    /// What was ignored, once each (no personal data).
    pub notices: Vec<SourceIssue>,
    /// Latest update time over the records (`diperbaruiPada`, `tanggalUpdate`), `+07:00`.
    pub data_as_of: Option<DateTime<FixedOffset>>,
    /// Participant key → the KPJ it was made from (for eligibility checks). Never served.
    pub(crate) kpj_by_participant: HashMap<String, String>,
}

impl BpjamsostekData {
    /// Map what was fetched.
    pub fn map(inputs: Inputs<'_>, keys: &ParticipantKeys) -> Self {
        Self::map_for(inputs, keys, None)
    }

    /// Map what was fetched, for an answer about `collection` only (everything when `None`):
    /// outcomes and credential awards are mapped only when asked for (nothing else rests on
    /// them), and neither the freshness nor the KPJs behind participant keys are kept (the
    /// status' and the eligibility check's).
    pub fn map_for(
        mut inputs: Inputs<'_>,
        keys: &ParticipantKeys,
        collection: Option<simpul_schema::Collection>,
    ) -> Self {
        use simpul_schema::Collection;
        let wants = |c: Collection| collection.is_none_or(|asked| asked == c);
        let data_as_of = if collection.is_none() {
            latest_update(&inputs)
        } else {
            None
        };
        let mut issues = std::mem::take(&mut inputs.fetch_issues);
        let notices = std::mem::take(&mut inputs.fetch_notices);
        let lembaga = inputs.lembaga.unwrap_or_default();
        let training_centers = map_training_centers(lembaga, &mut issues);
        let partnerships = map_partnerships(lembaga);
        let (courses, course_runs) = map_courses_and_runs(
            inputs.programmes.unwrap_or_default(),
            &training_centers,
            &partnerships,
            &mut issues,
        );
        let people = map_people(
            inputs.enrolments.unwrap_or_default(),
            &course_runs,
            keys,
            collection == Some(Collection::Enrollments),
            &mut issues,
        );
        let outcomes = if wants(Collection::Outcomes) {
            map_outcomes(inputs.placements.unwrap_or_default(), &people, &mut issues)
        } else {
            Vec::new()
        };
        let credential_awards = if wants(Collection::CredentialAwards) {
            map_credential_awards(
                &people,
                inputs.programmes.unwrap_or_default(),
                &courses,
                &course_runs,
                &training_centers,
            )
        } else {
            Vec::new()
        };
        let kpj_by_participant = if collection.is_none() {
            people
                .participants
                .iter()
                .filter_map(|p| {
                    let kpj = p.pii.as_ref()?.kpj.clone()?;
                    Some((p.source_id.clone(), kpj))
                })
                .collect()
        } else {
            HashMap::new()
        };
        Self {
            training_centers,
            partnerships,
            courses,
            course_runs,
            participants: people.participants,
            enrollments: people.enrollments,
            outcomes,
            credential_awards,
            issues,
            notices,
            data_as_of,
            kpj_by_participant,
        }
    }

    /// Answer a query: [`simpul_schema::filter::apply`] on the collection, then strip personal data (`pii`,
    /// award numbers) unless `request.include_pii`.
    ///
    /// # Errors
    /// The filter or sort names a field the collection does not have, or a literal that does
    /// not fit it.
    pub fn query(&self, request: &QueryRequest) -> Result<QueryResponse, FilterError> {
        simpul_schema::memory::InMemory {
            training_centers: &self.training_centers,
            courses: &self.courses,
            course_runs: &self.course_runs,
            participants: &self.participants,
            enrollments: &self.enrollments,
            outcomes: &self.outcomes,
            partnerships: &self.partnerships,
            credential_awards: &self.credential_awards,
            programs: &[],
        }
        .query(request)
    }

    /// Freshness, counts, issues and records with warnings, for `/readyz`.
    pub fn status(&self) -> SourceStatus {
        let counts: [(&str, usize, usize); 8] = [
            (
                "trainingCenters",
                self.training_centers.len(),
                warned(&self.training_centers, |r| &r.warnings),
            ),
            (
                "courses",
                self.courses.len(),
                warned(&self.courses, |r| &r.warnings),
            ),
            (
                "courseRuns",
                self.course_runs.len(),
                warned(&self.course_runs, |r| &r.warnings),
            ),
            (
                "participants",
                self.participants.len(),
                warned(&self.participants, |r| &r.warnings),
            ),
            (
                "enrollments",
                self.enrollments.len(),
                warned(&self.enrollments, |r| &r.warnings),
            ),
            (
                "outcomes",
                self.outcomes.len(),
                warned(&self.outcomes, |r| &r.warnings),
            ),
            (
                "partnerships",
                self.partnerships.len(),
                warned(&self.partnerships, |r| &r.warnings),
            ),
            (
                "credentialAwards",
                self.credential_awards.len(),
                warned(&self.credential_awards, |r| &r.warnings),
            ),
        ];
        SourceStatus {
            data_as_of: self
                .data_as_of
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, false)),
            record_counts: counts
                .iter()
                .map(|(name, n, _)| ((*name).to_owned(), *n as u64))
                .collect::<BTreeMap<_, _>>(),
            rejected: self.issues.clone(),
            notices: self.notices.clone(),
            warnings: counts.iter().map(|(_, _, w)| *w as u64).sum(),
        }
    }
}

fn warned<T>(records: &[T], warnings: impl Fn(&T) -> &Vec<DataWarning>) -> usize {
    records.iter().filter(|r| !warnings(r).is_empty()).count()
}

/// The latest `diperbaruiPada` / `tanggalUpdate` over everything fetched.
fn latest_update(inputs: &Inputs<'_>) -> Option<DateTime<FixedOffset>> {
    let mut scratch = Vec::new();
    let mut stamps: Vec<Option<&String>> = Vec::new();
    stamps.extend(
        inputs
            .lembaga
            .unwrap_or_default()
            .iter()
            .map(|l| l.diperbarui_pada.as_ref()),
    );
    stamps.extend(
        inputs
            .programmes
            .unwrap_or_default()
            .iter()
            .map(|p| p.diperbarui_pada.as_ref()),
    );
    for batch in inputs.enrolments.unwrap_or_default() {
        stamps.extend(batch.items.iter().map(|e| e.diperbarui_pada.as_ref()));
    }
    stamps.extend(
        inputs
            .placements
            .unwrap_or_default()
            .iter()
            .map(|p| p.tanggal_update.as_ref()),
    );
    stamps
        .into_iter()
        .filter_map(|s| values::timestamp(s, "dataAsOf", "diperbaruiPada", &mut scratch))
        .max()
}

/// An issue about one endpoint's records, with its code. `reason` must not contain personal
/// data.
pub(crate) fn issue(code: &str, endpoint: Endpoint, reason: impl Into<String>) -> SourceIssue {
    SourceIssue::new(code, endpoint.template(), reason)
}

/// Items with a unique id, in order, each with a `FIELD_TYPE_INVALID` warning per field the
/// decoding nulled. A later item with the same id is dropped with an issue:
/// an exact copy gives the kept record `DUPLICATE_RECORD`, different content `DUPLICATE_KEY`.
pub(crate) fn dedupe<'a, T: PartialEq + Nulled>(
    items: &'a [T],
    id: impl Fn(&'a T) -> &'a String,
    endpoint: Endpoint,
    issues: &mut Vec<SourceIssue>,
) -> Vec<(&'a T, Vec<DataWarning>)> {
    let mut kept: Vec<(&'a T, Vec<DataWarning>)> = Vec::new();
    let mut index: HashMap<&'a str, usize> = HashMap::new();
    for item in items {
        let key = id(item).as_str();
        let Some(&i) = index.get(key) else {
            index.insert(key, kept.len());
            let nulled = item
                .nulled()
                .iter()
                .map(|path| DataWarning {
                    code: "FIELD_TYPE_INVALID".to_owned(),
                    field: None,
                    message: format!(
                        "the API sent its field `{path}` with the wrong JSON type; served as null"
                    ),
                })
                .collect();
            kept.push((item, nulled));
            continue;
        };
        let (first, warnings) = &mut kept[i];
        let (code, issue_code, reason) = if *first == item {
            (
                DUPLICATE_RECORD,
                "DUPLICATE_ROW",
                "served twice with identical content; one kept",
            )
        } else {
            (
                DUPLICATE_KEY,
                "DUPLICATE_KEY_CONFLICT",
                "served twice with different content; the first kept",
            )
        };
        issues.push(issue(issue_code, endpoint, format!("`{key}` {reason}")).with_key(key));
        if !warnings.iter().any(|w| w.code == code) {
            warnings.push(DataWarning::new(
                code,
                "sourceId",
                format!("the API {reason}"),
            ));
        }
    }
    kept
}
