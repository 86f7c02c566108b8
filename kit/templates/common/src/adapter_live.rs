//! [`{{type_name}}Adapter`]: the plugin's [`Adapter`] implementation, its manifest and
//! capabilities.
//!
//! The source is live: every call reads it afresh ([`Source::read`]) and answers from the
//! rows it got, with the engine's own semantics ([`crate::Data::query`]), so the adapter can
//! honestly declare every operator, sorting, paging and lookups by id. That is right for a
//! small source; for a large one, push filters, sorts and pages down to it (see
//! `adapters/bbplk` in the Simpul repository, where each becomes SQL) and declare only what
//! the source then does exactly.

use simpul_plugin::sdk::{Adapter, Host};
use simpul_plugin::{AdapterError, Capabilities, CollectionCapabilities, Manifest, ProviderInfo};
use simpul_schema::{
    AdapterRequest, AdapterResponse, Collection, ProviderKind, SourceKind, SourceStatus,
};

use crate::source::{Source, SourceError};
use crate::{Data, {{type_name}}Config};

/// The provider key: the namespace of this provider's global ids. A deployment may override
/// it; choose it once and keep it.
pub const PROVIDER_KEY: &str = "{{provider_key}}";
/// The provider's display name.
pub const PROVIDER_NAME: &str = "{{provider_name}}";
/// Version of the provider's data contract this adapter implements.
pub const CONTRACT_VERSION: &str = "0.1";

/// What the adapter does itself: everything, for the collections it serves, since it answers
/// with [`simpul_schema::memory`] from the rows it read. Declare a collection only once the
/// mapping fills it.
pub fn capabilities() -> Capabilities {
    Capabilities {
        collections: [(Collection::TrainingCenters, CollectionCapabilities::full())]
            .into_iter()
            .collect(),
        aggregates: Vec::new(),
        memberships: false,
    }
}

/// The adapter: a handle on the live source.
pub struct {{type_name}}Adapter {
    source: Source,
}

impl {{type_name}}Adapter {
    /// Read the source and map it.
    ///
    /// # Errors
    /// The source cannot be read at all (unreachable, refused, not what the contract says).
    pub async fn data(&self) -> Result<Data, AdapterError> {
        let table = self.source.read().await.map_err(adapter_error)?;
        Ok(Data::from_table(table))
    }
}

/// A source error as the gateway reports it: its code and a message without any value read.
fn adapter_error(e: SourceError) -> AdapterError {
    AdapterError::new(e.code(), e.to_string())
}

impl Adapter for {{type_name}}Adapter {
    type Config = {{type_name}}Config;

    fn manifest() -> Manifest {
        Manifest {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            provider: ProviderInfo {
                key: PROVIDER_KEY.into(),
                name: PROVIDER_NAME.into(),
                kind: ProviderKind::Other,
                source_kind: SourceKind::{{source_kind}},
                contract_version: CONTRACT_VERSION.into(),
            },
            capabilities: capabilities(),
            encodings: simpul_plugin::Encoding::names(),
            config_schema: serde_json::to_value(schemars::schema_for!({{type_name}}Config))
                .unwrap_or_default(),
        }
    }

    async fn create(config: {{type_name}}Config, host: Host) -> Result<Self, AdapterError> {
        let source = Source::open(&config).await.map_err(adapter_error)?;
        let adapter = Self { source };
        // One read now, to say in the log what the source holds. A source that is down does
        // not stop the gateway: each call reports it until it is back.
        match adapter.data().await {
            Ok(data) => report(&host, &data.status),
            Err(e) => host.warn(&format!(
                "the source cannot be read yet [{}]: {}",
                e.code, e.message
            )),
        }
        Ok(adapter)
    }

    async fn handle(&self, request: AdapterRequest) -> Result<AdapterResponse, AdapterError> {
        match request {
            AdapterRequest::Status => Ok(AdapterResponse::Status(self.data().await?.status)),
            AdapterRequest::Aggregate(_) => Err(AdapterError::unsupported("aggregation")),
            AdapterRequest::Membership(_) => Err(AdapterError::unsupported("membership lookups")),
            AdapterRequest::Query(query) => self
                .data()
                .await?
                .query(&query)
                .map(AdapterResponse::Query)
                .map_err(|e| AdapterError::new("BAD_REQUEST", e.to_string())),
        }
    }
}

/// Log what was rejected (a warning each) and noted (information), then a summary. The issues
/// carry codes, places and keys, never values, so they are safe to log.
fn report(host: &Host, status: &SourceStatus) {
    for (issues, warn) in [(&status.rejected, true), (&status.notices, false)] {
        for issue in issues {
            let line = issue.line.map(|l| format!(":{l}")).unwrap_or_default();
            let key = issue
                .key
                .as_deref()
                .map(|k| format!(" `{k}`"))
                .unwrap_or_default();
            let text = format!(
                "{}{line} [{}]{key}: {}",
                issue.source, issue.code, issue.reason
            );
            if warn {
                host.warn(&text);
            } else {
                host.info(&text);
            }
        }
    }
    host.info(&format!(
        "read: {} training centres, {} units rejected, {} records with warnings",
        status.record_counts.get("trainingCenters").unwrap_or(&0),
        status.rejected.len(),
        status.warnings
    ));
}
