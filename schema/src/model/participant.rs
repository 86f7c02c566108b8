//! `Participant` (one provider's record of a person) and `Enrollment` (a participant in a run).
//!
//! Personal data travels in [`ParticipantPii`], which an adapter fills only when the request
//! asks for it ([`crate::QueryRequest::include_pii`]). Everything outside it is safe to show to
//! a caller without the `pii:read` scope: masked identifiers, birth year, regency.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    DataWarning, EducationLevel, EmploymentStatus, EnrollmentRoute, EnrollmentStatus,
    SelectionStatus, Sex,
};
use crate::filter::{FieldValue, Filterable};

/// A provider's record of one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// The provider's person key (`SPN-P-0043`); never a NIK or KPJ.
    pub source_id: String,
    /// Data-quality findings for this record.
    pub warnings: Vec<DataWarning>,
    /// NIK with the middle digits hidden (`360213******9001`), when the NIK is valid.
    pub nik_masked: Option<String>,
    /// Whether the provider's NIK passed validation.
    pub nik_valid: bool,
    /// Keyed hash of the valid NIK ([`crate::identity::PersonKeys`]), the same at every
    /// provider: links this record to the same person elsewhere. `None` without a valid NIK
    /// or without an identity secret.
    #[serde(default)]
    pub person_key: Option<String>,
    /// KPJ with the middle digits hidden (`990*****001`).
    pub kpj_masked: Option<String>,
    /// Sex as recorded.
    pub sex: Option<Sex>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Under 18 at first registration (children's data).
    pub is_minor: Option<bool>,
    /// Dotted code of the regency/city of domicile.
    pub domicile_regency_code: Option<String>,
    /// Highest education completed.
    pub education: Option<EducationLevel>,
    /// Employment status at registration.
    pub employment_status_at_registration: Option<EmploymentStatus>,
    /// Union membership, when the provider records it.
    pub union_membership: Option<UnionMembership>,
    /// Personal data in clear; present only when the request asked for it.
    pub pii: Option<ParticipantPii>,
}

/// Membership of a trade union. The card number is personal data and lives in [`ParticipantPii`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UnionMembership {
    /// Member or not.
    pub is_member: bool,
    /// Which union.
    pub union: Option<String>,
}

/// A participant's personal data in clear (UU PDP). Sent across the plugin boundary only on
/// request, so a gateway that does not need it never holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ParticipantPii {
    /// National id, 16 digits, when valid.
    pub nik: Option<String>,
    /// Social-security member number.
    pub kpj: Option<String>,
    /// Full name as the provider spells it.
    pub full_name: Option<String>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Place of birth.
    pub birth_place: Option<String>,
    /// Address line.
    pub address: Option<String>,
    /// Dotted code of the village of domicile.
    pub domicile_village_code: Option<String>,
    /// Mobile number, normalised to `+62…`.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Date of the layoff (PHK).
    pub layoff_date: Option<NaiveDate>,
    /// Last employer.
    pub last_employer: Option<String>,
    /// Union card number.
    pub union_card_number: Option<String>,
    /// Disability (health data: specific personal data).
    pub disability: Option<String>,
}

impl Filterable for Participant {
    const FIELDS: &'static [&'static str] = &[
        "sourceId",
        "sex",
        "birthYear",
        "domicileRegencyCode",
        "employmentStatusAtRegistration",
        "education",
        "nikValid",
        "personKey",
    ];

    fn field(&self, name: &str) -> Option<FieldValue> {
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "sex" => FieldValue::from(self.sex.map(|s| s.as_str())),
            "birthYear" => FieldValue::from(self.birth_year),
            "domicileRegencyCode" => FieldValue::from(self.domicile_regency_code.as_ref()),
            "employmentStatusAtRegistration" => {
                FieldValue::from(self.employment_status_at_registration.map(|s| s.as_str()))
            }
            "education" => FieldValue::from(self.education.map(|e| e.as_str())),
            "nikValid" => FieldValue::Bool(self.nik_valid),
            "personKey" => FieldValue::from(self.person_key.as_ref()),
            _ => return None,
        })
    }
}

/// A participant in a course run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Enrollment {
    /// The provider's key (`SPN-P-0043/SPN-PL-2023-05`).
    pub source_id: String,
    /// Data-quality findings for this record.
    pub warnings: Vec<DataWarning>,
    /// Local key of the participant.
    pub participant_id: String,
    /// Local key of the run.
    pub course_run_id: String,
    /// Registration date.
    pub registered_on: Option<NaiveDate>,
    /// How the participant came.
    pub route: Option<EnrollmentRoute>,
    /// Result of selection.
    pub selection_status: Option<SelectionStatus>,
    /// Where the enrolment stands.
    pub status: EnrollmentStatus,
    /// The provider's own status value, verbatim.
    pub raw_status: Option<String>,
    /// Final score, 0–100.
    pub final_score: Option<f64>,
    /// Attendance, 0–100 (0 is valid).
    pub attendance_percent: Option<f64>,
}

impl Filterable for Enrollment {
    const FIELDS: &'static [&'static str] = &[
        "sourceId",
        "status",
        "route",
        "registeredOn",
        "finalScore",
        "attendancePercent",
        "participantId",
        "courseRunId",
    ];

    fn field(&self, name: &str) -> Option<FieldValue> {
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "status" => FieldValue::from(self.status.as_str()),
            "route" => FieldValue::from(self.route.map(|r| r.as_str())),
            "registeredOn" => FieldValue::from(self.registered_on),
            "finalScore" => FieldValue::from(self.final_score),
            "attendancePercent" => FieldValue::from(self.attendance_percent),
            "participantId" => FieldValue::from(&self.participant_id),
            "courseRunId" => FieldValue::from(&self.course_run_id),
            _ => return None,
        })
    }
}
