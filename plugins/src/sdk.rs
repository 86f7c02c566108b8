//! The guest side: what an adapter author writes against.
//!
//! Implement [`Adapter`] with plain `async fn`s and add one line,
//! `simpul_plugin::export_adapter!(MyAdapter);`. The SDK does the rest: the static header and
//! manifest, a tokio runtime per instance, messages in and out in the encoding the host chose
//! (JSON or MessagePack, [`crate::Encoding`]), deadlines, cancellation, and
//! `catch_unwind` around every export so that a panic becomes a [`crate::abi::STATUS_PANIC`]
//! and poisons only that instance.
//!
//! `call` decodes the request and spawns the adapter's future on the instance's runtime, then
//! returns: the adapter's work, even the part before its first `.await`, runs on the
//! instance's own threads under the deadline, never on the thread that called.
#![allow(unsafe_code)]

use std::collections::HashMap;
use std::ffi::c_void;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde::de::DeserializeOwned;
use simpul_schema::{AdapterRequest, AdapterResponse};

use crate::abi::{self, Buffer, FunctionTable, HostApi, PluginHeader, Status};
use crate::{AdapterError, Encoding, HostInfo, Manifest};

/// A provider adapter. One value per configured instance; calls may run concurrently.
pub trait Adapter: Sized + Send + Sync + 'static {
    /// The adapter's config, deserialised from the JSON the host validated against
    /// [`Manifest::config_schema`].
    type Config: DeserializeOwned;

    /// Describe the plugin. Called once per process.
    fn manifest() -> Manifest;

    /// Create an instance: open files, pools, clients. Runs on the instance's own runtime.
    fn create(
        config: Self::Config,
        host: Host,
    ) -> impl Future<Output = Result<Self, AdapterError>> + Send;

    /// Answer one request.
    fn handle(
        &self,
        request: AdapterRequest,
    ) -> impl Future<Output = Result<AdapterResponse, AdapterError>> + Send;

    /// Worker threads of the instance's runtime (default 1: most adapters wait on I/O).
    fn worker_threads(_config: &Self::Config) -> usize {
        1
    }
}

/// The host, as seen from inside a plugin: its log and what it says about itself. Cheap to
/// copy and valid for the life of the process (the ABI keeps the host's context alive).
#[derive(Clone, Copy)]
pub struct Host {
    api: HostApi,
}

tokio::task_local! {
    /// The call the current task serves, so log lines name it.
    static CALL_ID: u64;
}

impl Host {
    /// Log a line at `level` (see [`abi::level`]). Inside a call, the host attaches the
    /// request's id. Never log personal data.
    pub fn log(&self, level: u32, message: &str) {
        let call_id = CALL_ID.try_with(|id| *id).unwrap_or(0);
        if let Some(log) = self.api.log {
            // SAFETY: the host keeps its context valid for the life of the process.
            unsafe {
                log(
                    self.api.context,
                    call_id,
                    level,
                    message.as_ptr(),
                    message.len(),
                )
            }
        }
    }

    /// Log a warning.
    pub fn warn(&self, message: &str) {
        self.log(abi::level::WARN, message);
    }

    /// Log information.
    pub fn info(&self, message: &str) {
        self.log(abi::level::INFO, message);
    }

    /// What the host says about itself (version, encodings, limits), if it says it in a
    /// form this SDK reads.
    pub fn host_info(&self) -> Option<HostInfo> {
        if self.api.info_ptr.is_null() {
            return None;
        }
        // SAFETY: the host's info lives for the life of the process.
        let bytes = unsafe { std::slice::from_raw_parts(self.api.info_ptr, self.api.info_len) };
        serde_json::from_slice(bytes).ok()
    }

    /// The encoding the host chose for this instance's calls (`HostInfo::encoding`; JSON from
    /// a host that names none). An encoding this SDK does not speak is an error.
    fn encoding(&self) -> Result<Encoding, AdapterError> {
        let named = self.host_info().and_then(|info| info.encoding);
        match named {
            None => Ok(Encoding::Json),
            Some(name) => Encoding::from_name(&name).ok_or_else(|| {
                AdapterError::new(
                    "INCOMPATIBLE_HOST",
                    format!(
                        "the host chose the \"{name}\" encoding, which this SDK does not speak"
                    ),
                )
            }),
        }
    }

    fn complete(&self, call_id: u64, status: Status, payload: Vec<u8>) {
        if let Some(complete) = self.api.complete {
            // SAFETY: the host's callback accepts any thread and owns the buffer from here on.
            unsafe { complete(self.api.context, call_id, status, Buffer::from_vec(payload)) }
        }
    }
}

struct Instance<A: Adapter> {
    host: Host,
    encoding: Encoding,
    adapter: Arc<A>,
    runtime: tokio::runtime::Runtime,
    poisoned: Arc<AtomicBool>,
    running: Arc<Mutex<HashMap<u64, tokio::task::AbortHandle>>>,
}

/// The header of adapter `A`; what `export_adapter!`'s entry symbol returns.
#[doc(hidden)]
pub fn header<A: Adapter>() -> *const PluginHeader {
    struct Static(PluginHeader);
    // One static per process: a plugin library exports exactly one adapter.
    static HEADER: OnceLock<Option<Static>> = OnceLock::new();
    static FUNCTIONS: OnceLock<FunctionTable> = OnceLock::new();
    static MANIFEST: OnceLock<Vec<u8>> = OnceLock::new();
    let built = HEADER.get_or_init(|| {
        let manifest = catch_unwind(|| serde_json::to_vec(&A::manifest()))
            .ok()?
            .ok()?;
        let manifest = MANIFEST.get_or_init(|| manifest);
        let functions = FUNCTIONS.get_or_init(|| FunctionTable {
            size: size_of::<FunctionTable>() as u32,
            reserved: 0,
            create: Some(create::<A>),
            call: Some(call::<A>),
            cancel: Some(cancel::<A>),
            destroy: Some(destroy::<A>),
        });
        Some(Static(PluginHeader {
            magic: abi::MAGIC,
            abi_major: abi::ABI_MAJOR,
            abi_minor: abi::ABI_MINOR,
            header_size: size_of::<PluginHeader>() as u32,
            aborts_on_panic: u8::from(!cfg!(panic = "unwind")),
            reserved: [0; 7],
            manifest_ptr: manifest.as_ptr(),
            manifest_len: manifest.len(),
            functions,
        }))
    });
    built.as_ref().map_or(std::ptr::null(), |s| &s.0)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic with a non-text payload".to_owned())
}

unsafe extern "C" fn create<A: Adapter>(
    host: *const HostApi,
    config_ptr: *const u8,
    config_len: usize,
    out_instance: *mut *mut c_void,
    out_error: *mut Buffer,
) -> Status {
    let fail = |status: Status, message: String| {
        // SAFETY: the host passes a valid out-pointer.
        unsafe { out_error.write(Buffer::from_vec(message.into_bytes())) };
        status
    };
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<Instance<A>, AdapterError> {
        let host = read_host(host)?;
        let encoding = host.encoding()?;
        // SAFETY: the host passes readable config bytes for the duration of the call.
        let bytes = unsafe { slice(config_ptr, config_len) };
        let config: A::Config = serde_json::from_slice(bytes).map_err(|e| {
            AdapterError::new(
                "INVALID_CONFIG",
                format!("config does not fit the adapter: {e}"),
            )
        })?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(A::worker_threads(&config).max(1))
            .thread_name("simpul-plugin")
            .enable_all()
            .build()
            .map_err(|e| {
                AdapterError::new("INTERNAL", format!("cannot start the plugin runtime: {e}"))
            })?;
        let adapter = runtime.block_on(A::create(config, host))?;
        Ok(Instance {
            host,
            encoding,
            adapter: Arc::new(adapter),
            runtime,
            poisoned: Arc::new(AtomicBool::new(false)),
            running: Arc::new(Mutex::new(HashMap::new())),
        })
    }));
    match result {
        Ok(Ok(instance)) => {
            // SAFETY: the host passes a valid out-pointer.
            unsafe { out_instance.write(Box::into_raw(Box::new(instance)).cast()) };
            abi::STATUS_OK
        }
        Ok(Err(error)) => fail(
            abi::STATUS_ERROR,
            serde_json::to_string(&error).unwrap_or_default(),
        ),
        Err(panic) => fail(abi::STATUS_PANIC, panic_message(&*panic)),
    }
}

/// Check and copy the host's struct: its major must be ours; a newer minor's extra fields are
/// ignored, an older one's missing fields read as absent.
fn read_host(host: *const HostApi) -> Result<Host, AdapterError> {
    let refuse = |why: String| AdapterError::new("INCOMPATIBLE_HOST", why);
    if host.is_null() || !host.is_aligned() {
        return Err(refuse("the host passed no (aligned) host struct".into()));
    }
    // SAFETY: non-null and aligned; `size` and the versions lead every version of the struct.
    let (size, major) = unsafe { ((*host).size as usize, (*host).abi_major) };
    if major != abi::ABI_MAJOR || size < abi::HOST_SIZE_V1_0 {
        return Err(refuse(format!(
            "the host speaks ABI {major} with a {size}-byte host struct; this plugin needs \
             ABI {} with at least {}",
            abi::ABI_MAJOR,
            abi::HOST_SIZE_V1_0
        )));
    }
    // SAFETY: the host says `size` bytes are there; it keeps them alive for the process.
    let api: HostApi = unsafe { abi::read_sized(host, size) };
    if api.complete.is_none() {
        return Err(refuse("the host struct has no `complete`".into()));
    }
    Ok(Host { api })
}

/// Borrow `len` bytes at `ptr` (empty when null).
///
/// # Safety
/// `ptr` must be null or point at `len` readable bytes that outlive the borrow.
unsafe fn slice<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: guaranteed by the caller.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

/// A completion that fires at most once, from whichever thread finishes the call.
struct Reply {
    host: Host,
    encoding: Encoding,
    call_id: u64,
    sent: bool,
}

impl Reply {
    fn send(mut self, status: Status, payload: Vec<u8>) {
        self.sent = true;
        self.host.complete(self.call_id, status, payload);
    }

    fn result(self, result: Result<AdapterResponse, AdapterError>) {
        let encoding = self.encoding;
        match result.map(|r| encoding.encode(&r)) {
            Ok(Ok(bytes)) => self.send(abi::STATUS_OK, bytes),
            Ok(Err(e)) => self.send(
                abi::STATUS_ERROR,
                encoding
                    .encode(&AdapterError::new(
                        "INTERNAL",
                        format!("cannot encode the response: {e}"),
                    ))
                    .unwrap_or_default(),
            ),
            Err(error) => self.send(
                abi::STATUS_ERROR,
                encoding.encode(&error).unwrap_or_default(),
            ),
        }
    }
}

impl Drop for Reply {
    fn drop(&mut self) {
        // A reply dropped without an answer (a task torn down by cancel or destroy) still
        // completes, so the host never waits for nothing.
        if !self.sent {
            self.sent = true;
            self.host
                .complete(self.call_id, abi::STATUS_CANCELLED, Vec::new());
        }
    }
}

unsafe extern "C" fn call<A: Adapter>(
    instance: *mut c_void,
    call_id: u64,
    request_ptr: *const u8,
    request_len: usize,
    timeout_ms: u64,
) {
    // A panic must not unwind into the host's frames; every path below completes the call.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `instance` came from `create::<A>` and is not destroyed while calls are made.
        let instance = unsafe { &*instance.cast::<Instance<A>>() };
        let reply = Reply {
            host: instance.host,
            encoding: instance.encoding,
            call_id,
            sent: false,
        };
        if instance.poisoned.load(Ordering::Acquire) {
            return reply.send(
                abi::STATUS_POISONED,
                b"the instance panicked earlier".to_vec(),
            );
        }
        // SAFETY: the host passes readable request bytes for the duration of the call.
        let request: AdapterRequest = match instance
            .encoding
            .decode(unsafe { slice(request_ptr, request_len) })
        {
            Ok(request) => request,
            Err(e) => {
                return reply.send(
                    abi::STATUS_BAD_REQUEST,
                    format!("not a valid request: {e}").into_bytes(),
                )
            }
        };
        let adapter = Arc::clone(&instance.adapter);
        let deadline = Duration::from_millis(timeout_ms);
        // All of the adapter's work runs on the instance's runtime, under the deadline.
        let task = instance.runtime.spawn(CALL_ID.scope(call_id, async move {
            tokio::time::timeout(deadline, adapter.handle(request)).await
        }));
        let running = Arc::clone(&instance.running);
        running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(call_id, task.abort_handle());
        let poisoned = Arc::clone(&instance.poisoned);
        instance.runtime.spawn(async move {
            let outcome = task.await;
            running
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&call_id);
            match outcome {
                Ok(Ok(result)) => reply.result(result),
                Ok(Err(_elapsed)) => reply.send(
                    abi::STATUS_TIMEOUT,
                    format!("no answer within {timeout_ms} ms").into_bytes(),
                ),
                Err(e) if e.is_panic() => {
                    poisoned.store(true, Ordering::Release);
                    reply.send(
                        abi::STATUS_PANIC,
                        panic_message(&*e.into_panic()).into_bytes(),
                    );
                }
                Err(_cancelled) => reply.send(abi::STATUS_CANCELLED, Vec::new()),
            }
        });
    }));
}

unsafe extern "C" fn cancel<A: Adapter>(instance: *mut c_void, call_id: u64) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: as in `call`.
        let instance = unsafe { &*instance.cast::<Instance<A>>() };
        if let Some(handle) = instance
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&call_id)
        {
            handle.abort();
        }
    }));
}

unsafe extern "C" fn destroy<A: Adapter>(instance: *mut c_void) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `instance` came from `create::<A>`; the host destroys it exactly once.
        let instance = unsafe { Box::from_raw(instance.cast::<Instance<A>>()) };
        for (_, handle) in instance
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
        {
            handle.abort();
        }
        let Instance {
            adapter, runtime, ..
        } = *instance;
        drop(adapter);
        runtime.shutdown_timeout(Duration::from_secs(5));
    }));
}

/// Export an [`Adapter`] as a Simpul plugin: defines the entry symbol the host looks up.
///
/// ```ignore
/// simpul_plugin::export_adapter!(SpnAdapter);
/// ```
#[macro_export]
macro_rules! export_adapter {
    ($adapter:ty) => {
        /// The plugin's entry symbol (see `simpul_plugin::abi`).
        #[no_mangle]
        pub extern "C" fn simpul_plugin_entry() -> *const $crate::abi::PluginHeader {
            $crate::sdk::header::<$adapter>()
        }
    };
}
