//! What a plugin says about itself: the JSON manifest in its header.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use simpul_schema::{Collection, CompareOp, ProviderKind, SourceKind};

/// A plugin's self-description, read by the host before it creates anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Plugin (crate) name, e.g. `simpul-adapter-spn`.
    pub name: String,
    /// Plugin version (semver).
    pub version: String,
    /// The provider the plugin reads.
    pub provider: ProviderInfo,
    /// What the plugin can do itself; the engine does the rest.
    pub capabilities: Capabilities,
    /// JSON Schema of the plugin's config; the host validates config against it before
    /// creating an instance.
    pub config_schema: serde_json::Value,
}

/// The provider behind a plugin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInfo {
    /// Default provider key (namespace of global ids), e.g. `spn`. A deployment may override it.
    pub key: String,
    /// Display name.
    pub name: String,
    /// What kind of organisation it is.
    pub kind: ProviderKind,
    /// How it keeps its data.
    pub source_kind: SourceKind,
    /// Version of the provider contract the plugin implements.
    pub contract_version: String,
}

/// Per-collection capabilities, in the spirit of Hasura's NDC spec. A collection that is absent
/// is not served by the plugin.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// Capabilities by collection.
    pub collections: BTreeMap<Collection, CollectionCapabilities>,
    /// The aggregate views the plugin summarises itself, any filter and group keys included
    /// (`AdapterRequest::Aggregate`); the gateway computes the others from records.
    #[serde(default)]
    pub aggregates: Vec<simpul_schema::analytics::AggregateView>,
}

/// What a plugin does itself for one collection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionCapabilities {
    /// Filter operators it evaluates (on every field of the collection).
    pub filter_operators: Vec<CompareOp>,
    /// Whether it sorts by `order_by`.
    pub order_by: bool,
    /// Whether it honours `offset`/`limit`.
    pub paging: bool,
    /// Whether it answers lookups by local key (`ids`).
    pub lookup_by_id: bool,
}

impl CollectionCapabilities {
    /// Everything: all operators, sorting, paging, lookups (an in-memory source using
    /// [`simpul_schema::filter::apply`]).
    pub fn full() -> Self {
        Self {
            filter_operators: vec![
                CompareOp::Eq,
                CompareOp::Neq,
                CompareOp::Gt,
                CompareOp::Gte,
                CompareOp::Lt,
                CompareOp::Lte,
                CompareOp::In,
                CompareOp::Nin,
                CompareOp::Like,
                CompareOp::Ilike,
                CompareOp::IsNull,
                CompareOp::Prefix,
            ],
            order_by: true,
            paging: true,
            lookup_by_id: true,
        }
    }
}

/// An error an adapter reports for a call or for `create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AdapterError {
    /// Stable code: `SOURCE_UNAVAILABLE`, `BAD_REQUEST`, `INVALID_CONFIG`, `INTERNAL`, ...
    pub code: String,
    /// What went wrong, free of personal data.
    pub message: String,
}

impl AdapterError {
    /// An error with a code.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// `UNSUPPORTED`: a request the adapter's capabilities do not declare (the gateway only
    /// sends those to adapters that declare them).
    pub fn unsupported(what: &str) -> Self {
        Self::new(
            "UNSUPPORTED",
            format!("{what} is not among this adapter's capabilities"),
        )
    }
}
