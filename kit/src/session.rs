//! [`open`]: load an adapter library through the gateway's own host
//! (`simpul_plugin::host::PluginLibrary`), check its config against the manifest's schema and
//! create one instance, for `simpul adapter replay` and `simpul adapter bench` (the suite does
//! the same in its `setup` checks, reporting each step as a check instead).

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use simpul_plugin::host::{HostSettings, PluginLibrary};
use simpul_plugin::Manifest;

use crate::client::Client;
use crate::recording::AdapterId;
use crate::KitError;

/// The largest answer accepted: what the suite accepts.
const MAX_PAYLOAD_BYTES: u64 = 512 << 20;

/// One created instance and what its library declares.
#[derive(Debug)]
pub struct Session {
    /// The manifest.
    pub manifest: Manifest,
    /// Calls to the instance.
    pub client: Client,
}

impl Session {
    /// The adapter's name and version.
    pub fn adapter(&self) -> AdapterId {
        AdapterId {
            name: self.manifest.name.clone(),
            version: self.manifest.version.clone(),
        }
    }
}

/// Load `library`, validate `config`, create an instance under `provider` (default: the
/// manifest's key), each call under `deadline`.
pub async fn open(
    library: &Path,
    config: Value,
    provider: Option<&str>,
    deadline: Duration,
) -> Result<Session, KitError> {
    let library = PluginLibrary::open(library)?;
    let manifest = library.manifest().clone();
    library.validate_config(&config)?;
    let key = provider.unwrap_or(&manifest.provider.key).to_owned();
    let settings = HostSettings {
        max_payload_bytes: MAX_PAYLOAD_BYTES,
        ..HostSettings::default()
    };
    let instance = library.create_with(&key, config, settings).await?;
    Ok(Session {
        manifest,
        client: Client::new(instance, deadline),
    })
}
