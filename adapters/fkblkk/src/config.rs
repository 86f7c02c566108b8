//! The adapter's configuration: where the folder of quarterly workbooks is, and the identity
//! secret that keys participants (FK-BLKK has no person id but the NIK, so it cannot run
//! without one). The gateway validates the block against the JSON Schema derived here, so each
//! field's doc comment is user-facing documentation.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Deserialize;

/// Configuration of the FK-BLKK adapter.
#[derive(Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct FkblkkConfig {
    /// Folder the forum's secretariat fills with quarterly workbooks
    /// (`Rekap_BLKK_KabTangerang_<yyyy>_TW<q>[_revisi<n>].xlsx`). Other files are ignored and
    /// reported. Read once, at load; a relative path is resolved against the gateway's working
    /// directory.
    pub data_dir: PathBuf,
    /// Key of the keyed hash (HMAC-SHA-256) of the NIK, at least 16 characters: it names each
    /// participant (`n<hash>`) and links people across providers. The gateway passes its
    /// `[identity] secret` here.
    #[schemars(length(min = 16))]
    pub identity_secret: String,
}

impl std::fmt::Debug for FkblkkConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FkblkkConfig")
            .field("data_dir", &self.data_dir)
            .field("identity_secret", &"<hidden>")
            .finish()
    }
}

impl FkblkkConfig {
    /// A configuration for `data_dir` keyed by `identity_secret`.
    pub fn new(data_dir: impl Into<PathBuf>, identity_secret: &str) -> Self {
        Self {
            data_dir: data_dir.into(),
            identity_secret: identity_secret.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_requires_both_fields_and_hides_the_secret() {
        let schema = serde_json::to_value(schemars::schema_for!(FkblkkConfig)).unwrap();
        assert_eq!(
            schema["required"],
            serde_json::json!(["data_dir", "identity_secret"])
        );
        assert_eq!(schema["properties"]["identity_secret"]["minLength"], 16);
        assert_eq!(schema["additionalProperties"], false);
        let c = FkblkkConfig::new("x", "a-secret-of-16-chars");
        assert!(!format!("{c:?}").contains("a-secret"));
        assert!(serde_json::from_str::<FkblkkConfig>(r#"{"data_dir": "x"}"#).is_err());
    }
}
