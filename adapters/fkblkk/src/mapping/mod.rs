//! From the folder's winning rows to the unified model ([`FkblkkData`]), and in-memory
//! querying of the result.
//!
//! [`restate`] picks the rows that win (§4); then, in dependency order, [`centres`] (centres
//! and partnerships), [`batches`] (courses and runs), [`people`] (participants, enrolments,
//! outcomes); [`vocab`] holds the vocabularies (§5). A bad row never fails the load: it is
//! skipped with a finding, or kept with a warning.

pub mod batches;
pub mod centres;
pub mod people;
pub mod restate;
pub mod vocab;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use simpul_adapter_toolkit::xlsx::{self, Folder, FolderLayout};
use simpul_adapter_toolkit::{dataset, Finding, Findings};
use simpul_schema::filter::FilterError;
use simpul_schema::memory::InMemory;
use simpul_schema::{
    Course, CourseRun, DataWarning, Enrollment, Outcome, Participant, Partnership, QueryRequest,
    QueryResponse, SourceStatus, TrainingCenter,
};

use crate::config::FkblkkConfig;
use crate::sheets;

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
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The identity secret is shorter than 16 characters.
    #[error("`identity_secret` needs at least 16 characters")]
    ShortSecret,
    /// The folder cannot be listed.
    #[error("FK-BLKK folder `{}` cannot be read: {source}", .0.display(), source = .1)]
    Folder(PathBuf, std::io::Error),
}

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
        let layout = FolderLayout {
            layouts: sheets::SHEETS,
            silent: sheets::SILENT,
            unit: &sheets::workbook,
        };
        let folder = xlsx::read_folder(&config.data_dir, &layout, &mut findings)
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
            status: SourceStatus::default(),
            rejected: findings.rejected,
            notices: findings.notices,
        };
        data.status = SourceStatus {
            data_as_of: folder.data_as_of.clone(),
            record_counts: dataset::record_counts(&data.view()),
            rejected: data.rejected.iter().map(Finding::issue).collect(),
            notices: data.notices.iter().map(Finding::issue).collect(),
            warnings: dataset::records_with_warnings(&data.view()),
        };
        data
    }

    fn view(&self) -> InMemory<'_> {
        InMemory {
            training_centers: &self.training_centers,
            courses: &self.courses,
            course_runs: &self.course_runs,
            participants: &self.participants,
            enrollments: &self.enrollments,
            outcomes: &self.outcomes,
            partnerships: &self.partnerships,
        }
    }

    /// Answer a query in memory; personal data (`pii`, `monthlyRevenue`) only when asked for.
    ///
    /// # Errors
    /// The filter or sort names a field the collection lacks, or a literal that does not fit.
    pub fn query(&self, request: &QueryRequest) -> Result<QueryResponse, FilterError> {
        self.view().query(request)
    }

    /// Every warning on a served record, for tests and logs.
    pub fn warnings(&self) -> Vec<&DataWarning> {
        dataset::warnings(&self.view())
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
            let why = format!("Jumlah Peserta Jml is {jml}, {n} participant rows accepted");
            let message = format!("{}: {why}", run.source_id);
            let code = "COUNT_MISMATCH".into();
            run.warnings.push(DataWarning {
                code,
                field: None,
                message,
            });
        }
    }
}
