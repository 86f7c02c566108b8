//! What a plugin says about itself: the JSON manifest in its header.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use simpul_schema::{tolerant, Collection, CompareOp, ProviderKind, SourceKind};

/// A plugin's self-description, read by the host before it creates anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
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
    /// The message encodings the plugin speaks, in its order of preference. `json` is
    /// required; the host uses the first one it speaks too and says which in
    /// [`HostInfo::encoding`] ([`crate::Encoding::negotiate`]). A Rust adapter lists
    /// [`crate::Encoding::names`]: the SDK speaks all of them.
    pub encodings: Vec<String>,
    /// JSON Schema of the plugin's config; the host validates config against it before
    /// creating an instance.
    pub config_schema: serde_json::Value,
}

impl Manifest {
    /// The collections the plugin serves, in order.
    pub fn collections(&self) -> Vec<Collection> {
        self.capabilities.collections.keys().copied().collect()
    }
}

/// The provider behind a plugin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// Capabilities by collection. In a tolerant decode a collection this build does not know
    /// is ignored and noted.
    #[serde(deserialize_with = "known_collections")]
    #[cfg_attr(feature = "json-schema", schemars(schema_with = "collections_schema"))]
    pub collections: BTreeMap<Collection, CollectionCapabilities>,
    /// The aggregate views the plugin summarises itself, any filter and group keys included
    /// (`AdapterRequest::Aggregate`); the gateway computes the others from records.
    #[serde(default, deserialize_with = "known_values")]
    pub aggregates: Vec<simpul_schema::analytics::AggregateView>,
    /// Whether it looks up social-security memberships by KPJ (`AdapterRequest::Membership`).
    #[serde(default)]
    pub memberships: bool,
}

/// What a plugin does itself for one collection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CollectionCapabilities {
    /// Filter operators it evaluates (on every field of the collection). In a tolerant decode
    /// an operator this build does not know is ignored and noted.
    #[serde(deserialize_with = "known_values")]
    pub filter_operators: Vec<CompareOp>,
    /// Whether it sorts by `order_by`.
    pub order_by: bool,
    /// Whether it honours `offset`/`limit`.
    pub paging: bool,
    /// Whether it answers lookups by local key (`ids`).
    pub lookup_by_id: bool,
    /// Whether it resumes its natural order from a cursor: with a `limit` and no `order_by`
    /// it answers with `next`, and given that back as `after` it returns the records that
    /// follow. The engine then scans a large collection page by page at the cost of an index
    /// seek per page (BBPLK: `id > ?`). Absent means no.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cursor: bool,
    /// Whether it reads `fields` (ABI 1.2): given the filter fields a caller reads, it may
    /// leave the others empty and skip their work. The engine sends `fields` only to a
    /// collection that declares this, when it summarises records itself. Absent means no.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub projection: bool,
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
            cursor: false,
            projection: false,
        }
    }
}

/// What the host tells a plugin about itself in `create` (the JSON behind `simpul_host.info`).
/// Unknown fields are ignored, so later hosts may add some.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HostInfo {
    /// The host program (`simpul`).
    pub gateway: String,
    /// Its version.
    pub version: String,
    /// The ABI version it implements.
    pub abi: AbiVersion,
    /// The message encodings it speaks (`["msgpack", "json"]`).
    pub encodings: Vec<String>,
    /// The encoding of this instance's calls (requests and the `OK`/`ERROR` completions):
    /// the first of the manifest's `encodings` the host speaks, unless the deployment names
    /// one. Absent (hosts before ABI 1.1) means `json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The largest response payload it accepts, in bytes; larger ones fail the call.
    pub max_payload_bytes: u64,
    /// How many threads may be inside `call` at once for one instance.
    pub call_threads: u32,
}

/// An ABI version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
pub struct AbiVersion {
    /// Incompatible changes.
    pub major: u16,
    /// Compatible additions.
    pub minor: u16,
}

/// Keep the entries whose name this build knows; note the others (tolerant decodes only).
fn known_values<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let raw = Vec::<serde_json::Value>::deserialize(deserializer)?;
    let mut known = Vec::with_capacity(raw.len());
    for value in raw {
        match serde_json::from_value::<T>(value.clone()) {
            Ok(v) => known.push(v),
            Err(e) => {
                let name = value.as_str().unwrap_or_default();
                let vocabulary = std::any::type_name::<T>()
                    .rsplit("::")
                    .next()
                    .unwrap_or("value");
                if !value.is_string() || !tolerant::note_unknown(vocabulary, name, "ignored") {
                    return Err(serde::de::Error::custom(e));
                }
            }
        }
    }
    Ok(known)
}

/// The capabilities map's schema: an object keyed by collection names (schemars describes a
/// map's values but not its keys).
#[cfg(feature = "json-schema")]
fn collections_schema(
    generator: &mut schemars::r#gen::SchemaGenerator,
) -> schemars::schema::Schema {
    use schemars::schema::{InstanceType, ObjectValidation, SchemaObject};

    SchemaObject {
        instance_type: Some(InstanceType::Object.into()),
        object: Some(Box::new(ObjectValidation {
            property_names: Some(Box::new(generator.subschema_for::<Collection>())),
            additional_properties: Some(Box::new(
                generator.subschema_for::<CollectionCapabilities>(),
            )),
            ..Default::default()
        })),
        ..Default::default()
    }
    .into()
}

/// [`known_values`] for the keys of the capabilities map.
fn known_collections<'de, D>(
    deserializer: D,
) -> Result<BTreeMap<Collection, CollectionCapabilities>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw = BTreeMap::<String, CollectionCapabilities>::deserialize(deserializer)?;
    let mut known = BTreeMap::new();
    for (name, capabilities) in raw {
        match serde_json::from_value::<Collection>(serde_json::Value::String(name.clone())) {
            Ok(collection) => {
                known.insert(collection, capabilities);
            }
            Err(e) => {
                if !tolerant::note_unknown("Collection", &name, "ignored") {
                    return Err(serde::de::Error::custom(e));
                }
            }
        }
    }
    Ok(known)
}

/// An error an adapter reports for a call or for `create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
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
