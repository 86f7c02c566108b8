//! Why generation failed. Every variant names the plan setting, file, database or path that
//! failed and what was being done; none carries generated personal data.

use std::path::PathBuf;

/// A plan that cannot be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// `participants` is 0.
    #[error("--participants must be at least 1")]
    NoParticipants,
    /// `participants` is above [`crate::plan::MAX_PARTICIPANTS`].
    #[error("--participants {asked} is above the maximum of {max}")]
    TooManyParticipants {
        /// What was asked.
        asked: u64,
        /// The limit.
        max: u64,
    },
    /// The overlap fraction is not in `0..=1`.
    #[error("--overlap must be a fraction between 0 and 1, not {0}")]
    Overlap(f64),
    /// No provider selected.
    #[error("--providers names no provider (use spn, bbplk, bpjamsostek)")]
    NoProviders,
    /// An unknown provider name.
    #[error("unknown provider `{0}` (use spn, bbplk, bpjamsostek)")]
    UnknownProvider(String),
    /// An unknown BBPLK format.
    #[error("unknown BBPLK format `{0}` (use sqlite, sql or both)")]
    UnknownFormat(String),
}

/// Generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The plan is invalid.
    #[error("invalid plan: {0}")]
    Plan(#[from] PlanError),
    /// A folder could not be created.
    #[error("cannot create folder `{}`: {source}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be created or written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A record could not be serialised to JSON.
    #[error("cannot serialise a record for `{}`: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// serde_json's reason.
        #[source]
        source: serde_json::Error,
    },
    /// A database step failed.
    #[error("{target}: {step} failed: {source}")]
    Database {
        /// The SQLite file or the PostgreSQL URL (password hidden).
        target: String,
        /// What was being done (`creating table peserta`, `inserting into pendaftaran`).
        step: String,
        /// The driver's reason.
        #[source]
        source: sea_orm::DbErr,
    },
    /// The target database is not empty.
    #[error("{target}: the database already has a `{table}` table; load into an empty database")]
    NotEmpty {
        /// The PostgreSQL URL (password hidden).
        target: String,
        /// The table found.
        table: String,
    },
    /// A worker thread panicked or was cancelled.
    #[error("the {provider} generator stopped unexpectedly: {reason}")]
    Task {
        /// The provider whose worker failed.
        provider: &'static str,
        /// The panic or cancellation message.
        reason: String,
    },
}

impl GenerateError {
    /// A write error for `path`.
    pub(crate) fn write(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| GenerateError::Write { path, source }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some(parts) => parts,
        None => return url.to_owned(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_password() {
        assert_eq!(
            redact_url("postgres://u:p@w@localhost:5432/x"),
            "postgres://u:***@localhost:5432/x"
        );
        assert_eq!(
            redact_url("postgres://localhost/x"),
            "postgres://localhost/x"
        );
    }
}
