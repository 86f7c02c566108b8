//! The plugin side an in-memory adapter shares with every other: a manifest declaring every
//! collection with full capabilities (the records are in memory, so the engine's reference
//! semantics apply to any field), and the load summary logged once, naming files, rows and
//! codes only.

use std::path::Path;

use simpul_plugin::sdk::Host;
use simpul_plugin::{Capabilities, CollectionCapabilities, Manifest, ProviderInfo};
use simpul_schema::Collection;

use crate::findings::Finding;

/// The manifest of an adapter that serves every collection from memory, JSON-encoded.
pub fn in_memory_manifest(
    name: &str,
    version: &str,
    provider: ProviderInfo,
    config_schema: serde_json::Value,
) -> Manifest {
    let every = Collection::ALL
        .iter()
        .map(|c| (*c, CollectionCapabilities::full()))
        .collect();
    Manifest {
        name: name.into(),
        version: version.into(),
        provider,
        capabilities: Capabilities {
            collections: every,
            aggregates: Vec::new(),
        },
        encodings: vec![simpul_plugin::ENCODING_JSON.to_owned()],
        config_schema,
    }
}

/// Log each rejected unit as a warning and one summary line of the load.
pub fn log_load(host: &Host, dir: &Path, rejected: &[Finding], notices: usize, warnings: u64) {
    for f in rejected {
        let line = f.line.map(|l| format!(" row {l}")).unwrap_or_default();
        let key = f.key.as_deref().unwrap_or("-");
        host.warn(&format!(
            "rejected {}{line} {} [{key}]: {}",
            f.source, f.code, f.reason
        ));
    }
    host.info(&format!(
        "loaded {}: {} units rejected, {notices} notes, {warnings} records with warnings",
        dir.display(),
        rejected.len(),
    ));
}
