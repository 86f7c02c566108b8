//! [`KitError`]: why the suite, a replay or a bench could not run at all (as opposed to a check
//! that failed or an answer that differs, which are part of their reports).

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
    /// The recording cannot be read.
    #[error("cannot read the recording {}: {source}", path.display())]
    RecordingRead {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line of the recording is not a recorded call.
    #[error("{} line {line}: {reason}", path.display())]
    RecordingLine {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// What is wrong with it (never its content).
        reason: String,
    },
    /// The recording holds no call.
    #[error("the recording {} holds no recorded call", path.display())]
    EmptyRecording {
        /// The file.
        path: PathBuf,
    },
    /// The library cannot be loaded, its config is refused, or no instance can be created.
    #[error("{0}")]
    Plugin(#[from] simpul_plugin::PluginError),
}
