//! The stable C ABI between the gateway (host) and adapter plugins (guests).
//!
//! Everything here is `#[repr(C)]` and made of integers, raw pointers and `extern "C"` function
//! pointers: no Rust-specific type crosses the boundary, so a plugin built with another rustc
//! and other crate versions works. Messages are JSON bytes ([`simpul_schema::AdapterRequest`],
//! [`simpul_schema::AdapterResponse`]). See `docs/abi.md` for the protocol and the versioning
//! policy.
#![allow(unsafe_code)]

use std::ffi::c_void;

/// The first eight bytes of every header.
pub const MAGIC: [u8; 8] = *b"SIMPUL\0\x01";
/// Incompatible changes bump the major version; the host refuses any other major.
pub const ABI_MAJOR: u16 = 1;
/// Compatible additions (fields appended to the header or function table) bump the minor.
pub const ABI_MINOR: u16 = 0;
/// The one symbol a plugin exports: `extern "C" fn() -> *const PluginHeader`.
pub const ENTRY_SYMBOL: &str = "simpul_plugin_entry";

/// Signature of [`ENTRY_SYMBOL`].
pub type EntryFn = unsafe extern "C" fn() -> *const PluginHeader;

/// Outcome of a call, as a plain integer (an unknown value from a newer plugin must not be UB).
pub type Status = u32;
/// Success; the payload is the JSON response.
pub const STATUS_OK: Status = 0;
/// The adapter reported an error; the payload is a JSON [`crate::AdapterError`].
pub const STATUS_ERROR: Status = 1;
/// The adapter panicked; the payload is the panic message. The instance is now poisoned.
pub const STATUS_PANIC: Status = 2;
/// The instance panicked earlier and refuses further calls.
pub const STATUS_POISONED: Status = 3;
/// The call was cancelled by the host.
pub const STATUS_CANCELLED: Status = 4;
/// The call ran past its deadline.
pub const STATUS_TIMEOUT: Status = 5;
/// The request bytes were not a valid message.
pub const STATUS_BAD_REQUEST: Status = 6;

/// Log levels passed to [`LogSink`].
pub mod level {
    /// Errors.
    pub const ERROR: u32 = 1;
    /// Warnings (rejected input rows, for example).
    pub const WARN: u32 = 2;
    /// Information.
    pub const INFO: u32 = 3;
    /// Debugging detail.
    pub const DEBUG: u32 = 4;
}

/// The static description a plugin returns from its entry symbol. The host reads `magic`,
/// then `abi_major`, before anything else, and only then trusts `header_size` and the rest.
#[repr(C)]
pub struct PluginHeader {
    /// Must equal [`MAGIC`].
    pub magic: [u8; 8],
    /// Must equal the host's [`ABI_MAJOR`].
    pub abi_major: u16,
    /// The plugin's [`ABI_MINOR`]; fields added in later minors are read only when present.
    pub abi_minor: u16,
    /// `size_of::<PluginHeader>()` as the plugin was built.
    pub header_size: u32,
    /// 1 when the plugin was built with `panic = "unwind"`; the host refuses 0, because a
    /// panic in an aborting plugin would take the whole gateway down.
    pub unwinds: u8,
    /// Zero.
    pub reserved: [u8; 7],
    /// UTF-8 JSON [`crate::Manifest`], static for the life of the process.
    pub manifest_ptr: *const u8,
    /// Length of the manifest in bytes.
    pub manifest_len: usize,
    /// The function table, static for the life of the process.
    pub functions: *const FunctionTable,
}

// SAFETY: a header is immutable static data; its pointers point at other immutable statics.
unsafe impl Sync for PluginHeader {}
// SAFETY: as above.
unsafe impl Send for PluginHeader {}

/// The plugin's functions. `size` comes first so later minors can append entries.
#[repr(C)]
#[derive(Debug)]
pub struct FunctionTable {
    /// `size_of::<FunctionTable>()` as the plugin was built.
    pub size: u32,
    /// Create an instance from JSON config bytes. Blocks until the adapter is ready. On
    /// success writes the instance to `out_instance` and returns [`STATUS_OK`]; otherwise
    /// writes a message to `out_error` (UTF-8, to be released by the host).
    pub create: unsafe extern "C" fn(
        config_ptr: *const u8,
        config_len: usize,
        log: LogSink,
        out_instance: *mut *mut c_void,
        out_error: *mut Buffer,
    ) -> Status,
    /// Start a call. Returns at once; `completion` fires exactly once, from any thread,
    /// possibly before `call` returns. `timeout_ms` is the deadline the plugin enforces;
    /// `call_id` names the call for `cancel`.
    pub call: unsafe extern "C" fn(
        instance: *mut c_void,
        request_ptr: *const u8,
        request_len: usize,
        timeout_ms: u64,
        call_id: u64,
        completion: Completion,
    ),
    /// Ask a running call to stop; it then completes with [`STATUS_CANCELLED`]. Unknown ids
    /// are ignored.
    pub cancel: unsafe extern "C" fn(instance: *mut c_void, call_id: u64),
    /// Stop the instance's runtime, wait for its threads and free it. Blocks. The host calls
    /// it once, after releasing every buffer the instance returned.
    pub destroy: unsafe extern "C" fn(instance: *mut c_void),
}

/// Bytes owned by the side that allocated them, freed only through `release`
/// (the Arrow C Data Interface convention).
#[repr(C)]
pub struct Buffer {
    /// Start of the bytes (null when empty).
    pub ptr: *const u8,
    /// Number of bytes.
    pub len: usize,
    /// Allocator-private state.
    pub private: *mut c_void,
    /// Frees the bytes and sets `release` to `None`. `None` means already released or empty.
    pub release: Option<unsafe extern "C" fn(buffer: *mut Buffer)>,
}

impl Buffer {
    /// An empty buffer that needs no release.
    pub const fn empty() -> Self {
        Self {
            ptr: std::ptr::null(),
            len: 0,
            private: std::ptr::null_mut(),
            release: None,
        }
    }

    /// Hand bytes over; the receiver must call `release` once it has read them.
    pub fn from_vec(bytes: Vec<u8>) -> Self {
        let boxed = Box::new(bytes);
        let ptr = boxed.as_ptr();
        let len = boxed.len();
        Self {
            ptr,
            len,
            private: Box::into_raw(boxed).cast(),
            release: Some(release_vec),
        }
    }

    /// Copy the bytes out and release the buffer.
    ///
    /// # Safety
    /// `ptr`/`len` must describe readable memory and `release` must be this buffer's own
    /// release function, not yet called.
    pub unsafe fn take(mut self) -> Vec<u8> {
        let bytes = if self.ptr.is_null() || self.len == 0 {
            Vec::new()
        } else {
            // SAFETY: the caller guarantees ptr/len describe the allocator's live bytes.
            unsafe { std::slice::from_raw_parts(self.ptr, self.len) }.to_vec()
        };
        if let Some(release) = self.release {
            // SAFETY: release belongs to this buffer and has not run (it resets itself to None).
            unsafe { release(&mut self) };
        }
        bytes
    }
}

unsafe extern "C" fn release_vec(buffer: *mut Buffer) {
    // SAFETY: only installed by `Buffer::from_vec`, whose `private` is a leaked Box<Vec<u8>>.
    unsafe {
        let buffer = &mut *buffer;
        if !buffer.private.is_null() {
            drop(Box::from_raw(buffer.private.cast::<Vec<u8>>()));
        }
        buffer.private = std::ptr::null_mut();
        buffer.ptr = std::ptr::null();
        buffer.len = 0;
        buffer.release = None;
    }
}

/// Where a call's result goes: `complete(context, status, payload)`, called exactly once. The
/// receiver owns `payload` and releases it.
#[repr(C)]
pub struct Completion {
    /// The host's state for this call.
    pub context: *mut c_void,
    /// The host's callback.
    pub complete: unsafe extern "C" fn(context: *mut c_void, status: Status, payload: Buffer),
}

// SAFETY: the host's completion context is built to be completed from any thread.
unsafe impl Send for Completion {}

/// Where a plugin's log lines go: `log(context, level, message)`; the message is UTF-8 and
/// only borrowed for the duration of the call.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct LogSink {
    /// The host's state (valid until the instance is destroyed).
    pub context: *const c_void,
    /// The host's callback.
    pub log: unsafe extern "C" fn(context: *const c_void, level: u32, ptr: *const u8, len: usize),
}

// SAFETY: the host's log context is immutable and lives until the instance is destroyed.
unsafe impl Send for LogSink {}
// SAFETY: as above.
unsafe impl Sync for LogSink {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_round_trip_and_release_once() {
        let buffer = Buffer::from_vec(b"hello".to_vec());
        // SAFETY: a fresh buffer from from_vec.
        let bytes = unsafe { buffer.take() };
        assert_eq!(bytes, b"hello");
        // SAFETY: an empty buffer has nothing to read or release.
        assert!(unsafe { Buffer::empty().take() }.is_empty());
    }
}
