//! `Provider`: a data source reached through one adapter plugin.

use async_graphql::{Context, Enum, Object, Result, ID};
use simpul_schema::{CompareOp, Filter, GlobalId};

use super::{ProviderKind, SourceKind, TrainingCenter};
use crate::engine::cursor::PageRequest;
use crate::graphql::connection::{list, TrainingCenterConnection};
use crate::graphql::filters::{
    filter_of, order_keys, TrainingCenterBoolExp, TrainingCenterOrderBy,
};
use crate::graphql::scalars::DateTime;
use crate::host::{self, ProviderState};

/// Whether a provider is serving.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ProviderStatus {
    /// Serving.
    Up,
    /// Serving, with rejected input rows.
    Degraded,
    /// Not serving.
    Down,
}

/// A data source reached through one adapter plugin.
#[derive(Clone)]
pub struct Provider {
    key: String,
    name: String,
    kind: ProviderKind,
    source_kind: SourceKind,
    adapter_version: String,
    contract_version: String,
    data_as_of: Option<DateTime>,
    status: ProviderStatus,
}

impl From<&host::Provider> for Provider {
    fn from(p: &host::Provider) -> Self {
        let current = p.current();
        let manifest = current.manifest.as_ref();
        let status = current.source_status();
        let rejected = status.is_some_and(|s| !s.rejected.is_empty());
        Self {
            key: p.key.clone(),
            name: manifest.map_or_else(|| p.key.clone(), |m| m.provider.name.clone()),
            kind: manifest.map_or(ProviderKind::Other, |m| m.provider.kind.into()),
            source_kind: manifest.map_or(SourceKind::Other, |m| m.provider.source_kind.into()),
            adapter_version: manifest.map_or_else(String::new, |m| m.version.clone()),
            contract_version: manifest
                .map_or_else(String::new, |m| m.provider.contract_version.clone()),
            data_as_of: status
                .and_then(|s| s.data_as_of.as_deref())
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(DateTime),
            status: match (&current.state, rejected) {
                (ProviderState::Failed(_), _) => ProviderStatus::Down,
                (ProviderState::Ready(_), true) => ProviderStatus::Degraded,
                (ProviderState::Ready(_), false) => ProviderStatus::Up,
            },
        }
    }
}

/// A data source reached through one adapter plugin. Provider keys are strings because
/// adapters are loaded at run time.
#[Object]
impl Provider {
    /// Global id (`gw:Provider:<key>`).
    pub async fn id(&self) -> ID {
        ID(GlobalId::new("gw", "Provider", &self.key).encode())
    }
    /// Stable key used in global ids: `spn`, `bbplk`, `bpjamsostek`, ...
    async fn key(&self) -> &str {
        &self.key
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.name
    }
    /// What kind of organisation it is.
    async fn kind(&self) -> ProviderKind {
        self.kind
    }
    /// How it keeps its data.
    async fn source_kind(&self) -> SourceKind {
        self.source_kind
    }
    /// Version of the adapter plugin.
    async fn adapter_version(&self) -> &str {
        &self.adapter_version
    }
    /// Version of the provider contract the adapter implements.
    async fn contract_version(&self) -> &str {
        &self.contract_version
    }
    /// Time of the data the provider serves.
    async fn data_as_of(&self) -> Option<DateTime> {
        self.data_as_of
    }
    /// Whether it is serving.
    async fn status(&self) -> ProviderStatus {
        self.status
    }
    /// This provider's training centres (the same list as `trainingCenters` narrowed to it).
    #[allow(clippy::too_many_arguments)]
    #[graphql(
        complexity = "first.or(last).unwrap_or(20).clamp(1, 1000) as usize * child_complexity"
    )]
    async fn training_centers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(name = "where")] filter: Option<TrainingCenterBoolExp>,
        #[graphql(name = "order_by")] order_by: Option<Vec<TrainingCenterOrderBy>>,
    ) -> Result<TrainingCenterConnection> {
        let own = Filter::compare("provider", CompareOp::Eq, self.key.as_str());
        let filter = match filter_of(ctx, &filter)? {
            Some(asked) => Filter::And(vec![own, asked]),
            None => own,
        };
        let page = PageRequest {
            first,
            after,
            last,
            before,
            ..Default::default()
        };
        list(
            ctx,
            Some(filter),
            order_keys(&order_by),
            page,
            TrainingCenter,
        )
        .await
    }
}
