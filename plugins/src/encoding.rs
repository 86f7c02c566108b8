//! How call messages are written across the boundary: JSON, which every plugin and host speaks,
//! or MessagePack, when both list it.
//!
//! ```
//! use simpul_plugin::Encoding;
//! use simpul_schema::{AdapterRequest, Collection, QueryRequest};
//!
//! // The host takes the first of the plugin's encodings (its order of preference) it speaks.
//! let plugin = ["msgpack".to_owned(), "json".to_owned()];
//! assert_eq!(Encoding::negotiate(&plugin), Encoding::MessagePack);
//! assert_eq!(Encoding::negotiate(&["json".to_owned()]), Encoding::Json);
//!
//! let request = AdapterRequest::Query(QueryRequest::all(Collection::Courses));
//! let bytes = Encoding::MessagePack.encode(&request).unwrap();
//! let back: AdapterRequest = Encoding::MessagePack.decode(&bytes).unwrap();
//! assert_eq!(back, request);
//! ```
//!
//! A MessagePack message is the JSON message's tree written in MessagePack: the same maps with
//! the same (camelCase) keys, strings as `str`, numbers as integers or floats, `null` as `nil`,
//! never `bin` or extension types. Whatever decodes the JSON message decodes it, and a plugin
//! in any language can write it with a stock MessagePack library.
//!
//! Only the bytes of `call` and of its `SIMPUL_STATUS_OK` and `SIMPUL_STATUS_ERROR`
//! completions are encoded so; the manifest, `host->info`, the config, `create`'s error and
//! the plain-text payloads of the other statuses are always as in ABI 1.0.

use serde::de::Deserialize;
use serde::Serialize;

/// The one message encoding every plugin and host speaks.
pub const ENCODING_JSON: &str = "json";
/// MessagePack (<https://msgpack.org>), negotiated per instance.
pub const ENCODING_MSGPACK: &str = "msgpack";

/// A message encoding this build speaks, on either side of the boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// UTF-8 JSON (the default; every plugin must speak it).
    #[default]
    Json,
    /// MessagePack, keys as in the JSON messages.
    MessagePack,
}

/// A message that could not be written or read in an encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{encoding}: {reason}")]
pub struct EncodingError {
    /// The encoding's name.
    pub encoding: &'static str,
    /// What was wrong.
    pub reason: String,
}

impl Encoding {
    /// Every encoding this build speaks, in its order of preference.
    pub const ALL: [Encoding; 2] = [Encoding::MessagePack, Encoding::Json];

    /// The name used in the manifest's `encodings` and in `HostInfo`.
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Json => ENCODING_JSON,
            Encoding::MessagePack => ENCODING_MSGPACK,
        }
    }

    /// The encoding of a name, if this build speaks it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The names of every encoding this build speaks, for a manifest's `encodings`.
    pub fn names() -> Vec<String> {
        Self::ALL.iter().map(|e| e.name().to_owned()).collect()
    }

    /// The encoding of an instance's calls: the first of the plugin's `encodings` (its order
    /// of preference) that this build speaks; JSON when none is.
    pub fn negotiate(plugin: &[String]) -> Self {
        plugin
            .iter()
            .find_map(|name| Self::from_name(name))
            .unwrap_or_default()
    }

    /// Write a message.
    pub fn encode<T: Serialize + ?Sized>(self, message: &T) -> Result<Vec<u8>, EncodingError> {
        match self {
            Encoding::Json => serde_json::to_vec(message).map_err(|e| self.error(e)),
            Encoding::MessagePack => rmp_serde::to_vec_named(message).map_err(|e| self.error(e)),
        }
    }

    /// Read a message.
    pub fn decode<'a, T: Deserialize<'a>>(self, bytes: &'a [u8]) -> Result<T, EncodingError> {
        match self {
            Encoding::Json => serde_json::from_slice(bytes).map_err(|e| self.error(e)),
            Encoding::MessagePack => rmp_serde::from_slice(bytes).map_err(|e| self.error(e)),
        }
    }

    fn error(self, reason: impl std::fmt::Display) -> EncodingError {
        EncodingError {
            encoding: self.name(),
            reason: reason.to_string(),
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpul_schema::{AdapterRequest, AdapterResponse, Collection, QueryRequest};

    #[test]
    fn negotiation_follows_the_plugin_and_falls_back_to_json() {
        let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            Encoding::negotiate(&names(&["json", "msgpack"])),
            Encoding::Json
        );
        assert_eq!(
            Encoding::negotiate(&names(&["cbor", "msgpack", "json"])),
            Encoding::MessagePack
        );
        assert_eq!(
            Encoding::negotiate(&names(&["future-binary"])),
            Encoding::Json
        );
        assert_eq!(Encoding::negotiate(&[]), Encoding::Json);
    }

    #[test]
    fn a_message_pack_message_is_the_json_tree() {
        let request = AdapterRequest::Query(QueryRequest {
            limit: Some(10),
            after: Some("41".into()),
            ..QueryRequest::all(Collection::Participants)
        });
        let bytes = Encoding::MessagePack.encode(&request).unwrap();
        let tree: serde_json::Value = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(tree, serde_json::to_value(&request).unwrap());
    }

    #[test]
    fn garbage_is_an_error_naming_the_encoding() {
        for encoding in Encoding::ALL {
            let error = encoding
                .decode::<AdapterResponse>(b"\xc1not a message")
                .unwrap_err();
            assert_eq!(error.encoding, encoding.name());
            assert!(!error.reason.is_empty());
        }
    }
}
