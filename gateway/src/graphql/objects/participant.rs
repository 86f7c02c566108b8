//! `Participant` (one provider's record of a person), `Enrollment` and `Outcome`.
//!
//! Personal fields (`nik`, `fullName`, `birthDate`, `phone`, ...) resolve to null with a
//! `FORBIDDEN` error unless the caller's key holds `pii:read` (`pii:specific` for health and
//! financial data). Only then does the engine ask adapters for personal data in clear
//! (`QueryRequest::include_pii`), and every field returned in clear is noted in the request's
//! audit trail ([`crate::access::AuditTrail`]). Masked and coarse fields (`nikMasked`,
//! `birthYear`, `domicileRegency`) are returned to every caller who may see participants.

use async_graphql::{Context, Object, Result, ID};
use simpul_schema as model;

use super::training_center::provider_of;
use super::{
    related, CourseRun, CredentialAward, DataWarning, EducationLevel, EmploymentStatus,
    EnrollmentRoute, EnrollmentStatus, Money, OutcomeStatus, Person, Provider, Region,
    SelectionStatus, Sex,
};
use crate::access;
use crate::engine::cursor::PageRequest;
use crate::engine::Sourced;
use crate::graphql::connection::{nested, EnrollmentConnection};
use crate::graphql::error::forbidden;
use crate::graphql::filters::{filter_of, EnrollmentBoolExp};
use crate::graphql::loader::{children, person, ListArgs};
use crate::graphql::scalars::{Date, DateTime};
use simpul_store::Scope;

/// A personal field in clear: `FORBIDDEN` without `scope`; noted in the audit trail, with the
/// record's global id `id`, when a value is returned.
pub(super) fn personal<T>(
    ctx: &Context<'_>,
    id: &str,
    field: &str,
    scope: Scope,
    value: Option<T>,
) -> Result<Option<T>> {
    personal_noted(ctx, field, scope, value, |trail| trail.note(field, id))
}

/// [`personal`] for a record without a global id (a looked-up membership): `note` records
/// the field in the audit trail when a value is returned.
pub(super) fn personal_noted<T>(
    ctx: &Context<'_>,
    field: &str,
    scope: Scope,
    value: Option<T>,
    note: impl FnOnce(&access::AuditTrail),
) -> Result<Option<T>> {
    let caller = access::caller(ctx);
    if !caller.principal.has_scope(scope) {
        return Err(forbidden(field, scope.as_str()));
    }
    if value.is_some() {
        note(&caller.trail);
    }
    Ok(value)
}

/// A provider's record of one person.
#[derive(Clone)]
pub struct Participant(pub Sourced<model::Participant>);

/// Union membership.
#[derive(Clone)]
pub struct UnionMembership {
    membership: model::UnionMembership,
    /// The participant's global id, for the audit trail.
    participant: String,
    /// The card number, when the adapter sent personal data.
    card_number: Option<String>,
}

/// Membership of a trade union.
#[Object]
impl UnionMembership {
    /// Member or not.
    async fn is_member(&self) -> bool {
        self.membership.is_member
    }
    /// Which union.
    async fn union(&self) -> Option<&str> {
        self.membership.union.as_deref()
    }
    /// Union card number (personal data).
    async fn card_number(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        personal(
            ctx,
            &self.participant,
            "UnionMembership.cardNumber",
            Scope::PiiRead,
            self.card_number.clone(),
        )
    }
}

/// A provider's record of one person. Without `pii:read` every personal field except the
/// masked ones resolves to null with a FORBIDDEN error.
#[Object]
impl Participant {
    /// Global id (never contains a NIK or KPJ).
    pub async fn id(&self) -> ID {
        ID(self.0.id().encode())
    }
    /// Where the record comes from.
    pub async fn provider(&self, ctx: &Context<'_>) -> Result<Provider> {
        provider_of(ctx, &self.0.provider)
    }
    /// The provider's own person key (never personal data).
    pub async fn source_id(&self) -> &str {
        &self.0.record.source_id
    }
    /// Data-quality findings (no personal values inside).
    pub async fn warnings(&self) -> Vec<DataWarning> {
        super::warnings(&self.0.record.warnings)
    }
    /// National id (personal data).
    async fn nik(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.nik",
            Scope::PiiRead,
            pii.and_then(|p| p.nik.clone()),
        )
    }
    /// NIK with the birth-date digits hidden, e.g. `360213******9001`.
    async fn nik_masked(&self) -> Option<&str> {
        self.0.record.nik_masked.as_deref()
    }
    /// Whether the provider's NIK passed validation (reveals no digits).
    async fn nik_valid(&self) -> bool {
        self.0.record.nik_valid
    }
    /// The same person across providers (linked by a keyed hash of the valid NIK). Null when
    /// the NIK is missing or invalid, or the gateway has no identity secret.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let Some(key) = &self.0.record.person_key else {
            return Ok(None);
        };
        person(ctx, key).await
    }
    /// Social-security member number (personal data).
    async fn kpj(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.kpj",
            Scope::PiiRead,
            pii.and_then(|p| p.kpj.clone()),
        )
    }
    /// The participant's BPJS Ketenagakerjaan membership, Vokasi eligibility and JKP standing,
    /// looked up by this record's KPJ at the providers that look memberships up (BPJAMSOSTEK).
    /// Null when the record has no KPJ. Needs `bpjs:membership` and `pii:read`; each lookup is
    /// audited (never the KPJ).
    #[graphql(complexity = 20)]
    async fn social_security(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<super::SocialSecurityMembership>> {
        // The scopes first: without them, whether the record has a KPJ is not the caller's.
        access::require(ctx, Scope::BpjsMembership, "socialSecurity")?;
        access::require(ctx, Scope::PiiRead, "socialSecurity")?;
        let Some(kpj) = self.0.record.pii.as_ref().and_then(|p| p.kpj.as_deref()) else {
            return Ok(None);
        };
        super::membership::lookup(ctx, "Participant.socialSecurity", kpj).await
    }
    /// KPJ with the middle digits hidden, e.g. `990*****001`.
    async fn kpj_masked(&self) -> Option<&str> {
        self.0.record.kpj_masked.as_deref()
    }
    /// Full name (personal data).
    async fn full_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.fullName",
            Scope::PiiRead,
            pii.and_then(|p| p.full_name.clone()),
        )
    }
    /// Sex as recorded.
    async fn sex(&self) -> Option<Sex> {
        self.0.record.sex.map(Into::into)
    }
    /// Date of birth (personal data).
    async fn birth_date(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.birthDate",
            Scope::PiiRead,
            pii.and_then(|p| p.birth_date).map(Date),
        )
    }
    /// Year of birth.
    async fn birth_year(&self) -> Option<i32> {
        self.0.record.birth_year
    }
    /// Place of birth (personal data).
    async fn birth_place(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.birthPlace",
            Scope::PiiRead,
            pii.and_then(|p| p.birth_place.clone()),
        )
    }
    /// Under 18 at first registration.
    async fn is_minor(&self) -> Option<bool> {
        self.0.record.is_minor
    }
    /// Address line (personal data).
    async fn address(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.address",
            Scope::PiiRead,
            pii.and_then(|p| p.address.clone()),
        )
    }
    /// Village of domicile (personal data).
    async fn domicile_village(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.domicileVillage",
            Scope::PiiRead,
            pii.and_then(|p| p.domicile_village_code.as_deref())
                .and_then(Region::find),
        )
    }
    /// Regency/city of domicile; coarse enough to return without pii:read.
    async fn domicile_regency(&self) -> Option<Region> {
        self.0
            .record
            .domicile_regency_code
            .as_deref()
            .and_then(Region::find)
    }
    /// Mobile number (personal data).
    async fn phone(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.phone",
            Scope::PiiRead,
            pii.and_then(|p| p.phone.clone()),
        )
    }
    /// E-mail (personal data).
    async fn email(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.email",
            Scope::PiiRead,
            pii.and_then(|p| p.email.clone()),
        )
    }
    /// Highest education completed.
    async fn education(&self) -> Option<EducationLevel> {
        self.0.record.education.map(Into::into)
    }
    /// Employment status at registration.
    async fn employment_status_at_registration(&self) -> Option<EmploymentStatus> {
        self.0
            .record
            .employment_status_at_registration
            .map(Into::into)
    }
    /// Date of the layoff (personal data).
    async fn layoff_date(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.layoffDate",
            Scope::PiiRead,
            pii.and_then(|p| p.layoff_date).map(Date),
        )
    }
    /// Last employer (personal data).
    async fn last_employer(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.lastEmployer",
            Scope::PiiRead,
            pii.and_then(|p| p.last_employer.clone()),
        )
    }
    /// Union membership.
    async fn union_membership(&self) -> Option<UnionMembership> {
        self.0
            .record
            .union_membership
            .clone()
            .map(|membership| UnionMembership {
                membership,
                participant: self.0.id().encode(),
                card_number: self
                    .0
                    .record
                    .pii
                    .as_ref()
                    .and_then(|p| p.union_card_number.clone()),
            })
    }
    /// Disability (health data: specific personal data).
    async fn disability(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        if !access::caller(ctx).principal.has_scope(Scope::PiiRead) {
            return Err(forbidden("disability", Scope::PiiRead.as_str()));
        }
        let pii = self.0.record.pii.as_ref();
        personal(
            ctx,
            &self.0.id().encode(),
            "Participant.disability",
            Scope::PiiSpecific,
            pii.and_then(|p| p.disability.clone()),
        )
    }
    /// Enrolments of this participant at this provider.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 1000) as usize * child_complexity")]
    async fn enrollments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(name = "where")] filter: Option<EnrollmentBoolExp>,
    ) -> Result<EnrollmentConnection> {
        let page = PageRequest {
            first,
            after,
            ..Default::default()
        };
        nested(
            ctx,
            &self.0.provider,
            "participantId",
            &self.0.record.source_id,
            filter_of(ctx, &filter)?,
            Vec::new(),
            page,
            Enrollment,
        )
        .await
    }
}

/// A participant in a course run.
#[derive(Clone)]
pub struct Enrollment(pub Sourced<model::Enrollment>);

/// A participant in a course run.
#[Object]
impl Enrollment {
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
    /// The participant.
    async fn participant(&self, ctx: &Context<'_>) -> Result<Option<Participant>> {
        Ok(
            related(ctx, &self.0.provider, &self.0.record.participant_id)
                .await?
                .map(Participant),
        )
    }
    /// The run.
    async fn course_run(&self, ctx: &Context<'_>) -> Result<Option<CourseRun>> {
        Ok(related(ctx, &self.0.provider, &self.0.record.course_run_id)
            .await?
            .map(CourseRun))
    }
    /// Registration date.
    async fn registered_on(&self) -> Option<Date> {
        self.0.record.registered_on.map(Date)
    }
    /// How the participant came.
    async fn route(&self) -> Option<EnrollmentRoute> {
        self.0.record.route.map(Into::into)
    }
    /// Result of selection.
    async fn selection_status(&self) -> Option<SelectionStatus> {
        self.0.record.selection_status.map(Into::into)
    }
    /// Where the enrolment stands.
    async fn status(&self) -> EnrollmentStatus {
        self.0.record.status.into()
    }
    /// The provider's own status value, verbatim.
    async fn raw_status(&self) -> Option<&str> {
        self.0.record.raw_status.as_deref()
    }
    /// Final score, 0–100.
    async fn final_score(&self) -> Option<f64> {
        self.0.record.final_score
    }
    /// Attendance, 0–100 (0 is valid).
    async fn attendance_percent(&self) -> Option<f64> {
        self.0.record.attendance_percent
    }
    /// The latest observed outcome, when followed up.
    async fn outcome(&self, ctx: &Context<'_>) -> Result<Option<Outcome>> {
        let args = ListArgs::new(None, Vec::new());
        let (provider, key) = (&self.0.provider, &self.0.record.source_id);
        let found = children::<model::Outcome>(ctx, provider, "enrollmentId", key, &args).await?;
        Ok(found.into_iter().next().map(Outcome))
    }
    /// The credentials awarded through this enrolment (certificates; needs
    /// `participant:read`).
    async fn credential_awards(&self, ctx: &Context<'_>) -> Result<Vec<CredentialAward>> {
        let args = ListArgs::new(None, Vec::new());
        let (provider, key) = (&self.0.provider, &self.0.record.source_id);
        let found =
            children::<model::CredentialAward>(ctx, provider, "enrollmentId", key, &args).await?;
        Ok(found.into_iter().map(CredentialAward).collect())
    }
}

/// The latest observed post-training status of one enrolment.
#[derive(Clone)]
pub struct Outcome(pub Sourced<model::Outcome>);

/// The latest observed post-training status of one enrolment.
#[Object]
impl Outcome {
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
    /// The enrolment it is the outcome of (needs `enrollment:read`).
    async fn enrollment(&self, ctx: &Context<'_>) -> Result<Option<Enrollment>> {
        let key = &self.0.record.enrollment_id;
        Ok(related(ctx, &self.0.provider, key).await?.map(Enrollment))
    }
    /// Unified status.
    async fn status(&self) -> OutcomeStatus {
        self.0.record.status.into()
    }
    /// The provider's own value, verbatim.
    async fn raw_status(&self) -> &str {
        &self.0.record.raw_status
    }
    /// When it was observed.
    async fn observed_at(&self) -> Option<DateTime> {
        self.0.record.observed_at.map(DateTime)
    }
    /// Employer, when employed.
    async fn employer_name(&self) -> Option<&str> {
        self.0.record.employer_name.as_deref()
    }
    /// Job title.
    async fn job_title(&self) -> Option<&str> {
        self.0.record.job_title.as_deref()
    }
    /// Where the job is.
    async fn work_region(&self) -> Option<Region> {
        self.0
            .record
            .work_region_code
            .as_deref()
            .and_then(Region::find)
    }
    /// First day of the new job.
    async fn employment_start_date(&self) -> Option<Date> {
        self.0.record.employment_start_date.map(Date)
    }
    /// Kind of business, when self-employed.
    async fn business_type(&self) -> Option<&str> {
        self.0.record.business_type.as_deref()
    }
    /// Name or brand of the participant's own business, for SELF_EMPLOYED (FK-BLKK brands
    /// its alumni's businesses).
    async fn business_name(&self) -> Option<&str> {
        self.0.record.business_name.as_deref()
    }
    /// Monthly revenue (personal financial data: specific).
    async fn monthly_revenue(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        if !access::caller(ctx).principal.has_scope(Scope::PiiRead) {
            return Err(forbidden("monthlyRevenue", Scope::PiiRead.as_str()));
        }
        personal(
            ctx,
            &self.0.id().encode(),
            "Outcome.monthlyRevenue",
            Scope::PiiSpecific,
            self.0.record.monthly_revenue.as_ref().map(Money::from),
        )
    }
    /// Where the observation came from.
    async fn source(&self) -> Option<&str> {
        self.0.record.source.as_deref()
    }
}
