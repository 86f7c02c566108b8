//! One loaded version of a provider's plugin: its library, manifest, running instance and the
//! source's status. A provider serves from its current generation; a reload
//! ([`super::PluginHost::reload`]) makes a new one and swaps it in, and the old one lives on
//! until the last call that took it has finished (its instance is then destroyed; its library
//! stays mapped, as every plugin library does).
//!
//! ```text
//!   call ──► Provider::current() ──► Arc<Generation> ──► PluginInstance::call
//!                  ▲ swapped by reload; calls in flight keep the Arc they took
//! ```
//!
//! A library file replaced at the same path cannot be loaded again under that path (the
//! dynamic loader hands back the library it already has), so a file whose bytes differ from
//! what was loaded from its path is loaded from a private copy named by its digest, deleted
//! once opened (the mapping outlives the file).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use sha2::{Digest, Sha256};
use simpul_plugin::host::{HostSettings, PluginInstance, PluginLibrary};
use simpul_plugin::Manifest;
use simpul_schema::{AdapterRequest, AdapterResponse, SourceStatus};

use super::ProviderState;
use crate::config::{resolve_library, ProviderConfig};

/// One loaded version of a provider's plugin.
#[derive(Debug)]
pub struct Generation {
    /// The provider's key.
    pub key: String,
    /// 1 for the plugin loaded at start, then one more per reload.
    pub number: u64,
    /// The library file as configured (resolved to a path).
    pub library: String,
    /// The plugin's manifest, when the library loaded.
    pub manifest: Option<Manifest>,
    /// What in the manifest this gateway did not know (ignored, or mapped to OTHER/UNKNOWN).
    pub manifest_warnings: Vec<String>,
    /// Ready to serve, or why not.
    pub state: ProviderState,
    /// What the adapter reported about its source, once it has (see [`STATUS_WAIT`]).
    pub(super) source_status: Arc<OnceLock<SourceStatus>>,
    /// See [`super::Provider::cache_scope`].
    pub(super) scope: String,
    /// Digest of the library file's bytes and of the config the instance was made with.
    pub(super) fingerprint: Fingerprint,
}

/// What a generation was made from: a reload on a changed config compares these.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint {
    /// The library file's SHA-256 (empty when the file could not be read).
    pub library: String,
    /// The config table's SHA-256 (over its JSON).
    pub config: String,
}

impl Generation {
    /// The running instance, if this generation serves.
    pub fn instance(&self) -> Option<&Arc<PluginInstance>> {
        match &self.state {
            ProviderState::Ready(instance) => Some(instance),
            ProviderState::Failed(_) => None,
        }
    }

    /// What the adapter reported about its source (`None` until it has answered).
    pub fn source_status(&self) -> Option<&SourceStatus> {
        self.source_status.get()
    }

    /// A generation that cannot serve (`reason` names the library).
    fn failed(key: String, number: u64, library: String, reason: String) -> Self {
        Self {
            key,
            number,
            library,
            manifest: None,
            manifest_warnings: Vec::new(),
            state: ProviderState::Failed(reason),
            source_status: Arc::new(OnceLock::new()),
            scope: String::new(),
            fingerprint: Fingerprint::default(),
        }
    }

    /// Load `entry`'s library and create an instance with its config. Never fails: a
    /// generation that cannot serve says why. `key` is the configured key, else `None` to
    /// take the manifest's (returned beside the generation).
    pub(super) async fn load(
        number: u64,
        key: Option<&str>,
        entry: &ProviderConfig,
        identity_secret: Option<&str>,
    ) -> (String, Self) {
        let path = resolve_library(&entry.library);
        let library_name = path.display().to_string();
        let fallback_key = || key.map_or_else(|| entry.library.clone(), str::to_owned);
        let (digest, loadable) = match loadable_path(&path) {
            Ok(found) => found,
            Err(reason) => {
                return (
                    fallback_key(),
                    Self::failed(fallback_key(), number, library_name, reason),
                )
            }
        };
        let opened = PluginLibrary::open(&loadable);
        if loadable != path {
            // A private copy is needed only while it is opened: the mapping outlives the file.
            let _ = std::fs::remove_file(&loadable);
            if let Some(dir) = loadable.parent() {
                let _ = std::fs::remove_dir(dir);
            }
        }
        let library = match opened {
            Ok(library) => library,
            Err(e) if loadable == path => {
                return (
                    fallback_key(),
                    Self::failed(fallback_key(), number, library_name, e.to_string()),
                )
            }
            Err(e) => {
                let reason =
                    format!("{library_name} changed; its new version (copied to load it): {e}");
                return (
                    fallback_key(),
                    Self::failed(fallback_key(), number, library_name, reason),
                );
            }
        };
        let key = key.map_or_else(|| library.manifest().provider.key.clone(), str::to_owned);
        let manifest = library.manifest().clone();
        let manifest_warnings = library.manifest_warnings().to_vec();
        for warning in &manifest_warnings {
            tracing::warn!(provider = %key, "plugin manifest: {warning}");
        }
        let mut generation = Self::failed(key.clone(), number, library_name, String::new());
        generation.manifest = Some(manifest.clone());
        generation.manifest_warnings = manifest_warnings;
        let config = match config_json(entry, &manifest, identity_secret) {
            Ok(config) => config,
            Err(reason) => {
                generation.state = ProviderState::Failed(reason);
                return (key, generation);
            }
        };
        generation.fingerprint = Fingerprint {
            library: digest,
            config: config_digest(&config),
        };
        generation.scope = format!(
            "{key}/{}@{}/{}{}",
            manifest.name,
            manifest.version,
            &generation.fingerprint.library[..16.min(generation.fingerprint.library.len())],
            &generation.fingerprint.config[..16],
        );
        let settings = HostSettings {
            call_threads: entry.call_threads.max(1),
            // The provider's own bound keeps more from waiting; the queue only needs room.
            queue: entry.max_concurrency.max(1) * 2,
            max_payload_bytes: entry.max_response_bytes,
            encoding: entry.encoding,
        };
        let instance = match library.create_with(&key, config, settings).await {
            Ok(instance) => Arc::new(instance),
            Err(e) => {
                generation.state = ProviderState::Failed(e.to_string());
                return (key, generation);
            }
        };
        // The source's status (counts, rejected rows) can take long on a large source: wait
        // for it briefly, then let it finish in the background while the provider serves.
        let deadline = Duration::from_millis(entry.timeout_ms).max(STATUS_DEADLINE);
        let mut status = tokio::spawn(fetch_status(
            Arc::clone(&instance),
            key.clone(),
            deadline,
            Arc::clone(&generation.source_status),
        ));
        if tokio::time::timeout(STATUS_WAIT, &mut status)
            .await
            .is_err()
        {
            tracing::info!(provider = %key, "the source's status is still being gathered; serving meanwhile");
        }
        generation.state = ProviderState::Ready(instance);
        (key, generation)
    }
}

impl Generation {
    /// What a generation made now from `entry` would be made from (`manifest`: the current
    /// generation's, to tell whether the plugin gets the identity secret).
    pub(super) fn fingerprint_of(
        entry: &ProviderConfig,
        manifest: Option<&Manifest>,
        identity_secret: Option<&str>,
    ) -> Fingerprint {
        let library = std::fs::read(resolve_library(&entry.library))
            .map(|bytes| hex(&Sha256::digest(&bytes)))
            .unwrap_or_default();
        let config = manifest
            .and_then(|m| config_json(entry, m, identity_secret).ok())
            .map(|c| config_digest(&c))
            .unwrap_or_default();
        Fingerprint { library, config }
    }
}

impl Drop for Generation {
    fn drop(&mut self) {
        if matches!(self.state, ProviderState::Ready(_)) {
            // The last call that held it has returned; its instance is destroyed now.
            tracing::info!(provider = %self.key, generation = self.number, "plugin generation retired: no call holds it any more, its instance is destroyed");
        }
    }
}

/// The SHA-256 of a config's JSON.
fn config_digest(config: &serde_json::Value) -> String {
    hex(&Sha256::digest(config.to_string().as_bytes()))
}

/// The config table as the plugin gets it: JSON, with the identity secret added when the
/// plugin's schema asks for one and the table does not set it.
fn config_json(
    entry: &ProviderConfig,
    manifest: &Manifest,
    identity_secret: Option<&str>,
) -> Result<serde_json::Value, String> {
    let mut config = serde_json::to_value(&entry.config)
        .map_err(|e| format!("config cannot be expressed as JSON: {e}"))?;
    let wants_secret = manifest.config_schema["properties"]
        .get("identity_secret")
        .is_some();
    if let (Some(secret), Some(table), true) =
        (identity_secret, config.as_object_mut(), wants_secret)
    {
        table
            .entry("identity_secret")
            .or_insert_with(|| secret.into());
    }
    Ok(config)
}

/// How long start-up (and a reload) waits for a provider's status before serving without it.
pub const STATUS_WAIT: Duration = Duration::from_secs(2);
/// The least deadline of the status request (it may count every record of a large source).
const STATUS_DEADLINE: Duration = Duration::from_secs(300);

/// Ask the adapter for its source's status and keep the answer.
async fn fetch_status(
    instance: Arc<PluginInstance>,
    key: String,
    deadline: Duration,
    slot: Arc<OnceLock<SourceStatus>>,
) {
    match instance.call(&AdapterRequest::Status, deadline).await {
        Ok(AdapterResponse::Status(status)) => {
            // Each rejected row is in the plugin's own log and in /readyz; here, the count.
            tracing::info!(provider = %key, rejected = status.rejected.len(), warnings = status.warnings, "source status");
            let _ = slot.set(status);
        }
        Ok(_) => {
            tracing::warn!(provider = %key, "status request answered with another kind of response")
        }
        Err(e) => tracing::warn!(provider = %key, "status request failed: {e}"),
    }
}

/// The digest of each library file this process has loaded, by the path it loaded it from.
fn loaded() -> &'static Mutex<HashMap<PathBuf, String>> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, String>>> = OnceLock::new();
    LOADED.get_or_init(Default::default)
}

/// The file's SHA-256, and the path to load it from: `path` itself unless this process has
/// already loaded other bytes from `path`; then a private copy named by the digest (the
/// loader would otherwise hand back the library it already has).
fn loadable_path(path: &Path) -> Result<(String, PathBuf), String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        // Let the loader say what is wrong with it (missing, a directory, no permission).
        Err(_) => return Ok((String::new(), path.to_owned())),
    };
    let digest = hex(&Sha256::digest(&bytes));
    let mut loaded = loaded().lock().unwrap_or_else(|p| p.into_inner());
    match loaded.get(path) {
        None => {
            loaded.insert(path.to_owned(), digest.clone());
            return Ok((digest, path.to_owned()));
        }
        Some(known) if *known == digest => return Ok((digest, path.to_owned())),
        Some(_) => {}
    }
    let dir = std::env::temp_dir().join(format!("simpul-plugins-{}", std::process::id()));
    let stem = path
        .file_stem()
        .map_or_else(|| "plugin".to_owned(), |s| s.to_string_lossy().into_owned());
    let extension = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let copy = dir.join(format!("{stem}-{}{extension}", &digest[..16]));
    if !copy.exists() {
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir)?;
            // Written under a temporary name, then renamed: never a half-written library.
            let partial = dir.join(format!(".{stem}-{}.partial", &digest[..16]));
            std::fs::write(&partial, &bytes)?;
            std::fs::rename(&partial, &copy)
        };
        write().map_err(|e| {
            format!(
                "{} changed since it was loaded, and its new version cannot be copied to {} to load it: {e}",
                path.display(),
                copy.display()
            )
        })?;
    }
    loaded.insert(copy.clone(), digest.clone());
    Ok((digest, copy))
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
