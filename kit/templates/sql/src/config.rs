//! The adapter's configuration: which database to read, and which table.
//!
//! The gateway deserialises this from the plugin's config block and validates it against the
//! JSON Schema derived here, so every field's doc comment is user-facing documentation.

use schemars::JsonSchema;
use serde::Deserialize;

/// Configuration of the adapter.
#[derive(Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct {{type_name}}Config {
    /// The database: `sqlite://path/to/file.sqlite?mode=ro` (a relative path is resolved
    /// against the gateway's working directory) or `postgres://user:password@host/db`. Use a
    /// read-only account: the adapter only reads.
    pub database_url: String,
    /// The table (or view) of training centres: letters, digits and `_`. Default:
    /// `training_centers`.
    #[serde(default = "default_table")]
    #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"))]
    pub table: String,
}

impl std::fmt::Debug for {{type_name}}Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("{{type_name}}Config")
            .field("database_url", &self.redacted_url())
            .field("table", &self.table)
            .finish()
    }
}

impl {{type_name}}Config {
    /// A configuration for `database_url` with the default table.
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            table: default_table(),
        }
    }

    /// The URL without its credentials (`postgres://***@host/db`), for messages and logs.
    pub fn redacted_url(&self) -> String {
        match self.database_url.split_once("://") {
            Some((scheme, rest)) => match rest.rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://***@{host}"),
                None => self.database_url.clone(),
            },
            None => self.database_url.clone(),
        }
    }
}

/// The default table, `training_centers`.
fn default_table() -> String {
    "training_centers".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_unknown_fields() {
        let c: {{type_name}}Config =
            serde_json::from_str(r#"{"database_url": "sqlite://a.sqlite"}"#).unwrap();
        assert_eq!(c, {{type_name}}Config::new("sqlite://a.sqlite"));
        assert_eq!(c.table, "training_centers");
        assert!(serde_json::from_str::<{{type_name}}Config>(r#"{"url": "x"}"#).is_err());
    }

    #[test]
    fn credentials_never_show() {
        let c = {{type_name}}Config::new("postgres://reader:s3cret@db.example.org/centres");
        assert_eq!(c.redacted_url(), "postgres://***@db.example.org/centres");
        assert!(!format!("{c:?}").contains("s3cret"));
    }

    #[test]
    fn every_field_is_documented() {
        let schema = serde_json::to_value(schemars::schema_for!({{type_name}}Config)).unwrap();
        for field in ["database_url", "table"] {
            let description = schema["properties"][field]["description"].as_str();
            assert!(description.is_some_and(|d| !d.is_empty()), "{field}");
        }
        assert_eq!(schema["required"], serde_json::json!(["database_url"]));
        assert_eq!(schema["additionalProperties"], false);
    }
}
