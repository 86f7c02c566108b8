//! What a run is asked to do ([`Options`]) and reading the adapter's config file (TOML or
//! JSON: what a deployment puts under `[providers.config]`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::KitError;

/// The seed when none is given: every run of the same build on the same data asks the same
/// requests.
pub const DEFAULT_SEED: u64 = 15;

/// How many records of one collection the suite reads at most; past that, checks that need
/// the whole collection say the bound cut them short.
pub const DEFAULT_MAX_RECORDS: u64 = 50_000;

/// The deadline of an ordinary call (the gateway's default `timeout_ms` is 5 s; the suite is
/// more patient, since it reads whole collections).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

/// The identity secret given to an adapter whose config schema has an `identity_secret`
/// property and whose config does not set one (the gateway passes its own `[identity] secret`
/// the same way), so that `personKey` is served and checked.
pub const KIT_IDENTITY_SECRET: &str = "simpul-adapter-kit-identity-secret";

/// One run of the suite.
#[derive(Debug, Clone)]
pub struct Options {
    /// The adapter library.
    pub library: PathBuf,
    /// The adapter's own config (a JSON object).
    pub config: Value,
    /// Seed of every generated request.
    pub seed: u64,
    /// Records read per collection at most.
    pub max_records: u64,
    /// Deadline of an ordinary call.
    pub deadline: Duration,
    /// The provider key the instance is created under; default: the manifest's.
    pub provider: Option<String>,
}

impl Options {
    /// Defaults for `library` with `config`.
    pub fn new(library: impl Into<PathBuf>, config: Value) -> Self {
        Self {
            library: library.into(),
            config,
            seed: DEFAULT_SEED,
            max_records: DEFAULT_MAX_RECORDS,
            deadline: DEFAULT_DEADLINE,
            provider: None,
        }
    }
}

/// Read an adapter config file: JSON for `.json`, TOML for `.toml`, otherwise whichever
/// parses (JSON first). The result is a JSON object.
pub fn load_config(path: &Path) -> Result<Value, KitError> {
    let text = std::fs::read_to_string(path).map_err(|source| KitError::ConfigRead {
        path: path.to_path_buf(),
        source,
    })?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let json = || {
        serde_json::from_str::<Value>(&text).map_err(|e| KitError::ConfigParse {
            path: path.to_path_buf(),
            expected: "a JSON object",
            reason: e.to_string(),
        })
    };
    let toml = || {
        toml::from_str::<toml::Table>(&text)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::to_value(t).map_err(|e| e.to_string()))
            .map_err(|reason| KitError::ConfigParse {
                path: path.to_path_buf(),
                expected: "a TOML table",
                reason,
            })
    };
    let value = match extension {
        "json" => json()?,
        "toml" => toml()?,
        _ => json().or_else(|_| toml())?,
    };
    if value.is_object() {
        Ok(value)
    } else {
        Err(KitError::ConfigParse {
            path: path.to_path_buf(),
            expected: "a JSON object",
            reason: format!("found {value}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json_configs_read_alike() {
        let dir = std::env::temp_dir().join(format!("simpul-kit-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let toml = dir.join("a.toml");
        std::fs::write(&toml, "data_dir = \"/srv/spn\"\nmax = 3\n").unwrap();
        let json = dir.join("a.json");
        std::fs::write(&json, r#"{"data_dir": "/srv/spn", "max": 3}"#).unwrap();
        let bare = dir.join("a.conf");
        std::fs::write(&bare, "data_dir = \"/srv/spn\"\nmax = 3\n").unwrap();
        let expected = serde_json::json!({"data_dir": "/srv/spn", "max": 3});
        assert_eq!(load_config(&toml).unwrap(), expected);
        assert_eq!(load_config(&json).unwrap(), expected);
        assert_eq!(load_config(&bare).unwrap(), expected);
        std::fs::write(&json, "[1, 2]").unwrap();
        assert!(matches!(
            load_config(&json),
            Err(KitError::ConfigParse { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
