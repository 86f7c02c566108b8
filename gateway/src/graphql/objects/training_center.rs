//! `TrainingCenter`: an institution or place that delivers training.

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use simpul_schema as model;

use super::{
    engine, related, AgentSector, ContactPoint, Course, DataWarning, InstitutionType, License,
    Partnership, Provider, Region, TrainingField,
};
use crate::engine::cursor::PageRequest;
use crate::engine::Sourced;
use crate::graphql::connection::{
    nested, CourseConnection, PartnershipConnection, TrainingCenterConnection,
};
use crate::graphql::filters::{filter_of, order_keys, CourseBoolExp, CourseOrderBy};
use crate::graphql::scalars::RegionCode;

/// An institution or place that delivers training.
#[derive(Clone)]
pub struct TrainingCenter(pub Sourced<model::TrainingCenter>);

/// A postal address.
#[derive(SimpleObject, Clone)]
pub struct Address {
    /// Street or village line.
    pub street_address: Option<String>,
    /// The most precise region the provider gave.
    pub region: Option<Region>,
    /// Its dotted code.
    pub region_code: Option<RegionCode>,
}

/// The provider object for a provider key.
pub fn provider_of(ctx: &Context<'_>, key: &str) -> Result<Provider> {
    engine(ctx)
        .host()
        .get(key)
        .map(Provider::from)
        .ok_or_else(|| format!("unknown provider `{key}`").into())
}

/// An institution or place that delivers training (CTDL CredentialOrganization).
#[Object]
impl TrainingCenter {
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
    /// Name.
    async fn name(&self) -> &str {
        &self.0.record.name
    }
    /// Other names (BBPVP Bekasi, CEVEST, ...).
    async fn alternate_names(&self) -> &[String] {
        &self.0.record.alternate_names
    }
    /// Kind of institution.
    async fn institution_type(&self) -> InstitutionType {
        self.0.record.institution_type.into()
    }
    /// Who runs it.
    async fn sector(&self) -> Option<AgentSector> {
        self.0.record.sector.map(Into::into)
    }
    /// The UPTP that supervises this centre (binaan).
    async fn supervisor(&self, ctx: &Context<'_>) -> Result<Option<TrainingCenter>> {
        let Some(key) = &self.0.record.supervisor_id else {
            return Ok(None);
        };
        Ok(related(ctx, &self.0.provider, key)
            .await?
            .map(TrainingCenter))
    }
    /// The agreements it is a party to (MoU, PKS, licences, supervision), in the provider's
    /// order.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 1000) as usize * child_complexity")]
    async fn partnerships(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<PartnershipConnection> {
        self.linked(ctx, "trainingCenterId", first, after, Partnership)
            .await
    }
    /// The centres it supervises (its binaan: a BBPLK's BLK Komunitas, say), at the same
    /// provider, in the provider's order.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 1000) as usize * child_complexity")]
    async fn supervised_centers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<TrainingCenterConnection> {
        self.linked(ctx, "supervisorId", first, after, TrainingCenter)
            .await
    }
    /// Where it is.
    async fn address(&self) -> Option<Address> {
        self.0.record.address.as_ref().map(|a| Address {
            street_address: a.street_address.clone(),
            region: a.region_code.as_deref().and_then(Region::find),
            region_code: a.region_code.clone().map(RegionCode),
        })
    }
    /// Year founded or inaugurated.
    async fn founded_year(&self) -> Option<i32> {
        self.0.record.founded_year
    }
    /// Land area in hectares.
    async fn area_hectares(&self) -> Option<f64> {
        self.0.record.area_hectares
    }
    /// Workshops, classrooms and the like.
    async fn facilities(&self) -> &[String] {
        &self.0.record.facilities
    }
    /// Training fields (kejuruan).
    async fn fields(&self) -> Vec<TrainingField> {
        self.0.record.fields.iter().map(Into::into).collect()
    }
    /// Years of operation when a partnership was signed.
    async fn years_of_experience(&self) -> Option<i32> {
        self.0.record.years_of_experience
    }
    /// How to reach it.
    async fn contact(&self) -> Option<ContactPoint> {
        self.0.record.contact.as_ref().map(Into::into)
    }
    /// Whether it currently operates.
    async fn active(&self) -> Option<bool> {
        self.0.record.active
    }
    /// BPJAMSOSTEK's Vokasi partner rule: a Disnaker operating licence and at least one year of
    /// experience. Null when the centre is not a Vokasi partner.
    async fn meets_vokasi_partner_criteria(&self) -> Option<bool> {
        self.0.record.meets_vokasi_partner_criteria
    }
    /// The licences it holds (its Disnaker operating licence, an LSP's BNSP licence).
    async fn licenses(&self) -> Vec<License> {
        self.0.record.licenses.iter().map(Into::into).collect()
    }
    /// What the completers of its runs did after training, with small counts withheld (one
    /// aggregate: needs `aggregate:read`). `where` narrows the completers as in
    /// `outcomes_aggregate` (`{fiscalYear: {_eq: 2024}}`, `{monthsToOutcome: {_gte: 6}}`).
    #[graphql(complexity = 50)]
    async fn outcome_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: Option<crate::graphql::aggregate::EnrollmentFactBoolExp>,
    ) -> Result<crate::graphql::aggregate::OutcomeSummary> {
        let (provider, key) = (&self.0.provider, &self.0.record.source_id);
        let audited = "TrainingCenter.outcomeSummary";
        let narrower = crate::graphql::filters::filter_of(ctx, &filter)?;
        crate::graphql::aggregate::outcome_summary(
            ctx,
            audited,
            provider,
            "trainingCenterId",
            key,
            narrower,
        )
        .await
    }
    /// The courses it offers.
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
            "trainingCenterId",
            &self.0.record.source_id,
            filter_of(ctx, &filter)?,
            order_keys(&order_by),
            page,
            Course,
        )
        .await
    }
}

impl TrainingCenter {
    /// The records of this centre's provider whose `field` names this centre (a partnership's
    /// parties, a centre's supervisor), a page of them in the provider's order.
    async fn linked<T: crate::engine::Entity, C: crate::graphql::connection::Page>(
        &self,
        ctx: &Context<'_>,
        field: &'static str,
        first: Option<i32>,
        after: Option<String>,
        wrap: fn(Sourced<T>) -> C::Node,
    ) -> Result<C> {
        let page = PageRequest {
            first,
            after,
            ..Default::default()
        };
        let (provider, key) = (&self.0.provider, &self.0.record.source_id);
        nested(ctx, provider, field, key, None, Vec::new(), page, wrap).await
    }
}
