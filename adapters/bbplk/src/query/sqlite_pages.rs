//! Pages read from SQLite on the pooled connection's own handle.
//!
//! sqlx runs each SQLite connection on a worker thread that copies every value of every row
//! (`sqlite3_value_dup`) and sends the rows one by one over a channel to the reader, which
//! frees them: for a page of 10,000 participants, allocation, wake-ups and thread switches took
//! about 95 % of the time and SQLite's own work under 1 % (`perf`, README "Benchmarks"). Here
//! a page is read on a blocking thread with the connection locked out of its worker (sqlx's
//! [`LockedSqliteHandle`](sea_orm::sqlx::sqlite::LockedSqliteHandle)): the statement
//! prepared, bound and stepped, and each row decoded straight into its struct. PostgreSQL, and
//! every other SQLite statement (aggregates, counts, the status), still go through sea-orm.
//!
//! ```no_run
//! # async fn page(db: &sea_orm::DatabaseConnection, stmt: sea_orm::Statement)
//! # -> Result<(), simpul_adapter_bbplk::BbplkError> {
//! use simpul_adapter_bbplk::mapping::rows::ParticipantRow;
//! use simpul_adapter_bbplk::query::sqlite_pages;
//!
//! let pool = db.get_sqlite_connection_pool();
//! let page = sqlite_pages::fetch::<ParticipantRow>(pool, stmt, &["cursor_0"], "participants").await?;
//! println!("{} rows, next page after {:?}", page.rows.len(), page.next);
//! # Ok(()) }
//! ```
// The one `unsafe` of the crate: wrapping sqlx's locked handle in a `rusqlite::Connection`.
#![allow(unsafe_code)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rusqlite::types::Value as Param;
use sea_orm::sea_query::Value;
use sea_orm::sqlx::SqlitePool;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement};

use crate::error::BbplkError;

/// A row struct read by column name from a stepped SQLite row (declared with its
/// `FromQueryResult` twin by `rows!` in [`crate::mapping::rows`]).
pub trait FromSqliteRow: Sized {
    /// The column aliases the struct reads, in field order.
    const COLUMNS: &'static [&'static str];

    /// The row, from the columns at `at` (the statement's indexes of [`Self::COLUMNS`]).
    ///
    /// # Errors
    /// A column missing or of another type than the field's.
    fn from_row(row: &rusqlite::Row<'_>, at: &[usize]) -> rusqlite::Result<Self>;
}

/// A connection pages are read on: sea-orm's, and SQLite's pool where there is one, whose
/// pages [`fetch`] reads (a transaction has none: PostgreSQL's status pass runs in one).
pub trait ReadConnection: ConnectionTrait {
    /// The SQLite pool behind the connection, if it is one.
    fn sqlite_pool(&self) -> Option<&SqlitePool>;
}

impl ReadConnection for DatabaseConnection {
    fn sqlite_pool(&self) -> Option<&SqlitePool> {
        matches!(self.get_database_backend(), DbBackend::Sqlite)
            .then(|| self.get_sqlite_connection_pool())
    }
}

impl ReadConnection for DatabaseTransaction {
    fn sqlite_pool(&self) -> Option<&SqlitePool> {
        None
    }
}

/// A page's rows, and the integer cursor columns of its last row (`cursor_0`, `cursor_1`),
/// when the statement projected them.
#[derive(Debug)]
pub struct Page<R> {
    /// The rows, in the statement's order.
    pub rows: Vec<R>,
    /// The named cursor columns' values in the last row, in the order of `cursor`.
    pub next: Option<Vec<i64>>,
}

/// How often (in rows) a read checks that its caller still waits.
const CHECK_EVERY: usize = 256;

/// Read `stmt`'s rows as `R`s on one of `pool`'s connections, with the values of the `cursor`
/// columns (those the statement projects) of the last row.
///
/// The read runs on tokio's blocking pool, so the async workers keep serving; if the caller
/// stops waiting (a timeout, a dropped request) the read stops within [`CHECK_EVERY`] rows.
///
/// # Errors
/// [`BbplkError::Unavailable`] when no connection can be had; otherwise the statement's or a
/// row's error, classified by [`BbplkError::sqlite`].
pub async fn fetch<R: FromSqliteRow + Send + 'static>(
    pool: &SqlitePool,
    stmt: Statement,
    cursor: &'static [&'static str],
    what: &str,
) -> Result<Page<R>, BbplkError> {
    let mut connection = pool
        .acquire()
        .await
        .map_err(|e| BbplkError::pool(what, &e))?;
    let params = stmt
        .values
        .map(|v| v.0.into_iter().map(param).collect::<Result<Vec<_>, _>>())
        .transpose()
        .map_err(|e| BbplkError::sqlite(what, &e))?
        .unwrap_or_default();
    let gone = CallerGone::default();
    let abandoned = gone.0.clone();
    let runtime = tokio::runtime::Handle::current();
    let label = what.to_owned();
    let read = tokio::task::spawn_blocking(move || {
        let mut locked = runtime
            .block_on(connection.lock_handle())
            .map_err(|e| BbplkError::pool(&label, &e))?;
        // SAFETY: the handle is valid and no other thread uses it while `locked` lives (sqlx's
        // worker waits for the lock); `from_handle` does not close it when dropped, and the
        // `Connection` is dropped before `locked`.
        let db = unsafe { rusqlite::Connection::from_handle(locked.as_raw_handle().as_ptr()) }
            .map_err(|e| BbplkError::sqlite(&label, &e))?;
        let page = step::<R>(&db, &stmt.sql, params, cursor, &abandoned)
            .map_err(|e| BbplkError::sqlite(&label, &e));
        drop(db);
        page
    });
    let page = read.await.map_err(|e| BbplkError::Query {
        what: what.to_owned(),
        reason: format!("the page reader stopped: {e}"),
    })?;
    drop(gone);
    page
}

/// Sets its flag when dropped: when the caller of [`fetch`] stops waiting (its future dropped
/// before the read ends), or after the read.
#[derive(Default)]
struct CallerGone(Arc<AtomicBool>);

impl Drop for CallerGone {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Prepare, bind and step `sql` on `db`.
fn step<R: FromSqliteRow>(
    db: &rusqlite::Connection,
    sql: &str,
    params: Vec<Param>,
    cursor: &[&str],
    abandoned: &AtomicBool,
) -> rusqlite::Result<Page<R>> {
    let mut statement = db.prepare(sql)?;
    let at = R::COLUMNS
        .iter()
        .map(|c| statement.column_index(c))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let cursor_at: Vec<usize> = cursor
        .iter()
        .filter_map(|c| statement.column_index(c).ok())
        .collect();
    let mut rows = statement.query(rusqlite::params_from_iter(params))?;
    let mut page = Page {
        rows: Vec::new(),
        next: None,
    };
    let mut last = Vec::with_capacity(cursor_at.len());
    while let Some(row) = rows.next()? {
        if page.rows.len() % CHECK_EVERY == 0 && abandoned.load(Ordering::Relaxed) {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERRUPT),
                Some("the caller stopped waiting".into()),
            ));
        }
        page.rows.push(R::from_row(row, &at)?);
        last.clear();
        for &i in &cursor_at {
            last.push(row.get::<_, i64>(i)?);
        }
    }
    if !cursor_at.is_empty() && !page.rows.is_empty() {
        page.next = Some(last);
    }
    Ok(page)
}

/// A statement parameter as SQLite binds it, as sqlx would have: booleans and integers as
/// integers, floats as doubles, text and bytes as they are. The statements this adapter builds
/// bind nothing else (dates are compared as text).
fn param(value: Value) -> rusqlite::Result<Param> {
    let unsupported =
        |kind: &str| rusqlite::Error::ToSqlConversionFailure(format!("a {kind} parameter").into());
    Ok(match value {
        Value::Bool(v) => v.map_or(Param::Null, |b| Param::Integer(i64::from(b))),
        Value::TinyInt(v) => v.map_or(Param::Null, |n| Param::Integer(n.into())),
        Value::SmallInt(v) => v.map_or(Param::Null, |n| Param::Integer(n.into())),
        Value::Int(v) => v.map_or(Param::Null, |n| Param::Integer(n.into())),
        Value::BigInt(v) => v.map_or(Param::Null, Param::Integer),
        Value::TinyUnsigned(v) => v.map_or(Param::Null, |n| Param::Integer(n.into())),
        Value::SmallUnsigned(v) => v.map_or(Param::Null, |n| Param::Integer(n.into())),
        Value::Unsigned(v) => v.map_or(Param::Null, |n| Param::Integer(n.into())),
        Value::BigUnsigned(v) => match v {
            None => Param::Null,
            Some(n) => Param::Integer(i64::try_from(n).map_err(|_| unsupported("u64"))?),
        },
        Value::Float(v) => v.map_or(Param::Null, |f| Param::Real(f.into())),
        Value::Double(v) => v.map_or(Param::Null, Param::Real),
        Value::String(v) => v.map_or(Param::Null, |s| Param::Text(*s)),
        Value::Char(v) => v.map_or(Param::Null, |c| Param::Text(c.to_string())),
        Value::Bytes(v) => v.map_or(Param::Null, |b| Param::Blob(*b)),
        _ => return Err(unsupported("date, time or other typed")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Row {
        id: i64,
        name: Option<String>,
    }

    impl FromSqliteRow for Row {
        const COLUMNS: &'static [&'static str] = &["id", "name"];

        fn from_row(row: &rusqlite::Row<'_>, at: &[usize]) -> rusqlite::Result<Self> {
            Ok(Row {
                id: row.get(at[0])?,
                name: row.get(at[1])?,
            })
        }
    }

    fn table(rows: i64) -> rusqlite::Connection {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name)")
            .unwrap();
        for id in 1..=rows {
            db.execute("INSERT INTO t VALUES (?1, ?2)", (id, format!("n{id}")))
                .unwrap();
        }
        db
    }

    const SQL: &str = "SELECT name, id, id AS cursor_0 FROM t WHERE id > ?1 ORDER BY id";

    #[test]
    fn a_page_is_its_rows_in_order_with_the_last_cursor() {
        let db = table(1000);
        let page: Page<Row> = step(
            &db,
            SQL,
            vec![Param::Integer(990)],
            &["cursor_0", "cursor_1"],
            &AtomicBool::new(false),
        )
        .unwrap();
        let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, (991..=1000).collect::<Vec<_>>());
        assert_eq!(page.rows[0].name.as_deref(), Some("n991"));
        assert_eq!(page.next, Some(vec![1000]));
        let empty: Page<Row> = step(
            &db,
            SQL,
            vec![Param::Integer(1000)],
            &["cursor_0"],
            &AtomicBool::new(false),
        )
        .unwrap();
        assert!(empty.rows.is_empty() && empty.next.is_none());
    }

    #[test]
    fn a_read_whose_caller_is_gone_stops() {
        let db = table(1000);
        let read = step::<Row>(
            &db,
            SQL,
            vec![Param::Integer(0)],
            &[],
            &AtomicBool::new(true),
        );
        let error = read.unwrap_err();
        let BbplkError::Query { reason, .. } = BbplkError::sqlite("t", &error) else {
            panic!("{error}");
        };
        assert!(reason.contains("the caller stopped waiting"), "{reason}");
    }

    #[test]
    fn a_value_of_another_type_is_an_error_naming_its_column_not_its_value() {
        let db = table(3);
        db.execute("UPDATE t SET name = 32750505 WHERE id = 2", ())
            .unwrap();
        let read = step::<Row>(
            &db,
            SQL,
            vec![Param::Integer(0)],
            &[],
            &AtomicBool::new(false),
        );
        let message = BbplkError::sqlite("participants", &read.unwrap_err()).to_string();
        assert!(
            message.contains("column `name` could not be decoded"),
            "{message}"
        );
        assert!(!message.contains("32750505"), "{message}");
        let missing = step::<Row>(
            &db,
            "SELECT id FROM t",
            vec![],
            &[],
            &AtomicBool::new(false),
        );
        let message = BbplkError::sqlite("participants", &missing.unwrap_err()).to_string();
        assert!(message.contains("column `name` not found"), "{message}");
    }

    #[test]
    fn a_statement_over_the_engine_limits_is_a_bad_request() {
        let db = table(1);
        let params: Vec<Param> = (0..40_000).map(Param::Integer).collect();
        let marks = vec!["?"; params.len()].join(",");
        let sql = format!("SELECT name, id FROM t WHERE id IN ({marks})");
        let read = step::<Row>(&db, &sql, params, &[], &AtomicBool::new(false));
        let error = BbplkError::sqlite("participants", &read.unwrap_err());
        assert_eq!(error.code(), "BAD_REQUEST", "{error}");
    }

    #[test]
    fn parameters_bind_as_sqlx_binds_them() {
        assert_eq!(param(Value::Bool(Some(true))).ok(), Some(Param::Integer(1)));
        assert_eq!(param(Value::Int(None)).ok(), Some(Param::Null));
        assert_eq!(
            param(Value::String(Some(Box::new("x".into())))).ok(),
            Some(Param::Text("x".into()))
        );
        assert!(param(Value::BigUnsigned(Some(u64::MAX))).is_err());
    }
}
