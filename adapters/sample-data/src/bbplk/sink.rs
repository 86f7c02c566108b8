//! Where BBPLK rows go: a SQLite file (sea-orm over sqlx, one connection, `journal_mode=OFF`,
//! `synchronous=OFF`, foreign keys off while loading), a PostgreSQL database (sea-orm, one
//! connection, must be empty), and/or a `.sql` text file for `psql -f`. All receive the same
//! statements: the contract DDL's `CREATE TABLE`s, multi-row `INSERT`s of at most
//! [`ROWS_PER_INSERT`] rows inside transactions, then the DDL's `CREATE INDEX`es.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqlxSqliteConnector, Statement, TransactionTrait,
};

use crate::error::{redact_url, GenerateError};
use crate::manifest::FileSummary;

/// The BBPLK contract DDL, copied from `shared/providers/bbplk/schema.sql`.
pub const SCHEMA_SQL: &str = include_str!("../../../bbplk/schema.sql");

/// Rows per `INSERT` statement.
pub const ROWS_PER_INSERT: usize = 500;

/// The DDL's statements without comments: (`CREATE TABLE`s, `CREATE INDEX`es).
pub fn ddl() -> (Vec<String>, Vec<String>) {
    let text: String = SCHEMA_SQL
        .lines()
        .map(|l| l.split_once("--").map_or(l, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n");
    let mut tables = Vec::new();
    let mut indexes = Vec::new();
    for stmt in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        if stmt.starts_with("CREATE INDEX") {
            indexes.push(stmt.to_owned());
        } else {
            tables.push(stmt.to_owned());
        }
    }
    (tables, indexes)
}

enum Target {
    Db {
        label: String,
        conn: DatabaseConnection,
        txn: Option<DatabaseTransaction>,
    },
    File {
        path: PathBuf,
        w: BufWriter<File>,
    },
}

/// All targets of one run.
pub struct Sinks {
    targets: Vec<Target>,
}

fn db_err(label: &str, step: impl Into<String>) -> impl FnOnce(sea_orm::DbErr) -> GenerateError {
    let target = label.to_owned();
    let step = step.into();
    move |source| GenerateError::Database {
        target,
        step,
        source,
    }
}

impl Sinks {
    /// Open the targets: `sqlite` file, `sql` file, PostgreSQL `url`.
    ///
    /// # Errors
    /// A file cannot be created or a database cannot be opened, or PostgreSQL is not empty.
    pub async fn open(
        sqlite: Option<&Path>,
        sql: Option<&Path>,
        postgres: Option<&str>,
        header: &str,
    ) -> Result<Self, GenerateError> {
        let mut targets = Vec::new();
        if let Some(path) = sqlite {
            if path.exists() {
                std::fs::remove_file(path).map_err(GenerateError::write(path))?;
            }
            let label = format!("SQLite database `{}`", path.display());
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Off)
                .synchronous(SqliteSynchronous::Off)
                .foreign_keys(false)
                .pragma("cache_size", "-32768")
                .pragma("temp_store", "MEMORY");
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await
                .map_err(|e| GenerateError::Database {
                    target: label.clone(),
                    step: "opening".into(),
                    source: sea_orm::DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)),
                })?;
            let conn = SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
            targets.push(Target::Db {
                label,
                conn,
                txn: None,
            });
        }
        if let Some(url) = postgres {
            let label = format!("PostgreSQL `{}`", redact_url(url));
            let mut options = ConnectOptions::new(url.to_owned());
            options
                .max_connections(1)
                .min_connections(1)
                .sqlx_logging(false);
            let conn = Database::connect(options)
                .await
                .map_err(db_err(&label, "connecting"))?;
            let existing = conn
                .query_one(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT table_name::text AS t FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_name IN \
                     ('ref_wilayah', 'lembaga', 'peserta', 'pendaftaran', 'angkatan')",
                ))
                .await
                .map_err(db_err(&label, "checking for existing tables"))?;
            if let Some(row) = existing {
                let table: String = row.try_get("", "t").unwrap_or_default();
                return Err(GenerateError::NotEmpty {
                    target: label,
                    table,
                });
            }
            targets.push(Target::Db {
                label,
                conn,
                txn: None,
            });
        }
        if let Some(path) = sql {
            let file = File::create(path).map_err(GenerateError::write(path))?;
            let mut w = BufWriter::with_capacity(1 << 20, file);
            w.write_all(header.as_bytes())
                .and_then(|()| w.write_all(b"BEGIN;\n"))
                .map_err(GenerateError::write(path))?;
            targets.push(Target::File {
                path: path.to_owned(),
                w,
            });
        }
        Ok(Self { targets })
    }

    /// Run one statement everywhere; `step` names it in errors.
    ///
    /// # Errors
    /// A database rejects it or the file cannot be written.
    pub async fn exec(&mut self, sql: &str, step: &str) -> Result<(), GenerateError> {
        for t in &mut self.targets {
            match t {
                Target::Db { label, conn, txn } => {
                    let result = match txn {
                        Some(txn) => txn.execute_unprepared(sql).await,
                        None => conn.execute_unprepared(sql).await,
                    };
                    result.map_err(db_err(label, step))?;
                }
                Target::File { path, w } => {
                    w.write_all(sql.as_bytes())
                        .and_then(|()| w.write_all(b";\n"))
                        .map_err(GenerateError::write(path.as_path()))?;
                }
            }
        }
        Ok(())
    }

    /// Start a transaction on the databases (the `.sql` file has one around everything).
    ///
    /// # Errors
    /// A database cannot start one.
    pub async fn begin(&mut self) -> Result<(), GenerateError> {
        for t in &mut self.targets {
            if let Target::Db { label, conn, txn } = t {
                *txn = Some(conn.begin().await.map_err(db_err(label, "BEGIN"))?);
            }
        }
        Ok(())
    }

    /// Commit the databases' transactions.
    ///
    /// # Errors
    /// A commit fails.
    pub async fn commit(&mut self) -> Result<(), GenerateError> {
        for t in &mut self.targets {
            if let Target::Db { label, txn, .. } = t {
                if let Some(open) = txn.take() {
                    open.commit().await.map_err(db_err(label, "COMMIT"))?;
                }
            }
        }
        Ok(())
    }

    /// Close everything; the `.sql` file's summary if one was written.
    ///
    /// # Errors
    /// The file cannot be finished or a database cannot be closed.
    pub async fn finish(self, statements: u64) -> Result<Option<FileSummary>, GenerateError> {
        let mut summary = None;
        for t in self.targets {
            match t {
                Target::Db { label, conn, txn } => {
                    if let Some(open) = txn {
                        open.commit().await.map_err(db_err(&label, "COMMIT"))?;
                    }
                    conn.close().await.map_err(db_err(&label, "closing"))?;
                }
                Target::File { path, mut w } => {
                    w.write_all(b"COMMIT;\n")
                        .and_then(|()| w.flush())
                        .map_err(GenerateError::write(path.as_path()))?;
                    drop(w);
                    summary = Some(FileSummary::of(&path, statements));
                }
            }
        }
        Ok(summary)
    }
}

/// Rows for one table, flushed as multi-row `INSERT`s.
pub struct Inserts {
    table: &'static str,
    head: String,
    rows: Vec<String>,
    /// Rows flushed so far.
    pub total: u64,
    /// Statements flushed so far.
    pub statements: u64,
}

impl Inserts {
    /// A buffer for `table` with these columns.
    pub fn new(table: &'static str, columns: &str) -> Self {
        Self {
            table,
            head: format!("INSERT INTO {table} ({columns}) VALUES\n"),
            rows: Vec::new(),
            total: 0,
            statements: 0,
        }
    }

    /// Add one row: the values, comma-separated, already SQL literals.
    pub fn push(&mut self, values: String) {
        self.rows.push(values);
    }

    /// Buffered rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether nothing is buffered.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Send everything buffered.
    ///
    /// # Errors
    /// A target rejects a statement.
    pub async fn flush(&mut self, sinks: &mut Sinks) -> Result<(), GenerateError> {
        let step = format!("inserting into {}", self.table);
        let rows = std::mem::take(&mut self.rows);
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut sql = String::with_capacity(self.head.len() + chunk.len() * 160);
            sql.push_str(&self.head);
            for (i, row) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(",\n");
                }
                sql.push('(');
                sql.push_str(row);
                sql.push(')');
            }
            sinks.exec(&sql, &step).await?;
            self.total += chunk.len() as u64;
            self.statements += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_splits_into_tables_and_indexes() {
        let (tables, indexes) = ddl();
        assert_eq!(tables.len(), 14, "{tables:#?}");
        assert_eq!(indexes.len(), 5);
        assert!(tables.iter().all(|t| t.starts_with("CREATE TABLE")));
        assert!(tables[0].contains("ref_wilayah"));
    }
}
