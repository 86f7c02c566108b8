//! `Program`: a catalogue programme (BBPLK's `program_pelatihan`), offered by centres as
//! courses. Providers without a catalogue serve none, and their courses' `program` is null.

use async_graphql::{Context, Object, Result, ID};
use simpul_schema as model;

use super::training_center::provider_of;
use super::{Competency, Course, Credential, DataWarning, Occupation, Provider, TrainingField};
use crate::engine::cursor::PageRequest;
use crate::engine::Sourced;
use crate::graphql::connection::{nested, CourseConnection};
use crate::graphql::filters::{filter_of, order_keys, CourseBoolExp, CourseOrderBy};

/// A catalogue programme.
#[derive(Clone)]
pub struct Program(pub Sourced<model::Program>);

/// A catalogue programme (CTDL LearningProgram, schema.org EducationalOccupationalProgram).
#[Object]
impl Program {
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
    /// The provider's programme code.
    async fn code(&self) -> Option<&str> {
        self.0.record.code.as_deref()
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.record.name
    }
    /// Training field (kejuruan).
    async fn field(&self) -> Option<TrainingField> {
        self.0.record.field.as_ref().map(Into::into)
    }
    /// Occupations it trains for (KBJI 2014).
    async fn occupations(&self) -> Vec<Occupation> {
        let codes = &self.0.record.occupation_codes;
        codes.iter().map(|c| Occupation::new(c)).collect()
    }
    /// KKNI level (1–9).
    async fn kkni_level(&self) -> Option<i32> {
        self.0.record.kkni_level.map(i32::from)
    }
    /// Training hours as the provider states them (JP, jam pelajaran, for Kemnaker).
    async fn nominal_hours(&self) -> Option<i32> {
        self.0
            .record
            .nominal_hours
            .and_then(|h| i32::try_from(h).ok())
    }
    /// How it is taught (PBK: competency-based training).
    async fn method(&self) -> Option<&str> {
        self.0.record.method.as_deref()
    }
    /// The competency units it teaches.
    async fn competencies(&self) -> Vec<Competency> {
        self.0.record.competencies.iter().map(Into::into).collect()
    }
    /// The credentials it prepares for.
    async fn credentials(&self) -> Vec<Credential> {
        let credentials = &self.0.record.credentials;
        credentials
            .iter()
            .map(|c| Credential::new(&self.0.provider, c))
            .collect()
    }
    /// Description.
    async fn description(&self) -> Option<&str> {
        self.0.record.description.as_deref()
    }
    /// The centres' courses of this programme.
    #[allow(clippy::too_many_arguments)]
    #[graphql(
        complexity = "first.or(last).unwrap_or(20).clamp(1, 1000) as usize * child_complexity"
    )]
    async fn courses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(name = "where")] filter: Option<CourseBoolExp>,
        #[graphql(name = "order_by")] order_by: Option<Vec<CourseOrderBy>>,
    ) -> Result<CourseConnection> {
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
            "programId",
            &self.0.record.source_id,
            filter_of(ctx, &filter)?,
            order_keys(&order_by),
            page,
            Course,
        )
        .await
    }
}
