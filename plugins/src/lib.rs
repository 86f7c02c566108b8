//! Simpul's plugin system: the stable C ABI between the gateway and provider adapters, the SDK
//! adapter authors write against, and the loader the gateway uses.
//!
//! # Overview
//!
//! - [`abi`]: the `#[repr(C)]` header, function table, buffers and callbacks. Nothing
//!   Rust-specific crosses it; messages are JSON, or MessagePack where both sides speak it
//!   ([`Encoding`]).
//! - [`Manifest`]: what a plugin says about itself: provider, capabilities per collection,
//!   config JSON Schema.
//! - [`sdk`] (feature `sdk`, default): implement [`sdk::Adapter`] and write one line,
//!   [`export_adapter!`].
//! - [`host`] (feature `host`): [`host::PluginLibrary`] loads and checks a library,
//!   [`host::PluginInstance`] calls it; failures are [`PluginError`]s naming the library.
//! - `message_schema` (feature `json-schema`): the JSON Schema of the messages, generated from
//!   the types and published as `plugins/schema/messages.schema.json`.
//!
//! ```ignore
//! use simpul_plugin::{sdk::{Adapter, Host}, AdapterError, Manifest};
//! use simpul_schema::{AdapterRequest, AdapterResponse};
//!
//! struct MyAdapter;
//!
//! impl Adapter for MyAdapter {
//!     type Config = serde_json::Value;
//!     fn manifest() -> Manifest { todo!("name, provider, capabilities, config schema") }
//!     async fn create(_config: Self::Config, _host: Host) -> Result<Self, AdapterError> { Ok(MyAdapter) }
//!     async fn handle(&self, request: AdapterRequest) -> Result<AdapterResponse, AdapterError> {
//!         todo!("read the source, map to simpul_schema types")
//!     }
//! }
//!
//! simpul_plugin::export_adapter!(MyAdapter);
//! ```
#![doc = include_str!("../docs/abi.md")]
#![deny(missing_docs)]

pub mod abi;
mod encoding;
mod manifest;
#[cfg(feature = "json-schema")]
pub mod message_schema;
#[cfg(feature = "sdk")]
pub mod sdk;

#[cfg(feature = "host")]
mod error;
#[cfg(feature = "host")]
pub mod host;

pub use encoding::{Encoding, EncodingError, ENCODING_JSON, ENCODING_MSGPACK};
#[cfg(feature = "host")]
pub use error::{PluginError, PluginErrorKind};
pub use manifest::{
    AbiVersion, AdapterError, Capabilities, CollectionCapabilities, HostInfo, Manifest,
    ProviderInfo,
};
