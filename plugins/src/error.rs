//! The plugin system's one error type: every way loading, creating or calling a plugin fails,
//! each naming the library.

use std::path::PathBuf;
use std::time::Duration;

use crate::AdapterError;

/// Why a plugin cannot be loaded, created or called.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginError {
    /// The file could not be loaded as a library, or its header is malformed.
    #[error("{}: cannot load plugin: {reason}", library.display())]
    Load {
        /// The library file.
        library: PathBuf,
        /// Why.
        reason: String,
    },
    /// The library does not export the entry symbol.
    #[error("{}: not a Simpul plugin: it does not export `{symbol}`", library.display())]
    MissingEntry {
        /// The library file.
        library: PathBuf,
        /// The symbol looked for.
        symbol: &'static str,
    },
    /// The header does not start with the magic bytes.
    #[error("{}: not a Simpul plugin: header magic is {found:?}, expected {:?}", library.display(), crate::abi::MAGIC)]
    BadMagic {
        /// The library file.
        library: PathBuf,
        /// The bytes found.
        found: [u8; 8],
    },
    /// The plugin was built for another major ABI version.
    #[error("{}: plugin ABI {}.{} is incompatible with host ABI {}.{} (majors differ)", library.display(), plugin.0, plugin.1, host.0, host.1)]
    AbiMismatch {
        /// The library file.
        library: PathBuf,
        /// The plugin's (major, minor).
        plugin: (u16, u16),
        /// The host's (major, minor).
        host: (u16, u16),
    },
    /// The plugin declares that an internal error aborts the process (`aborts_on_panic`; a
    /// Rust plugin built with `panic = "abort"`).
    #[error("{}: plugin declares aborts_on_panic (a Rust plugin built with panic = \"abort\"): one panic would take the gateway down, so it is refused", library.display())]
    NotUnwinding {
        /// The library file.
        library: PathBuf,
    },
    /// The header or function table breaks the ABI: misaligned, too short, a required slot
    /// null.
    #[error("{}: invalid plugin header: {reason}", library.display())]
    BadHeader {
        /// The library file.
        library: PathBuf,
        /// Which rule it breaks.
        reason: String,
    },
    /// The manifest is not valid JSON of the expected shape.
    #[error("{}: invalid manifest: {reason}", library.display())]
    BadManifest {
        /// The library file.
        library: PathBuf,
        /// Why.
        reason: String,
    },
    /// The config does not satisfy the plugin's config schema.
    #[error("{}: invalid config: {}", library.display(), problems.join("; "))]
    InvalidConfig {
        /// The library file.
        library: PathBuf,
        /// Each violation.
        problems: Vec<String>,
    },
    /// `create` panicked.
    #[error("{}: plugin panicked while creating an instance: {message}", library.display())]
    CreatePanicked {
        /// The library file.
        library: PathBuf,
        /// The panic message.
        message: String,
    },
    /// `create` reported an error.
    #[error("{}: plugin could not create an instance: {reason}", library.display())]
    CreateFailed {
        /// The library file.
        library: PathBuf,
        /// Why.
        reason: String,
    },
    /// A call failed.
    #[error("{}: provider `{provider}`: {kind}", library.display())]
    Call {
        /// The library file.
        library: PathBuf,
        /// The provider key of the instance.
        provider: String,
        /// What went wrong.
        #[source]
        kind: PluginErrorKind,
    },
}

/// What went wrong with a call, inside [`PluginError::Call`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginErrorKind {
    /// The adapter answered with an error.
    #[error("adapter error {0}")]
    Adapter(AdapterError),
    /// The adapter panicked; the instance is poisoned.
    #[error("the adapter panicked: {0}")]
    Panicked(String),
    /// The instance panicked earlier and refuses calls.
    #[error("the instance is poisoned by an earlier panic")]
    Poisoned,
    /// No answer within the deadline.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The call was cancelled.
    #[error("the call was cancelled")]
    Cancelled,
    /// The plugin did not understand the request.
    #[error("the plugin rejected the request: {0}")]
    BadRequest(String),
    /// The plugin's answer was not a valid response.
    #[error("the plugin's answer is not a valid response: {0}")]
    BadResponse(String),
    /// The plugin completed with a status this host does not know.
    #[error("the plugin completed with unknown status {0}")]
    UnknownStatus(u32),
    /// The plugin's answer was larger than the host accepts.
    #[error("the plugin's answer is {size} bytes, more than the {limit} bytes the host accepts")]
    PayloadTooLarge {
        /// Its size.
        size: u64,
        /// The host's limit ([`crate::HostInfo::max_payload_bytes`]).
        limit: u64,
    },
    /// The instance's call queue is full (its dispatch threads are all busy or blocked).
    #[error("the plugin has too many calls waiting")]
    Busy,
}
