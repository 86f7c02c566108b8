//! The closed vocabularies of the unified model.
//!
//! Every enum serialises as `UPPER_SNAKE_CASE`, the same spelling the GraphQL schema uses, so a
//! value reads the same in a plugin message, a filter and a response.
//!
//! Every vocabulary has a fallback (`UNKNOWN`, or `OTHER` where the vocabulary has one): a
//! value from a newer plugin that this build does not know decodes to it when the decode is
//! tolerant ([`crate::tolerant`]), and is an error otherwise.

macro_rules! vocabulary {
    ($(#[doc = $doc:literal])* $name:ident (fallback $fallback:ident) { $($(#[doc = $vdoc:literal])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[doc = $vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// What a value this build does not know becomes in a tolerant decode.
            pub const FALLBACK: $name = $name::$fallback;

            /// The value's `UPPER_SNAKE_CASE` name, as serialised and as used in filters.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value with this name, if there is one.
            pub fn from_name(name: &str) -> Option<$name> {
                match name { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// The value's name ([`Self::as_str`]), the one `Deserialize` reads: a derived
        /// `SCREAMING_SNAKE_CASE` would write `Vokasi2019` as `VOKASI2019`.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::tolerant::vocabulary(
                    deserializer,
                    $crate::tolerant::Vocabulary {
                        name: stringify!($name),
                        values: &[$($text),+],
                        parse: $name::from_name,
                        fallback: $name::FALLBACK,
                        fallback_name: $name::FALLBACK.as_str(),
                    },
                )
            }
        }

        /// A string enum of the known values, each described; a value outside it is what a
        /// tolerant decode turns into the fallback.
        #[cfg(feature = "json-schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).to_owned()
            }

            fn schema_id() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(concat!(module_path!(), "::", stringify!($name)))
            }

            fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
                vocabulary_schema(
                    &[$($doc),*],
                    &[$(($text, &[$($vdoc),*])),+],
                    $name::FALLBACK.as_str(),
                )
            }
        }
    };
}

/// The JSON Schema of a vocabulary: `{"type": "string", "enum": [...]}`, described by the
/// type's doc comment and a list of the values with theirs.
#[cfg(feature = "json-schema")]
fn vocabulary_schema(
    doc: &[&str],
    values: &[(&str, &[&str])],
    fallback: &str,
) -> schemars::schema::Schema {
    use schemars::schema::{InstanceType, Metadata, SchemaObject};

    let mut description = doc_text(doc);
    description.push_str("\n\n");
    for (text, doc) in values {
        description.push_str(&format!("- `{text}`: {}\n", doc_text(doc)));
    }
    description.push_str(&format!(
        "\nThe host reads a value it does not know (a newer plugin's) as `{fallback}` and notes it \
         (in a record: an `ENUM_UNKNOWN` warning); a plugin written against this schema sends \
         only the values above."
    ));
    SchemaObject {
        metadata: Some(Box::new(Metadata {
            description: Some(description),
            ..Default::default()
        })),
        instance_type: Some(InstanceType::String.into()),
        enum_values: Some(values.iter().map(|(text, _)| (*text).into()).collect()),
        ..Default::default()
    }
    .into()
}

/// Doc-comment lines as one paragraph of text.
#[cfg(feature = "json-schema")]
fn doc_text(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|line| line.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

vocabulary!(
    /// What kind of organisation a provider is.
    ProviderKind (fallback Other) {
        /// A trade union (SPN).
        TradeUnion => "TRADE_UNION",
        /// Kemnaker and its training units (BBPLK).
        GovernmentTrainingAuthority => "GOVERNMENT_TRAINING_AUTHORITY",
        /// BPJS Ketenagakerjaan (BPJAMSOSTEK).
        SocialSecurityAgency => "SOCIAL_SECURITY_AGENCY",
        /// A forum of community BLKs.
        CommunityNetwork => "COMMUNITY_NETWORK",
        /// A private training company.
        PrivateProvider => "PRIVATE_PROVIDER",
        /// Anything else.
        Other => "OTHER",
    }
);

vocabulary!(
    /// How a provider keeps its data.
    SourceKind (fallback Other) {
        /// A folder of spreadsheet exports.
        CsvFiles => "CSV_FILES",
        /// A relational database.
        SqlDatabase => "SQL_DATABASE",
        /// An HTTP API.
        RestApi => "REST_API",
        /// A folder of spreadsheet workbooks (`.xlsx`), e.g. one per quarter (FK-BLKK).
        XlsxWorkbooks => "XLSX_WORKBOOKS",
        /// Anything else.
        Other => "OTHER",
    }
);

vocabulary!(
    /// Level of a Kemendagri administrative area.
    RegionLevel (fallback Unknown) {
        /// Provinsi.
        Province => "PROVINCE",
        /// Kabupaten (codes 01–69).
        Regency => "REGENCY",
        /// Kota (codes 71–99).
        City => "CITY",
        /// Kecamatan.
        District => "DISTRICT",
        /// Desa (village segment starting with 2).
        Village => "VILLAGE",
        /// Kelurahan (village segment starting with 1).
        UrbanVillage => "URBAN_VILLAGE",
        /// A value this gateway does not know (from a newer adapter; the record carries an
        /// `ENUM_UNKNOWN` warning naming it).
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// Kind of training institution.
    InstitutionType (fallback Other) {
        /// Kemnaker central unit (BBPLK/BBPVP, BPVP).
        Uptp => "UPTP",
        /// Regional-government BLK.
        Uptd => "UPTD",
        /// BLK Komunitas.
        Blkk => "BLKK",
        /// Lembaga Pelatihan Kerja.
        Lpk => "LPK",
        /// Lembaga Kursus dan Pelatihan.
        Lkp => "LKP",
        /// Lembaga Sertifikasi Profesi.
        Lsp => "LSP",
        /// A trade union's training centre.
        UnionTrainingCenter => "UNION_TRAINING_CENTER",
        /// Anything else.
        Other => "OTHER",
    }
);

vocabulary!(
    /// Who runs an institution (CTDL `agentSectorType`).
    AgentSector (fallback Unknown) {
        /// Government.
        Public => "PUBLIC",
        /// Community, union or religious body.
        Community => "COMMUNITY",
        /// Private company.
        Private => "PRIVATE",
        /// A value this gateway does not know (from a newer adapter; the record carries an
        /// `ENUM_UNKNOWN` warning naming it).
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// Kind of licence.
    LicenseKind (fallback Other) {
        /// Disnaker operating licence of an LPK/LKP/BLK.
        DisnakerOperatingLicense => "DISNAKER_OPERATING_LICENSE",
        /// BNSP licence of an LSP.
        BnspLspLicense => "BNSP_LSP_LICENSE",
        /// Anything else.
        Other => "OTHER",
    }
);

vocabulary!(
    /// BPJS Ketenagakerjaan membership segment (`segmenKepesertaan`).
    MembershipSegment (fallback Unknown) {
        /// Penerima Upah (wage earner).
        Pu => "PU",
        /// Bukan Penerima Upah (non-wage, informal).
        Bpu => "BPU",
        /// Jasa Konstruksi (construction).
        Jakon => "JAKON",
        /// Pekerja Migran Indonesia (migrant worker).
        Pmi => "PMI",
        /// Not mapped.
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// What a credential is.
    CredentialCategory (fallback Unknown) {
        /// A certificate of attendance and completion, issued by the training centre
        /// (`Sertifikat Pelatihan`).
        TrainingCertificate => "TRAINING_CERTIFICATE",
        /// A competency certification, issued by an LSP under a BNSP licence after an assessment
        /// (`Sertifikat Kompetensi`).
        CompetencyCertification => "COMPETENCY_CERTIFICATION",
        /// Not mapped.
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// The outcome of a competency assessment.
    AssessmentResult (fallback Unknown) {
        /// Competent (`K`, *kompeten*).
        Competent => "COMPETENT",
        /// Not yet competent (`BK`, *belum kompeten*).
        NotYetCompetent => "NOT_YET_COMPETENT",
        /// Not mapped.
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// The framework a competency unit belongs to.
    CompetencyFramework (fallback Other) {
        /// Indonesia's national competency standard (SKKNI).
        Skkni => "SKKNI",
        /// An international standard adopted as is.
        International => "INTERNATIONAL",
        /// A special (sector or company) standard.
        Special => "SPECIAL",
        /// Anything else.
        Other => "OTHER",
    }
);

vocabulary!(
    /// Purpose of a course.
    TrainingType (fallback Unknown) {
        /// Raise capability in the current job.
        Upskilling => "UPSKILLING",
        /// New skills for a different career.
        Reskilling => "RESKILLING",
        /// First skills for someone without any.
        Skilling => "SKILLING",
        /// Business and financial management (*kewirausahaan*).
        Entrepreneurship => "ENTREPRENEURSHIP",
        /// A value this gateway does not know (from a newer adapter; the record carries an
        /// `ENUM_UNKNOWN` warning naming it).
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// Who a course is for.
    TargetGroup (fallback Unknown) {
        /// Laid-off workers (*korban PHK*).
        LaidOff => "LAID_OFF",
        /// Workers in a job (*pekerja aktif*).
        Employed => "EMPLOYED",
        /// Informal workers.
        Informal => "INFORMAL",
        /// Migrant workers.
        Migrant => "MIGRANT",
        /// New entrants to the labour market (*angkatan kerja baru*).
        NewEntrant => "NEW_ENTRANT",
        /// Retirees (*pensiunan*).
        Retiree => "RETIREE",
        /// A value this gateway does not know (from a newer adapter; the record carries an
        /// `ENUM_UNKNOWN` warning naming it).
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// Lifecycle of a course run.
    CourseRunStatus (fallback Unknown) {
        /// Scheduled, not yet open.
        Planned => "PLANNED",
        /// Open for registration.
        Open => "OPEN",
        /// Under way.
        Running => "RUNNING",
        /// Finished.
        Completed => "COMPLETED",
        /// Called off.
        Cancelled => "CANCELLED",
        /// The provider's data does not say.
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// How a run is delivered (CTDL `deliveryType`).
    DeliveryMode (fallback Unknown) {
        /// On site (*luring*).
        InPerson => "IN_PERSON",
        /// Online (*daring*).
        Online => "ONLINE",
        /// Both.
        Blended => "BLENDED",
        /// A value this gateway does not know (from a newer adapter; the record carries an
        /// `ENUM_UNKNOWN` warning naming it).
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// How a run is paid for.
    FundingSchemeCode (fallback Other) {
        /// Jaminan Kehilangan Pekerjaan (job-loss insurance) training.
        Jkp => "JKP",
        /// BPJAMSOSTEK Vokasi 2019.
        Vokasi2019 => "VOKASI_2019",
        /// BPJAMSOSTEK Vokasi Indonesia Pekerja (2020–).
        VokasiIndonesiaPekerja => "VOKASI_INDONESIA_PEKERJA",
        /// State budget, competency-based training.
        ApbnPbk => "APBN_PBK",
        /// Non-tax state revenue.
        Pnbp => "PNBP",
        /// Paid by the union itself (*swadaya*).
        UnionSelfFunded => "UNION_SELF_FUNDED",
        /// Paid by a partner organisation.
        PartnerFunded => "PARTNER_FUNDED",
        /// Regional-government budget (APBD), e.g. Pemkab Tangerang (FK-BLKK).
        Apbd => "APBD",
        /// The training centre's own money or participants' fees (*swadaya*, *mandiri*), other
        /// than a trade union's (FK-BLKK).
        SelfFunded => "SELF_FUNDED",
        /// Anything else.
        Other => "OTHER",
    }
);

vocabulary!(
    /// Sex as recorded (L/P).
    Sex (fallback Unknown) {
        /// Laki-laki.
        Male => "MALE",
        /// Perempuan.
        Female => "FEMALE",
        /// A value this gateway does not know (from a newer adapter; the record carries an
        /// `ENUM_UNKNOWN` warning naming it).
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// Highest education completed.
    EducationLevel (fallback Other) {
        /// Primary school.
        Sd => "SD",
        /// Junior secondary.
        Smp => "SMP",
        /// Senior secondary, general.
        Sma => "SMA",
        /// Senior secondary, vocational.
        Smk => "SMK",
        /// Diploma 1.
        D1 => "D1",
        /// Diploma 2.
        D2 => "D2",
        /// Diploma 3.
        D3 => "D3",
        /// Diploma 4.
        D4 => "D4",
        /// Bachelor.
        S1 => "S1",
        /// Master.
        S2 => "S2",
        /// Doctorate.
        S3 => "S3",
        /// Anything else.
        Other => "OTHER",
    }
);

vocabulary!(
    /// Employment status when a person registered.
    EmploymentStatus (fallback Unknown) {
        /// In a job.
        Employed => "EMPLOYED",
        /// Laid off (*korban PHK*).
        LaidOff => "LAID_OFF",
        /// Not working.
        Unemployed => "UNEMPLOYED",
        /// Running a business (*wirausaha*).
        SelfEmployed => "SELF_EMPLOYED",
        /// Retired (*pensiun*).
        Retired => "RETIRED",
        /// Informal worker.
        Informal => "INFORMAL",
        /// Migrant worker.
        Migrant => "MIGRANT",
        /// A value this gateway does not know (from a newer adapter; the record carries an
        /// `ENUM_UNKNOWN` warning naming it).
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// How a participant came to a run.
    EnrollmentRoute (fallback Unknown) {
        /// Open registration.
        General => "GENERAL",
        /// Job-loss insurance entitlement.
        Jkp => "JKP",
        /// Through a trade union.
        TradeUnion => "TRADE_UNION",
        /// Disability track.
        Disability => "DISABILITY",
        /// BPJAMSOSTEK Vokasi.
        Vokasi => "VOKASI",
        /// A value this gateway does not know (from a newer adapter; the record carries an
        /// `ENUM_UNKNOWN` warning naming it).
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// Result of selection.
    SelectionStatus (fallback Unknown) {
        /// Accepted.
        Accepted => "ACCEPTED",
        /// On the reserve list.
        Reserve => "RESERVE",
        /// Rejected.
        Rejected => "REJECTED",
        /// A value this gateway does not know (from a newer adapter; the record carries an
        /// `ENUM_UNKNOWN` warning naming it).
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// Where an enrolment stands.
    EnrollmentStatus (fallback Unknown) {
        /// Registered, not started.
        Registered => "REGISTERED",
        /// Training under way.
        InProgress => "IN_PROGRESS",
        /// Passed (*lulus*).
        Completed => "COMPLETED",
        /// Did not pass.
        Failed => "FAILED",
        /// Withdrew (*mengundurkan diri*).
        Withdrawn => "WITHDRAWN",
        /// Not selected.
        Rejected => "REJECTED",
        /// The provider's data does not say.
        Unknown => "UNKNOWN",
    }
);

vocabulary!(
    /// Post-training status.
    OutcomeStatus (fallback Other) {
        /// Employed again (*bekerja kembali*).
        Employed => "EMPLOYED",
        /// Running a business (*wirausaha*).
        SelfEmployed => "SELF_EMPLOYED",
        /// In interviews.
        Interviewing => "INTERVIEWING",
        /// Still looking (*mencari kerja*).
        SeekingWork => "SEEKING_WORK",
        /// Anything else; see `rawStatus`.
        Other => "OTHER",
    }
);

vocabulary!(
    /// Kind of agreement between organisations.
    PartnershipKind (fallback Other) {
        /// Memorandum of understanding.
        Mou => "MOU",
        /// Perjanjian kerja sama (cooperation agreement).
        Pks => "PKS",
        /// A licence.
        License => "LICENSE",
        /// A field visit.
        FieldVisit => "FIELD_VISIT",
        /// Supervision (*pembinaan*).
        Supervision => "SUPERVISION",
        /// Anything else.
        Other => "OTHER",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value is written as its name and read back from it (a derived
    /// `SCREAMING_SNAKE_CASE` once wrote `VOKASI2019`, which no decoder read).
    fn round_trips<T>(all: &[T], name: fn(T) -> &'static str)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
    {
        for &value in all {
            let written = serde_json::to_value(value).unwrap();
            assert_eq!(written, serde_json::json!(name(value)), "{value:?}");
            assert_eq!(serde_json::from_value::<T>(written).unwrap(), value);
        }
    }

    #[test]
    fn every_value_is_written_as_its_name() {
        round_trips(ProviderKind::ALL, ProviderKind::as_str);
        round_trips(SourceKind::ALL, SourceKind::as_str);
        round_trips(RegionLevel::ALL, RegionLevel::as_str);
        round_trips(InstitutionType::ALL, InstitutionType::as_str);
        round_trips(AgentSector::ALL, AgentSector::as_str);
        round_trips(LicenseKind::ALL, LicenseKind::as_str);
        round_trips(TrainingType::ALL, TrainingType::as_str);
        round_trips(TargetGroup::ALL, TargetGroup::as_str);
        round_trips(CourseRunStatus::ALL, CourseRunStatus::as_str);
        round_trips(DeliveryMode::ALL, DeliveryMode::as_str);
        round_trips(FundingSchemeCode::ALL, FundingSchemeCode::as_str);
        round_trips(Sex::ALL, Sex::as_str);
        round_trips(EducationLevel::ALL, EducationLevel::as_str);
        round_trips(EmploymentStatus::ALL, EmploymentStatus::as_str);
        round_trips(EnrollmentRoute::ALL, EnrollmentRoute::as_str);
        round_trips(SelectionStatus::ALL, SelectionStatus::as_str);
        round_trips(EnrollmentStatus::ALL, EnrollmentStatus::as_str);
        round_trips(OutcomeStatus::ALL, OutcomeStatus::as_str);
        round_trips(PartnershipKind::ALL, PartnershipKind::as_str);
        round_trips(CredentialCategory::ALL, CredentialCategory::as_str);
        round_trips(MembershipSegment::ALL, MembershipSegment::as_str);
        round_trips(AssessmentResult::ALL, AssessmentResult::as_str);
        round_trips(CompetencyFramework::ALL, CompetencyFramework::as_str);
    }
}
