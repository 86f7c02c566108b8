//! [`BbplkError`]: why the adapter cannot connect, why the database does not fit the contract,
//! and why a request cannot be answered.
//!
//! A bad *row* is never an error: it becomes a warning on its record or a
//! [`simpul_schema::SourceIssue`] in the source status. Messages name tables, columns and ids,
//! never a cell value: database messages that quote a value (`invalid input syntax …: "…"`) are
//! cut before the value, and decode errors keep only the column.

use sea_orm::{DbErr, RuntimeErr};
use simpul_plugin::AdapterError;

/// Everything that can go wrong in the BBPLK adapter.
#[derive(Debug, thiserror::Error)]
pub enum BbplkError {
    /// The configuration is unusable (`INVALID_CONFIG`).
    #[error("invalid BBPLK adapter config: {0}")]
    Config(String),
    /// The database cannot be reached or opened (`SOURCE_UNAVAILABLE`).
    #[error("cannot open the BBPLK database {target}: {reason}")]
    Connect {
        /// The URL or path, password redacted.
        target: String,
        /// The driver's reason.
        reason: String,
    },
    /// A table or column the contract promises is missing or unreadable (`SOURCE_INVALID`).
    #[error("the BBPLK database does not match the contract: table `{table}`: {reason}")]
    Schema {
        /// The table.
        table: &'static str,
        /// The database's reason.
        reason: String,
    },
    /// No pooled connection became free in time, or the connection broke
    /// (`SOURCE_UNAVAILABLE`).
    #[error("the BBPLK database is unavailable while reading {what}: {reason}")]
    Unavailable {
        /// What was being read.
        what: String,
        /// Why.
        reason: String,
    },
    /// The database cancelled a statement that ran past its `statement_timeout`
    /// (`SOURCE_TIMEOUT`).
    #[error("reading {what} from the BBPLK database took too long: {reason}")]
    Timeout {
        /// What was being read.
        what: String,
        /// The database's reason.
        reason: String,
    },
    /// A statement failed (`SOURCE_ERROR`).
    #[error("reading {what} from the BBPLK database failed: {reason}")]
    Query {
        /// What was being read.
        what: String,
        /// The database's reason, without values.
        reason: String,
    },
    /// The request cannot be answered as asked: unknown field, a literal that does not fit,
    /// an operator the field does not support, or a request whose size or shape the database
    /// refuses (`BAD_REQUEST`: the caller's fault, never counted against the source).
    #[error("{0}")]
    BadRequest(String),
}

impl BbplkError {
    /// The stable code the gateway sees (`AdapterError::code`).
    pub fn code(&self) -> &'static str {
        match self {
            BbplkError::Config(_) => "INVALID_CONFIG",
            BbplkError::Connect { .. } | BbplkError::Unavailable { .. } => "SOURCE_UNAVAILABLE",
            BbplkError::Schema { .. } => "SOURCE_INVALID",
            BbplkError::Timeout { .. } => "SOURCE_TIMEOUT",
            BbplkError::Query { .. } => "SOURCE_ERROR",
            BbplkError::BadRequest(_) => "BAD_REQUEST",
        }
    }

    /// A database error while reading `what`, classified and stripped of values.
    pub fn db(what: impl Into<String>, error: &DbErr) -> Self {
        let what = what.into();
        let reason = describe(error);
        if is_unavailable(error) {
            BbplkError::Unavailable { what, reason }
        } else if is_too_large(error) {
            BbplkError::BadRequest(format!(
                "the request is too large or complex for the BBPLK database (reading {what}): {reason}"
            ))
        } else if is_cancelled(error) {
            BbplkError::Timeout { what, reason }
        } else {
            BbplkError::Query { what, reason }
        }
    }
}

impl BbplkError {
    /// A page read on SQLite's own handle failed ([`crate::query::sqlite_pages`]): classified
    /// as [`BbplkError::db`] classifies sqlx's errors, described without values.
    pub fn sqlite(what: impl Into<String>, error: &rusqlite::Error) -> Self {
        use rusqlite::Error as R;
        let what = what.into();
        match error {
            R::SqliteFailure(e, message) => {
                let code = e.extended_code.to_string();
                let message = message.as_deref().unwrap_or("");
                let reason = format!("database error {code}: {}", without_values(message));
                if too_large(&code, message) {
                    BbplkError::BadRequest(format!(
                        "the request is too large or complex for the BBPLK database (reading {what}): {reason}"
                    ))
                } else {
                    BbplkError::Query { what, reason }
                }
            }
            R::InvalidColumnType(_, name, _) => BbplkError::Query {
                what,
                reason: format!("column `{name}` could not be decoded"),
            },
            R::FromSqlConversionFailure(index, _, _) => BbplkError::Query {
                what,
                reason: format!("column {index} could not be decoded"),
            },
            R::InvalidColumnName(name) => BbplkError::Query {
                what,
                reason: format!("column `{name}` not found"),
            },
            R::ToSqlConversionFailure(_) => BbplkError::Query {
                what,
                reason: "a parameter could not be bound".into(),
            },
            R::Utf8Error(_) | R::IntegralValueOutOfRange(..) => BbplkError::Query {
                what,
                reason: "a value could not be decoded".into(),
            },
            _ => BbplkError::Query {
                what,
                reason: "driver error".into(),
            },
        }
    }

    /// The pool could not lend a connection, or its worker is gone.
    pub fn pool(what: impl Into<String>, error: &sea_orm::sqlx::Error) -> Self {
        let (what, reason) = (what.into(), describe_sqlx(error));
        if driver_unavailable(error) {
            BbplkError::Unavailable { what, reason }
        } else {
            BbplkError::Query { what, reason }
        }
    }
}

impl From<BbplkError> for AdapterError {
    fn from(error: BbplkError) -> Self {
        AdapterError::new(error.code(), error.to_string())
    }
}

fn is_unavailable(error: &DbErr) -> bool {
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Query(RuntimeErr::SqlxError(e)) | DbErr::Exec(RuntimeErr::SqlxError(e)) => {
            driver_unavailable(e)
        }
        _ => false,
    }
}

/// Whether a driver error says the database cannot be reached (no pooled connection, I/O, TLS,
/// a crashed SQLite worker), not that a statement failed.
fn driver_unavailable(error: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as S;
    matches!(
        error,
        S::PoolTimedOut | S::PoolClosed | S::Io(_) | S::Tls(_) | S::WorkerCrashed
    )
}

/// The driver's error inside a [`DbErr`], if any.
fn sqlx_error(error: &DbErr) -> Option<&sea_orm::sqlx::Error> {
    match error {
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => Some(e),
        _ => None,
    }
}

/// Whether the database refused a statement for its size or shape, which the request's
/// filter decides: the caller's fault, not the source's. PostgreSQL: class 54 (program limit
/// exceeded: `statement too complex`, stack depth, too many columns or arguments), the
/// parser's stack (`42601 memory exhausted`), a text the server cannot hold (NUL: `22021`,
/// `22P05`), a regular expression too complex (`2201B`, from an `_ilike` pattern), and more
/// than 65,535 parameters (refused by the driver). SQLite: too many variables, an expression
/// tree deeper than 1,000, a `LIKE`/`GLOB` pattern too complex, the parser's stack, a
/// statement or value too big (`SQLITE_TOOBIG`).
fn is_too_large(error: &DbErr) -> bool {
    use sea_orm::sqlx::Error as S;
    match sqlx_error(error) {
        Some(S::Database(db)) => too_large(&db.code().unwrap_or_default(), db.message()),
        Some(S::Protocol(message)) => message.contains("too many arguments"),
        _ => false,
    }
}

/// [`is_too_large`] for a database's error code (PostgreSQL's SQLSTATE, SQLite's extended
/// result code in decimal) and message.
fn too_large(code: &str, message: &str) -> bool {
    match code {
        c if c.starts_with("54") && c.len() == 5 => true,
        "22021" | "22P05" | "2201B" => true,
        "42601" => message.starts_with("memory exhausted"),
        // SQLITE_TOOBIG: a string, blob or statement over the engine's length limit.
        "18" => true,
        // SQLite's limits that have no code of their own (SQLITE_ERROR).
        _ => [
            "too many SQL variables",
            "Expression tree is too large",
            "pattern too complex",
            "parser stack overflow",
            "too many terms in",
            "too many arguments on function",
            "too many columns",
        ]
        .iter()
        .any(|m| message.contains(m)),
    }
}

/// Whether the server cancelled the statement (PostgreSQL `57014`: its `statement_timeout`).
fn is_cancelled(error: &DbErr) -> bool {
    matches!(
        sqlx_error(error),
        Some(sea_orm::sqlx::Error::Database(db)) if db.code().as_deref() == Some("57014")
    )
}

/// A database error as text that carries no cell values.
pub fn describe(error: &DbErr) -> String {
    match error {
        DbErr::ConnectionAcquire(e) => format!("no pooled connection: {e}"),
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => describe_sqlx(e),
        DbErr::Type(_) | DbErr::TryIntoErr { .. } => "a value could not be decoded".into(),
        DbErr::RecordNotFound(_) => "no such record".into(),
        _ => "database error".into(),
    }
}

/// A driver error as text without values.
pub fn describe_sqlx(error: &sea_orm::sqlx::Error) -> String {
    use sea_orm::sqlx::Error as S;
    match error {
        S::Database(db) => {
            let code = db.code().map(|c| format!(" {c}")).unwrap_or_default();
            format!("database error{code}: {}", without_values(db.message()))
        }
        S::ColumnDecode { index, .. } => format!("column {index} could not be decoded"),
        S::ColumnNotFound(name) => format!("column `{name}` not found"),
        S::Decode(_) => "a value could not be decoded".into(),
        S::PoolTimedOut => "timed out waiting for a pooled connection".into(),
        S::PoolClosed => "the connection pool is closed".into(),
        S::Io(e) => format!("I/O error: {}", e.kind()),
        S::Tls(_) => "TLS error".into(),
        S::Configuration(_) => "the connection settings are invalid".into(),
        S::Protocol(_) => "protocol error".into(),
        _ => "driver error".into(),
    }
}

/// Cut a database message before a quoted value (`…: "3275…"`); identifiers quoted elsewhere
/// (`column "x" does not exist`) stay.
fn without_values(message: &str) -> String {
    match message.find(": \"").or_else(|| message.find(": '")) {
        Some(at) => format!("{}: …", &message[..at]),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cut_from_messages() {
        assert_eq!(
            without_values("invalid input syntax for type integer: \"32750505\""),
            "invalid input syntax for type integer: …"
        );
        assert_eq!(
            without_values("column \"nik\" does not exist"),
            "column \"nik\" does not exist"
        );
    }

    #[test]
    fn codes() {
        assert_eq!(BbplkError::BadRequest("x".into()).code(), "BAD_REQUEST");
        let e: AdapterError = BbplkError::Config("x".into()).into();
        assert_eq!(e.code, "INVALID_CONFIG");
    }
}
