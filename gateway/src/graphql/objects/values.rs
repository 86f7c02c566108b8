//! Small value types and the vocabularies, mirrored from `simpul_schema`.

use async_graphql::{Enum, SimpleObject};

use crate::graphql::scalars::Decimal;

/// A data-quality finding (no personal values inside).
#[derive(SimpleObject, Clone)]
pub struct DataWarning {
    /// e.g. NIK_INVALID, DATE_FORMAT_NONSTANDARD, VALUE_OUT_OF_RANGE, DUPLICATE_KEY, ENUM_UNKNOWN
    pub code: String,
    /// Unified field the warning is about.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl From<&simpul_schema::DataWarning> for DataWarning {
    fn from(w: &simpul_schema::DataWarning) -> Self {
        Self {
            code: w.code.clone(),
            field: w.field.clone(),
            message: w.message.clone(),
        }
    }
}

/// Warnings of a record.
pub fn warnings(list: &[simpul_schema::DataWarning]) -> Vec<DataWarning> {
    list.iter().map(Into::into).collect()
}

/// An exact amount of money.
#[derive(SimpleObject, Clone)]
pub struct Money {
    /// Decimal string.
    pub amount: Decimal,
    /// ISO 4217; always IDR today.
    pub currency: String,
}

impl From<&simpul_schema::Money> for Money {
    fn from(m: &simpul_schema::Money) -> Self {
        Self {
            amount: Decimal(m.amount.clone()),
            currency: m.currency.clone(),
        }
    }
}

/// How to reach an organisation.
#[derive(SimpleObject, Clone)]
pub struct ContactPoint {
    /// E-mail.
    pub email: Option<String>,
    /// Telephone.
    pub telephone: Option<String>,
}

impl From<&simpul_schema::ContactPoint> for ContactPoint {
    fn from(c: &simpul_schema::ContactPoint) -> Self {
        Self {
            email: c.email.clone(),
            telephone: c.telephone.clone(),
        }
    }
}

/// A licence an institution holds (an operating licence from Disnaker, an LSP's from BNSP).
#[derive(SimpleObject, Clone)]
pub struct License {
    /// What kind of licence.
    pub kind: LicenseKind,
    /// Its number.
    pub number: Option<String>,
    /// Who issued it.
    pub issuer: Option<String>,
    /// Day of issue.
    pub issued_on: Option<crate::graphql::scalars::Date>,
    /// Last day it is valid.
    pub valid_until: Option<crate::graphql::scalars::Date>,
}

impl From<&simpul_schema::License> for License {
    fn from(l: &simpul_schema::License) -> Self {
        use crate::graphql::scalars::Date;
        Self {
            kind: l.kind.into(),
            number: l.number.clone(),
            issuer: l.issuer.clone(),
            issued_on: l.issued_on.map(Date),
            valid_until: l.valid_until.map(Date),
        }
    }
}

/// A training field (kejuruan, bidang).
#[derive(SimpleObject, Clone)]
pub struct TrainingField {
    /// Provider-local code, or null when the provider only has text.
    pub code: Option<String>,
    /// Name.
    pub name: String,
}

impl From<&simpul_schema::TrainingField> for TrainingField {
    fn from(f: &simpul_schema::TrainingField) -> Self {
        Self {
            code: f.code.clone(),
            name: f.name.clone(),
        }
    }
}

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl From<simpul_schema::$name> for $name {
            fn from(v: simpul_schema::$name) -> Self {
                match v {
                    $(simpul_schema::$name::$variant => $name::$variant),+
                }
            }
        }
    };
}

mirror_enum!(
    /// What kind of organisation a provider is.
    ProviderKind { TradeUnion, GovernmentTrainingAuthority, SocialSecurityAgency, CommunityNetwork, PrivateProvider, Other }
);
mirror_enum!(
    /// How a provider keeps its data.
    SourceKind { CsvFiles, SqlDatabase, RestApi, XlsxWorkbooks, Other }
);
mirror_enum!(
    /// Level of a Kemendagri area.
    RegionLevel { Province, Regency, City, District, Village, UrbanVillage, Unknown }
);
mirror_enum!(
    /// Kind of training institution.
    InstitutionType {
        /// Kemnaker central unit (BBPLK/BBPVP, BPVP).
        Uptp,
        /// Regional-government BLK.
        Uptd,
        /// BLK Komunitas.
        Blkk,
        /// Lembaga Pelatihan Kerja.
        Lpk,
        /// Lembaga Kursus dan Pelatihan.
        Lkp,
        /// Lembaga Sertifikasi Profesi.
        Lsp,
        /// A trade union's training centre.
        UnionTrainingCenter,
        /// Anything else.
        Other
    }
);
mirror_enum!(
    /// Who runs an institution.
    AgentSector { Public, Community, Private, Unknown }
);
mirror_enum!(
    /// Purpose of a course.
    TrainingType { Upskilling, Reskilling, Skilling, Entrepreneurship, Unknown }
);
mirror_enum!(
    /// Who a course is for.
    TargetGroup { LaidOff, Employed, Informal, Migrant, NewEntrant, Retiree, Unknown }
);
mirror_enum!(
    /// Lifecycle of a course run.
    CourseRunStatus { Planned, Open, Running, Completed, Cancelled, Unknown }
);
mirror_enum!(
    /// How a run is delivered.
    DeliveryMode { InPerson, Online, Blended, Unknown }
);
mirror_enum!(
    /// How a run is paid for.
    FundingSchemeCode {
        /// Job-loss insurance training.
        Jkp,
        /// BPJAMSOSTEK Vokasi 2019.
        #[graphql(name = "VOKASI_2019")]
        Vokasi2019,
        /// BPJAMSOSTEK Vokasi Indonesia Pekerja.
        VokasiIndonesiaPekerja,
        /// State budget, competency-based training.
        ApbnPbk,
        /// Non-tax state revenue.
        Pnbp,
        /// Paid by the union itself.
        UnionSelfFunded,
        /// Paid by a partner organisation.
        PartnerFunded,
        /// Regional-government budget (APBD), e.g. Pemkab Tangerang.
        Apbd,
        /// The training centre's own money or participants' fees (swadaya, mandiri), other than a trade union's.
        SelfFunded,
        /// Anything else.
        Other
    }
);
mirror_enum!(
    /// Sex as recorded.
    Sex { Male, Female, Unknown }
);
mirror_enum!(
    /// Highest education completed.
    EducationLevel { Sd, Smp, Sma, Smk, D1, D2, D3, D4, S1, S2, S3, Other }
);
mirror_enum!(
    /// Employment status at registration.
    EmploymentStatus { Employed, LaidOff, Unemployed, SelfEmployed, Retired, Informal, Migrant, Unknown }
);
mirror_enum!(
    /// How a participant came to a run.
    EnrollmentRoute { General, Jkp, TradeUnion, Disability, Vokasi, Unknown }
);
mirror_enum!(
    /// Result of selection.
    SelectionStatus { Accepted, Reserve, Rejected, Unknown }
);
mirror_enum!(
    /// Where an enrolment stands.
    EnrollmentStatus { Registered, InProgress, Completed, Failed, Withdrawn, Rejected, Unknown }
);
mirror_enum!(
    /// Post-training status.
    OutcomeStatus { Employed, SelfEmployed, Interviewing, SeekingWork, Other }
);
mirror_enum!(
    /// Kind of licence.
    LicenseKind {
        /// Disnaker operating licence of an LPK/LKP/BLK.
        DisnakerOperatingLicense,
        /// BNSP licence of an LSP.
        BnspLspLicense,
        /// Anything else.
        Other
    }
);
mirror_enum!(
    /// BPJS Ketenagakerjaan membership segment.
    MembershipSegment {
        /// Penerima Upah (wage earner).
        Pu,
        /// Bukan Penerima Upah (non-wage, informal).
        Bpu,
        /// Jasa Konstruksi (construction).
        Jakon,
        /// Pekerja Migran Indonesia (migrant worker).
        Pmi,
        /// Not mapped.
        Unknown
    }
);
mirror_enum!(
    /// What a credential is: a training centre's certificate, or a competency certification
    /// an LSP issues under a BNSP licence after an assessment.
    CredentialCategory { TrainingCertificate, CompetencyCertification, Unknown }
);
mirror_enum!(
    /// The outcome of a competency assessment (`K` kompeten, `BK` belum kompeten).
    AssessmentResult { Competent, NotYetCompetent, Unknown }
);
mirror_enum!(
    /// The framework of a competency unit (SKKNI: Indonesia's national standard).
    CompetencyFramework { Skkni, International, Special, Other }
);
mirror_enum!(
    /// Kind of agreement.
    PartnershipKind { Mou, Pks, License, FieldVisit, Supervision, Other }
);
