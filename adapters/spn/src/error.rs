//! Why an SPN export, or one of its files, cannot be loaded: the folder is unusable (the
//! adapter cannot start), or a whole file is (that file is rejected, the others are served).
//!
//! A bad *row* is never an error: it becomes a [`simpul_schema::SourceIssue`] in the source
//! status. Every variant names the file (and line where one applies) and never carries cell
//! values, so the message is safe to log.

use std::path::PathBuf;

use simpul_adapter_toolkit::csv::TableError;

/// A folder or file problem that stops the SPN adapter from loading.
#[derive(Debug, thiserror::Error)]
pub enum SpnError {
    /// The configured data folder does not exist.
    #[error("SPN data folder `{}` does not exist", path.display())]
    FolderMissing {
        /// The configured `data_dir`.
        path: PathBuf,
    },
    /// The data folder exists but cannot be listed (permissions, not a folder, ...).
    #[error("SPN data folder `{}` cannot be read: {source}", path.display())]
    FolderUnreadable {
        /// The configured `data_dir`.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A file the contract requires is not in the folder.
    #[error("SPN data folder `{}` has no `{file}` (required by the SPN contract)", dir.display())]
    FileMissing {
        /// The data folder.
        dir: PathBuf,
        /// The missing file's name (`peserta.csv`).
        file: &'static str,
    },
    /// A file exists but cannot be read.
    #[error("`{file}` cannot be read: {source}")]
    FileUnreadable {
        /// The file's name.
        file: &'static str,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A file has zero bytes (or only a byte-order mark and blank lines): it has no header, so
    /// it is not even an empty table. A header-only file is a valid empty table.
    #[error("`{file}` is empty: it has no header line (a zero-byte file is not a valid export)")]
    EmptyFile {
        /// The file's name.
        file: &'static str,
    },
    /// The header lacks a column the contract marks as required.
    #[error("`{file}` line {line}: the header has no required column `{column}`")]
    MissingColumn {
        /// The file's name.
        file: &'static str,
        /// The header's line (1-based).
        line: u64,
        /// The required column.
        column: &'static str,
    },
}

impl From<TableError> for SpnError {
    fn from(e: TableError) -> Self {
        match e {
            TableError::Empty { file } => SpnError::EmptyFile { file },
            TableError::MissingColumn { file, line, column } => {
                SpnError::MissingColumn { file, line, column }
            }
        }
    }
}

impl SpnError {
    /// The stable code of a file-level error, as its [`simpul_schema::SourceIssue`] carries it.
    pub fn code(&self) -> &'static str {
        match self {
            SpnError::FolderMissing { .. } => "FOLDER_MISSING",
            SpnError::FolderUnreadable { .. } => "FOLDER_UNREADABLE",
            SpnError::FileMissing { .. } => "FILE_MISSING",
            SpnError::FileUnreadable { .. } => "FILE_UNREADABLE",
            SpnError::EmptyFile { .. } => "FILE_EMPTY",
            SpnError::MissingColumn { .. } => "MISSING_REQUIRED_COLUMNS",
        }
    }

    /// The file the error is about, when it is about one file.
    pub fn file(&self) -> Option<&'static str> {
        match self {
            SpnError::FolderMissing { .. } | SpnError::FolderUnreadable { .. } => None,
            SpnError::FileMissing { file, .. }
            | SpnError::FileUnreadable { file, .. }
            | SpnError::EmptyFile { file }
            | SpnError::MissingColumn { file, .. } => Some(file),
        }
    }
}
