//! `Partnership`: an MoU, cooperation agreement, licence, visit or supervision link.

use async_graphql::{Context, Object, Result, ID};
use simpul_schema as model;

use super::training_center::provider_of;
use super::{related, DataWarning, PartnershipKind, Provider, TrainingCenter};
use crate::engine::Sourced;
use crate::graphql::scalars::Date;

/// An agreement or formal link between organisations.
#[derive(Clone)]
pub struct Partnership(pub Sourced<model::Partnership>);

/// One party to a partnership.
#[derive(Clone)]
pub struct PartyRef {
    provider: std::sync::Arc<str>,
    party: model::PartyRef,
}

/// One party to a partnership.
#[Object]
impl PartyRef {
    /// The party's name.
    async fn name(&self) -> &str {
        &self.party.name
    }
    /// The training centre, when the party is one the gateway knows.
    async fn training_center(&self, ctx: &Context<'_>) -> Result<Option<TrainingCenter>> {
        let Some(key) = &self.party.training_center_id else {
            return Ok(None);
        };
        Ok(related(ctx, &self.provider, key).await?.map(TrainingCenter))
    }
    /// Kind of organisation, as the provider describes it.
    async fn kind(&self) -> Option<&str> {
        self.party.kind.as_deref()
    }
}

/// An agreement or formal link between organisations.
#[Object]
impl Partnership {
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
    /// Kind of agreement.
    async fn kind(&self) -> PartnershipKind {
        self.0.record.kind.into()
    }
    /// The organisations bound by it.
    async fn parties(&self) -> Vec<PartyRef> {
        self.0
            .record
            .parties
            .iter()
            .map(|party| PartyRef {
                provider: self.0.provider.clone(),
                party: party.clone(),
            })
            .collect()
    }
    /// Document number.
    async fn document_number(&self) -> Option<&str> {
        self.0.record.document_number.as_deref()
    }
    /// Date signed.
    async fn signed_on(&self) -> Option<Date> {
        self.0.record.signed_on.map(Date)
    }
    /// First day in force.
    async fn valid_from(&self) -> Option<Date> {
        self.0.record.valid_from.map(Date)
    }
    /// Last day in force.
    async fn valid_until(&self) -> Option<Date> {
        self.0.record.valid_until.map(Date)
    }
    /// Where it was signed.
    async fn place(&self) -> Option<&str> {
        self.0.record.place.as_deref()
    }
    /// What it covers.
    async fn scope(&self) -> Option<&str> {
        self.0.record.scope.as_deref()
    }
    /// What the partner contributes.
    async fn contribution(&self) -> Option<&str> {
        self.0.record.contribution.as_deref()
    }
    /// Status as the provider states it.
    async fn status(&self) -> Option<&str> {
        self.0.record.status.as_deref()
    }
}
