//! SQL databases (BBPLK's kind: the contract's tables in SQLite, whose columns take any type).
//! [`cases`] reads a victim participant (the third `peserta` row), one of its enrolments and a
//! training centre from the baseline database, and each case is the statements that corrupt a
//! copy of it: wrong types where the contract declares others, a NIK stored as a number or
//! cut short, dates in other formats, NFD and padded text, a huge cell, a duplicate
//! registration, a reference to nothing, and a column the contract does not know.

use std::path::Path;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

use super::{Case, Expect, Touch};

/// A corruption: SQL statements run on the copy, in order.
pub type Corruption = Vec<String>;

/// The baseline rows the cases corrupt.
struct Victims {
    /// `peserta.id_peserta`.
    person: i64,
    /// One `pendaftaran.id_pendaftaran` of the person.
    enrolment: i64,
    /// The largest `pendaftaran.id_pendaftaran`.
    last_enrolment: i64,
    /// `lembaga.id_lembaga` and `kode_lembaga`.
    centre: (i64, String),
}

async fn open(db: &Path, mode: &str) -> Result<DatabaseConnection, String> {
    let url = format!("sqlite://{}?mode={mode}", db.display());
    Database::connect(url).await.map_err(|e| e.to_string())
}

async fn one(db: &DatabaseConnection, sql: &str) -> Result<sea_orm::QueryResult, String> {
    let statement = Statement::from_string(db.get_database_backend(), sql);
    db.query_one(statement)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no row: {sql}"))
}

async fn victims(db: &DatabaseConnection) -> Result<Victims, String> {
    let int = |row: sea_orm::QueryResult| row.try_get_by_index::<i64>(0).map_err(|e| e.to_string());
    let person = int(one(
        db,
        "SELECT id_peserta FROM peserta ORDER BY id_peserta LIMIT 1 OFFSET 2",
    )
    .await?)?;
    let enrolment = int(one(
        db,
        &format!("SELECT MIN(id_pendaftaran) FROM pendaftaran WHERE id_peserta = {person}"),
    )
    .await?)?;
    let last_enrolment = int(one(db, "SELECT MAX(id_pendaftaran) FROM pendaftaran").await?)?;
    let row = one(
        db,
        "SELECT id_lembaga, kode_lembaga FROM lembaga ORDER BY id_lembaga LIMIT 1 OFFSET 2",
    )
    .await?;
    let centre = (
        row.try_get_by_index::<i64>(0).map_err(|e| e.to_string())?,
        row.try_get_by_index::<String>(1)
            .map_err(|e| e.to_string())?,
    );
    Ok(Victims {
        person,
        enrolment,
        last_enrolment,
        centre,
    })
}

/// Run `statements` on the database at `db` (read-write).
///
/// # Errors
/// A statement failed.
pub async fn apply(db: &Path, statements: &[String]) -> Result<(), String> {
    let conn = open(db, "rw").await?;
    for sql in statements {
        conn.execute_unprepared(sql)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    conn.close().await.map_err(|e| e.to_string())
}

/// Every SQL case, its victims read from the baseline database at `db`.
///
/// # Errors
/// The database could not be read.
pub async fn cases(db: &Path) -> Result<Vec<Case<Corruption>>, String> {
    let conn = open(db, "ro").await?;
    let v = victims(&conn).await?;
    conn.close().await.map_err(|e| e.to_string())?;
    let (p, e, next) = (v.person, v.enrolment, v.last_enrolment + 1);
    let person = format!("WHERE id_peserta = {p}");
    let who = || vec![Touch::Exact("participants", p.to_string())];
    let enrolled = || vec![Touch::Exact("enrollments", e.to_string())];
    let case = |name, corrupts, touches, expect, corruption: Vec<String>| Case {
        name,
        corrupts,
        touches,
        expect,
        corruption,
    };
    Ok(vec![
        case(
            "sql/nik-as-number",
            "the NIK stored as a REAL (3.6021354028593e+15)",
            who(),
            Expect::Either,
            vec![format!(
                "UPDATE peserta SET nik = CAST(nik AS REAL) {person}"
            )],
        ),
        case(
            "sql/nik-lost-digit",
            "the NIK with 15 digits",
            who(),
            Expect::Either,
            vec![format!(
                "UPDATE peserta SET nik = substr(nik, 1, 15) {person}"
            )],
        ),
        case(
            "sql/date-as-text",
            "the birth date as dd/mm/yyyy",
            who(),
            Expect::Restored("DATE"),
            vec![format!(
                "UPDATE peserta SET tanggal_lahir = substr(tanggal_lahir, 9, 2) || '/' || \
                substr(tanggal_lahir, 6, 2) || '/' || substr(tanggal_lahir, 1, 4) {person}"
            )],
        ),
        case(
            "sql/date-as-number",
            "the birth date as the integer yyyymmdd",
            who(),
            Expect::Restored("DATE"),
            vec![format!(
                "UPDATE peserta SET tanggal_lahir = \
                CAST(replace(substr(tanggal_lahir, 1, 10), '-', '') AS INTEGER) {person}"
            )],
        ),
        case(
            "sql/text-in-integer",
            "`tahun_berdiri` (SMALLINT) holds `sekitar 1998`",
            vec![Touch::Exact("trainingCenters", v.centre.1.clone())],
            Expect::Either,
            vec![format!(
                "UPDATE lembaga SET tahun_berdiri = 'sekitar 1998' WHERE id_lembaga = {}",
                v.centre.0
            )],
        ),
        case(
            "sql/text-in-numeric",
            "`nilai_akhir` (NUMERIC) holds `85,5`",
            enrolled(),
            Expect::Either,
            vec![format!(
                "UPDATE pendaftaran SET nilai_akhir = '85,5' WHERE id_pendaftaran = {e}"
            )],
        ),
        case(
            "sql/text-in-boolean",
            "`aktif` (BOOLEAN) holds `ya`",
            vec![Touch::Exact("trainingCenters", v.centre.1.clone())],
            Expect::Either,
            vec![format!(
                "UPDATE lembaga SET aktif = 'ya' WHERE id_lembaga = {}",
                v.centre.0
            )],
        ),
        case(
            "sql/nfd-text",
            "the name gains an accented letter in NFD",
            who(),
            Expect::Noticed("NFC"),
            vec![format!(
                "UPDATE peserta SET nama_lengkap = nama_lengkap || ' Andre' || char(769) {person}"
            )],
        ),
        case(
            "sql/stray-whitespace",
            "the name and NIK padded with spaces",
            who(),
            Expect::Same,
            vec![format!(
                "UPDATE peserta SET nama_lengkap = '  ' || nama_lengkap || ' ', \
                nik = ' ' || nik || '  ' {person}"
            )],
        ),
        case(
            "sql/huge-cell",
            "a 1 MB address",
            who(),
            Expect::Either,
            vec![format!(
                "UPDATE peserta SET alamat = printf('%.1000000c', 'x') {person}"
            )],
        ),
        case(
            "sql/duplicate-registration",
            "the same person in the same batch twice",
            vec![
                Touch::Exact("enrollments", e.to_string()),
                Touch::Exact("enrollments", next.to_string()),
            ],
            Expect::Reported,
            vec![format!(
                "INSERT INTO pendaftaran SELECT {next}, id_angkatan, id_peserta, tgl_daftar, \
                jalur, status_seleksi, status_akhir, nilai_akhir, persen_kehadiran \
                FROM pendaftaran WHERE id_pendaftaran = {e}"
            )],
        ),
        case(
            "sql/dangling-reference",
            "a registration of a person who does not exist",
            vec![Touch::Exact("enrollments", next.to_string())],
            Expect::Either,
            vec![
                "PRAGMA foreign_keys = OFF".into(),
                format!(
                    "INSERT INTO pendaftaran SELECT {next}, id_angkatan, 99999999, tgl_daftar, \
                jalur, status_seleksi, status_akhir, nilai_akhir, persen_kehadiran \
                FROM pendaftaran WHERE id_pendaftaran = {e}"
                ),
            ],
        ),
        case(
            "sql/unknown-column",
            "`peserta` has a column the contract does not know",
            vec![],
            Expect::Ignored("UNKNOWN"),
            vec![
                "ALTER TABLE peserta ADD COLUMN catatan_operator TEXT".into(),
                "UPDATE peserta SET catatan_operator = 'dicek'".into(),
            ],
        ),
    ])
}
