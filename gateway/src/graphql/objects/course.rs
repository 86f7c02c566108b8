//! `Course` (one centre's offering) and `CourseRun` (one dated batch, angkatan).

use async_graphql::{Context, Object, Result, ID};
use simpul_schema as model;

use super::training_center::provider_of;
use super::{
    related, related_many, CourseRunStatus, Credential, DataWarning, DeliveryMode, Enrollment,
    FundingScheme, Money, Occupation, Partnership, Program, Provider, Region, TargetGroup,
    TrainingCenter, TrainingField, TrainingType,
};
use crate::engine::cursor::PageRequest;
use crate::engine::Sourced;
use crate::graphql::aggregate::{outcome_summary, OutcomeSummary};
use crate::graphql::connection::{nested, CourseRunConnection, EnrollmentConnection};
use crate::graphql::filters::{
    filter_of, order_keys, CourseRunBoolExp, CourseRunOrderBy, EnrollmentBoolExp,
};
use crate::graphql::scalars::Date;

/// One centre's offering of a programme.
#[derive(Clone)]
pub struct Course(pub Sourced<model::Course>);

/// One centre's offering of a programme (CTDL Course).
#[Object]
impl Course {
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
    /// Title.
    async fn name(&self) -> &str {
        &self.0.record.name
    }
    /// The provider's course code, if it has one.
    async fn course_code(&self) -> Option<&str> {
        self.0.record.course_code.as_deref()
    }
    /// The catalogue programme it offers (null for providers without a catalogue).
    async fn program(&self, ctx: &Context<'_>) -> Result<Option<Program>> {
        let Some(key) = &self.0.record.program_id else {
            return Ok(None);
        };
        Ok(related(ctx, &self.0.provider, key).await?.map(Program))
    }
    /// The credential it leads to (schema.org `educationalCredentialAwarded`): the competency
    /// certification its programme prepares for (BBPLK's `skema_sertifikasi`). Null for a
    /// course without a programme, or whose programme names none.
    async fn credential_awarded(&self, ctx: &Context<'_>) -> Result<Option<Credential>> {
        let Some(key) = &self.0.record.program_id else {
            return Ok(None);
        };
        let program = related::<model::Program>(ctx, &self.0.provider, key).await?;
        Ok(program.and_then(|p| {
            let credential = p.record.credentials.first()?;
            Some(Credential::new(&p.provider, credential))
        }))
    }
    /// The centre that offers it.
    async fn training_center(&self, ctx: &Context<'_>) -> Result<Option<TrainingCenter>> {
        Ok(
            related(ctx, &self.0.provider, &self.0.record.training_center_id)
                .await?
                .map(TrainingCenter),
        )
    }
    /// Training field (bidang).
    async fn field(&self) -> Option<TrainingField> {
        self.0.record.field.as_ref().map(Into::into)
    }
    /// Purpose.
    async fn training_type(&self) -> Option<TrainingType> {
        self.0.record.training_type.map(Into::into)
    }
    /// Who it is for.
    async fn target_groups(&self) -> Vec<TargetGroup> {
        self.0
            .record
            .target_groups
            .iter()
            .map(|g| (*g).into())
            .collect()
    }
    /// Occupations it trains for.
    async fn occupations(&self) -> Vec<Occupation> {
        self.0
            .record
            .occupation_codes
            .iter()
            .map(|c| Occupation::new(c))
            .collect()
    }
    /// Its dated batches.
    #[allow(clippy::too_many_arguments)]
    #[graphql(
        complexity = "first.or(last).unwrap_or(20).clamp(1, 1000) as usize * child_complexity"
    )]
    async fn runs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(name = "where")] filter: Option<CourseRunBoolExp>,
        #[graphql(name = "order_by")] order_by: Option<Vec<CourseRunOrderBy>>,
    ) -> Result<CourseRunConnection> {
        let page = PageRequest {
            first,
            after,
            last,
            before,
            ..Default::default()
        };
        nested(
            ctx,
            &self.0.provider,
            "courseId",
            &self.0.record.source_id,
            filter_of(ctx, &filter)?,
            order_keys(&order_by),
            page,
            CourseRun,
        )
        .await
    }
}

/// One dated batch (angkatan / gelombang) of a course.
#[derive(Clone)]
pub struct CourseRun(pub Sourced<model::CourseRun>);

/// One dated batch (angkatan / gelombang) of a course (CTDL ScheduledOffering).
#[Object]
impl CourseRun {
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
    /// Batch code.
    async fn code(&self) -> &str {
        &self.0.record.code
    }
    /// The course.
    async fn course(&self, ctx: &Context<'_>) -> Result<Option<Course>> {
        Ok(related(ctx, &self.0.provider, &self.0.record.course_id)
            .await?
            .map(Course))
    }
    /// The centre that runs it.
    async fn training_center(&self, ctx: &Context<'_>) -> Result<Option<TrainingCenter>> {
        Ok(
            related(ctx, &self.0.provider, &self.0.record.training_center_id)
                .await?
                .map(TrainingCenter),
        )
    }
    /// First day.
    async fn start_date(&self) -> Option<Date> {
        self.0.record.start_date.map(Date)
    }
    /// Last day.
    async fn end_date(&self) -> Option<Date> {
        self.0.record.end_date.map(Date)
    }
    /// Lifecycle status.
    async fn status(&self) -> CourseRunStatus {
        self.0.record.status.into()
    }
    /// How it is delivered.
    async fn delivery_mode(&self) -> Option<DeliveryMode> {
        self.0.record.delivery_mode.map(Into::into)
    }
    /// Where it runs.
    async fn location(&self) -> Option<Region> {
        self.0
            .record
            .location_code
            .as_deref()
            .and_then(Region::find)
    }
    /// Places (kuota).
    async fn capacity(&self) -> Option<i32> {
        self.0.record.capacity
    }
    /// Training hours as the provider states them.
    async fn nominal_hours(&self) -> Option<i32> {
        self.0.record.nominal_hours
    }
    /// Budget year.
    async fn fiscal_year(&self) -> Option<i32> {
        self.0.record.fiscal_year
    }
    /// Intake number within the year (gelombang).
    async fn cohort(&self) -> Option<i32> {
        self.0.record.cohort
    }
    /// Cost per participant.
    async fn cost_per_participant(&self) -> Option<Money> {
        self.0.record.cost_per_participant.as_ref().map(Into::into)
    }
    /// How it is paid for.
    async fn funding_schemes(&self) -> Vec<FundingScheme> {
        self.0
            .record
            .funding_schemes
            .iter()
            .map(|code| FundingScheme::of(*code))
            .collect()
    }
    /// What its completers did after training, with small counts withheld (one aggregate:
    /// needs `aggregate:read`).
    #[graphql(complexity = 50)]
    async fn outcome_summary(&self, ctx: &Context<'_>) -> Result<OutcomeSummary> {
        let (provider, key) = (&self.0.provider, &self.0.record.source_id);
        outcome_summary(
            ctx,
            "CourseRun.outcomeSummary",
            provider,
            "courseRunId",
            key,
            None,
        )
        .await
    }
    /// The partnerships behind it.
    async fn partnerships(&self, ctx: &Context<'_>) -> Result<Vec<Partnership>> {
        let keys = &self.0.record.partnership_ids;
        let found = related_many::<model::Partnership>(ctx, &self.0.provider, keys).await?;
        Ok(found.into_iter().map(Partnership).collect())
    }
    /// Instructor or facilitator.
    async fn instructor(&self) -> Option<&str> {
        self.0.record.instructor.as_deref()
    }
    /// Notes.
    async fn description(&self) -> Option<&str> {
        self.0.record.description.as_deref()
    }
    /// Its participants' enrolments.
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
            "courseRunId",
            &self.0.record.source_id,
            filter_of(ctx, &filter)?,
            Vec::new(),
            page,
            Enrollment,
        )
        .await
    }
}
