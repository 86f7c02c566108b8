//! `simpul adapter replay LIB --config FILE --recording FILE.jsonl`: send every request of a
//! recording ([`crate::recording`]) to a build of the adapter and compare each answer with the
//! recorded one ([`crate::diff`]). The report ([`ReplayReport`]) is a table or JSON; it holds
//! request summaries, field paths, counts and error codes, never a personal value.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;
use simpul_plugin::PluginErrorKind;
use simpul_schema::AdapterRequest;

use crate::config::DEFAULT_DEADLINE;
use crate::diff::{self, AnswerDiff};
use crate::recording::{self, kind_code, Numbered};
use crate::records::collection_name;
use crate::{session, KitError};

/// One replay.
#[derive(Debug, Clone)]
pub struct ReplayOptions {
    /// The adapter library.
    pub library: PathBuf,
    /// Its config (give it the one the gateway gave, `identity_secret` included, or person
    /// keys differ).
    pub config: Value,
    /// The recording.
    pub recording: PathBuf,
    /// The provider key to create the instance under; default: the recording's.
    pub provider: Option<String>,
}

/// One recorded request, sent again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replayed {
    /// Its line in the recording.
    pub line: usize,
    /// What it asked (`participants offset 0 limit 21 filter includePii`), without values.
    pub request: String,
    /// The recorded outcome (`21 records of 40`, `error SOURCE_INVALID`).
    pub recorded: String,
    /// The new one.
    pub now: String,
    /// Whether the answers are the same.
    pub same: bool,
    /// How they differ, when both are answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<AnswerDiff>,
}

/// Everything a replay found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplayReport {
    /// The recording.
    pub recording: String,
    /// The library replayed against.
    pub library: String,
    /// Its name and version.
    pub adapter: String,
    /// Who answered the recorded requests (name and version, as recorded).
    pub recorded_by: Vec<String>,
    /// Each request.
    pub requests: Vec<Replayed>,
    /// Failed calls by code: recorded, and now.
    pub errors: BTreeMap<String, (u64, u64)>,
}

impl ReplayReport {
    /// How many answers differ.
    pub fn different(&self) -> usize {
        self.requests.iter().filter(|r| !r.same).count()
    }

    /// The report as JSON (`--json`), with a summary.
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        value["summary"] = serde_json::json!({
            "requests": self.requests.len(),
            "same": self.requests.len() - self.different(),
            "different": self.different(),
        });
        value
    }

    /// The report as a table: one line per request, the changed fields under each that
    /// differs, errors by code, a summary line.
    pub fn table(&self) -> String {
        let width = self
            .requests
            .iter()
            .map(|r| r.request.chars().count())
            .max()
            .unwrap_or(0)
            .min(56);
        let mut out = format!(
            "{} {}\nrecording {} ({} requests, recorded by {})\n\n",
            self.library,
            self.adapter,
            self.recording,
            self.requests.len(),
            self.recorded_by.join(", ")
        );
        for r in &self.requests {
            let label = if r.same { "same" } else { "DIFF" };
            let outcome = if r.same {
                r.now.clone()
            } else {
                match &r.diff {
                    Some(diff) => format!("{}: {}", r.now, diff.summary()),
                    None => format!("recorded {}, now {}", r.recorded, r.now),
                }
            };
            out.push_str(&format!(
                "{label}  line {:<4} {:<width$}  {outcome}\n",
                r.line, r.request
            ));
            let Some(diff) = r.diff.as_ref().filter(|_| !r.same) else {
                continue;
            };
            for (what, ids) in [("added", &diff.added), ("removed", &diff.removed)] {
                if !ids.is_empty() {
                    out.push_str(&format!("        {what}: {}\n", ids.join(", ")));
                }
            }
            for change in &diff.changed {
                out.push_str(&format!(
                    "        {}: {} -> {}\n",
                    change.path, change.was, change.now
                ));
            }
            if diff.changed_count > diff.changed.len() {
                out.push_str(&format!(
                    "        … and {} more fields\n",
                    diff.changed_count - diff.changed.len()
                ));
            }
        }
        if !self.errors.is_empty() {
            let codes: Vec<String> = self
                .errors
                .iter()
                .map(|(code, (was, now))| format!("{code} {was} -> {now}"))
                .collect();
            out.push_str(&format!(
                "\nerrors by code (recorded -> now): {}\n",
                codes.join(", ")
            ));
        }
        out.push_str(&format!(
            "\n{} requests: {} same, {} different\n",
            self.requests.len(),
            self.requests.len() - self.different(),
            self.different()
        ));
        out
    }
}

/// Replay `options.recording` against `options.library`. A recording or library that cannot
/// be used is an error; answers that differ are in the report.
pub async fn run(options: &ReplayOptions) -> Result<ReplayReport, KitError> {
    let lines = recording::read(&options.recording)?;
    let first = lines.first().ok_or_else(|| KitError::EmptyRecording {
        path: options.recording.clone(),
    })?;
    let provider = options.provider.as_deref().unwrap_or(&first.line.provider);
    let session = session::open(
        &options.library,
        options.config.clone(),
        Some(provider),
        DEFAULT_DEADLINE,
    )
    .await?;
    let mut report = ReplayReport {
        recording: options.recording.display().to_string(),
        library: options.library.display().to_string(),
        adapter: session.adapter().to_string(),
        recorded_by: Vec::new(),
        requests: Vec::new(),
        errors: BTreeMap::new(),
    };
    for Numbered { number, line } in &lines {
        let by = line.adapter.to_string();
        if !report.recorded_by.contains(&by) {
            report.recorded_by.push(by);
        }
        let now = session.client.call(&line.request).await;
        let now: Result<Value, String> = match now {
            Ok(answer) => Ok(serde_json::to_value(&answer).unwrap_or(Value::Null)),
            Err(failure) => Err(failure_code(failure.kind.as_ref())),
        };
        let was: Result<&Value, String> = match (&line.answer, &line.error) {
            (Some(answer), _) => Ok(answer),
            (None, Some(error)) => Err(error.code.clone()),
            (None, None) => Err("NONE".into()),
        };
        if let Err(code) = &was {
            report.errors.entry(code.clone()).or_default().0 += 1;
        }
        if let Err(code) = &now {
            report.errors.entry(code.clone()).or_default().1 += 1;
        }
        let (same, diff) = match (&was, &now) {
            (Ok(a), Ok(b)) => {
                let diff = diff::answers(a, b);
                (diff.is_empty(), Some(diff))
            }
            (Err(a), Err(b)) => (a == b, None),
            _ => (false, None),
        };
        report.requests.push(Replayed {
            line: *number,
            request: describe(&line.request),
            recorded: outcome(was.as_deref().map_err(String::as_str)),
            now: outcome(now.as_ref().map_err(String::as_str)),
            same,
            diff,
        });
    }
    session.client.shutdown().await;
    Ok(report)
}

/// [`run`] on a runtime of its own.
pub fn run_blocking(options: &ReplayOptions) -> Result<ReplayReport, KitError> {
    crate::block_on(run(options))?
}

/// What a request asked, without its values.
pub fn describe(request: &AdapterRequest) -> String {
    match request {
        AdapterRequest::Query(q) => {
            let mut text = collection_name(q.collection);
            if let Some(ids) = &q.ids {
                text.push_str(&format!(" ids({})", ids.len()));
            }
            if q.filter.is_some() {
                text.push_str(" filter");
            }
            if !q.order_by.is_empty() {
                text.push_str(" order_by");
            }
            if q.offset > 0 {
                text.push_str(&format!(" offset {}", q.offset));
            }
            if let Some(limit) = q.limit {
                text.push_str(&format!(" limit {limit}"));
            }
            if q.include_pii {
                text.push_str(" includePii");
            }
            text
        }
        AdapterRequest::Aggregate(a) => {
            let view = serde_json::to_value(a.view)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned));
            format!("aggregate {}", view.unwrap_or_default())
        }
        AdapterRequest::Status => "status".into(),
        AdapterRequest::Membership(_) => "membership".into(),
    }
}

/// `21 records of 40`, `an aggregate answer`, `error CODE`.
fn outcome(result: Result<&Value, &str>) -> String {
    match result {
        Ok(answer) => match answer["kind"].as_str() {
            Some("query") => format!(
                "{} records of {}",
                answer["body"]["records"]["records"]
                    .as_array()
                    .map_or(0, Vec::len),
                answer["body"]["totalCount"]
            ),
            Some(kind) => format!("a {kind} answer"),
            None => "an answer".into(),
        },
        Err(code) => format!("error {code}"),
    }
}

/// The code of a failed call ([`recording::kind_code`]); an answer of the wrong kind is
/// `BAD_RESPONSE`.
fn failure_code(kind: Option<&PluginErrorKind>) -> String {
    kind.map_or_else(|| "BAD_RESPONSE".into(), kind_code)
}
