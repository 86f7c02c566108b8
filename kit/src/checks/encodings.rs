//! The `encodings` check: a plugin that lists an encoding besides JSON (and is called in it,
//! as the gateway will) answers a second instance, called in JSON, exactly the same: every
//! declared collection's first records, with and without personal data (an error must be
//! the same error).

use std::time::Duration;

use serde_json::Value;
use simpul_plugin::host::{HostSettings, PluginInstance, PluginLibrary};
use simpul_plugin::{Encoding, PluginError};
use simpul_schema::{AdapterRequest, AdapterResponse, QueryRequest};

use super::{brief, name_of};
use crate::Check;

/// Records asked for per collection.
const SAMPLE: u64 = 50;

/// Compare `instance` (in its negotiated encoding) with a JSON instance of the same library
/// and config. `None` when the plugin speaks JSON only.
pub(super) async fn check(
    library: &PluginLibrary,
    provider: &str,
    config: Value,
    settings: HostSettings,
    instance: &PluginInstance,
    deadline: Duration,
) -> Option<Check> {
    let encoding = instance.encoding();
    if encoding == Encoding::Json {
        return None;
    }
    let settings = HostSettings {
        encoding: Some(Encoding::Json),
        ..settings
    };
    let json = match library.create_with(provider, config, settings).await {
        Ok(json) => json,
        Err(e) => {
            return Some(Check::fail(
                "encodings",
                format!("a second instance, called in JSON, cannot be created: {e}"),
            ))
        }
    };
    let mut requests = Vec::new();
    for collection in library.manifest().collections() {
        for include_pii in [false, true] {
            requests.push(AdapterRequest::Query(QueryRequest {
                limit: Some(SAMPLE),
                include_pii,
                ..QueryRequest::all(collection)
            }));
        }
    }
    let mut differences = Vec::new();
    for request in &requests {
        let (a, b) = tokio::join!(
            instance.call(request, deadline),
            json.call(request, deadline)
        );
        if !same(&a, &b) {
            let collection = match request {
                AdapterRequest::Query(q) => name_of(q.collection),
                _ => String::new(),
            };
            differences.push(format!(
                "{collection} ({}): {encoding} {}, json {}",
                brief(request),
                outcome(&a),
                outcome(&b)
            ));
        }
    }
    json.shutdown().await;
    Some(if differences.is_empty() {
        Check::pass(
            "encodings",
            format!(
                "called in {encoding} (its first choice) and in json, the same answers to {} requests",
                requests.len()
            ),
        )
    } else {
        Check::fail(
            "encodings",
            format!(
                "{} of {} requests are answered differently in {encoding} and in json; first: {}",
                differences.len(),
                requests.len(),
                differences[0]
            ),
        )
    })
}

/// Whether two answers are the same: equal responses, or errors of the same kind.
fn same(
    a: &Result<AdapterResponse, PluginError>,
    b: &Result<AdapterResponse, PluginError>,
) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => a == b,
        (Err(PluginError::Call { kind: a, .. }), Err(PluginError::Call { kind: b, .. })) => a == b,
        _ => false,
    }
}

/// An answer in a reason: its size, or the error.
fn outcome(answer: &Result<AdapterResponse, PluginError>) -> String {
    match answer {
        Ok(response) => format!(
            "answered ({} bytes as JSON)",
            serde_json::to_vec(response).map_or(0, |v| v.len())
        ),
        Err(e) => format!("failed: {e}"),
    }
}
