//! The provider's vocabularies: raw labels of the contract's `CHECK`-guarded columns →
//! unified `UPPER_SNAKE` names, what an unknown label becomes, and the composite
//! `Enrollment.status` rule. One table per vocabulary serves both the Rust mapping
//! ([`Vocab::map`]) and the SQL `CASE` that filters on the same value
//! ([`crate::query::dialect::vocab`]).

use simpul_schema::{
    AgentSector, AssessmentResult, CompetencyFramework, CourseRunStatus, CredentialCategory,
    DataWarning, DeliveryMode, EducationLevel, EmploymentStatus, EnrollmentRoute, EnrollmentStatus,
    FundingSchemeCode, InstitutionType, OutcomeStatus, PartnershipKind, SelectionStatus, Sex,
};

use super::values::codes::ENUM_UNKNOWN;
use super::values::opt_text;

/// A provider vocabulary: raw labels (after [`opt_text`]) → unified `UPPER_SNAKE` names, and
/// what an unknown label becomes. The SQL twin is [`crate::query::dialect::vocab`].
#[derive(Debug, Clone, Copy)]
pub struct Vocab {
    /// The source column, for warnings.
    pub column: &'static str,
    /// Raw label → unified name.
    pub pairs: &'static [(&'static str, &'static str)],
    /// The unified name of an unknown label; `None` maps it to null.
    pub fallback: Option<&'static str>,
}

impl Vocab {
    /// The unified name for a raw cell: `None` for an empty cell; the fallback (with
    /// `known = false`) for a label outside the vocabulary.
    pub fn lookup(&self, raw: Option<&str>) -> Option<(Option<&'static str>, bool)> {
        let raw = opt_text(raw)?;
        Some(match self.pairs.iter().find(|(label, _)| *label == raw) {
            Some((_, name)) => (Some(*name), true),
            None => (self.fallback, false),
        })
    }

    /// Map a raw cell to `T`, warning on an unknown label. The warning names the column, never
    /// the value.
    pub fn map<T: Named>(
        &self,
        raw: Option<&str>,
        field: &str,
        warnings: &mut Vec<DataWarning>,
    ) -> Option<T> {
        let (name, known) = self.lookup(raw)?;
        if !known {
            let then = if self.fallback.is_some() {
                "mapped to the fallback value"
            } else {
                "set to null"
            };
            warnings.push(DataWarning::new(
                ENUM_UNKNOWN,
                field,
                format!(
                    "`{}` has a value outside the contract's list; {then}",
                    self.column
                ),
            ));
        }
        name.and_then(T::from_name)
    }
}

/// A unified enum that can be found by its `UPPER_SNAKE` name.
pub trait Named: Copy + 'static {
    /// Every value.
    const ALL: &'static [Self];
    /// The value's name.
    fn name(self) -> &'static str;
    /// The value with this name.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }
}

macro_rules! named {
    ($($t:ty),+) => {$(
        impl Named for $t {
            const ALL: &'static [Self] = <$t>::ALL;
            fn name(self) -> &'static str {
                self.as_str()
            }
        }
    )+};
}

named!(
    AgentSector,
    AssessmentResult,
    CompetencyFramework,
    CourseRunStatus,
    CredentialCategory,
    DeliveryMode,
    EducationLevel,
    EmploymentStatus,
    EnrollmentRoute,
    EnrollmentStatus,
    FundingSchemeCode,
    InstitutionType,
    OutcomeStatus,
    PartnershipKind,
    SelectionStatus,
    Sex
);

/// `lembaga.jenis_lembaga` → `TrainingCenter.institutionType` (same names).
pub const INSTITUTION_TYPE: Vocab = Vocab {
    column: "jenis_lembaga",
    pairs: &[
        ("UPTP", "UPTP"),
        ("UPTD", "UPTD"),
        ("BLKK", "BLKK"),
        ("LPK", "LPK"),
    ],
    fallback: Some("OTHER"),
};

/// `lembaga.status_pengelola` → `TrainingCenter.sector`.
pub const SECTOR: Vocab = Vocab {
    column: "status_pengelola",
    pairs: &[
        ("Pemerintah Pusat", "PUBLIC"),
        ("Pemerintah Daerah", "PUBLIC"),
        ("Masyarakat", "COMMUNITY"),
        ("Swasta", "PRIVATE"),
    ],
    fallback: None,
};

/// `angkatan.status_angkatan` → `CourseRun.status`.
pub const RUN_STATUS: Vocab = Vocab {
    column: "status_angkatan",
    pairs: &[
        ("Direncanakan", "PLANNED"),
        ("Pendaftaran", "OPEN"),
        ("Berjalan", "RUNNING"),
        ("Selesai", "COMPLETED"),
        ("Dibatalkan", "CANCELLED"),
    ],
    fallback: Some("UNKNOWN"),
};

/// The raw batch status that makes a blank `status_akhir` mean `IN_PROGRESS`.
pub const RUN_STATUS_RUNNING: &str = "Berjalan";
/// The raw batch status after which a blank `status_akhir` is a gap in the data.
pub const RUN_STATUS_FINISHED: &str = "Selesai";

/// `angkatan.moda` → `CourseRun.deliveryMode`.
pub const DELIVERY_MODE: Vocab = Vocab {
    column: "moda",
    pairs: &[
        ("Luring", "IN_PERSON"),
        ("Daring", "ONLINE"),
        ("Hybrid", "BLENDED"),
    ],
    fallback: None,
};

/// `angkatan.skema_pembiayaan` → `CourseRun.fundingSchemes[]`.
pub const FUNDING_SCHEME: Vocab = Vocab {
    column: "skema_pembiayaan",
    pairs: &[
        ("APBN-PBK", "APBN_PBK"),
        ("JKP", "JKP"),
        ("PNBP", "PNBP"),
        ("Mitra", "PARTNER_FUNDED"),
    ],
    fallback: Some("OTHER"),
};

/// `peserta.jenis_kelamin` → `Participant.sex`.
pub const SEX: Vocab = Vocab {
    column: "jenis_kelamin",
    pairs: &[("L", "MALE"), ("P", "FEMALE")],
    fallback: None,
};

/// `peserta.pendidikan_terakhir` → `Participant.education`. The contract's values are the
/// unified codes; the older school names (`SLTA`, `STM`, …) found in legacy rows are accepted.
pub const EDUCATION: Vocab = Vocab {
    column: "pendidikan_terakhir",
    pairs: &[
        ("SD", "SD"),
        ("SMP", "SMP"),
        ("SLTP", "SMP"),
        ("SMA", "SMA"),
        ("SMU", "SMA"),
        ("SLTA", "SMA"),
        ("SMK", "SMK"),
        ("STM", "SMK"),
        ("SMEA", "SMK"),
        ("D1", "D1"),
        ("D2", "D2"),
        ("D3", "D3"),
        ("D4", "D4"),
        ("S1", "S1"),
        ("S2", "S2"),
        ("S3", "S3"),
    ],
    fallback: Some("OTHER"),
};

/// `peserta.status_pekerjaan` → `Participant.employmentStatusAtRegistration`.
pub const EMPLOYMENT: Vocab = Vocab {
    column: "status_pekerjaan",
    pairs: &[
        ("Bekerja", "EMPLOYED"),
        ("Korban PHK", "LAID_OFF"),
        ("Belum Bekerja", "UNEMPLOYED"),
        ("Wirausaha", "SELF_EMPLOYED"),
    ],
    fallback: None,
};

/// `pendaftaran.jalur` → `Enrollment.route`.
pub const ROUTE: Vocab = Vocab {
    column: "jalur",
    pairs: &[
        ("Umum", "GENERAL"),
        ("JKP", "JKP"),
        ("Serikat Pekerja", "TRADE_UNION"),
        ("Disabilitas", "DISABILITY"),
    ],
    fallback: None,
};

/// `pendaftaran.status_seleksi` → `Enrollment.selectionStatus`.
pub const SELECTION: Vocab = Vocab {
    column: "status_seleksi",
    pairs: &[
        ("Diterima", "ACCEPTED"),
        ("Cadangan", "RESERVE"),
        ("Ditolak", "REJECTED"),
    ],
    fallback: None,
};

/// The raw selection status that makes a blank `status_akhir` mean `REJECTED`.
pub const SELECTION_REJECTED: &str = "Ditolak";

/// `pendaftaran.status_akhir` (when filled) → `Enrollment.status`.
pub const FINAL_RESULT: Vocab = Vocab {
    column: "status_akhir",
    pairs: &[
        ("Lulus", "COMPLETED"),
        ("Tidak Lulus", "FAILED"),
        ("Mengundurkan Diri", "WITHDRAWN"),
    ],
    fallback: Some("UNKNOWN"),
};

/// `penempatan.status_penempatan` → `Outcome.status`.
pub const OUTCOME_STATUS: Vocab = Vocab {
    column: "status_penempatan",
    pairs: &[
        ("Bekerja", "EMPLOYED"),
        ("Wirausaha", "SELF_EMPLOYED"),
        ("Belum Bekerja", "SEEKING_WORK"),
    ],
    fallback: Some("OTHER"),
};

/// `kemitraan.bentuk` → `Partnership.kind`.
pub const PARTNERSHIP_KIND: Vocab = Vocab {
    column: "bentuk",
    pairs: &[
        ("MoU", "MOU"),
        ("PKS", "PKS"),
        ("Kunjungan", "FIELD_VISIT"),
        ("Pembinaan", "SUPERVISION"),
    ],
    fallback: Some("OTHER"),
};

/// `sertifikasi.jenis_sertifikat` → `Credential.category`.
pub const CREDENTIAL_CATEGORY: Vocab = Vocab {
    column: "jenis_sertifikat",
    pairs: &[
        (CERTIFICATE_TRAINING, "TRAINING_CERTIFICATE"),
        (CERTIFICATE_COMPETENCY, "COMPETENCY_CERTIFICATION"),
    ],
    fallback: Some("UNKNOWN"),
};

/// The raw `jenis_sertifikat` of a training certificate, issued by the centre.
pub const CERTIFICATE_TRAINING: &str = "Sertifikat Pelatihan";
/// The raw `jenis_sertifikat` of a competency certificate, issued by an LSP.
pub const CERTIFICATE_COMPETENCY: &str = "Sertifikat Kompetensi";

/// `sertifikasi.rekomendasi` → `CredentialAward.assessmentResult`.
pub const ASSESSMENT_RESULT: Vocab = Vocab {
    column: "rekomendasi",
    pairs: &[("K", "COMPETENT"), ("BK", "NOT_YET_COMPETENT")],
    fallback: Some("UNKNOWN"),
};

/// `unit_kompetensi.sumber_standar` → `Competency.framework`.
pub const COMPETENCY_FRAMEWORK: Vocab = Vocab {
    column: "sumber_standar",
    pairs: &[
        ("SKKNI", "SKKNI"),
        ("Internasional", "INTERNATIONAL"),
        ("Khusus", "SPECIAL"),
    ],
    fallback: Some("OTHER"),
};

/// Every vocabulary, for tests.
pub const ALL_VOCABS: &[Vocab] = &[
    INSTITUTION_TYPE,
    SECTOR,
    RUN_STATUS,
    DELIVERY_MODE,
    FUNDING_SCHEME,
    SEX,
    EDUCATION,
    EMPLOYMENT,
    ROUTE,
    SELECTION,
    FINAL_RESULT,
    OUTCOME_STATUS,
    PARTNERSHIP_KIND,
    CREDENTIAL_CATEGORY,
    ASSESSMENT_RESULT,
    COMPETENCY_FRAMEWORK,
];

/// `Enrollment.status` from `status_akhir`, `status_seleksi` and the batch's status
/// (UNIFIED.md §4): a filled `status_akhir` decides; a blank one is `REJECTED` when the
/// selection said `Ditolak`, `IN_PROGRESS` while the batch runs, `REGISTERED` otherwise.
/// Returns the unified name.
pub fn enrollment_status(
    final_result: Option<&str>,
    selection: Option<&str>,
    batch: Option<&str>,
) -> &'static str {
    match FINAL_RESULT.lookup(final_result) {
        Some((name, _)) => name.unwrap_or("UNKNOWN"),
        None if opt_text(selection).as_deref() == Some(SELECTION_REJECTED) => "REJECTED",
        None if opt_text(batch).as_deref() == Some(RUN_STATUS_RUNNING) => "IN_PROGRESS",
        None => "REGISTERED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_names_real_enum_values() {
        fn check<T: Named>(v: &Vocab) {
            for (_, name) in v
                .pairs
                .iter()
                .chain(v.fallback.as_ref().map(|f| ("", *f)).iter())
            {
                assert!(T::from_name(name).is_some(), "{}: {name}", v.column);
            }
        }
        check::<InstitutionType>(&INSTITUTION_TYPE);
        check::<AgentSector>(&SECTOR);
        check::<CourseRunStatus>(&RUN_STATUS);
        check::<DeliveryMode>(&DELIVERY_MODE);
        check::<FundingSchemeCode>(&FUNDING_SCHEME);
        check::<Sex>(&SEX);
        check::<EducationLevel>(&EDUCATION);
        check::<EmploymentStatus>(&EMPLOYMENT);
        check::<EnrollmentRoute>(&ROUTE);
        check::<SelectionStatus>(&SELECTION);
        check::<EnrollmentStatus>(&FINAL_RESULT);
        check::<OutcomeStatus>(&OUTCOME_STATUS);
        check::<PartnershipKind>(&PARTNERSHIP_KIND);
        check::<CredentialCategory>(&CREDENTIAL_CATEGORY);
        check::<AssessmentResult>(&ASSESSMENT_RESULT);
        check::<CompetencyFramework>(&COMPETENCY_FRAMEWORK);
        assert_eq!(ALL_VOCABS.len(), 16);
    }

    #[test]
    fn vocab_lookup_and_warning_without_value() {
        let mut w = Vec::new();
        assert_eq!(
            RUN_STATUS.map::<CourseRunStatus>(Some(" Selesai "), "status", &mut w),
            Some(CourseRunStatus::Completed)
        );
        assert_eq!(
            RUN_STATUS.map::<CourseRunStatus>(Some(""), "status", &mut w),
            None
        );
        assert!(w.is_empty());
        assert_eq!(
            RUN_STATUS.map::<CourseRunStatus>(Some("Ditunda"), "status", &mut w),
            Some(CourseRunStatus::Unknown)
        );
        assert_eq!(SEX.map::<Sex>(Some("X"), "sex", &mut w), None);
        assert_eq!(w.len(), 2);
        assert!(w
            .iter()
            .all(|w| w.code == ENUM_UNKNOWN && !w.message.contains("Ditunda")));
    }

    #[test]
    fn enrollment_status_rules() {
        assert_eq!(
            enrollment_status(Some("Lulus"), Some("Ditolak"), None),
            "COMPLETED"
        );
        assert_eq!(enrollment_status(Some("Tidak Lulus"), None, None), "FAILED");
        assert_eq!(
            enrollment_status(Some("Mengundurkan Diri"), None, None),
            "WITHDRAWN"
        );
        assert_eq!(enrollment_status(Some("Gagal"), None, None), "UNKNOWN");
        assert_eq!(
            enrollment_status(None, Some("Ditolak"), Some("Berjalan")),
            "REJECTED"
        );
        assert_eq!(
            enrollment_status(None, Some("Diterima"), Some("Berjalan")),
            "IN_PROGRESS"
        );
        assert_eq!(
            enrollment_status(Some(" "), Some("Cadangan"), Some("Selesai")),
            "REGISTERED"
        );
        assert_eq!(
            enrollment_status(None, Some("Diterima"), Some("Pendaftaran")),
            "REGISTERED"
        );
    }
}
