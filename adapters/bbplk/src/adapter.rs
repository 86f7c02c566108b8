//! [`BbplkAdapter`]: the plugin's [`Adapter`] implementation, its manifest and capabilities.
//!
//! Every collection declares every filter operator, sorting, paging, lookups by id and a
//! cursor, and every aggregate view is declared: each becomes SQL ([`crate::query`]), so the
//! engine never has to evaluate anything itself and the adapter never fetches rows it does not
//! return.

use simpul_plugin::sdk::{Adapter, Host};
use simpul_plugin::{AdapterError, Capabilities, CollectionCapabilities, Manifest, ProviderInfo};
use simpul_schema::analytics::AggregateView;
use simpul_schema::{AdapterRequest, AdapterResponse, Collection, ProviderKind, SourceKind};

use crate::{BbplkConfig, BbplkSource};

/// Version of the BBPLK provider contract this adapter implements.
pub const CONTRACT_VERSION: &str = "1.0";

/// What the adapter does itself: for every collection all twelve operators on every field,
/// `order_by`, `offset`/`limit`, lookups by id and a cursor on its key (`id > ?`); for
/// participants, enrolments and outcomes a projection (`fields`); every aggregate view, as one
/// `GROUP BY`.
pub fn capabilities() -> Capabilities {
    let every = CollectionCapabilities {
        cursor: true,
        ..CollectionCapabilities::full()
    };
    let projected = |c: Collection| CollectionCapabilities {
        projection: crate::query::plans::projects(c),
        ..every.clone()
    };
    Capabilities {
        collections: Collection::ALL
            .iter()
            .map(|c| (*c, projected(*c)))
            .collect(),
        aggregates: AggregateView::ALL.to_vec(),
        memberships: false,
    }
}

/// The BBPLK adapter: a read-only pool on the provider's database.
pub struct BbplkAdapter {
    source: BbplkSource,
    host: Host,
}

impl BbplkAdapter {
    /// The source (for tests and in-process use).
    pub fn source(&self) -> &BbplkSource {
        &self.source
    }
}

impl Adapter for BbplkAdapter {
    type Config = BbplkConfig;

    fn manifest() -> Manifest {
        Manifest {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            provider: ProviderInfo {
                key: "bbplk".into(),
                name: "Kemnaker BBPLK / BLK".into(),
                kind: ProviderKind::GovernmentTrainingAuthority,
                source_kind: SourceKind::SqlDatabase,
                contract_version: CONTRACT_VERSION.into(),
            },
            capabilities: capabilities(),
            encodings: simpul_plugin::Encoding::names(),
            config_schema: serde_json::to_value(schemars::schema_for!(BbplkConfig))
                .unwrap_or_default(),
        }
    }

    async fn create(config: BbplkConfig, host: Host) -> Result<Self, AdapterError> {
        let source = BbplkSource::connect(&config).await?;
        source.check_schema().await?;
        host.info(&format!(
            "reading {} ({:?}, read-only, up to {} connections)",
            config.redacted_url(),
            source.dialect(),
            config.max_connections
        ));
        Ok(Self { source, host })
    }

    async fn handle(&self, request: AdapterRequest) -> Result<AdapterResponse, AdapterError> {
        match request {
            AdapterRequest::Status => {
                let status = self.source.status().await?;
                for issue in &status.rejected {
                    self.host
                        .warn(&format!("rejected {} row: {}", issue.source, issue.reason));
                }
                Ok(AdapterResponse::Status(status))
            }
            AdapterRequest::Aggregate(aggregate) => Ok(AdapterResponse::Aggregate(
                self.source.aggregate(&aggregate).await?,
            )),
            AdapterRequest::Membership(_) => Err(AdapterError::unsupported("membership lookups")),
            AdapterRequest::Query(query) => {
                Ok(AdapterResponse::Query(self.source.query(&query).await?))
            }
        }
    }
}
