//! The BBPLK SQLite file opens, satisfies the contract DDL's constraints with foreign keys on,
//! matches the manifest, and keeps the contract's "not enforced" expectations; the `.sql`
//! script loads into an empty database with the same counts.

mod common;

use common::run;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use simpul_sample_data::{BbplkFormat, Plan, Provider};

async fn one_i64(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one(Statement::from_string(DbBackend::Sqlite, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("integer")
}

const TABLES: &[&str] = &[
    "ref_wilayah",
    "lembaga",
    "kejuruan",
    "lembaga_kejuruan",
    "program_pelatihan",
    "unit_kompetensi",
    "program_unit",
    "lsp",
    "angkatan",
    "peserta",
    "pendaftaran",
    "sertifikasi",
    "penempatan",
    "kemitraan",
];

#[tokio::test]
async fn sqlite_file_satisfies_the_contract() {
    let plan = Plan::new(3000)
        .with_seed(21)
        .with_bbplk_format(BbplkFormat::Both);
    let (dir, summary) = run(&plan, "bbplk").await;
    let bbplk = &summary.outputs["bbplk"];
    let path = dir.path().join("bbplk/bbplk.sqlite");
    let db = Database::connect(format!("sqlite://{}?mode=ro", path.display()))
        .await
        .expect("open");
    db.execute_unprepared("PRAGMA foreign_keys = ON")
        .await
        .expect("fk on");
    let fk = db
        .query_all(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA foreign_key_check",
        ))
        .await
        .expect("foreign_key_check");
    assert!(fk.is_empty(), "{} foreign-key violations", fk.len());
    let integrity = db
        .query_one(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .expect("integrity_check")
        .expect("row");
    assert_eq!(integrity.try_get_by_index::<String>(0).expect("text"), "ok");
    for table in TABLES {
        let n = one_i64(&db, &format!("SELECT count(*) FROM {table}")).await;
        assert_eq!(n as u64, bbplk.tables[*table], "{table}");
    }
    assert_eq!(bbplk.tables["peserta"], bbplk.participants);
    assert_eq!(bbplk.tables["pendaftaran"], bbplk.enrollments);
    let indexes = one_i64(
        &db,
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'",
    )
    .await;
    assert_eq!(indexes, 5);
    // The contract's "not enforced" expectations hold in clean data.
    for (what, sql) in [
        ("duplicate NIK", "SELECT count(*) FROM (SELECT nik FROM peserta GROUP BY nik HAVING count(*) > 1)"),
        ("duplicate enrolment", "SELECT count(*) FROM (SELECT 1 FROM pendaftaran GROUP BY id_angkatan, id_peserta HAVING count(*) > 1)"),
        ("kuota <= 0", "SELECT count(*) FROM angkatan WHERE kuota <= 0"),
        ("end before start", "SELECT count(*) FROM angkatan WHERE tgl_selesai < tgl_mulai"),
        ("score out of range", "SELECT count(*) FROM pendaftaran WHERE nilai_akhir NOT BETWEEN 0 AND 100 OR persen_kehadiran NOT BETWEEN 0 AND 100"),
        ("result before the end", "SELECT count(*) FROM pendaftaran d JOIN angkatan a USING (id_angkatan) WHERE d.status_akhir IS NOT NULL AND a.status_angkatan <> 'Selesai'"),
        ("enrolled over quota", "SELECT count(*) FROM (SELECT a.id_angkatan FROM angkatan a JOIN pendaftaran d USING (id_angkatan) GROUP BY a.id_angkatan HAVING count(*) > max(a.kuota))"),
        ("lower-case name", "SELECT count(*) FROM peserta WHERE nama_lengkap <> upper(nama_lengkap)"),
        ("JKP route without KPJ", "SELECT count(*) FROM pendaftaran d JOIN peserta p USING (id_peserta) WHERE d.jalur = 'JKP' AND p.no_kpj IS NULL"),
        ("K without number", "SELECT count(*) FROM sertifikasi WHERE rekomendasi = 'K' AND nomor_sertifikat IS NULL"),
        ("certificate without pass", "SELECT count(*) FROM sertifikasi s JOIN pendaftaran d USING (id_pendaftaran) WHERE d.status_akhir IS NOT 'Lulus'"),
        ("unfictional company", "SELECT count(*) FROM penempatan WHERE nama_perusahaan IS NOT NULL AND nama_perusahaan NOT LIKE '%(fiktif)'"),
        ("non-synthetic phone", "SELECT count(*) FROM peserta WHERE no_hp IS NOT NULL AND no_hp NOT LIKE '089900%'"),
        ("non-example e-mail", "SELECT count(*) FROM peserta WHERE email IS NOT NULL AND email NOT LIKE '%@example.%'"),
        ("KPJ shape", "SELECT count(*) FROM peserta WHERE no_kpj IS NOT NULL AND (length(no_kpj) <> 11 OR no_kpj NOT LIKE '990%')"),
    ] {
        assert_eq!(one_i64(&db, sql).await, 0, "{what}");
    }
    for (what, sql) in [
        (
            "JKP batches",
            "SELECT count(*) FROM angkatan WHERE skema_pembiayaan = 'JKP'",
        ),
        (
            "competency certificates",
            "SELECT count(*) FROM sertifikasi WHERE rekomendasi = 'K'",
        ),
        (
            "placements",
            "SELECT count(*) FROM penempatan WHERE status_penempatan = 'Bekerja'",
        ),
        (
            "open batches",
            "SELECT count(*) FROM angkatan WHERE status_angkatan <> 'Selesai'",
        ),
    ] {
        assert!(one_i64(&db, sql).await > 0, "{what}");
    }
    db.close().await.expect("close");

    // The `.sql` script loads into an empty SQLite database with the same counts.
    let script = std::fs::read_to_string(dir.path().join("bbplk/bbplk.sql")).expect("script");
    let copy = dir.path().join("from-script.sqlite");
    let db = Database::connect(format!("sqlite://{}?mode=rwc", copy.display()))
        .await
        .expect("create");
    db.execute_unprepared(&script).await.expect("script loads");
    for table in TABLES {
        let n = one_i64(&db, &format!("SELECT count(*) FROM {table}")).await;
        assert_eq!(n as u64, bbplk.tables[*table], "{table} from the script");
    }
    let fk = db
        .query_all(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA foreign_key_check",
        ))
        .await
        .expect("foreign_key_check");
    assert!(fk.is_empty());
}

/// Loads straight into PostgreSQL. Needs an empty database:
/// `SIMPUL_TEST_POSTGRES_URL=postgres://user:pw@localhost/empty cargo test -p simpul-sample-data --test bbplk -- --ignored`
#[tokio::test]
#[ignore = "needs an empty PostgreSQL database in SIMPUL_TEST_POSTGRES_URL"]
async fn loads_into_postgres() {
    let Ok(url) = std::env::var("SIMPUL_TEST_POSTGRES_URL") else {
        eprintln!("SIMPUL_TEST_POSTGRES_URL not set; skipped");
        return;
    };
    let mut plan = Plan::new(800)
        .with_seed(2)
        .with_providers([Provider::Bbplk]);
    plan.postgres_url = Some(url.clone());
    let (_dir, summary) = run(&plan, "bbplk-pg").await;
    let db = Database::connect(url).await.expect("connect");
    for table in TABLES {
        let row = db
            .query_one(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT count(*) FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        let n: i64 = row.try_get_by_index(0).expect("integer");
        assert_eq!(n as u64, summary.outputs["bbplk"].tables[*table], "{table}");
    }
}
