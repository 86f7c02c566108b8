//! The adapter's configuration: where the API is, the key, the identity secret, and how hard to
//! try. The gateway validates the provider's config block against the JSON Schema derived here,
//! so every field's doc comment is user-facing documentation.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::error::Error;

/// Largest page the API serves (`per_page` maximum in openapi.yaml).
pub const MAX_PAGE_SIZE: u32 = 100;

/// Shortest accepted `identity_secret`, in characters.
pub const MIN_SECRET_LEN: usize = 16;

/// Configuration of the BPJAMSOSTEK adapter.
///
/// `Debug` output hides `api_key` and `identity_secret`.
#[derive(Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct BpjamsostekConfig {
    /// Base URL of the Vokasi API, without the `/v1` path: `https://…` in production,
    /// `http://127.0.0.1:8083` for the simulator. Required.
    #[schemars(length(min = 1))]
    pub base_url: String,
    /// The API key sent in the `X-API-Key` header. It needs scopes `lembaga:read`,
    /// `program:read`, `peserta:read` and `penempatan:read` (plus `kepesertaan:read` for
    /// eligibility checks, and `pii:read` to see KPJ/NIK in clear: without it participants
    /// cannot be keyed by KPJ and are keyed by enrolment instead). A refused key is reported as
    /// `SOURCE_UNAUTHORIZED`, never retried, and never echoed. Required; a secret.
    #[schemars(length(min = 1))]
    pub api_key: String,
    /// Secret key of the HMAC-SHA-256 that turns a KPJ into a participant key
    /// (`k<hex HMAC(kpj)>`); at least 16 characters. Keep it stable (changing it changes every
    /// BPJAMSOSTEK participant id) and secret (the KPJ space is small enough to brute-force a
    /// plain or leaked-key hash). Required; a secret.
    #[schemars(length(min = 16))]
    pub identity_secret: String,
    /// Deadline of each HTTP request in milliseconds, from connecting to the end of the body. A
    /// request that misses it fails the call with `SOURCE_TIMEOUT` (not retried: a slow source
    /// stays slow within one call). Default: 5000.
    #[serde(default = "default_timeout_ms")]
    #[schemars(range(min = 1))]
    pub timeout_ms: u64,
    /// Retries after a 5xx, a 429 or a connection failure (so at most `max_retries + 1`
    /// attempts), 0–10. Other 4xx answers are never retried. 0 disables retries. Default: 3.
    #[serde(default = "default_max_retries")]
    #[schemars(range(max = 10))]
    pub max_retries: u32,
    /// First retry delay in milliseconds; each further retry doubles it, up to
    /// `backoff_max_ms`, and a random jitter takes up to half of it off. Default: 100.
    #[serde(default = "default_backoff_base_ms")]
    pub backoff_base_ms: u64,
    /// Longest retry delay in milliseconds. Also the longest `Retry-After` the adapter waits
    /// for: a 429 asking for more fails the call at once with `SOURCE_RATE_LIMITED`.
    /// Default: 2000.
    #[serde(default = "default_backoff_max_ms")]
    pub backoff_max_ms: u64,
    /// Records per page (`per_page`), 1–100. Default: 100, the API's maximum (fewest requests).
    #[serde(default = "default_page_size")]
    #[schemars(range(min = 1, max = 100))]
    pub page_size: u32,
    /// Most HTTP requests in flight at once (pages of one list and enrolment lists of several
    /// programmes share the limit). At least 1. Default: 4.
    #[serde(default = "default_max_concurrency")]
    #[schemars(range(min = 1, max = 64))]
    pub max_concurrency: u32,
    /// How long, in milliseconds, a fetched collection (partners, programmes, enrolments,
    /// placements, eligibility checks) is reused before it is fetched again. Longer means
    /// fewer calls to BPJAMSOSTEK and faster answers, but changes at the source show up that
    /// much later. 0 = always refetch: every query calls the API and pushes the filters the API
    /// supports down (`trainingCenterId`, `fiscalYear`, `deliveryMode`, `courseRunId`, ...).
    /// Default: 30000.
    #[serde(default = "default_cache_ttl_ms")]
    pub cache_ttl_ms: u64,
}

impl std::fmt::Debug for BpjamsostekConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BpjamsostekConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &"<hidden>")
            .field("identity_secret", &"<hidden>")
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("backoff_base_ms", &self.backoff_base_ms)
            .field("backoff_max_ms", &self.backoff_max_ms)
            .field("page_size", &self.page_size)
            .field("max_concurrency", &self.max_concurrency)
            .field("cache_ttl_ms", &self.cache_ttl_ms)
            .finish()
    }
}

// Defaults, one per field, so the schema shows them.
// impl Default is deliberately absent: base_url, api_key and identity_secret have none.

/// Default `timeout_ms`: 5000.
pub const fn default_timeout_ms() -> u64 {
    5000
}
/// Default `max_retries`: 3.
pub const fn default_max_retries() -> u32 {
    3
}
/// Default `backoff_base_ms`: 100.
pub const fn default_backoff_base_ms() -> u64 {
    100
}
/// Default `backoff_max_ms`: 2000.
pub const fn default_backoff_max_ms() -> u64 {
    2000
}
/// Default `page_size`: 100.
pub const fn default_page_size() -> u32 {
    MAX_PAGE_SIZE
}
/// Default `max_concurrency`: 4.
pub const fn default_max_concurrency() -> u32 {
    4
}
/// Default `cache_ttl_ms`: 30000.
pub const fn default_cache_ttl_ms() -> u64 {
    30_000
}

impl BpjamsostekConfig {
    /// A configuration with the three required values and every default.
    pub fn new(base_url: &str, api_key: &str, identity_secret: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            api_key: api_key.to_owned(),
            identity_secret: identity_secret.to_owned(),
            timeout_ms: default_timeout_ms(),
            max_retries: default_max_retries(),
            backoff_base_ms: default_backoff_base_ms(),
            backoff_max_ms: default_backoff_max_ms(),
            page_size: default_page_size(),
            max_concurrency: default_max_concurrency(),
            cache_ttl_ms: default_cache_ttl_ms(),
        }
    }

    /// Check what the JSON Schema says, for configs built in code. Messages never contain the
    /// key or the secret.
    ///
    /// # Errors
    /// [`Error::Config`] naming the first bad field.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: &str| Err(Error::Config(m.to_owned()));
        let url = self.base_url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 9 {
            return bad("`base_url` must be an http:// or https:// URL");
        }
        if self.api_key.trim().is_empty() {
            return bad("`api_key` is empty");
        }
        if self.identity_secret.chars().count() < MIN_SECRET_LEN {
            return bad("`identity_secret` must have at least 16 characters");
        }
        if self.timeout_ms == 0 {
            return bad("`timeout_ms` must be at least 1");
        }
        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            return bad("`page_size` must be 1–100 (the API's per_page range)");
        }
        if self.max_concurrency == 0 {
            return bad("`max_concurrency` must be at least 1");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"base_url": "http://127.0.0.1:8083", "api_key": "k",
        "identity_secret": "0123456789abcdef"}"#;

    #[test]
    fn defaults() {
        let c: BpjamsostekConfig = serde_json::from_str(MINIMAL).unwrap();
        assert_eq!(
            c,
            BpjamsostekConfig::new("http://127.0.0.1:8083", "k", "0123456789abcdef")
        );
        assert_eq!(
            (
                c.timeout_ms,
                c.max_retries,
                c.backoff_base_ms,
                c.backoff_max_ms
            ),
            (5000, 3, 100, 2000)
        );
        assert_eq!(
            (c.page_size, c.max_concurrency, c.cache_ttl_ms),
            (100, 4, 30_000)
        );
        assert!(c.validate().is_ok());
    }

    #[test]
    fn rejects_unknown_fields_and_bad_values_without_echoing_secrets() {
        let unknown = MINIMAL.replace("\"k\",", "\"k\", \"retries\": 2,");
        assert!(serde_json::from_str::<BpjamsostekConfig>(&unknown).is_err());
        let mut c = BpjamsostekConfig::new("http://x.test", "key-123", "short-secret");
        let e = c.validate().unwrap_err().to_string();
        assert!(
            e.contains("identity_secret") && !e.contains("short-secret"),
            "{e}"
        );
        c.identity_secret = "a-long-enough-secret".into();
        c.page_size = 101;
        assert!(c.validate().is_err());
        c.page_size = 100;
        c.base_url = "ftp://x".into();
        assert!(c.validate().is_err());
        let debug = format!("{c:?}");
        assert!(!debug.contains("key-123") && !debug.contains("a-long-enough-secret"));
    }

    #[test]
    fn schema_documents_every_field_with_defaults_and_bounds() {
        let schema = serde_json::to_value(schemars::schema_for!(BpjamsostekConfig)).unwrap();
        let props = schema["properties"].as_object().unwrap();
        assert_eq!(props.len(), 10);
        for (name, prop) in props {
            assert!(
                prop["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{name} has no description"
            );
        }
        assert_eq!(props["identity_secret"]["minLength"], 16);
        assert_eq!(props["page_size"]["maximum"], 100.0);
        assert_eq!(props["page_size"]["default"], 100);
        assert_eq!(props["cache_ttl_ms"]["default"], 30_000);
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(
            schema["required"],
            serde_json::json!(["api_key", "base_url", "identity_secret"])
        );
    }
}
