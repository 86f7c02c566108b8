//! Reading the provider's API: every page of `GET <base_url>/training-centers`, into a
//! [`RawTable`] of trimmed, non-empty values keyed by field name. No value is interpreted
//! here; that is [`crate::mapping`]'s job.
//!
//! The API's contract (what `examples/sample_server.rs` serves):
//! `GET /training-centers?page=1&size=100` → `{"items": [{...}, ...], "page": 1,
//! "totalPages": 3}`, items being objects with the fields of [`columns`]. Strings, numbers and
//! booleans are read as text (a number where a string was expected is fine); a field of
//! another type (an array, an object) is dropped and noted once, an unknown field ignored and
//! noted once, an item that is not an object rejected as `ITEM_INVALID`. Items have no line
//! numbers: reports name them by their id, or `row N` in the API's order.
//!
//! A failed request fails the call with a code (`SOURCE_UNAVAILABLE`, `SOURCE_UNAUTHORIZED`,
//! `SOURCE_RATE_LIMITED`, `SOURCE_INVALID`); add retries with backoff when the provider needs
//! them (see `adapters/bpjamsostek` in the Simpul repository).

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::Value;
use simpul_schema::SourceIssue;

use crate::mapping::columns;
use crate::mapping::{RawRow, RawTable};
use crate::{{type_name}}Config;

/// The endpoint, relative to `base_url`.
pub const ENDPOINT: &str = "/training-centers";
/// Pages read at most in one read (a guard against an API that never says it is done).
pub const MAX_PAGES: u64 = 10_000;

/// Why the source cannot be read. Messages name the endpoint, never a value read from it or
/// the token.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The HTTP client cannot be built (a TLS backend problem).
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// The request did not complete (connection refused, timeout, DNS).
    #[error("GET {ENDPOINT} page {page} failed: {reason}")]
    Request {
        /// The page asked for.
        page: u64,
        /// Why.
        reason: String,
    },
    /// The API answered with an error status.
    #[error("GET {ENDPOINT} page {page} answered HTTP {status}")]
    Status {
        /// The page asked for.
        page: u64,
        /// The HTTP status.
        status: u16,
    },
    /// The answer is not what the contract says (not JSON, no `items` list).
    #[error("GET {ENDPOINT} page {page}: {reason}")]
    Body {
        /// The page asked for.
        page: u64,
        /// What is wrong, without the body.
        reason: String,
    },
}

impl SourceError {
    /// The stable code the gateway reports.
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::Status {
                status: 401 | 403, ..
            } => "SOURCE_UNAUTHORIZED",
            SourceError::Status { status: 429, .. } => "SOURCE_RATE_LIMITED",
            SourceError::Body { .. } | SourceError::Client(_) => "SOURCE_INVALID",
            SourceError::Request { .. } | SourceError::Status { .. } => "SOURCE_UNAVAILABLE",
        }
    }
}

/// A client of the provider's API.
pub struct Source {
    client: reqwest::Client,
    url: String,
    page_size: u32,
    token: Option<String>,
}

impl Source {
    /// A client for the API named in `config`. Nothing is requested yet.
    ///
    /// # Errors
    /// The HTTP client cannot be built.
    pub async fn open(config: &{{type_name}}Config) -> Result<Self, SourceError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(config.timeout_ms.max(1)))
            .build()
            .map_err(|e| SourceError::Client(e.to_string()))?;
        Ok(Self {
            client,
            url: format!("{}{ENDPOINT}", config.base_url.trim_end_matches('/')),
            page_size: config.page_size.clamp(1, 1000),
            token: config.api_token.clone(),
        })
    }

    /// Read every page.
    ///
    /// # Errors
    /// A request fails or an answer is not what the contract says.
    pub async fn read(&self) -> Result<RawTable, SourceError> {
        let mut items = Vec::new();
        let mut page = 1;
        loop {
            let body = self.page(page).await?;
            let Some(list) = body.get("items").and_then(Value::as_array) else {
                let reason = "the answer has no `items` list".to_owned();
                return Err(SourceError::Body { page, reason });
            };
            items.extend(list.iter().cloned());
            let pages = body
                .get("totalPages")
                .and_then(Value::as_u64)
                .unwrap_or(page);
            if list.is_empty() || page >= pages || page >= MAX_PAGES {
                break;
            }
            page += 1;
        }
        Ok(from_items(&format!("GET {ENDPOINT}"), items))
    }

    /// One page, as JSON.
    async fn page(&self, page: u64) -> Result<Value, SourceError> {
        let mut request = self
            .client
            .get(&self.url)
            .query(&[("page", page), ("size", u64::from(self.page_size))]);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| SourceError::Request {
            page,
            reason: e.without_url().to_string(),
        })?;
        let status = response.status();
        if !status.is_success() {
            let status = status.as_u16();
            return Err(SourceError::Status { page, status });
        }
        response.json().await.map_err(|e| SourceError::Body {
            page,
            reason: format!("not JSON ({})", e.without_url()),
        })
    }
}

/// Items of the API, in its order, into a table named `source`.
pub fn from_items(source: &str, items: Vec<Value>) -> RawTable {
    let mut table = RawTable {
        source: source.to_owned(),
        ..RawTable::default()
    };
    let mut unknown = BTreeSet::new();
    let mut wrong_type = BTreeSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let ordinal = i as u64 + 1;
        let Value::Object(fields) = item else {
            let why = "the item is not a JSON object; skipped";
            let issue = SourceIssue::new("ITEM_INVALID", source, why);
            table
                .rejected
                .push(issue.with_key(format!("row {ordinal}")));
            continue;
        };
        let mut row = RawRow {
            line: None,
            ordinal,
            ..RawRow::default()
        };
        for (name, value) in fields {
            let name = columns::normalise(&name);
            if !columns::REQUIRED.contains(&name.as_str())
                && !columns::OPTIONAL.contains(&name.as_str())
            {
                unknown.insert(name);
                continue;
            }
            let text = match value {
                Value::Null => continue,
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    wrong_type.insert(name);
                    continue;
                }
            };
            if !text.is_empty() {
                row.cells.insert(name, text);
            }
        }
        table.rows.push(row);
    }
    for name in unknown {
        let why = "a field this adapter does not read; ignored";
        let issue = SourceIssue::new("UNKNOWN_FIELD_IGNORED", source, why);
        table.notices.push(issue.with_key(name));
    }
    for name in wrong_type {
        let why = "values that are lists or objects where text was expected; ignored";
        let issue = SourceIssue::new("FIELD_TYPE_IGNORED", source, why);
        table.notices.push(issue.with_key(name));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_by_field_name_any_scalar_as_text() {
        let table = from_items(
            "GET /x",
            vec![
                json!({"id": "TC-1", "name": " One ", "region_code": 3671, "active": true}),
                json!({"id": "TC-2", "name": "Two", "email": null, "motto": "x", "phone": ["1"]}),
                json!({"id": "TC-3", "name": "Three", "motto": "y"}),
            ],
        );
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[0].get("name"), Some("One"));
        assert_eq!(table.rows[0].get("region_code"), Some("3671"));
        assert_eq!(table.rows[0].get("active"), Some("true"));
        assert_eq!(table.rows[1].get("phone"), None);
        let notes: Vec<(&str, Option<&str>)> = table
            .notices
            .iter()
            .map(|n| (n.code.as_str(), n.key.as_deref()))
            .collect();
        assert_eq!(
            notes,
            [
                ("UNKNOWN_FIELD_IGNORED", Some("motto")),
                ("FIELD_TYPE_IGNORED", Some("phone"))
            ]
        );
    }

    #[test]
    fn an_item_that_is_not_an_object_is_rejected_alone() {
        let table = from_items(
            "GET /x",
            vec![json!(["TC-1"]), json!({"id": "TC-2", "name": "Two"})],
        );
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].ordinal, 2);
        assert_eq!(table.rejected[0].code, "ITEM_INVALID");
        assert_eq!(table.rejected[0].key.as_deref(), Some("row 1"));
    }

    #[test]
    fn error_codes() {
        let status = |status| SourceError::Status { page: 1, status }.code();
        assert_eq!(status(401), "SOURCE_UNAUTHORIZED");
        assert_eq!(status(429), "SOURCE_RATE_LIMITED");
        assert_eq!(status(503), "SOURCE_UNAVAILABLE");
    }
}
