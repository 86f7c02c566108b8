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
//! Libraries are never unloaded: `dlclose` is unsound with thread-locals, so reloading a
//! plugin means a new process.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use simpul_schema::{AdapterRequest, AdapterResponse};
use tokio::sync::oneshot;

use crate::abi::{self, Buffer, Completion, EntryFn, FunctionTable, LogSink, PluginHeader, Status};
use crate::{AdapterError, Manifest, PluginError, PluginErrorKind};

/// Extra time the host waits beyond a call's deadline before it gives up on the plugin's own
/// timeout and cancels the call itself.
const DEADLINE_GRACE: Duration = Duration::from_millis(100);

/// A loaded, checked plugin library.
#[derive(Debug)]
pub struct PluginLibrary {
    path: PathBuf,
    manifest: Manifest,
    functions: &'static FunctionTable,
}

impl PluginLibrary {
    /// Load a library and check its header: magic first, then the ABI major, then sizes, the
    /// unwind flag and the manifest. Nothing else in the library is called before these pass.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, PluginError> {
        let path = path.as_ref().to_path_buf();
        let fail = |reason: String| PluginError::Load {
            library: path.clone(),
            reason,
        };
        // SAFETY: loading runs the library's initialisers; plugins are trusted code, and this
        // is the documented contract of a plugin host. The library is leaked, never unloaded.
        let library: &'static libloading::Library = Box::leak(Box::new(
            unsafe { libloading::Library::new(&path) }.map_err(|e| fail(e.to_string()))?,
        ));
        // SAFETY: the symbol's type is fixed by the ABI; a plugin exporting it promises it.
        let entry: EntryFn = unsafe { library.get::<EntryFn>(abi::ENTRY_SYMBOL.as_bytes()) }
            .map(|symbol| *symbol)
            .map_err(|_| PluginError::MissingEntry {
                library: path.clone(),
                symbol: abi::ENTRY_SYMBOL,
            })?;
        // SAFETY: the entry takes no arguments and returns a pointer to static data.
        let header = catch_unwind(|| unsafe { entry() })
            .map_err(|_| fail("the entry symbol panicked".into()))?;
        if header.is_null() {
            return Err(fail("the entry symbol returned no header".into()));
        }
        // SAFETY: non-null; the first 12 bytes (magic + versions) are laid out the same in
        // every ABI version, so reading them is sound whatever else the header holds.
        let (magic, major, minor) = unsafe {
            let magic = std::ptr::read_unaligned(std::ptr::addr_of!((*header).magic));
            let major = std::ptr::read_unaligned(std::ptr::addr_of!((*header).abi_major));
            let minor = std::ptr::read_unaligned(std::ptr::addr_of!((*header).abi_minor));
            (magic, major, minor)
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
        // SAFETY: same major, so the header has at least the v1 fields once its size says so.
        let header: &'static PluginHeader = unsafe { &*header };
        if (header.header_size as usize) < std::mem::size_of::<PluginHeader>() {
            return Err(fail(format!(
                "header is {} bytes, ABI 1 needs {}",
                header.header_size,
                std::mem::size_of::<PluginHeader>()
            )));
        }
        if header.unwinds != 1 {
            return Err(PluginError::NotUnwinding { library: path });
        }
        if header.functions.is_null() || header.manifest_ptr.is_null() {
            return Err(fail("header has a null function table or manifest".into()));
        }
        // SAFETY: checked non-null; static per the ABI.
        let functions: &'static FunctionTable = unsafe { &*header.functions };
        if (functions.size as usize) < std::mem::size_of::<FunctionTable>() {
            return Err(fail("function table is shorter than ABI 1 requires".into()));
        }
        // SAFETY: the manifest is static bytes of the stated length.
        let manifest_bytes =
            unsafe { std::slice::from_raw_parts(header.manifest_ptr, header.manifest_len) };
        let manifest: Manifest =
            serde_json::from_slice(manifest_bytes).map_err(|e| PluginError::BadManifest {
                library: path.clone(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            path,
            manifest,
            functions,
        })
    }

    /// The plugin's manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
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

    /// Validate `config`, then create an instance on a blocking thread. `provider` names the
    /// instance in the host's logs.
    pub async fn create(
        &self,
        provider: &str,
        config: serde_json::Value,
    ) -> Result<PluginInstance, PluginError> {
        self.validate_config(&config)?;
        let functions = self.functions;
        let library = self.path.clone();
        let log_target = Box::new(LogTarget {
            provider: provider.to_owned(),
        });
        let log_context = SendPtr(Box::into_raw(log_target).cast::<c_void>());
        let config = serde_json::to_vec(&config).unwrap_or_default();
        let created = tokio::task::spawn_blocking(move || {
            let log_context = log_context;
            let log = LogSink {
                context: log_context.0,
                log: host_log,
            };
            let mut instance: *mut c_void = std::ptr::null_mut();
            let mut error = Buffer::empty();
            // SAFETY: valid config bytes and out-pointers; the log context outlives the instance.
            let status = unsafe {
                (functions.create)(
                    config.as_ptr(),
                    config.len(),
                    log,
                    &mut instance,
                    &mut error,
                )
            };
            // SAFETY: `error` is either empty or a buffer the plugin filled for us.
            let message = String::from_utf8_lossy(&unsafe { error.take() }).into_owned();
            (status, SendPtr(instance), message)
        })
        .await;
        let (status, instance, message) = created.map_err(|e| PluginError::CreateFailed {
            library: library.clone(),
            reason: format!("create did not finish: {e}"),
        })?;
        let free_log = || {
            // SAFETY: the instance was not created, so nothing else holds the log context.
            drop(unsafe { Box::from_raw(log_context.0.cast::<LogTarget>()) });
        };
        match status {
            abi::STATUS_OK if !instance.0.is_null() => Ok(PluginInstance {
                library,
                provider: provider.to_owned(),
                raw: RawInstance {
                    functions,
                    instance,
                    log_context,
                },
                next_call: AtomicU64::new(1),
                destroyed: std::sync::atomic::AtomicBool::new(false),
            }),
            abi::STATUS_PANIC => {
                free_log();
                Err(PluginError::CreatePanicked { library, message })
            }
            _ => {
                free_log();
                let reason = serde_json::from_str::<AdapterError>(&message)
                    .map(|e| e.to_string())
                    .unwrap_or(message);
                Err(PluginError::CreateFailed { library, reason })
            }
        }
    }
}

/// A raw pointer the host hands between threads; what it points at is built for that.
#[derive(Clone, Copy)]
struct SendPtr(*mut c_void);
// SAFETY: plugin instances and log contexts are used from any thread by design (see abi.rs).
unsafe impl Send for SendPtr {}
// SAFETY: as above.
unsafe impl Sync for SendPtr {}

struct LogTarget {
    provider: String,
}

unsafe extern "C" fn host_log(context: *const c_void, level: u32, ptr: *const u8, len: usize) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the context is our LogTarget, alive until the instance is destroyed; the
        // message bytes are borrowed for this call.
        let (target, message) = unsafe {
            let bytes = if ptr.is_null() {
                &[][..]
            } else {
                std::slice::from_raw_parts(ptr, len)
            };
            (
                &*context.cast::<LogTarget>(),
                String::from_utf8_lossy(bytes),
            )
        };
        let provider = target.provider.as_str();
        match level {
            abi::level::ERROR => tracing::error!(target: "simpul::plugin", provider, "{message}"),
            abi::level::WARN => tracing::warn!(target: "simpul::plugin", provider, "{message}"),
            abi::level::INFO => tracing::info!(target: "simpul::plugin", provider, "{message}"),
            _ => tracing::debug!(target: "simpul::plugin", provider, "{message}"),
        }
    }));
}

/// One running instance of a plugin. Calls may be made concurrently from any task.
#[derive(Debug)]
pub struct PluginInstance {
    library: PathBuf,
    provider: String,
    raw: RawInstance,
    next_call: AtomicU64,
    destroyed: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for SendPtr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:p}", self.0)
    }
}

type Delivery = oneshot::Sender<(Status, Vec<u8>)>;

unsafe extern "C" fn host_complete(context: *mut c_void, status: Status, payload: Buffer) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `context` is the Box<Delivery> made in `call`, completed exactly once.
        let delivery = unsafe { Box::from_raw(context.cast::<Delivery>()) };
        // SAFETY: the plugin hands over a live buffer; we copy it and release it at once.
        let bytes = unsafe { payload.take() };
        // The caller may have given up (deadline); then the answer is dropped.
        let _ = delivery.send((status, bytes));
    }));
}

impl PluginInstance {
    /// The provider key this instance serves.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Send one request and wait for the answer, at most `deadline` (plus a short grace for
    /// the plugin to report its own timeout). On expiry the call is cancelled.
    pub async fn call(
        &self,
        request: &AdapterRequest,
        deadline: Duration,
    ) -> Result<AdapterResponse, PluginError> {
        let bytes = serde_json::to_vec(request)
            .map_err(|e| self.error(PluginErrorKind::BadResponse(e.to_string())))?;
        let (tx, rx) = oneshot::channel::<(Status, Vec<u8>)>();
        let context = Box::into_raw(Box::new(tx)).cast::<c_void>();
        let call_id = self.next_call.fetch_add(1, Ordering::Relaxed);
        let timeout_ms = u64::try_from(deadline.as_millis()).unwrap_or(u64::MAX);
        let started = std::time::Instant::now();
        // SAFETY: a live instance, request bytes valid for the call, a completion that frees
        // its own context.
        unsafe {
            (self.raw.functions.call)(
                self.raw.instance.0,
                bytes.as_ptr(),
                bytes.len(),
                timeout_ms,
                call_id,
                Completion {
                    context,
                    complete: host_complete,
                },
            );
        }
        let (status, payload) = match tokio::time::timeout(deadline + DEADLINE_GRACE, rx).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => return Err(self.error(PluginErrorKind::Cancelled)),
            Err(_) => {
                // SAFETY: a live instance; unknown ids are ignored.
                unsafe { (self.raw.functions.cancel)(self.raw.instance.0, call_id) };
                return Err(self.error(PluginErrorKind::Timeout(deadline)));
            }
        };
        // An adapter that completes inside the call (its first poll finished the work) cannot be
        // interrupted; an answer that came after the deadline is still a timeout.
        if started.elapsed() > deadline + DEADLINE_GRACE {
            return Err(self.error(PluginErrorKind::Timeout(deadline)));
        }
        let text = || String::from_utf8_lossy(&payload).into_owned();
        match status {
            abi::STATUS_OK => serde_json::from_slice(&payload)
                .map_err(|e| self.error(PluginErrorKind::BadResponse(e.to_string()))),
            abi::STATUS_ERROR => Err(self.error(PluginErrorKind::Adapter(
                serde_json::from_slice(&payload)
                    .unwrap_or_else(|_| AdapterError::new("INTERNAL", text())),
            ))),
            abi::STATUS_PANIC => Err(self.error(PluginErrorKind::Panicked(text()))),
            abi::STATUS_POISONED => Err(self.error(PluginErrorKind::Poisoned)),
            abi::STATUS_TIMEOUT => Err(self.error(PluginErrorKind::Timeout(deadline))),
            abi::STATUS_CANCELLED => Err(self.error(PluginErrorKind::Cancelled)),
            abi::STATUS_BAD_REQUEST => Err(self.error(PluginErrorKind::BadRequest(text()))),
            other => Err(self.error(PluginErrorKind::BadResponse(format!(
                "unknown status {other}"
            )))),
        }
    }

    fn error(&self, kind: PluginErrorKind) -> PluginError {
        PluginError::Call {
            library: self.library.clone(),
            provider: self.provider.clone(),
            kind,
        }
    }

    /// Stop the instance: its runtime shuts down and its threads are joined (on a blocking
    /// thread, so the caller's runtime keeps going).
    pub async fn shutdown(self) {
        if !self.destroyed.swap(true, Ordering::AcqRel) {
            let raw = self.raw;
            // SAFETY: destroyed once, guarded by the flag.
            let _ = tokio::task::spawn_blocking(move || unsafe { raw.destroy() }).await;
        }
    }
}

/// The parts of an instance that `destroy` needs, copyable onto another thread.
#[derive(Debug, Clone, Copy)]
struct RawInstance {
    functions: &'static FunctionTable,
    instance: SendPtr,
    log_context: SendPtr,
}

impl RawInstance {
    /// # Safety
    /// Call once per instance, after which it must not be used.
    unsafe fn destroy(self) {
        // SAFETY: a live instance, destroyed once (the caller's guarantee). Every buffer it
        // returned was released in `host_complete` before we got here.
        unsafe { (self.functions.destroy)(self.instance.0) };
        // SAFETY: the instance is gone, so nothing logs through the context any more.
        drop(unsafe { Box::from_raw(self.log_context.0.cast::<LogTarget>()) });
    }
}

impl Drop for PluginInstance {
    fn drop(&mut self) {
        if !self.destroyed.swap(true, Ordering::AcqRel) {
            // `destroy` blocks while the plugin's runtime winds down; keep that off async
            // threads by running it on a thread of its own.
            let raw = self.raw;
            // SAFETY: destroyed once, guarded by the flag.
            std::thread::spawn(move || unsafe { raw.destroy() });
        }
    }
}

/// The platform's file name for a library called `name`: `libname.so`, `libname.dylib`,
/// `name.dll`.
pub fn library_file_name(name: &str) -> std::ffi::OsString {
    libloading::library_filename(name)
}
