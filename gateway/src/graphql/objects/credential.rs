//! `CredentialAward` (one person's certificate, through one enrolment) and the `Credential` it
//! is an award of.
//!
//! Who holds which certificate is about a person: awards need `participant:read`, and the
//! certificate and registration numbers, which identify their holder, are personal data
//! (`pii:read`, noted in the audit trail), like a participant's NIK.

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use simpul_schema as model;
use simpul_store::Scope;

use super::participant::personal;
use super::training_center::provider_of;
use super::{
    related, AssessmentResult, CompetencyFramework, CredentialCategory, DataWarning, Enrollment,
    Occupation, Provider, TrainingCenter,
};
use crate::engine::Sourced;
use crate::graphql::scalars::{Date, Duration};

/// One person's award of a credential, through one enrolment.
#[derive(Clone)]
pub struct CredentialAward(pub Sourced<model::CredentialAward>);

/// One person's award of a credential, through one enrolment. Needs `participant:read`; the
/// numbers need `pii:read` as well.
#[Object]
impl CredentialAward {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(self.0.id().encode())
    }
    /// Where the record comes from.
    pub async fn provider(&self, ctx: &Context<'_>) -> Result<Provider> {
        provider_of(ctx, &self.0.provider)
    }
    /// The provider's own key.
    pub async fn source_id(&self) -> &str {
        &self.0.record.source_id
    }
    /// Data-quality findings.
    pub async fn warnings(&self) -> Vec<DataWarning> {
        super::warnings(&self.0.record.warnings)
    }
    /// What it is an award of.
    async fn credential(&self) -> Credential {
        Credential::new(&self.0.provider, &self.0.record.credential)
    }
    /// The enrolment it came through (needs `enrollment:read`).
    async fn enrollment(&self, ctx: &Context<'_>) -> Result<Option<Enrollment>> {
        let Some(key) = &self.0.record.enrollment_id else {
            return Ok(None);
        };
        Ok(related(ctx, &self.0.provider, key).await?.map(Enrollment))
    }
    /// Certificate number (personal data: it identifies the holder).
    async fn number(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        personal(
            ctx,
            &self.0.id().encode(),
            "CredentialAward.number",
            Scope::PiiRead,
            self.0.record.number.as_deref(),
        )
    }
    /// BNSP registration number (personal data, as the number).
    async fn registration_number(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        personal(
            ctx,
            &self.0.id().encode(),
            "CredentialAward.registrationNumber",
            Scope::PiiRead,
            self.0.record.registration_number.as_deref(),
        )
    }
    /// Whether the assessment found the holder competent (competency certifications).
    async fn assessment_result(&self) -> Option<AssessmentResult> {
        self.0.record.assessment_result.map(Into::into)
    }
    /// Day of the assessment.
    async fn assessed_on(&self) -> Option<Date> {
        self.0.record.assessed_on.map(Date)
    }
    /// Day of issue.
    async fn issued_on(&self) -> Option<Date> {
        self.0.record.issued_on.map(Date)
    }
    /// Last day it is valid.
    async fn valid_until(&self) -> Option<Date> {
        self.0.record.valid_until.map(Date)
    }
}

/// A kind of credential (not one person's copy): a training centre's certificate, or a
/// competency certification an LSP issues under a BNSP licence. Served within its awards.
#[derive(Clone)]
pub struct Credential {
    provider: std::sync::Arc<str>,
    record: model::Credential,
}

impl Credential {
    /// `record`, a credential of `provider`'s.
    pub fn new(provider: &std::sync::Arc<str>, record: &model::Credential) -> Self {
        Self {
            provider: provider.clone(),
            record: record.clone(),
        }
    }
}

/// A kind of credential (not one person's copy).
#[Object]
impl Credential {
    /// Where the record comes from.
    pub async fn provider(&self, ctx: &Context<'_>) -> Result<Provider> {
        provider_of(ctx, &self.provider)
    }
    /// The provider's own key for the credential (the same on every award of it).
    pub async fn source_id(&self) -> &str {
        &self.record.source_id
    }
    /// Data-quality findings (a credential's are on its awards).
    pub async fn warnings(&self) -> Vec<DataWarning> {
        Vec::new()
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.record.name
    }
    /// Training certificate or competency certification.
    async fn category(&self) -> CredentialCategory {
        self.record.category.into()
    }
    /// Certification scheme (skema) name, for competency certifications.
    async fn scheme(&self) -> Option<&str> {
        self.record.scheme.as_deref()
    }
    /// Who issues it: the training centre, or the LSP.
    async fn issuer_name(&self) -> Option<&str> {
        self.record.issuer_name.as_deref()
    }
    /// The training centre that issues it, when a centre does.
    async fn issuer(&self, ctx: &Context<'_>) -> Result<Option<TrainingCenter>> {
        let Some(key) = &self.record.issuer_id else {
            return Ok(None);
        };
        Ok(related(ctx, &self.provider, key).await?.map(TrainingCenter))
    }
    /// Who recognises it (`BNSP` for a competency certification).
    async fn recognized_by(&self) -> &[String] {
        &self.record.recognized_by
    }
    /// How long an award stays valid.
    async fn valid_for(&self) -> Option<Duration> {
        self.record
            .valid_for_months
            .map(|months| Duration { months })
    }
    /// The competency units it certifies.
    async fn competencies(&self) -> Vec<Competency> {
        self.record.competencies.iter().map(Into::into).collect()
    }
    /// The occupations it certifies (KBJI 2014).
    async fn occupations(&self) -> Vec<Occupation> {
        self.record
            .occupation_codes
            .iter()
            .map(|code| Occupation::new(code))
            .collect()
    }
}

/// One competency unit (an SKKNI unit for national certifications).
#[derive(SimpleObject, Clone)]
pub struct Competency {
    /// Unit code.
    pub code: String,
    /// Unit title.
    pub title: String,
    /// The framework it belongs to.
    pub framework: CompetencyFramework,
}

impl From<&model::Competency> for Competency {
    fn from(c: &model::Competency) -> Self {
        Self {
            code: c.code.clone(),
            title: c.title.clone(),
            framework: c.framework.into(),
        }
    }
}
