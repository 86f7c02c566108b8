//! The host side: load a plugin library, check it, create instances and call them.
//!
//! ```no_run
//! # async fn demo() -> Result<(), simpul_plugin::PluginError> {
//! use simpul_plugin::host::PluginLibrary;
//! use simpul_schema::{AdapterRequest, Collection, QueryRequest};
//!
//! let library = PluginLibrary::open("target/debug/libsimpul_adapter_spn.so")?;
//! println!("{}", library.manifest().provider.name);
//! let instance = library.create("spn", serde_json::json!({ "data_dir": "gateway/demo/spn" })).await?;
//! let request = AdapterRequest::Query(QueryRequest::all(Collection::TrainingCenters));
//! let response = instance.call(&request, std::time::Duration::from_secs(2)).await?;
//! instance.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! - [`PluginLibrary::open`] checks the header before trusting anything in it: alignment,
//!   magic, major, sizes, required slots, the manifest.
//! - [`PluginLibrary::create`] gives the plugin a host context that lives for the rest of the
//!   process (`context`), and the instance its own dispatch threads (`instance`).
//!
//! Libraries are never unloaded: `dlclose` is unsound with thread-locals, and a plugin thread
//! may outlive its instance.
#![allow(unsafe_code)]

mod context;
mod instance;

use std::ffi::c_void;
use std::path::{Path, PathBuf};

pub use instance::PluginInstance;

use context::HostContext;
use simpul_schema::tolerant;

use crate::abi::{self, Buffer, EntryFn, FunctionTable, PluginHeader};
use crate::{AbiVersion, AdapterError, Encoding, HostInfo, Manifest, PluginError, ENCODING_JSON};

/// The most manifest bytes the host reads.
const MAX_MANIFEST_BYTES: usize = 4 << 20;

/// How the host runs one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostSettings {
    /// Dispatch threads: how many calls may be inside the plugin's `call` at once.
    pub call_threads: usize,
    /// Calls that may wait for a dispatch thread before new ones fail as busy.
    pub queue: usize,
    /// The largest response payload accepted, in bytes.
    pub max_payload_bytes: u64,
    /// The encoding of the instance's calls; `None` (the default): the first of the
    /// manifest's `encodings` this host speaks ([`Encoding::negotiate`]).
    pub encoding: Option<Encoding>,
}

impl Default for HostSettings {
    fn default() -> Self {
        Self {
            call_threads: 4,
            queue: 1024,
            max_payload_bytes: 64 << 20,
            encoding: None,
        }
    }
}

/// A loaded, checked plugin library.
#[derive(Debug)]
pub struct PluginLibrary {
    path: PathBuf,
    manifest: Manifest,
    manifest_warnings: Vec<String>,
    abi: AbiVersion,
    functions: FunctionTable,
}

impl PluginLibrary {
    /// Load a library and check its header: alignment, magic, then the ABI major, before
    /// anything else in it is read or called; then sizes, the panic strategy, the required
    /// slots and the manifest.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, PluginError> {
        let path = path.as_ref().to_path_buf();
        let bad = |reason: &str| PluginError::BadHeader {
            library: path.clone(),
            reason: reason.to_owned(),
        };
        // SAFETY: loading runs the library's initialisers; plugins are trusted code, and this
        // is the documented contract of a plugin host.
        let library =
            unsafe { libloading::Library::new(&path) }.map_err(|e| PluginError::Load {
                library: path.clone(),
                reason: e.to_string(),
            })?;
        // SAFETY: the symbol's type is fixed by the ABI; a plugin exporting it promises it.
        let entry: Result<EntryFn, _> =
            unsafe { library.get::<EntryFn>(abi::ENTRY_SYMBOL.as_bytes()) }.map(|symbol| *symbol);
        // Never unloaded (a plugin's threads and statics outlive any instance): forget the
        // handle, so the library stays mapped for the life of the process.
        std::mem::forget(library);
        let entry = entry.map_err(|_| PluginError::MissingEntry {
            library: path.clone(),
            symbol: abi::ENTRY_SYMBOL,
        })?;
        // SAFETY: the entry takes no arguments and returns a pointer to static data.
        let header = unsafe { entry() };
        if header.is_null() {
            return Err(bad("the entry symbol returned no header"));
        }
        if !header.is_aligned() {
            return Err(bad(&format!(
                "the header at {header:p} is not {}-byte aligned",
                align_of::<PluginHeader>()
            )));
        }
        // SAFETY: non-null and aligned; the first 16 bytes (magic, versions, size) are laid out
        // the same in every ABI version, so reading them is sound whatever else it holds.
        let (magic, major, minor, size) = unsafe {
            (
                (*header).magic,
                (*header).abi_major,
                (*header).abi_minor,
                (*header).header_size as usize,
            )
        };
        if magic != abi::MAGIC {
            return Err(PluginError::BadMagic {
                library: path,
                found: magic,
            });
        }
        if major != abi::ABI_MAJOR {
            return Err(PluginError::AbiMismatch {
                library: path,
                plugin: (major, minor),
                host: (abi::ABI_MAJOR, abi::ABI_MINOR),
            });
        }
        if size < abi::HEADER_SIZE_V1_0 {
            return Err(bad(&format!(
                "header_size is {size} bytes; ABI {major}.0 needs at least {}",
                abi::HEADER_SIZE_V1_0
            )));
        }
        // SAFETY: aligned, and the plugin says `size` bytes are there (at least ours).
        let header: PluginHeader = unsafe { abi::read_sized(header, size) };
        if header.aborts_on_panic != 0 {
            return Err(PluginError::NotUnwinding { library: path });
        }
        let functions = read_functions(header.functions).map_err(|reason| bad(&reason))?;
        if header.manifest_ptr.is_null() || header.manifest_len == 0 {
            return Err(bad("the header has no manifest"));
        }
        if header.manifest_len > MAX_MANIFEST_BYTES {
            return Err(bad(&format!(
                "the manifest is {} bytes; at most {MAX_MANIFEST_BYTES} are read",
                header.manifest_len
            )));
        }
        // SAFETY: the manifest is static bytes of the stated length.
        let bytes = unsafe { std::slice::from_raw_parts(header.manifest_ptr, header.manifest_len) };
        let (manifest, unknown) =
            tolerant::collect_unknown(|| serde_json::from_slice::<Manifest>(bytes));
        let manifest = manifest.map_err(|e| PluginError::BadManifest {
            library: path.clone(),
            reason: e.to_string(),
        })?;
        if !manifest.encodings.iter().any(|e| e == ENCODING_JSON) {
            return Err(PluginError::BadManifest {
                library: path,
                reason: format!(
                    "encodings are {:?}; every plugin must speak \"{ENCODING_JSON}\"",
                    manifest.encodings
                ),
            });
        }
        let manifest_warnings = unknown.iter().map(ToString::to_string).collect();
        Ok(Self {
            path,
            manifest,
            manifest_warnings,
            abi: AbiVersion { major, minor },
            functions,
        })
    }

    /// The plugin's manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// What in the manifest this host did not know and ignored or mapped (a newer plugin's
    /// operator, collection or vocabulary value).
    pub fn manifest_warnings(&self) -> &[String] {
        &self.manifest_warnings
    }

    /// The ABI version the plugin was built against.
    pub fn abi_version(&self) -> AbiVersion {
        self.abi
    }

    /// The file the library was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Check `config` against the manifest's JSON Schema. Every violation is listed, each
    /// with its JSON path.
    pub fn validate_config(&self, config: &serde_json::Value) -> Result<(), PluginError> {
        let validator = jsonschema::validator_for(&self.manifest.config_schema).map_err(|e| {
            PluginError::BadManifest {
                library: self.path.clone(),
                reason: format!("config schema is not a valid JSON Schema: {e}"),
            }
        })?;
        let problems: Vec<String> = validator
            .iter_errors(config)
            .map(|e| {
                let at = e.instance_path.to_string();
                if at.is_empty() {
                    e.to_string()
                } else {
                    format!("{at}: {e}")
                }
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PluginError::InvalidConfig {
                library: self.path.clone(),
                problems,
            })
        }
    }

    /// [`PluginLibrary::create_with`] the default [`HostSettings`].
    pub async fn create(
        &self,
        provider: &str,
        config: serde_json::Value,
    ) -> Result<PluginInstance, PluginError> {
        self.create_with(provider, config, HostSettings::default())
            .await
    }

    /// Validate `config`, then create an instance on a blocking thread. `provider` names the
    /// instance in the host's logs.
    pub async fn create_with(
        &self,
        provider: &str,
        config: serde_json::Value,
        settings: HostSettings,
    ) -> Result<PluginInstance, PluginError> {
        self.validate_config(&config)?;
        let library = self.path.clone();
        let encoding = self.encoding(settings.encoding)?;
        let context = HostContext::leak(
            provider,
            library.clone(),
            host_info(settings, encoding),
            settings.max_payload_bytes,
            encoding,
        );
        let create = self.functions.create.expect("checked at load");
        let config = serde_json::to_vec(&config).unwrap_or_default();
        let created = tokio::task::spawn_blocking(move || {
            let mut instance: *mut c_void = std::ptr::null_mut();
            let mut error = Buffer::empty();
            // SAFETY: a host struct that lives forever, config bytes valid for the call, and
            // valid out-pointers.
            let status = unsafe {
                create(
                    &context.api,
                    config.as_ptr(),
                    config.len(),
                    &mut instance,
                    &mut error,
                )
            };
            // SAFETY: `error` is either empty or a buffer the plugin filled for us.
            let bytes = unsafe { error.take() };
            let message = payload_text(&bytes).unwrap_or_else(|| {
                format!("an error of {} bytes that is not UTF-8 text", bytes.len())
            });
            (status, instance as usize, message)
        })
        .await;
        let (status, instance, message) = created.map_err(|e| PluginError::CreateFailed {
            library: library.clone(),
            reason: format!("create did not finish: {e}"),
        })?;
        let instance = instance as *mut c_void;
        match status {
            abi::STATUS_OK if !instance.is_null() => Ok(PluginInstance::start(
                context,
                self.functions,
                instance,
                settings.call_threads,
                settings.queue,
            )),
            abi::STATUS_OK => Err(PluginError::CreateFailed {
                library,
                reason: "create reported success but returned no instance".into(),
            }),
            abi::STATUS_PANIC => Err(PluginError::CreatePanicked { library, message }),
            _ => {
                let reason = serde_json::from_str::<AdapterError>(&message)
                    .map(|e| e.to_string())
                    .unwrap_or(message);
                Err(PluginError::CreateFailed { library, reason })
            }
        }
    }
}

impl PluginLibrary {
    /// The encoding of an instance's calls: the one asked for, if the plugin lists it, else
    /// the first of the plugin's this host speaks.
    pub fn encoding(&self, asked: Option<Encoding>) -> Result<Encoding, PluginError> {
        let listed = &self.manifest.encodings;
        match asked {
            None => Ok(Encoding::negotiate(listed)),
            Some(encoding) if listed.iter().any(|name| name == encoding.name()) => Ok(encoding),
            Some(encoding) => Err(PluginError::CreateFailed {
                library: self.path.clone(),
                reason: format!(
                    "the deployment asks for the \"{encoding}\" encoding, which the plugin does \
                     not speak (its encodings: {listed:?})"
                ),
            }),
        }
    }
}

/// Check and copy a plugin's function table.
fn read_functions(table: *const FunctionTable) -> Result<FunctionTable, String> {
    if table.is_null() {
        return Err("the header has no function table".into());
    }
    if !table.is_aligned() {
        return Err(format!(
            "the function table at {table:p} is not {}-byte aligned",
            align_of::<FunctionTable>()
        ));
    }
    // SAFETY: non-null and aligned; `size` is the first field in every version.
    let size = unsafe { (*table).size } as usize;
    if size < abi::FUNCTIONS_SIZE_V1_0 {
        return Err(format!(
            "the function table is {size} bytes; ABI 1.0 needs at least {}",
            abi::FUNCTIONS_SIZE_V1_0
        ));
    }
    // SAFETY: aligned, and the plugin says `size` bytes are there.
    let functions: FunctionTable = unsafe { abi::read_sized(table, size) };
    if functions.create.is_none() {
        return Err("the required slot `create` is null".into());
    }
    if functions.call.is_none() {
        return Err("the required slot `call` is null".into());
    }
    Ok(functions)
}

/// The JSON behind `simpul_host.info` for these settings. Leaked with the instance's context:
/// the plugin may read it for the rest of the process.
fn host_info(settings: HostSettings, encoding: Encoding) -> &'static [u8] {
    let info = HostInfo {
        gateway: "simpul".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        abi: AbiVersion {
            major: abi::ABI_MAJOR,
            minor: abi::ABI_MINOR,
        },
        encodings: Encoding::names(),
        encoding: Some(encoding.name().to_owned()),
        max_payload_bytes: settings.max_payload_bytes,
        call_threads: u32::try_from(settings.call_threads).unwrap_or(u32::MAX),
    };
    Vec::leak(serde_json::to_vec(&info).unwrap_or_default())
}

/// The platform's file name for a library called `name`: `libname.so`, `libname.dylib`,
/// `name.dll`.
pub fn library_file_name(name: &str) -> std::ffi::OsString {
    libloading::library_filename(name)
}

/// The longest text kept from a plugin's free-text payload, in characters.
const PAYLOAD_TEXT_LIMIT: usize = 1000;

/// A plugin's free-text payload (a panic message, a plain-text error) as it may go into logs
/// and error messages: `None` unless it is UTF-8 text; line breaks and tabs become spaces,
/// other control characters U+FFFD, and it is cut to [`PAYLOAD_TEXT_LIMIT`] characters.
pub(crate) fn payload_text(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut out: String = text
        .chars()
        .take(PAYLOAD_TEXT_LIMIT)
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect();
    if text.chars().nth(PAYLOAD_TEXT_LIMIT).is_some() {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::payload_text;

    #[test]
    fn payload_text_keeps_text_and_never_repeats_other_bytes() {
        assert_eq!(payload_text(b"source down").as_deref(), Some("source down"));
        assert_eq!(
            payload_text(b"line one\nline\ttwo\x1b[31m").as_deref(),
            Some("line one line two\u{FFFD}[31m")
        );
        assert_eq!(payload_text(&[0x81, 0xa4, b'c', 0xc1, 0xfe]), None);
        let long = "é".repeat(5000);
        let cut = payload_text(long.as_bytes()).unwrap();
        assert_eq!(cut.chars().count(), 1001);
        assert!(cut.ends_with('…'));
        assert_eq!(payload_text(b"").as_deref(), Some(""));
    }
}
