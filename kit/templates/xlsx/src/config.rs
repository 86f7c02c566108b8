//! The adapter's configuration: which workbook to read, and which sheet of it.
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
    /// The workbook (`.xlsx`) of training centres. A relative path is resolved against the
    /// gateway's working directory. The workbook is read once, at load.
    pub workbook: PathBuf,
    /// The sheet holding the centres, one per row under a header row. Default: the first
    /// sheet.
    #[serde(default)]
    pub sheet: Option<String>,
}

impl {{type_name}}Config {
    /// A configuration for `workbook`, reading its first sheet.
    pub fn new(workbook: impl Into<PathBuf>) -> Self {
        Self {
            workbook: workbook.into(),
            sheet: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_unknown_fields() {
        let c: {{type_name}}Config = serde_json::from_str(r#"{"workbook": "a.xlsx"}"#).unwrap();
        assert_eq!(c, {{type_name}}Config::new("a.xlsx"));
        assert!(serde_json::from_str::<{{type_name}}Config>(r#"{"file": "a.xlsx"}"#).is_err());
    }

    #[test]
    fn every_field_is_documented() {
        let schema = serde_json::to_value(schemars::schema_for!({{type_name}}Config)).unwrap();
        for field in ["workbook", "sheet"] {
            let description = schema["properties"][field]["description"].as_str();
            assert!(description.is_some_and(|d| !d.is_empty()), "{field}");
        }
        assert_eq!(schema["required"], serde_json::json!(["workbook"]));
        assert_eq!(schema["additionalProperties"], false);
    }
}
