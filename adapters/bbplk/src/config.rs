//! The adapter's configuration: which database to read and how large its connection pool is.
//!
//! The gateway deserialises this from the provider's config block and validates it against the
//! JSON Schema derived here, so every field's doc comment is user-facing documentation.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::error::BbplkError;

/// Configuration of the BBPLK adapter.
///
/// ```
/// let config: simpul_adapter_bbplk::BbplkConfig =
///     serde_json::from_str(r#"{"url": "postgres://reader@db.example/bbplk"}"#).unwrap();
/// assert_eq!(config.max_connections, 4);
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BbplkConfig {
    /// Where the BBPLK database is (required). Either a PostgreSQL URL
    /// (`postgres://user@host:5432/bbplk`, `postgresql://…`), an SQLite URL (`sqlite://…`,
    /// `sqlite:…`) or the path of an SQLite file (relative paths are resolved against the
    /// gateway's working directory). The database is only ever read: SQLite files are opened
    /// read-only and PostgreSQL sessions run with `default_transaction_read_only = on`.
    pub url: String,
    /// Largest number of pooled connections. Default: 4.
    #[serde(default = "default_max_connections")]
    #[schemars(range(min = 1))]
    pub max_connections: u32,
    /// Connections kept open when idle. Default: 0 (connections are opened on demand).
    #[serde(default)]
    pub min_connections: u32,
    /// How long a query waits for a free pooled connection, in milliseconds, before it fails
    /// with `SOURCE_UNAVAILABLE`. Default: 5000.
    #[serde(default = "default_acquire_timeout_ms")]
    #[schemars(range(min = 1))]
    pub acquire_timeout_ms: u64,
    /// Key of the keyed hash (HMAC-SHA-256) that links people across providers by NIK; at
    /// least 16 characters. The gateway passes its `[identity] secret` here. Default: none
    /// (participants carry no person key).
    #[serde(default)]
    #[schemars(length(min = 16))]
    pub identity_secret: Option<String>,
    /// Largest number of SQL statements one aggregate is split into. A large view is cut into
    /// ranges of its driving table's key (enrolments by `id_pendaftaran`, participants by
    /// `id_peserta`, runs by `id_angkatan`), each range is grouped by its own statement on
    /// its own pooled connection at the same time, and the partial groups are merged (counts,
    /// sums, minimums and maximums merge exactly). Default: 0, meaning the number of CPU cores
    /// the adapter may use, at most `max_connections`; 1 keeps every aggregate one statement.
    #[serde(default)]
    pub aggregate_parallelism: u32,
    /// The fewest driving keys each of those statements covers: a view whose key range is
    /// smaller than twice this is one statement, as the split costs more than it saves there.
    /// Default: 100000.
    #[serde(default = "default_aggregate_slice_keys")]
    #[schemars(range(min = 1))]
    pub aggregate_slice_keys: u64,
    /// PostgreSQL only: the longest one query or aggregate statement may run, in milliseconds,
    /// before the server cancels it (the session's `statement_timeout`). A statement whose
    /// caller has given up (the gateway's `timeout_ms`) would otherwise keep running and hold
    /// its pooled connection and its locks; set this a little above the provider's
    /// `timeout_ms`. The source status pass at start-up is not limited. 0: no limit. Default:
    /// 30000.
    #[serde(default = "default_statement_timeout_ms")]
    pub statement_timeout_ms: u64,
}

// impl Default is deliberately absent: `url` has no sensible default.

/// The default `max_connections`: 4.
pub const fn default_max_connections() -> u32 {
    4
}

/// The default `aggregate_slice_keys`: 100,000.
pub const fn default_aggregate_slice_keys() -> u64 {
    100_000
}

/// The default `statement_timeout_ms`: 30,000.
pub const fn default_statement_timeout_ms() -> u64 {
    30_000
}

/// The default `acquire_timeout_ms`: 5000.
pub const fn default_acquire_timeout_ms() -> u64 {
    5000
}

/// The kind of database a [`BbplkConfig::url`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A PostgreSQL URL.
    Postgres(String),
    /// An SQLite URL (`sqlite:` …), parsed by the driver.
    SqliteUrl(String),
    /// An SQLite file path.
    SqliteFile(PathBuf),
}

impl std::fmt::Debug for BbplkConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BbplkConfig")
            .field("url", &self.redacted_url())
            .field("max_connections", &self.max_connections)
            .field("min_connections", &self.min_connections)
            .field("acquire_timeout_ms", &self.acquire_timeout_ms)
            .field(
                "identity_secret",
                &self.identity_secret.as_ref().map(|_| "<secret>"),
            )
            .field("aggregate_parallelism", &self.aggregate_parallelism)
            .field("aggregate_slice_keys", &self.aggregate_slice_keys)
            .field("statement_timeout_ms", &self.statement_timeout_ms)
            .finish()
    }
}

impl BbplkConfig {
    /// A configuration for `url` with the default pool settings.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: default_max_connections(),
            min_connections: 0,
            acquire_timeout_ms: default_acquire_timeout_ms(),
            identity_secret: None,
            aggregate_parallelism: 0,
            aggregate_slice_keys: default_aggregate_slice_keys(),
            statement_timeout_ms: default_statement_timeout_ms(),
        }
    }

    /// Check the settings against each other and classify the URL.
    ///
    /// # Errors
    /// [`BbplkError::Config`] for an empty URL, an unsupported scheme, `max_connections = 0` or
    /// `min_connections > max_connections`.
    pub fn target(&self) -> Result<Target, BbplkError> {
        if self.max_connections == 0 {
            return Err(BbplkError::Config(
                "`max_connections` must be at least 1".into(),
            ));
        }
        if self.min_connections > self.max_connections {
            return Err(BbplkError::Config(
                "`min_connections` must not exceed `max_connections`".into(),
            ));
        }
        if self.aggregate_slice_keys == 0 {
            return Err(BbplkError::Config(
                "`aggregate_slice_keys` must be at least 1".into(),
            ));
        }
        if self.acquire_timeout_ms == 0 {
            return Err(BbplkError::Config(
                "`acquire_timeout_ms` must be at least 1".into(),
            ));
        }
        let url = self.url.trim();
        if url.is_empty() {
            return Err(BbplkError::Config("`url` is empty".into()));
        }
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Ok(Target::Postgres(url.to_owned()))
        } else if lower.starts_with("sqlite:") {
            Ok(Target::SqliteUrl(url.to_owned()))
        } else if let Some((scheme, _)) = url.split_once("://") {
            Err(BbplkError::Config(format!(
                "unsupported URL scheme `{scheme}`: use postgres://, sqlite:// or a file path"
            )))
        } else {
            Ok(Target::SqliteFile(PathBuf::from(url)))
        }
    }

    /// The URL with any password replaced by `***`, for logs and error messages.
    pub fn redacted_url(&self) -> String {
        redact(&self.url)
    }
}

/// `scheme://user:secret@host/db` → `scheme://user:***@host/db`; anything else unchanged.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_targets() {
        let c: BbplkConfig = serde_json::from_str(r#"{"url": "data/bbplk.db"}"#).unwrap();
        assert_eq!(c, BbplkConfig::new("data/bbplk.db"));
        assert_eq!(
            (c.max_connections, c.min_connections, c.acquire_timeout_ms),
            (4, 0, 5000)
        );
        assert_eq!(
            c.target().unwrap(),
            Target::SqliteFile("data/bbplk.db".into())
        );
        let pg = BbplkConfig::new("postgresql://u@h/db");
        assert!(matches!(pg.target().unwrap(), Target::Postgres(_)));
        let url = BbplkConfig::new("sqlite:///tmp/x.db?mode=rwc");
        assert!(matches!(url.target().unwrap(), Target::SqliteUrl(_)));
        assert!(BbplkConfig::new("mysql://h/db").target().is_err());
        assert!(BbplkConfig::new("  ").target().is_err());
        let mut c = BbplkConfig::new("x.db");
        c.min_connections = 5;
        assert!(c.target().is_err());
        c.max_connections = 0;
        assert!(c.target().is_err());
        let mut c = BbplkConfig::new("x.db");
        c.aggregate_slice_keys = 0;
        assert!(c.target().is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:s3cret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
        assert_eq!(redact("/srv/bbplk.db"), "/srv/bbplk.db");
    }

    #[test]
    fn rejects_unknown_fields_and_documents_every_field() {
        assert!(serde_json::from_str::<BbplkConfig>(r#"{"url": "x", "pool": 3}"#).is_err());
        let schema = serde_json::to_value(schemars::schema_for!(BbplkConfig)).unwrap();
        let props = &schema["properties"];
        for field in [
            "url",
            "max_connections",
            "min_connections",
            "acquire_timeout_ms",
            "aggregate_parallelism",
            "aggregate_slice_keys",
            "statement_timeout_ms",
        ] {
            assert!(
                props[field]["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{field} has no description"
            );
        }
        assert_eq!(props["max_connections"]["default"], 4);
        assert_eq!(props["min_connections"]["default"], 0);
        assert_eq!(props["acquire_timeout_ms"]["default"], 5000);
        assert_eq!(props["statement_timeout_ms"]["default"], 30000);
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["required"], serde_json::json!(["url"]));
    }
}
