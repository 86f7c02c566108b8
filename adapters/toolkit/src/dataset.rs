//! The records an in-memory adapter serves ([`Records`]: the nine collections, queried
//! with the engine's reference semantics) and what it reports about them: counts per
//! collection, records carrying warnings, every warning, and the whole [`SourceStatus`];
//! [`Loaded`] holds the records with the findings of their load.

use std::collections::{BTreeMap, HashMap};

use simpul_schema::filter::FilterError;
use simpul_schema::memory::InMemory;
use simpul_schema::{
    Collection, Course, CourseRun, CredentialAward, DataWarning, Enrollment, Outcome, Participant,
    Partnership, Program, QueryRequest, QueryResponse, SourceIssue, SourceStatus, TrainingCenter,
};

use crate::findings::{Finding, Findings};

/// The nine collections as an adapter maps them. Participants carry their personal data,
/// outcomes their revenue and credential awards their numbers; [`Records::query`] strips them
/// unless asked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    /// Training centres.
    pub training_centers: Vec<TrainingCenter>,
    /// Courses.
    pub courses: Vec<Course>,
    /// Course runs.
    pub course_runs: Vec<CourseRun>,
    /// Participants, personal data filled in.
    pub participants: Vec<Participant>,
    /// Enrolments.
    pub enrollments: Vec<Enrollment>,
    /// Outcomes, revenue filled in.
    pub outcomes: Vec<Outcome>,
    /// Partnerships.
    pub partnerships: Vec<Partnership>,
    /// Credential awards, numbers filled in.
    pub credential_awards: Vec<CredentialAward>,
    /// Catalogue programmes.
    pub programs: Vec<Program>,
}

impl Records {
    /// The collections as the schema's in-memory view.
    pub fn view(&self) -> InMemory<'_> {
        InMemory {
            training_centers: &self.training_centers,
            courses: &self.courses,
            course_runs: &self.course_runs,
            participants: &self.participants,
            enrollments: &self.enrollments,
            outcomes: &self.outcomes,
            partnerships: &self.partnerships,
            credential_awards: &self.credential_awards,
            programs: &self.programs,
        }
    }

    /// Answer a query in memory; personal data (`pii`, `monthlyRevenue`) only when asked for.
    ///
    /// # Errors
    /// The filter or sort names a field the collection lacks, or a literal that does not fit.
    pub fn query(&self, request: &QueryRequest) -> Result<QueryResponse, FilterError> {
        self.view().query(request)
    }

    /// Every warning on a served record.
    pub fn warnings(&self) -> Vec<&DataWarning> {
        warnings(&self.view())
    }

    /// The source status: freshness, counts of the `collections` it records, rejected units,
    /// notices, records with warnings.
    pub fn status(
        &self,
        collections: &[Collection],
        data_as_of: Option<String>,
        rejected: Vec<SourceIssue>,
        notices: Vec<SourceIssue>,
    ) -> SourceStatus {
        SourceStatus {
            data_as_of,
            record_counts: record_counts(&self.view(), collections),
            rejected,
            notices,
            warnings: records_with_warnings(&self.view()),
        }
    }
}

/// A source loaded into memory: its [`Records`] (also reached through `Deref`), the rejected
/// units and notices of the load, and the status served.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The collections, personal data filled in.
    pub records: Records,
    /// Rejected files, sheets and rows (code, key, reason).
    pub rejected: Vec<Finding>,
    /// Informational notes, each once.
    pub notices: Vec<Finding>,
    /// Freshness, counts, rejected units, records with warnings.
    pub status: SourceStatus,
}

impl Loaded {
    /// `records` of a source recording `collections`, as of `data_as_of`, with its `findings`.
    pub fn new(
        records: Records,
        collections: &[Collection],
        data_as_of: Option<String>,
        findings: Findings,
    ) -> Self {
        let (rejected, notices) = (findings.rejected_issues(), findings.notice_issues());
        let status = records.status(collections, data_as_of, rejected, notices);
        Self {
            records,
            rejected: findings.rejected,
            notices: findings.notices,
            status,
        }
    }
}

impl std::ops::Deref for Loaded {
    type Target = Records;

    fn deref(&self) -> &Records {
        &self.records
    }
}

/// Records served per collection of `collections` (those the source records: a collection it
/// does not is absent, not 0), keyed by the camelCase collection name.
pub fn record_counts(data: &InMemory, collections: &[Collection]) -> BTreeMap<String, u64> {
    collections
        .iter()
        .map(|c| {
            let (name, n) = match c {
                Collection::TrainingCenters => ("trainingCenters", data.training_centers.len()),
                Collection::Courses => ("courses", data.courses.len()),
                Collection::CourseRuns => ("courseRuns", data.course_runs.len()),
                Collection::Participants => ("participants", data.participants.len()),
                Collection::Enrollments => ("enrollments", data.enrollments.len()),
                Collection::Outcomes => ("outcomes", data.outcomes.len()),
                Collection::Partnerships => ("partnerships", data.partnerships.len()),
                Collection::CredentialAwards => ("credentialAwards", data.credential_awards.len()),
                Collection::Programs => ("programs", data.programs.len()),
            };
            (name.to_owned(), n as u64)
        })
        .collect()
}

/// `COUNT_MISMATCH` on each run whose own participant count (`reported`, by run id, from
/// the source's `column`) differs from the enrolments accepted for it.
pub fn count_mismatches(
    runs: &mut [CourseRun],
    reported: &HashMap<String, i64>,
    enrollments: &[Enrollment],
    column: &str,
) {
    let mut accepted: HashMap<&str, i64> = HashMap::new();
    for e in enrollments {
        *accepted.entry(e.course_run_id.as_str()).or_default() += 1;
    }
    for run in runs {
        let Some(&reported) = reported.get(&run.source_id) else {
            continue;
        };
        let n = accepted.get(run.source_id.as_str()).copied().unwrap_or(0);
        if reported != n {
            let why = format!("{column} is {reported}, {n} participant rows accepted");
            run.warnings.push(DataWarning {
                code: "COUNT_MISMATCH".into(),
                field: None,
                message: format!("{}: {why}", run.source_id),
            });
        }
    }
}

/// The warnings of each served record, one list per record.
fn per_record<'a>(data: &InMemory<'a>) -> Vec<&'a [DataWarning]> {
    let mut all: Vec<&'a [DataWarning]> = Vec::new();
    all.extend(data.training_centers.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.courses.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.course_runs.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.participants.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.enrollments.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.outcomes.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.partnerships.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.credential_awards.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.programs.iter().map(|r| r.warnings.as_slice()));
    all
}

/// Records served that carry at least one warning.
pub fn records_with_warnings(data: &InMemory) -> u64 {
    per_record(data).iter().filter(|w| !w.is_empty()).count() as u64
}

/// Every warning on a served record.
pub fn warnings<'a>(data: &InMemory<'a>) -> Vec<&'a DataWarning> {
    per_record(data).into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_data_counts_every_collection() {
        let data = InMemory {
            training_centers: &[],
            courses: &[],
            course_runs: &[],
            participants: &[],
            enrollments: &[],
            outcomes: &[],
            partnerships: &[],
            credential_awards: &[],
            programs: &[],
        };
        let counts = record_counts(&data, Collection::ALL);
        assert_eq!(counts.len(), 9);
        assert_eq!(record_counts(&data, &[Collection::Courses]).len(), 1);
        assert_eq!(counts["courseRuns"], 0);
        assert_eq!(records_with_warnings(&data), 0);
        assert!(warnings(&data).is_empty());
    }
}
