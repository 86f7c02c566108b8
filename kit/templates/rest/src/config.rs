//! The adapter's configuration: where the provider's API is and how to call it.
//!
//! The gateway deserialises this from the plugin's config block and validates it against the
//! JSON Schema derived here, so every field's doc comment is user-facing documentation.

use schemars::JsonSchema;
use serde::Deserialize;

/// Configuration of the adapter.
#[derive(Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct {{type_name}}Config {
    /// Base URL of the provider's API (`https://api.example.org/v1`). The adapter reads
    /// `GET <base_url>/training-centers?page=<n>&size=<page_size>`.
    pub base_url: String,
    /// Items asked for per page, 1 to 1000. Default: 100.
    #[serde(default = "default_page_size")]
    #[schemars(range(min = 1, max = 1000))]
    pub page_size: u32,
    /// Timeout of one HTTP request, in milliseconds. Default: 5000.
    #[serde(default = "default_timeout_ms")]
    #[schemars(range(min = 1))]
    pub timeout_ms: u64,
    /// Bearer token sent in the `Authorization` header, when the API needs one. Never logged.
    #[serde(default)]
    pub api_token: Option<String>,
}

impl std::fmt::Debug for {{type_name}}Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("{{type_name}}Config")
            .field("base_url", &self.base_url)
            .field("page_size", &self.page_size)
            .field("timeout_ms", &self.timeout_ms)
            .field("api_token", &self.api_token.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

impl {{type_name}}Config {
    /// A configuration for the API at `base_url`, with the defaults.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            page_size: default_page_size(),
            timeout_ms: default_timeout_ms(),
            api_token: None,
        }
    }
}

/// The default page size, 100.
fn default_page_size() -> u32 {
    100
}

/// The default request timeout, 5 s.
fn default_timeout_ms() -> u64 {
    5000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_unknown_fields() {
        let c: {{type_name}}Config =
            serde_json::from_str(r#"{"base_url": "http://localhost:8787"}"#).unwrap();
        assert_eq!(c, {{type_name}}Config::new("http://localhost:8787"));
        assert!(serde_json::from_str::<{{type_name}}Config>(r#"{"url": "x"}"#).is_err());
    }

    #[test]
    fn the_token_never_shows() {
        let mut c = {{type_name}}Config::new("http://localhost:8787");
        c.api_token = Some("s3cret-token".into());
        assert!(!format!("{c:?}").contains("s3cret"));
    }

    #[test]
    fn every_field_is_documented() {
        let schema = serde_json::to_value(schemars::schema_for!({{type_name}}Config)).unwrap();
        for field in ["base_url", "page_size", "timeout_ms", "api_token"] {
            let description = schema["properties"][field]["description"].as_str();
            assert!(description.is_some_and(|d| !d.is_empty()), "{field}");
        }
        assert_eq!(schema["required"], serde_json::json!(["base_url"]));
        assert_eq!(schema["additionalProperties"], false);
    }
}
