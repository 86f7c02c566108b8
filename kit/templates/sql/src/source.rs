//! Reading the table of training centres from the provider's database (SQLite or PostgreSQL,
//! through sea-orm), into a [`RawTable`] of trimmed, non-empty values keyed by column name. No
//! value is interpreted here; that is [`crate::mapping`]'s job.
//!
//! Every read is one `SELECT * FROM <table> ORDER BY <id>` (the order keeps paging stable).
//! Columns are matched by name ([`columns`]): an unknown one is ignored and noted, a missing
//! required one rejects the table. Text, integer, real and boolean columns are read as text;
//! a column of another type (a blob, a date type: cast it in a view) is ignored and noted.
//! Rows have no line numbers: reports name them by their id, or `row N` in that order.

use std::collections::BTreeSet;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, QueryResult, Statement,
};
use simpul_schema::SourceIssue;

use crate::mapping::columns;
use crate::mapping::{RawRow, RawTable};
use crate::{{type_name}}Config;

/// Why the source cannot be read at all. Messages name the database without credentials and
/// never carry a value read from it.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The configured table name is not a plain identifier.
    #[error("table name {0:?} is not letters, digits and `_`")]
    Table(String),
    /// The database cannot be reached or opened.
    #[error("cannot open the database {url}: {reason}")]
    Connect {
        /// The URL without credentials.
        url: String,
        /// The driver's reason.
        reason: String,
    },
    /// The query failed (no such table, no `id` column, a lost connection).
    #[error("reading table `{table}` failed: {reason}")]
    Query {
        /// The table.
        table: String,
        /// The driver's reason.
        reason: String,
    },
}

impl SourceError {
    /// The stable code the gateway reports.
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::Table(_) => "SOURCE_INVALID",
            SourceError::Connect { .. } => "SOURCE_UNAVAILABLE",
            SourceError::Query { .. } => "SOURCE_INVALID",
        }
    }
}

/// A pool on the provider's database.
pub struct Source {
    db: DatabaseConnection,
    table: String,
    select: String,
}

impl Source {
    /// Connect to the database named in `config`.
    ///
    /// # Errors
    /// The table name is not an identifier, or the database cannot be opened.
    pub async fn open(config: &{{type_name}}Config) -> Result<Self, SourceError> {
        let table = config.table.clone();
        let identifier = table
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !identifier {
            return Err(SourceError::Table(table));
        }
        let mut options = ConnectOptions::new(config.database_url.clone());
        options.max_connections(4).sqlx_logging(false);
        let db = Database::connect(options)
            .await
            .map_err(|e| SourceError::Connect {
                url: config.redacted_url(),
                reason: e.to_string(),
            })?;
        let select = format!(r#"SELECT * FROM "{table}" ORDER BY "{}""#, columns::ID);
        Ok(Self { db, table, select })
    }

    /// Read the whole table.
    ///
    /// # Errors
    /// The query fails (see [`SourceError::Query`]).
    pub async fn read(&self) -> Result<RawTable, SourceError> {
        let backend = self.db.get_database_backend();
        let results = self
            .db
            .query_all(Statement::from_string(backend, self.select.clone()))
            .await
            .map_err(|e| SourceError::Query {
                table: self.table.clone(),
                reason: e.to_string(),
            })?;
        let mut unsupported = BTreeSet::new();
        let records = results
            .iter()
            .map(|result| {
                result
                    .column_names()
                    .into_iter()
                    .filter_map(|name| match value(result, &name) {
                        Ok(v) => Some((name, v)),
                        Err(()) => {
                            unsupported.insert(name);
                            None
                        }
                    })
                    .collect()
            })
            .collect();
        let mut table = from_records(&self.table, records);
        if !unsupported.is_empty() {
            let names: Vec<String> = unsupported.into_iter().collect();
            let why = "columns of a type read neither as text nor as a number; ignored";
            table.notices.push(
                SourceIssue::new("COLUMN_TYPE_UNSUPPORTED", &self.table, why)
                    .with_key(names.join(",")),
            );
        }
        Ok(table)
    }
}

/// One value as text (`None` for NULL), whatever its SQL type among text, integers, reals and
/// booleans; `Err` for any other type.
fn value(result: &QueryResult, column: &str) -> Result<Option<String>, ()> {
    if let Ok(v) = result.try_get_by::<Option<String>, _>(column) {
        return Ok(v);
    }
    if let Ok(v) = result.try_get_by::<Option<i64>, _>(column) {
        return Ok(v.map(|v| v.to_string()));
    }
    if let Ok(v) = result.try_get_by::<Option<i32>, _>(column) {
        return Ok(v.map(|v| v.to_string()));
    }
    if let Ok(v) = result.try_get_by::<Option<f64>, _>(column) {
        return Ok(v.map(|v| v.to_string()));
    }
    if let Ok(v) = result.try_get_by::<Option<bool>, _>(column) {
        return Ok(v.map(|v| v.to_string()));
    }
    Err(())
}

/// Rows of `(column, value)` pairs, in query order, into a table named `source`.
pub fn from_records(source: &str, records: Vec<Vec<(String, Option<String>)>>) -> RawTable {
    let mut table = RawTable {
        source: source.to_owned(),
        ..RawTable::default()
    };
    let Some(first) = records.first() else {
        return table;
    };
    let header: Vec<String> = first
        .iter()
        .map(|(name, _)| columns::normalise(name))
        .collect();
    match columns::check_header(source, &header) {
        Ok(notices) => table.notices = notices,
        Err(issue) => {
            table.rejected.push(issue);
            return table;
        }
    }
    for (i, record) in records.into_iter().enumerate() {
        let cells = record
            .into_iter()
            .filter_map(|(name, value)| {
                let value = value?.trim().to_owned();
                (!value.is_empty()).then(|| (columns::normalise(&name), value))
            })
            .collect();
        table.rows.push(RawRow {
            line: None,
            ordinal: i as u64 + 1,
            cells,
        });
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(cells: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
        cells
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.map(str::to_owned)))
            .collect()
    }

    #[test]
    fn rows_by_column_name_nulls_and_blanks_absent() {
        let table = from_records(
            "centres",
            vec![
                record(&[
                    ("ID", Some("TC-1")),
                    ("name", Some(" One ")),
                    ("motto", None),
                ]),
                record(&[
                    ("ID", Some("TC-2")),
                    ("name", Some("  ")),
                    ("motto", Some("x")),
                ]),
            ],
        );
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].get("name"), Some("One"));
        assert_eq!(table.rows[1].get("name"), None);
        assert_eq!(table.rows[1].key(), "TC-2");
        let notes: Vec<&str> = table.notices.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(
            notes,
            ["UNKNOWN_COLUMN_IGNORED", "MISSING_OPTIONAL_COLUMNS"]
        );
    }

    #[test]
    fn a_table_without_a_required_column_is_rejected() {
        let table = from_records("centres", vec![record(&[("id", Some("TC-1"))])]);
        assert_eq!(table.rejected[0].code, "MISSING_REQUIRED_COLUMNS");
        assert!(table.rows.is_empty());
        assert!(from_records("centres", Vec::new()).rows.is_empty());
    }
}
