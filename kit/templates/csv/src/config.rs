//! The adapter's configuration: where the CSV file is and how its fields are separated.
//!
//! The gateway deserialises this from the plugin's config block and validates it against the
//! JSON Schema derived here, so every field's doc comment is user-facing documentation.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Deserialize;

/// Configuration of the adapter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct {{type_name}}Config {
    /// The CSV file of training centres, with a header line. A relative path is resolved
    /// against the gateway's working directory. The file is read once, at load.
    pub data_file: PathBuf,
    /// The field separator, one ASCII character. Default: `,`.
    #[serde(default = "default_delimiter")]
    pub delimiter: char,
}

impl {{type_name}}Config {
    /// A configuration for `data_file` with the default separator.
    pub fn new(data_file: impl Into<PathBuf>) -> Self {
        Self {
            data_file: data_file.into(),
            delimiter: default_delimiter(),
        }
    }
}

/// The default separator, `,`.
fn default_delimiter() -> char {
    ','
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_unknown_fields() {
        let c: {{type_name}}Config = serde_json::from_str(r#"{"data_file": "a.csv"}"#).unwrap();
        assert_eq!(c, {{type_name}}Config::new("a.csv"));
        let c: {{type_name}}Config =
            serde_json::from_str(r#"{"data_file": "a.csv", "delimiter": ";"}"#).unwrap();
        assert_eq!(c.delimiter, ';');
        assert!(serde_json::from_str::<{{type_name}}Config>(r#"{"file": "a.csv"}"#).is_err());
    }

    #[test]
    fn every_field_is_documented() {
        let schema = serde_json::to_value(schemars::schema_for!({{type_name}}Config)).unwrap();
        for field in ["data_file", "delimiter"] {
            let description = schema["properties"][field]["description"].as_str();
            assert!(description.is_some_and(|d| !d.is_empty()), "{field}");
        }
        assert_eq!(schema["required"], serde_json::json!(["data_file"]));
        assert_eq!(schema["additionalProperties"], false);
    }
}
