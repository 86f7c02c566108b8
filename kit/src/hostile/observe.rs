//! What an adapter serves from one source: every record of every declared collection (with
//! personal data, keyed by `sourceId`), its status, and the text it wrote where personal data
//! must never be (error messages and log lines). A source the adapter cannot start on is an
//! [`Err`] with the host's reason.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use simpul_plugin::host::{HostSettings, PluginLibrary};
use simpul_schema::{AdapterRequest, AdapterResponse, Participant, QueryRequest, SourceStatus};

use crate::client::{Client, STATUS_DEADLINE};
use crate::logs::Capture;
use crate::records::collection_name;

/// The deadline of each read (a whole collection in one answer).
const READ_DEADLINE: Duration = Duration::from_secs(120);

/// What one adapter instance served.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// Records by collection (`participants`) and `sourceId`, as JSON.
    pub records: BTreeMap<String, BTreeMap<String, Value>>,
    /// The status answer.
    pub status: SourceStatus,
    /// Error messages and log lines, each with where it came from.
    pub texts: Vec<(String, String)>,
}

impl Observed {
    /// The participants served, typed (for [`crate::scan::Personal`]).
    pub fn participants(&self) -> Vec<Participant> {
        self.records
            .get("participants")
            .into_iter()
            .flat_map(|r| r.values())
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect()
    }

    /// How many records, over every collection.
    pub fn total(&self) -> usize {
        self.records.values().map(BTreeMap::len).sum()
    }
}

/// Load `library`, create an instance on `config`, read everything, shut it down.
///
/// # Errors
/// Why the library did not load or the instance did not start or answer, as text.
pub async fn observe(library: &Path, config: Value) -> Result<Observed, String> {
    crate::logs::install();
    let library = PluginLibrary::open(library).map_err(|e| format!("load: {e}"))?;
    let manifest = library.manifest().clone();
    let provider = Capture::unique_provider(&manifest.provider.key);
    let capture = Capture::open(&provider);
    let settings = HostSettings {
        max_payload_bytes: 512 << 20,
        ..HostSettings::default()
    };
    let instance = library
        .create_with(&provider, config, settings)
        .await
        .map_err(|e| format!("the adapter did not start: {e}"))?;
    let client = Client::new(instance, READ_DEADLINE);
    let mut observed = Observed::default();
    let mut failure = None;
    for &collection in manifest.capabilities.collections.keys() {
        let name = collection_name(collection);
        let mut request = QueryRequest::all(collection);
        request.include_pii = true;
        match client.call(&AdapterRequest::Query(request)).await {
            Ok(AdapterResponse::Query(answer)) => {
                let json = serde_json::to_value(&answer.records).unwrap_or(Value::Null);
                let items = json.get("records").and_then(Value::as_array);
                let by_id = items.into_iter().flatten().map(|record| {
                    let id = record.get("sourceId").and_then(Value::as_str);
                    (id.unwrap_or_default().to_owned(), record.clone())
                });
                observed.records.insert(name, by_id.collect());
            }
            Ok(_) => failure = Some(format!("{name}: an answer of another kind")),
            Err(e) => failure = Some(format!("{name}: {e}")),
        }
    }
    match client
        .call_within(&AdapterRequest::Status, STATUS_DEADLINE)
        .await
    {
        Ok(AdapterResponse::Status(status)) => observed.status = status,
        Ok(_) => failure = Some("status: an answer of another kind".into()),
        Err(e) => failure = Some(format!("status: {e}")),
    }
    let errors = client.error_messages();
    client.shutdown().await;
    observed.texts = errors
        .into_iter()
        .map(|e| ("an error message".to_owned(), e))
        .chain(
            capture
                .lines()
                .into_iter()
                .map(|l| ("a log line".into(), l.text)),
        )
        .collect();
    match failure {
        Some(why) => Err(format!("the adapter did not serve: {why}")),
        None => Ok(observed),
    }
}
