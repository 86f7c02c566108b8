//! The host's state for one plugin instance, as the plugin sees it: the `simpul_host` struct,
//! the table of calls waiting for an answer, and the `log` and `complete` callbacks.
//!
//! A context is leaked, never freed: the ABI promises the plugin that the struct, its info and
//! its context live for the whole process, so a plugin thread that outlives `destroy` can still
//! log or complete without touching freed memory. Calls are host-owned handles: a call id
//! (unique in the process, never reused) looked up in [`HostContext::calls`]. A completion for
//! an id that is not waiting (a second completion, one after the deadline, one the host never
//! issued) finds nothing, so its payload is released and counted, never double-freed.
#![allow(unsafe_code)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use simpul_schema::{tolerant, AdapterResponse};
use tokio::sync::oneshot;

use crate::abi::{self, Buffer, HostApi, Status};
use crate::{AdapterError, Encoding, PluginErrorKind};

/// What a completion delivers to the caller waiting for it.
pub(crate) type Answer = Result<AdapterResponse, PluginErrorKind>;

/// A call waiting for its completion.
pub(crate) struct PendingCall {
    pub(crate) delivery: oneshot::Sender<Answer>,
    /// The caller's span, so the plugin's log lines about this call carry its request id.
    pub(crate) span: tracing::Span,
}

/// One instance's host-side state; lives for the rest of the process.
pub(crate) struct HostContext {
    pub(crate) provider: String,
    pub(crate) library: PathBuf,
    pub(crate) calls: Mutex<HashMap<u64, PendingCall>>,
    /// Calls the host stopped waiting for; their late completions are expected, not mistakes.
    abandoned: Mutex<Abandoned>,
    pub(crate) stray_completions: AtomicU64,
    pub(crate) late_completions: AtomicU64,
    pub(crate) max_payload_bytes: u64,
    /// How requests and answers are written (told to the plugin in `info`).
    pub(crate) encoding: Encoding,
    /// The struct handed to `create`; its `context` points back at this context.
    pub(crate) api: HostApi,
}

/// A plugin's payload, released when dropped.
struct Released(Buffer);

impl Drop for Released {
    fn drop(&mut self) {
        // SAFETY: the plugin handed the buffer over with the completion; releasing it is the
        // host's to do, once.
        unsafe { self.0.release() };
    }
}

/// The most recently abandoned call ids (bounded: a plugin that never completes must not make
/// the host grow).
#[derive(Default)]
struct Abandoned {
    ids: HashSet<u64>,
    order: VecDeque<u64>,
}

impl Abandoned {
    const CAPACITY: usize = 4096;

    fn insert(&mut self, id: u64) {
        if self.order.len() == Self::CAPACITY {
            if let Some(oldest) = self.order.pop_front() {
                self.ids.remove(&oldest);
            }
        }
        self.ids.insert(id);
        self.order.push_back(id);
    }

    fn remove(&mut self, id: u64) -> bool {
        // `order` keeps the id until it is evicted; harmless, the set is what is asked.
        self.ids.remove(&id)
    }
}

/// The next call id: unique in the process, never 0, never reused (so it is its own
/// generation: a stale id can never match a later call).
pub(crate) fn next_call_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl HostContext {
    /// Build and leak a context whose `api` the plugin may keep forever.
    pub(crate) fn leak(
        provider: &str,
        library: PathBuf,
        info: &'static [u8],
        max_payload_bytes: u64,
        encoding: Encoding,
    ) -> &'static HostContext {
        let context: &'static mut HostContext = Box::leak(Box::new(HostContext {
            provider: provider.to_owned(),
            library,
            calls: Mutex::new(HashMap::new()),
            abandoned: Mutex::new(Abandoned::default()),
            stray_completions: AtomicU64::new(0),
            late_completions: AtomicU64::new(0),
            max_payload_bytes,
            encoding,
            api: HostApi {
                size: size_of::<HostApi>() as u32,
                abi_major: abi::ABI_MAJOR,
                abi_minor: abi::ABI_MINOR,
                info_ptr: info.as_ptr(),
                info_len: info.len(),
                context: std::ptr::null_mut(),
                log: Some(host_log),
                complete: Some(host_complete),
            },
        }));
        context.api.context = std::ptr::from_mut(context).cast::<c_void>();
        let context: &'static HostContext = context;
        // Kept reachable (for leak checkers, and for a reader of a core dump): a context is
        // never freed, by design.
        static CONTEXTS: Mutex<Vec<&'static HostContext>> = Mutex::new(Vec::new());
        CONTEXTS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(context);
        context
    }

    pub(crate) fn calls(&self) -> std::sync::MutexGuard<'_, HashMap<u64, PendingCall>> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether call `id` is still waiting for its answer.
    pub(crate) fn is_waiting(&self, id: u64) -> bool {
        self.calls().contains_key(&id)
    }

    /// Stop waiting for call `id`; `true` if it was waiting. Its completion, if one still
    /// comes, is then late rather than stray.
    pub(crate) fn forget(&self, id: u64) -> bool {
        let was_waiting = self.calls().remove(&id).is_some();
        if was_waiting {
            self.abandoned
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id);
        }
        was_waiting
    }

    /// Answer call `id` with a timeout without the plugin ever seeing it: its deadline passed
    /// while it waited for a dispatch thread. (Dropping it instead would tell the caller it
    /// was cancelled, which reads as "the provider is down".)
    pub(crate) fn expire(&self, id: u64) {
        if let Some(pending) = self.calls().remove(&id) {
            let _ = pending
                .delivery
                .send(Err(PluginErrorKind::Timeout(std::time::Duration::ZERO)));
        }
    }

    fn complete(&self, call_id: u64, status: Status, mut payload: Buffer) {
        let pending = self.calls().remove(&call_id);
        let Some(pending) = pending else {
            // SAFETY: the plugin handed the buffer over; releasing it is ours to do.
            unsafe { payload.release() };
            let late = self
                .abandoned
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(call_id);
            if late {
                self.late_completions.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(target: "simpul::plugin", provider = %self.provider, call_id,
                    "released the late answer of a call the host stopped waiting for");
                return;
            }
            let count = self.stray_completions.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::warn!(
                target: "simpul::plugin",
                provider = %self.provider,
                library = %self.library.display(),
                call_id,
                stray_completions = count,
                "ignored a completion for a call that is not waiting (a second completion, or an id \
                 the host never issued)"
            );
            return;
        };
        // Released however decoding ends, even by a panic.
        let payload = Released(payload);
        let answer = pending.span.in_scope(|| self.decode(status, &payload.0));
        drop(payload);
        // The caller may have stopped waiting just now; then the answer is dropped.
        let _ = pending.delivery.send(answer);
    }

    /// Turn a completion into the caller's answer. Runs on the plugin's thread (or the
    /// dispatch thread, for a completion inside `call`), never on the gateway's workers.
    fn decode(&self, status: Status, payload: &Buffer) -> Answer {
        if payload.len as u64 > self.max_payload_bytes {
            return Err(PluginErrorKind::PayloadTooLarge {
                size: payload.len as u64,
                limit: self.max_payload_bytes,
            });
        }
        // SAFETY: the plugin promises ptr/len describe its live bytes until release.
        let bytes = unsafe { payload.bytes() };
        let text = || {
            super::payload_text(bytes)
                .unwrap_or_else(|| format!("{} bytes that are not UTF-8 text", bytes.len()))
        };
        match status {
            abi::STATUS_OK => {
                let (decoded, unknown) =
                    tolerant::collect_unknown(|| self.encoding.decode::<AdapterResponse>(bytes));
                for value in &unknown {
                    tracing::warn!(target: "simpul::plugin", provider = %self.provider, "{value}");
                }
                decoded.map_err(|e| PluginErrorKind::BadResponse(e.to_string()))
            }
            // Not an AdapterError: a plugin's plain text is kept as its message; other bytes
            // (a broken MessagePack map) are described, never repeated.
            abi::STATUS_ERROR => Err(PluginErrorKind::Adapter(
                self.encoding.decode(bytes).unwrap_or_else(|_| {
                    let message = super::payload_text(bytes).unwrap_or_else(|| {
                        format!(
                            "an error payload of {} bytes that is neither a {} AdapterError nor text",
                            bytes.len(),
                            self.encoding.name()
                        )
                    });
                    AdapterError::new("INTERNAL", message)
                }),
            )),
            abi::STATUS_PANIC => Err(PluginErrorKind::Panicked(text())),
            abi::STATUS_POISONED => Err(PluginErrorKind::Poisoned),
            abi::STATUS_TIMEOUT => Err(PluginErrorKind::Timeout(std::time::Duration::ZERO)),
            abi::STATUS_CANCELLED => Err(PluginErrorKind::Cancelled),
            abi::STATUS_BAD_REQUEST => Err(PluginErrorKind::BadRequest(text())),
            other => Err(PluginErrorKind::UnknownStatus(other)),
        }
    }

    fn log(&self, call_id: u64, level: u32, message: &str) {
        let span = (call_id != 0)
            .then(|| self.calls().get(&call_id).map(|p| p.span.clone()))
            .flatten()
            .unwrap_or_else(tracing::Span::none);
        let provider = self.provider.as_str();
        span.in_scope(|| match level {
            abi::level::ERROR => tracing::error!(target: "simpul::plugin", provider, "{message}"),
            abi::level::WARN => tracing::warn!(target: "simpul::plugin", provider, "{message}"),
            abi::level::INFO => tracing::info!(target: "simpul::plugin", provider, "{message}"),
            _ => tracing::debug!(target: "simpul::plugin", provider, "{message}"),
        });
    }
}

unsafe extern "C" fn host_log(
    context: *mut c_void,
    call_id: u64,
    level: u32,
    ptr: *const u8,
    len: usize,
) {
    // A panic must not unwind into the plugin's frames (that would abort the process).
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if context.is_null() {
            return;
        }
        // SAFETY: the context is a leaked HostContext (lives forever); the message bytes are
        // borrowed for this call.
        let (context, bytes) = unsafe {
            let bytes = if ptr.is_null() {
                &[][..]
            } else {
                std::slice::from_raw_parts(ptr, len)
            };
            (&*context.cast::<HostContext>(), bytes)
        };
        context.log(call_id, level, &String::from_utf8_lossy(bytes));
    }));
}

unsafe extern "C" fn host_complete(
    context: *mut c_void,
    call_id: u64,
    status: Status,
    payload: Buffer,
) {
    let _ = catch_unwind(AssertUnwindSafe(move || {
        if context.is_null() {
            return;
        }
        // SAFETY: as in `host_log`.
        let context = unsafe { &*context.cast::<HostContext>() };
        context.complete(call_id, status, payload);
    }));
}
