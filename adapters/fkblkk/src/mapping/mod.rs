//! From the folder's winning rows to the unified model ([`FkblkkData`]).
//!
//! [`restate`] picks the rows that win (§4); then, in dependency order, [`centres`] (centres
//! and partnerships), [`batches`] (courses and runs), [`people`] (participants, enrolments,
//! outcomes, certificates); [`vocab`] holds the vocabularies (§5). A bad row never fails the
//! load: it is skipped with a finding, or kept with a warning.

pub mod batches;
pub mod centres;
pub mod people;
pub mod restate;
pub mod vocab;

use std::path::PathBuf;

use simpul_adapter_toolkit::ids::ParticipantKeys;
use simpul_adapter_toolkit::plugin::InMemorySource;
use simpul_adapter_toolkit::xlsx::{self, Folder, FolderLayout};
use simpul_adapter_toolkit::{dataset, Findings, Loaded, Records};

use crate::config::FkblkkConfig;
use crate::sheets;

/// Everything the workbooks hold: the unified records and what the load found, a toolkit
/// [`Loaded`] (also reached through `Deref`: `data.rejected`, `data.course_runs`,
/// `data.query(..)`).
#[derive(Debug, Clone, Default)]
pub struct FkblkkData(pub Loaded);

impl std::ops::Deref for FkblkkData {
    type Target = Loaded;

    fn deref(&self) -> &Loaded {
        &self.0
    }
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
            unit_name: "quarterly workbook",
        };
        let folder = xlsx::read_folder(&config.data_dir, &layout, &mut findings)
            .map_err(|e| LoadError::Folder(config.data_dir.clone(), e))?;
        Ok(Self::map(&folder, &config.identity_secret, findings))
    }

    /// Map a folder already read.
    pub fn map(folder: &Folder, secret: &str, mut findings: Findings) -> Self {
        let won = restate::winners(&folder.tables, &mut findings);
        let identity = ParticipantKeys::new(secret, "fkblkk");
        let centres = centres::map_centres(&won.profil, &mut findings);
        let partnerships = centres::map_partnerships(&won.kemitraan, &centres, &mut findings);
        let mut batches =
            batches::map_batches(&won.pelatihan, &centres, &partnerships, &mut findings);
        let (participants, enrollments, rows) =
            people::map_people(&won.peserta, &batches.runs, &identity, &mut findings);
        let outcomes = people::map_outcomes(&won.alumni, &enrollments, &identity, &mut findings);
        let awards = people::map_awards(&rows, &enrollments, &batches, &centres, &mut findings);
        let column = "Jumlah Peserta Jml";
        dataset::count_mismatches(&mut batches.runs, &batches.reported, &enrollments, column);
        let records = Records {
            training_centers: centres,
            courses: batches.courses,
            course_runs: batches.runs,
            participants,
            enrollments,
            outcomes,
            partnerships,
            credential_awards: awards,
            // No programme catalogue (its manifest does not declare one).
            ..Records::default()
        };
        let collections = <Self as InMemorySource>::COLLECTIONS;
        let as_of = folder.data_as_of.clone();
        Self(Loaded::new(records, collections, as_of, findings))
    }
}
