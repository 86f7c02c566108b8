//! The notices of the `Status` answer ([`SourceStatus::notices`](simpul_schema::SourceStatus)):
//! what the adapter ignores or normalises in the database, each reported once: a column the
//! contract does not define (`UNKNOWN_COLUMN_IGNORED`, keyed by the column) and a text column
//! with values in a decomposed Unicode form, served in NFC (`TEXT_NORMALIZED_NFC`, with how
//! many rows; never a value).

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, FromQueryResult, Iterable, Statement};
use simpul_schema::SourceIssue;

use crate::entity;
use crate::error::BbplkError;
use crate::query::dialect::Dialect;

/// The contract tables the adapter reads, with their contract columns.
fn tables() -> Vec<(String, Vec<String>)> {
    fn of<E: EntityTrait>(entity: E) -> (String, Vec<String>) {
        let columns = E::Column::iter().map(|c| c.as_str().to_owned()).collect();
        (entity.table_name().to_owned(), columns)
    }
    vec![
        of(entity::lembaga::Entity),
        of(entity::kejuruan::Entity),
        of(entity::lembaga_kejuruan::Entity),
        of(entity::program_pelatihan::Entity),
        of(entity::angkatan::Entity),
        of(entity::peserta::Entity),
        of(entity::pendaftaran::Entity),
        of(entity::penempatan::Entity),
        of(entity::kemitraan::Entity),
        of(entity::sertifikasi::Entity),
        of(entity::lsp::Entity),
        of(entity::unit_kompetensi::Entity),
        of(entity::program_unit::Entity),
    ]
}

/// The text columns served as text, checked for decomposed (NFD) values.
const TEXT_COLUMNS: &[(&str, &str)] = &[
    ("lembaga", "nama_lembaga"),
    ("lembaga", "alamat"),
    ("program_pelatihan", "nama_program"),
    ("peserta", "nama_lengkap"),
    ("peserta", "tempat_lahir"),
    ("peserta", "alamat"),
    ("penempatan", "nama_perusahaan"),
    ("penempatan", "jabatan"),
    ("sertifikasi", "skema_sertifikasi"),
    ("lsp", "nama_lsp"),
    ("unit_kompetensi", "judul_unit"),
];

#[derive(Debug, FromQueryResult)]
struct Name {
    name: String,
}

#[derive(Debug, FromQueryResult)]
struct Count {
    n: i64,
}

/// Every notice, in table and column order.
///
/// # Errors
/// Database errors.
pub async fn notices(
    db: &impl ConnectionTrait,
    d: Dialect,
) -> Result<Vec<SourceIssue>, BbplkError> {
    let mut notices = Vec::new();
    let backend = d.backend();
    for (table, contract) in tables() {
        let sql = match d {
            Dialect::Sqlite => {
                format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
            }
            Dialect::Postgres => format!(
                "SELECT CAST(column_name AS TEXT) AS name FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = '{table}' \
                 ORDER BY ordinal_position"
            ),
        };
        let names = Name::find_by_statement(Statement::from_string(backend, sql))
            .all(db)
            .await
            .map_err(|e| BbplkError::db(table.as_str(), &e))?;
        for Name { name } in names {
            if !contract.contains(&name) {
                let reason = "a column the contract does not define; ignored";
                notices.push(
                    SourceIssue::new("UNKNOWN_COLUMN_IGNORED", table.as_str(), reason)
                        .with_key(name),
                );
            }
        }
    }
    for &(table, column) in TEXT_COLUMNS {
        let decomposed = match d {
            Dialect::Sqlite => {
                format!("{column} GLOB '*[' || char(768) || '-' || char(879) || ']*'")
            }
            Dialect::Postgres => format!("{column} ~ '[\\u0300-\\u036f]'"),
        };
        let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE {decomposed}");
        let count = Count::find_by_statement(Statement::from_string(backend, sql))
            .one(db)
            .await
            .map_err(|e| BbplkError::db(table, &e))?
            .map_or(0, |c| c.n);
        if count > 0 {
            let reason =
                format!("{count} value(s) in a decomposed Unicode form (NFD); served in NFC");
            notices.push(SourceIssue::new("TEXT_NORMALIZED_NFC", table, reason).with_key(column));
        }
    }
    Ok(notices)
}
