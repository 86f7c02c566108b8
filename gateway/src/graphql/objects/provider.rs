//! `Provider`: a data source reached through one adapter plugin.

use async_graphql::{Enum, Object, ID};
use simpul_schema::GlobalId;

use super::{ProviderKind, SourceKind};
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
        let manifest = p.manifest.as_ref();
        let rejected = p.source_status().is_some_and(|s| !s.rejected.is_empty());
        Self {
            key: p.key.clone(),
            name: manifest.map_or_else(|| p.key.clone(), |m| m.provider.name.clone()),
            kind: manifest.map_or(ProviderKind::Other, |m| m.provider.kind.into()),
            source_kind: manifest.map_or(SourceKind::Other, |m| m.provider.source_kind.into()),
            adapter_version: manifest.map_or_else(String::new, |m| m.version.clone()),
            contract_version: manifest
                .map_or_else(String::new, |m| m.provider.contract_version.clone()),
            data_as_of: p
                .source_status()
                .and_then(|s| s.data_as_of.as_deref())
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(DateTime),
            status: match (&p.state, rejected) {
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
}
