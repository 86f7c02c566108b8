//! `CredentialAward`: one person's certificate, and the [`Credential`] it is a copy of (a
//! provider's training certificate, or a competency certification an LSP issues under a BNSP
//! licence).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AssessmentResult, CompetencyFramework, CredentialCategory, DataWarning};
use crate::filter::{FieldValue, Filterable};

/// A kind of credential (not one person's copy): what an award is an award of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    /// The provider's key for the credential (the same for every award of it).
    pub source_id: String,
    /// Its name (`Sertifikat Kompetensi Juru Las SMAW`).
    pub name: String,
    /// Training certificate or competency certification.
    pub category: CredentialCategory,
    /// Certification scheme (skema) name, for competency certifications.
    #[serde(default)]
    pub scheme: Option<String>,
    /// Who issues it: the training centre, or the LSP.
    #[serde(default)]
    pub issuer_name: Option<String>,
    /// Local key of the training centre that issues it, when a centre does.
    #[serde(default)]
    pub issuer_id: Option<String>,
    /// Who recognises it (`BNSP` for a competency certification).
    #[serde(default)]
    pub recognized_by: Vec<String>,
    /// How long an award stays valid, in whole months.
    #[serde(default)]
    pub valid_for_months: Option<u32>,
    /// KBJI 2014 codes of the occupations it certifies.
    #[serde(default)]
    pub occupation_codes: Vec<String>,
    /// The competency units (SKKNI) it certifies.
    #[serde(default)]
    pub competencies: Vec<Competency>,
}

/// One competency unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Competency {
    /// Unit code (`C.45.2.01.001.1`).
    pub code: String,
    /// Unit title.
    pub title: String,
    /// The framework the unit belongs to.
    pub framework: CompetencyFramework,
}

/// One person's award of a credential, through one enrolment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CredentialAward {
    /// The provider's key.
    pub source_id: String,
    /// Data-quality findings for this record.
    pub warnings: Vec<DataWarning>,
    /// Local key of the enrolment it came through.
    pub enrollment_id: Option<String>,
    /// What it is an award of.
    pub credential: Credential,
    /// Certificate number: it identifies a person, so it is personal data, present only when
    /// the request asked for it.
    #[serde(default)]
    pub number: Option<String>,
    /// Registration number (BNSP's), personal data as the number.
    #[serde(default)]
    pub registration_number: Option<String>,
    /// Whether the assessment found the person competent (competency certifications).
    #[serde(default)]
    pub assessment_result: Option<AssessmentResult>,
    /// Day of the assessment.
    #[serde(default)]
    pub assessed_on: Option<NaiveDate>,
    /// Day of issue.
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// Last day it is valid.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
}

impl CredentialAward {
    /// Drop the personal data (the two numbers): what an answer without `includePii` carries.
    pub fn strip_personal_data(&mut self) {
        self.number = None;
        self.registration_number = None;
    }
}

impl Filterable for CredentialAward {
    const FIELDS: &'static [&'static str] = &[
        "sourceId",
        "enrollmentId",
        "credentialId",
        "category",
        "scheme",
        "issuerName",
        "recognizedBy",
        "assessmentResult",
        "assessedOn",
        "issuedOn",
        "validUntil",
    ];

    fn field(&self, name: &str) -> Option<FieldValue> {
        let credential = &self.credential;
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "enrollmentId" => FieldValue::from(self.enrollment_id.as_ref()),
            "credentialId" => FieldValue::from(&credential.source_id),
            "category" => FieldValue::from(credential.category.as_str()),
            "scheme" => FieldValue::from(credential.scheme.as_ref()),
            "issuerName" => FieldValue::from(credential.issuer_name.as_ref()),
            // A comparison holds when it holds for any of the recognising bodies.
            "recognizedBy" => FieldValue::list(credential.recognized_by.iter()),
            "assessmentResult" => FieldValue::from(self.assessment_result.map(|r| r.as_str())),
            "assessedOn" => FieldValue::from(self.assessed_on),
            "issuedOn" => FieldValue::from(self.issued_on),
            "validUntil" => FieldValue::from(self.valid_until),
            _ => return None,
        })
    }
}
