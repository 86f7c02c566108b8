//! The recording format: what the gateway writes for a provider configured with
//! `record = "FILE.jsonl"`, and what `simpul adapter replay` reads back ([`read`]).
//!
//! One JSON object per line, one line per adapter call the gateway made through the
//! provider's policy (each attempt of a retried call is a line):
//!
//! ```json
//! {"format":1,"at":"2026-12-06T10:31:07.120Z","provider":"spn",
//!  "adapter":{"name":"simpul-adapter-spn","version":"0.1.0"},
//!  "request":{"kind":"query","body":{"collection":"courseRuns","limit":21,…}},
//!  "durationMs":0.412,"answer":{"kind":"query","body":{"records":…,"totalCount":40}}}
//! ```
//!
//! A failed call has `"error": {"code": "SOURCE_INVALID", "gatewayCode": "PROVIDER_ERROR"}`
//! instead of `answer`: the adapter's code (or the host's, [`error_code`]), never the message.
//! Answers asked for with `includePii` carry personal data in clear: the gateway creates the
//! file with mode 0600, and it must be kept like any other store of personal data.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use simpul_plugin::{PluginError, PluginErrorKind};
use simpul_schema::AdapterRequest;

use crate::KitError;

/// The format version every line carries (`format`).
pub const FORMAT: u32 = 1;

/// One recorded adapter call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    /// [`FORMAT`].
    pub format: u32,
    /// When the call ended (RFC 3339, UTC).
    pub at: String,
    /// The provider key the gateway called.
    pub provider: String,
    /// The adapter, from its manifest.
    pub adapter: AdapterId,
    /// The request, as the adapter received it.
    pub request: AdapterRequest,
    /// How long the call took, in milliseconds.
    pub duration_ms: f64,
    /// The answer (an `AdapterResponse` message), when the call succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Value>,
    /// Why it failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RecordedError>,
}

/// An adapter's name and version, as its manifest gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdapterId {
    /// `simpul-adapter-spn`.
    pub name: String,
    /// `0.1.0`.
    pub version: String,
}

impl std::fmt::Display for AdapterId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// A failed call, by code only (messages may say more than a recording should keep).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedError {
    /// [`error_code`] of the failure.
    pub code: String,
    /// The GraphQL error code the gateway gave it (`PROVIDER_ERROR`), when the gateway wrote
    /// the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_code: Option<String>,
}

/// The code of a failed call: the adapter's own (`SOURCE_INVALID`, `BAD_REQUEST`), or what the
/// host saw (`TIMEOUT`, `PANICKED`, `BAD_RESPONSE`, …).
pub fn error_code(error: &PluginError) -> String {
    let PluginError::Call { kind, .. } = error else {
        return "HOST".into();
    };
    kind_code(kind)
}

/// [`error_code`] of a call's failure kind.
pub fn kind_code(kind: &PluginErrorKind) -> String {
    match kind {
        PluginErrorKind::Adapter(e) => e.code.clone(),
        PluginErrorKind::Panicked(_) => "PANICKED".into(),
        PluginErrorKind::Poisoned => "POISONED".into(),
        PluginErrorKind::Timeout(_) => "TIMEOUT".into(),
        PluginErrorKind::Cancelled => "CANCELLED".into(),
        PluginErrorKind::BadRequest(_) => "REJECTED_REQUEST".into(),
        PluginErrorKind::BadResponse(_) => "BAD_RESPONSE".into(),
        PluginErrorKind::UnknownStatus(_) => "UNKNOWN_STATUS".into(),
        PluginErrorKind::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE".into(),
        PluginErrorKind::Busy => "BUSY".into(),
    }
}

/// One line of a recording, numbered from 1 as editors do.
#[derive(Debug, Clone, PartialEq)]
pub struct Numbered {
    /// Its line number in the file.
    pub number: usize,
    /// The call.
    pub line: Line,
}

/// Read a recording. Blank lines are skipped; a line that is not a recorded call is an error
/// naming the file and the line (the parser's reason, never the line's content).
pub fn read(path: &Path) -> Result<Vec<Numbered>, KitError> {
    let text = std::fs::read_to_string(path).map_err(|source| KitError::RecordingRead {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// [`read`] on text already read (`path` names it in errors).
pub fn parse(text: &str, path: &Path) -> Result<Vec<Numbered>, KitError> {
    let bad = |number: usize, reason: String| KitError::RecordingLine {
        path: PathBuf::from(path),
        line: number,
        reason,
    };
    let mut lines = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(raw).map_err(|e| {
            // serde_json's column is useful; its echo of a value is not (it may be personal).
            let message = e.to_string();
            // Field names are the format's; other messages may quote a value.
            let what =
                if message.starts_with("missing field") || message.starts_with("unknown field") {
                    message
                        .split(" at line")
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                } else {
                    category(&e).to_owned()
                };
            bad(
                number,
                format!("not a recorded call (column {}: {what})", e.column()),
            )
        })?;
        if line.format != FORMAT {
            return Err(bad(
                number,
                format!("format {} (this kit reads format {FORMAT})", line.format),
            ));
        }
        if line.answer.is_some() == line.error.is_some() {
            return Err(bad(
                number,
                "a recorded call has either `answer` or `error`".into(),
            ));
        }
        lines.push(Numbered { number, line });
    }
    Ok(lines)
}

/// What kind of JSON problem a serde error is, in words.
fn category(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Io => "cannot be read",
        serde_json::error::Category::Syntax => "malformed JSON",
        serde_json::error::Category::Data => "JSON of the wrong shape",
        serde_json::error::Category::Eof => "JSON cut short",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_name_file_and_line_without_their_content() {
        let good = r#"{"format":1,"at":"2026-01-01T00:00:00Z","provider":"spn","adapter":{"name":"a","version":"1.0.0"},"request":{"kind":"status"},"durationMs":1.5,"error":{"code":"TIMEOUT"}}"#;
        let path = Path::new("rec.jsonl");
        let lines = parse(&format!("{good}\n\n{good}\n"), path).unwrap();
        assert_eq!(lines.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 3]);
        let err = parse(&format!("{good}\n{{\"nik\": \"3602134507900001\"\n"), path).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("rec.jsonl line 2"), "{text}");
        assert!(!text.contains("3602134507900001"), "{text}");
        let both = good.replace("\"error\"", "\"answer\":{},\"error\"");
        assert!(parse(&both, path)
            .unwrap_err()
            .to_string()
            .contains("line 1"));
    }
}
