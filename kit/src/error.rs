//! [`KitError`]: why the suite could not run at all (as opposed to a check that failed, which is
//! part of the [`crate::Report`]).

use std::path::PathBuf;

/// Why the conformance suite could not run.
#[derive(Debug, thiserror::Error)]
pub enum KitError {
    /// The config file cannot be read.
    #[error("cannot read the config file {}: {source}", path.display())]
    ConfigRead {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The config file is neither a TOML table nor a JSON object.
    #[error("the config file {} is not {expected}: {reason}", path.display())]
    ConfigParse {
        /// The file.
        path: PathBuf,
        /// What it was read as (`TOML`, `JSON`).
        expected: &'static str,
        /// The parser's message.
        reason: String,
    },
    /// The async runtime the suite runs on could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}
