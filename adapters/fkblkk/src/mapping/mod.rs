//! From the folder's winning rows to the unified model ([`FkblkkData`]), and in-memory
//! querying of the result.
//!
//! [`restate`] picks the rows that win (§4); then, in dependency order, [`centres`] (centres
//! and partnerships), [`batches`] (courses and runs), [`people`] (participants, enrolments,
//! outcomes). [`vocab`] and [`regions`] hold the vocabularies (§5) and the region resolution
//! (§6). A bad row never fails the load: it is skipped with a finding, or kept with a warning.

pub mod batches;
pub mod centres;
pub mod people;
pub mod regions;
pub mod restate;
pub mod vocab;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use simpul_schema::filter::FilterError;
use simpul_schema::{
    Collection, Course, CourseRun, DataWarning, Enrollment, Outcome, Participant, Partnership,
    QueryRequest, QueryResponse, SourceStatus, TrainingCenter,
};

use crate::config::FkblkkConfig;
use crate::findings::{Finding, Findings};
use crate::workbook::{self, Folder};

/// Everything the workbooks hold, in the unified model. Participants carry their personal
/// data and outcomes their revenue here; [`FkblkkData::query`] strips both unless asked.
#[derive(Debug, Clone, Default)]
pub struct FkblkkData {
    /// From `Profil BLKK`.
    pub training_centers: Vec<TrainingCenter>,
    /// One per (BLKK, programme) in `Pelatihan`.
    pub courses: Vec<Course>,
    /// One per batch in `Pelatihan`.
    pub course_runs: Vec<CourseRun>,
    /// One per valid NIK, or per row without one.
    pub participants: Vec<Participant>,
    /// One per accepted `Peserta` row.
    pub enrollments: Vec<Enrollment>,
    /// From `Alumni`.
    pub outcomes: Vec<Outcome>,
    /// Business (brand) name of each self-employed outcome, by outcome key: the unified
    /// `Outcome` has no `businessName` yet.
    pub business_names: BTreeMap<String, String>,
    /// From `Kemitraan`.
    pub partnerships: Vec<Partnership>,
    /// Rejected files, sheets and rows (code, key, reason).
    pub rejected: Vec<Finding>,
    /// Informational notes, each once.
    pub notices: Vec<Finding>,
    /// Freshness, counts, rejected units, records with warnings.
    pub status: SourceStatus,
}

/// Why the folder cannot be read at all (a bad file or row never is).
#[derive(Debug)]
pub enum LoadError {
    /// The identity secret is shorter than 16 characters.
    ShortSecret,
    /// The folder cannot be listed.
    Folder(PathBuf, std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::ShortSecret => write!(f, "`identity_secret` needs at least 16 characters"),
            LoadError::Folder(dir, e) => {
                write!(f, "FK-BLKK folder `{}` cannot be read: {e}", dir.display())
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl FkblkkData {
    /// Read and map the folder named in `config`.
    ///
    /// # Errors
    /// Only a short secret or an unreadable folder; everything else is a finding.
    pub fn load(config: &FkblkkConfig) -> Result<Self, LoadError> {
        if config.identity_secret.chars().count() < 16 {
            return Err(LoadError::ShortSecret);
        }
        let mut findings = Findings::default();
        let folder = workbook::read_folder(&config.data_dir, &mut findings)
            .map_err(|e| LoadError::Folder(config.data_dir.clone(), e))?;
        Ok(Self::map(&folder, &config.identity_secret, findings))
    }

    /// Map a folder already read.
    pub fn map(folder: &Folder, secret: &str, mut findings: Findings) -> Self {
        let won = restate::winners(&folder.tables, &mut findings);
        let identity = people::Identity::new(secret);
        let centres = centres::map_centres(&won.profil, &mut findings);
        let partnerships = centres::map_partnerships(&won.kemitraan, &centres, &mut findings);
        let mut batches =
            batches::map_batches(&won.pelatihan, &centres, &partnerships, &mut findings);
        let (participants, enrollments) =
            people::map_people(&won.peserta, &batches.runs, &identity, &mut findings);
        let (outcomes, business_names) =
            people::map_outcomes(&won.alumni, &enrollments, &identity, &mut findings);
        count_mismatches(&mut batches.runs, &batches.reported, &enrollments);
        let mut data = Self {
            training_centers: centres,
            courses: batches.courses,
            course_runs: batches.runs,
            participants,
            enrollments,
            outcomes,
            business_names,
            partnerships,
            rejected: findings.rejected,
            notices: findings.notices,
            status: SourceStatus::default(),
        };
        data.status = SourceStatus {
            data_as_of: folder.data_as_of.clone(),
            record_counts: data.counts(),
            rejected: data.rejected.iter().map(Finding::issue).collect(),
            notices: data.notices.iter().map(Finding::issue).collect(),
            warnings: data.with_warnings(),
        };
        data
    }

    /// Answer a query in memory; personal data (`pii`, `monthlyRevenue`) only when asked for.
    ///
    /// # Errors
    /// The filter or sort names a field the collection lacks, or a literal that does not fit.
    pub fn query(&self, request: &QueryRequest) -> Result<QueryResponse, FilterError> {
        simpul_schema::memory::InMemory {
            training_centers: &self.training_centers,
            courses: &self.courses,
            course_runs: &self.course_runs,
            participants: &self.participants,
            enrollments: &self.enrollments,
            outcomes: &self.outcomes,
            partnerships: &self.partnerships,
        }
        .query(request)
    }

    fn counts(&self) -> BTreeMap<String, u64> {
        Collection::ALL
            .iter()
            .map(|c| {
                let n = match c {
                    Collection::TrainingCenters => self.training_centers.len(),
                    Collection::Courses => self.courses.len(),
                    Collection::CourseRuns => self.course_runs.len(),
                    Collection::Participants => self.participants.len(),
                    Collection::Enrollments => self.enrollments.len(),
                    Collection::Outcomes => self.outcomes.len(),
                    Collection::Partnerships => self.partnerships.len(),
                };
                let name = serde_json::to_value(c).ok();
                let name = name.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
                (name.to_owned(), n as u64)
            })
            .collect()
    }

    /// Every warning on a served record, for tests and logs.
    pub fn warnings(&self) -> Vec<&DataWarning> {
        let mut all: Vec<&DataWarning> = Vec::new();
        all.extend(self.training_centers.iter().flat_map(|r| &r.warnings));
        all.extend(self.courses.iter().flat_map(|r| &r.warnings));
        all.extend(self.course_runs.iter().flat_map(|r| &r.warnings));
        all.extend(self.participants.iter().flat_map(|r| &r.warnings));
        all.extend(self.enrollments.iter().flat_map(|r| &r.warnings));
        all.extend(self.outcomes.iter().flat_map(|r| &r.warnings));
        all.extend(self.partnerships.iter().flat_map(|r| &r.warnings));
        all
    }

    fn with_warnings(&self) -> u64 {
        fn n<T>(v: &[T], w: impl Fn(&T) -> bool) -> u64 {
            v.iter().filter(|r| w(r)).count() as u64
        }
        n(&self.training_centers, |r| !r.warnings.is_empty())
            + n(&self.courses, |r| !r.warnings.is_empty())
            + n(&self.course_runs, |r| !r.warnings.is_empty())
            + n(&self.participants, |r| !r.warnings.is_empty())
            + n(&self.enrollments, |r| !r.warnings.is_empty())
            + n(&self.outcomes, |r| !r.warnings.is_empty())
            + n(&self.partnerships, |r| !r.warnings.is_empty())
    }
}

/// `COUNT_MISMATCH` on each run whose own count differs from its accepted enrolments.
fn count_mismatches(
    runs: &mut [CourseRun],
    reported: &HashMap<String, i64>,
    enrollments: &[Enrollment],
) {
    let mut accepted: HashMap<&str, i64> = HashMap::new();
    for e in enrollments {
        *accepted.entry(e.course_run_id.as_str()).or_default() += 1;
    }
    for run in runs {
        let Some(&jml) = reported.get(&run.source_id) else {
            continue;
        };
        let n = accepted.get(run.source_id.as_str()).copied().unwrap_or(0);
        if jml != n {
            run.warnings.push(DataWarning {
                code: "COUNT_MISMATCH".into(),
                field: None,
                message: format!(
                    "{}: Jumlah Peserta Jml is {jml}, {n} participant rows accepted",
                    run.source_id
                ),
            });
        }
    }
}
