//! The stable C ABI between the gateway (host) and adapter plugins (guests), as Rust types.
//!
//! `plugins/include/simpul_plugin.h` is the source of truth; these `#[repr(C)]` definitions
//! mirror it field for field, and a test compiles C against the header and compares sizes and
//! offsets. Only integers, raw pointers and nullable `extern "C"` function pointers cross the
//! boundary, so a plugin built with another compiler (or in another language) works, and an
//! all-zero struct is always a valid value: that is what lets a reader copy `min(its size,
//! the stated size)` bytes and zero-fill the rest ([`read_sized`]). Messages are JSON
//! ([`simpul_schema::AdapterRequest`], [`simpul_schema::AdapterResponse`]). See `docs/abi.md`
//! for the protocol and the versioning rules.
#![allow(unsafe_code)]

use std::ffi::c_void;

/// The first eight bytes of every header.
pub const MAGIC: [u8; 8] = *b"SIMPUL\0\x01";
/// Incompatible changes bump the major version; the host refuses any other major.
pub const ABI_MAJOR: u16 = 1;
/// Compatible additions (fields appended to a struct, new statuses) bump the minor. 1.1: the
/// MessagePack encoding ([`crate::Encoding`]); 1.2: projections (the capability
/// `projection`, `QueryRequest.fields`); 1.3: `QueryRequest.requestId`, the gateway request
/// a call serves.
pub const ABI_MINOR: u16 = 3;
/// The one symbol a plugin exports: `extern "C" fn() -> *const PluginHeader`.
pub const ENTRY_SYMBOL: &str = "simpul_plugin_entry";

/// `size_of::<PluginHeader>()` at ABI 1.0 on 64-bit targets: the least a v1 header may be.
pub const HEADER_SIZE_V1_0: usize = 8 + 2 + 2 + 4 + 1 + 7 + 3 * size_of::<usize>();
/// `size_of::<FunctionTable>()` at ABI 1.0: the least a v1 function table may be.
pub const FUNCTIONS_SIZE_V1_0: usize = 4 + 4 + 4 * size_of::<usize>();
/// `size_of::<HostApi>()` at ABI 1.0: the least a v1 host struct may be.
pub const HOST_SIZE_V1_0: usize = 4 + 2 + 2 + 5 * size_of::<usize>();

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

/// Log levels passed to [`HostApi::log`].
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

/// `simpul_plugin_header`: the static description a plugin returns from its entry symbol. The
/// host reads `magic`, then `abi_major`, before anything else, and only then trusts
/// `header_size` and the rest.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PluginHeader {
    /// Must equal [`MAGIC`].
    pub magic: [u8; 8],
    /// Must equal the host's [`ABI_MAJOR`].
    pub abi_major: u16,
    /// The plugin's [`ABI_MINOR`].
    pub abi_minor: u16,
    /// `size_of::<PluginHeader>()` as the plugin was built (at least [`HEADER_SIZE_V1_0`]).
    pub header_size: u32,
    /// 1 when an internal error aborts the process (Rust with `panic = "abort"`); the host
    /// refuses such a plugin, because one panic would take the gateway down.
    pub aborts_on_panic: u8,
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

/// `create`: build an instance from JSON config bytes.
pub type CreateFn = unsafe extern "C" fn(
    host: *const HostApi,
    config_ptr: *const u8,
    config_len: usize,
    out_instance: *mut *mut c_void,
    out_error: *mut Buffer,
) -> Status;
/// `call`: start a call; the answer comes through [`HostApi::complete`].
pub type CallFn = unsafe extern "C" fn(
    instance: *mut c_void,
    call_id: u64,
    request_ptr: *const u8,
    request_len: usize,
    timeout_ms: u64,
);
/// `cancel`: ask a running call to stop.
pub type CancelFn = unsafe extern "C" fn(instance: *mut c_void, call_id: u64);
/// `destroy`: free an instance.
pub type DestroyFn = unsafe extern "C" fn(instance: *mut c_void);

/// `simpul_functions`: the plugin's functions. `size` comes first so later minors can append
/// entries; `create` and `call` are required, `cancel` and `destroy` optional.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct FunctionTable {
    /// `size_of::<FunctionTable>()` as the plugin was built (at least [`FUNCTIONS_SIZE_V1_0`]).
    pub size: u32,
    /// Zero.
    pub reserved: u32,
    /// Create an instance (required). Blocks until the adapter is ready.
    pub create: Option<CreateFn>,
    /// Start a call (required).
    pub call: Option<CallFn>,
    /// Ask a running call to stop (optional).
    pub cancel: Option<CancelFn>,
    /// Free an instance after its last call has returned (optional).
    pub destroy: Option<DestroyFn>,
}

/// `log`: write a line about call `call_id` (0: none); the message is borrowed for the call.
pub type LogFn = unsafe extern "C" fn(
    context: *mut c_void,
    call_id: u64,
    level: u32,
    message_ptr: *const u8,
    message_len: usize,
);
/// `complete`: finish call `call_id`; the payload's ownership passes to the host.
pub type CompleteFn =
    unsafe extern "C" fn(context: *mut c_void, call_id: u64, status: Status, payload: Buffer);

/// `simpul_host`: the host as a plugin sees it, passed to `create`. The struct, its `info` and
/// its `context` stay valid for the life of the process.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct HostApi {
    /// `size_of::<HostApi>()` as the host was built (at least [`HOST_SIZE_V1_0`]).
    pub size: u32,
    /// The host's ABI major.
    pub abi_major: u16,
    /// The host's ABI minor.
    pub abi_minor: u16,
    /// UTF-8 JSON [`crate::HostInfo`].
    pub info_ptr: *const u8,
    /// Length of `info` in bytes.
    pub info_len: usize,
    /// Opaque; passed back to `log` and `complete`.
    pub context: *mut c_void,
    /// Write a log line.
    pub log: Option<LogFn>,
    /// Finish a call.
    pub complete: Option<CompleteFn>,
}

// SAFETY: the host's struct and context are immutable statics, usable from any thread.
unsafe impl Send for HostApi {}
// SAFETY: as above.
unsafe impl Sync for HostApi {}

/// Copy a versioned struct that says it is `stated` bytes long: `min(stated, size_of::<T>())`
/// bytes, the rest zero. Fields a newer minor appended are ignored; fields an older minor lacks
/// read as zero (absent).
///
/// # Safety
/// `ptr` must be aligned for `T` and point at `stated` readable bytes, and `T` must be a
/// `#[repr(C)]` struct of integers, raw pointers and `Option<fn>`s (all-zero is valid).
pub unsafe fn read_sized<T: Copy>(ptr: *const T, stated: usize) -> T {
    let mut value = std::mem::MaybeUninit::<T>::zeroed();
    let n = stated.min(size_of::<T>());
    // SAFETY: the caller guarantees `n` readable bytes at `ptr`; `value` has room for them.
    unsafe {
        std::ptr::copy_nonoverlapping(ptr.cast::<u8>(), value.as_mut_ptr().cast::<u8>(), n);
        value.assume_init()
    }
}

/// Bytes owned by the side that allocated them, freed only through `release`
/// (the Arrow C Data Interface convention).
#[repr(C)]
#[derive(Debug)]
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

// SAFETY: a buffer's bytes are immutable and its release may run on any thread (ABI rule).
unsafe impl Send for Buffer {}

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

    /// The bytes, borrowed.
    ///
    /// # Safety
    /// `ptr`/`len` must describe readable memory that lives as long as the buffer.
    pub unsafe fn bytes(&self) -> &[u8] {
        if self.ptr.is_null() || self.len == 0 {
            &[]
        } else {
            // SAFETY: the caller guarantees ptr/len describe the allocator's live bytes.
            unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
        }
    }

    /// Release the bytes (once; later calls do nothing).
    ///
    /// # Safety
    /// `release` must be this buffer's own release function.
    pub unsafe fn release(&mut self) {
        if let Some(release) = self.release {
            // SAFETY: release belongs to this buffer and has not run (it resets itself to
            // None; we clear it as well in case a foreign release forgets).
            unsafe { release(self) };
            self.release = None;
        }
    }

    /// Copy the bytes out and release the buffer.
    ///
    /// # Safety
    /// As for [`Buffer::bytes`] and [`Buffer::release`].
    pub unsafe fn take(mut self) -> Vec<u8> {
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { self.bytes() }.to_vec();
        // SAFETY: forwarded from the caller.
        unsafe { self.release() };
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

    #[cfg(target_pointer_width = "64")]
    #[test]
    fn v1_0_sizes_are_frozen() {
        assert_eq!(size_of::<PluginHeader>(), 48);
        assert_eq!(size_of::<FunctionTable>(), 40);
        assert_eq!(size_of::<HostApi>(), 48);
        assert_eq!(size_of::<Buffer>(), 32);
        assert_eq!(HEADER_SIZE_V1_0, 48);
        assert_eq!(FUNCTIONS_SIZE_V1_0, 40);
        assert_eq!(HOST_SIZE_V1_0, 48);
    }

    #[test]
    fn sized_reads_ignore_what_is_newer_and_zero_what_is_older() {
        #[repr(C)]
        #[derive(Clone, Copy)]
        struct Newer {
            table: FunctionTable,
            extra: u64,
        }
        let newer = Newer {
            table: FunctionTable {
                size: size_of::<Newer>() as u32,
                reserved: 0,
                create: None,
                call: None,
                cancel: None,
                destroy: None,
            },
            extra: u64::MAX,
        };
        // SAFETY: `newer` is readable for its whole size and aligned like FunctionTable.
        let read = unsafe { read_sized(&newer.table, newer.table.size as usize) };
        assert_eq!(read.size as usize, size_of::<Newer>());
        // An "older" table that stops before `destroy`: it reads as None.
        let mut full = newer.table;
        full.destroy = Some(noop_destroy);
        // SAFETY: a prefix of a live table.
        let older = unsafe { read_sized(&full, FUNCTIONS_SIZE_V1_0 - size_of::<usize>()) };
        assert!(older.destroy.is_none());
    }

    unsafe extern "C" fn noop_destroy(_: *mut c_void) {}
}
