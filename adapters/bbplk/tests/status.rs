//! The `Status` answer: record counts, freshness, rows that cannot be used, warnings; plus the
//! read-only guarantee and the start-up contract check.

mod common;

use common::{all, by_id, codes, TestDb, BACKENDS};
use sea_orm::ConnectionTrait;
use simpul_adapter_bbplk::{BbplkConfig, BbplkSource};
use simpul_schema::*;

fn counts(status: &SourceStatus) -> Vec<(&str, u64)> {
    status
        .record_counts
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect()
}

async fn records_with_warnings(source: &BbplkSource) -> u64 {
    let mut n = 0;
    n += all::<TrainingCenter>(source, false)
        .await
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    n += all::<Course>(source, false)
        .await
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    n += all::<CourseRun>(source, false)
        .await
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    n += all::<Participant>(source, false)
        .await
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    n += all::<Enrollment>(source, false)
        .await
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    n += all::<Outcome>(source, false)
        .await
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    n += all::<Partnership>(source, false)
        .await
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    n += all::<CredentialAward>(source, false)
        .await
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    n += all::<Program>(source, false)
        .await
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    n as u64
}

#[tokio::test]
async fn status_of_the_fixture() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let status = source.status().await.expect("status");
        assert_eq!(
            counts(&status),
            [
                ("courseRuns", 9),
                ("courses", 7),
                ("credentialAwards", 13),
                ("enrollments", 25),
                ("outcomes", 9),
                ("participants", 20),
                ("partnerships", 6),
                ("programs", 8),
                ("trainingCenters", 5),
            ],
            "{backend:?}"
        );
        assert_eq!(
            status.data_as_of.as_deref(),
            Some("2025-06-29T10:30:00+07:00")
        );
        let rejected: Vec<(&str, &str)> = status
            .rejected
            .iter()
            .map(|i| (i.source.as_str(), i.reason.as_str()))
            .collect();
        assert_eq!(
            rejected,
            [
                (
                    "pendaftaran",
                    "id_pendaftaran 25: the same trainee is registered in the same batch as \
                     id_pendaftaran 3; the lowest id is kept"
                ),
                (
                    "pendaftaran",
                    "id_pendaftaran 27: the same trainee is registered in the same batch as \
                     id_pendaftaran 3; the lowest id is kept"
                ),
                (
                    "penempatan",
                    "id_penempatan 3: a later report for the same enrolment supersedes it (an \
                     enrolment has one outcome)"
                ),
                (
                    "penempatan",
                    "id_penempatan 10: a later report for the same enrolment supersedes it (an \
                     enrolment has one outcome)"
                ),
            ],
            "{backend:?}"
        );
        assert!(status.rejected.iter().all(|i| i.line.is_none()));
        assert_eq!(status.warnings, records_with_warnings(&source).await);
        // 21 before certificates; awards 7, 8, 9 and 10 carry warnings; programmes 3 and 5
        // (hours) and 6 (inactive).
        assert_eq!(status.warnings, 28, "{backend:?}");
    }
}

/// Rows whose references do not resolve (possible where foreign keys are not enforced, such as
/// an SQLite file written without `PRAGMA foreign_keys`) are reported, not served.
const ORPHANS: &str = "
INSERT INTO lembaga (id_lembaga, kode_lembaga, nama_lembaga, nama_alias, jenis_lembaga, status_pengelola, id_lembaga_pembina, alamat, kode_wilayah, telepon, email, tahun_berdiri, aktif, dibuat_pada, diubah_pada)
  VALUES (6, 'LBG-YATIM', 'Lembaga Tanpa Pembina (fiktif)', NULL, 'UPTD', 'Pemerintah Daerah', 99, NULL, '32.16', NULL, NULL, NULL, TRUE, '2020-01-01 00:00:00', NULL);
INSERT INTO angkatan (id_angkatan, kode_angkatan, id_program, id_lembaga, tahun_anggaran, gelombang, tgl_mulai, tgl_selesai, kuota, moda, skema_pembiayaan, status_angkatan, instruktur, catatan)
  VALUES (50, 'YATIM-2024-01', 1, 99, 2024, 1, '2024-01-08', '2024-02-09', 10, 'Luring', 'PNBP', 'Selesai', NULL, NULL);
INSERT INTO pendaftaran (id_pendaftaran, id_angkatan, id_peserta, tgl_daftar, jalur, status_seleksi, status_akhir, nilai_akhir, persen_kehadiran)
  VALUES (50, 50, 1, '2024-01-02', 'Umum', 'Diterima', 'Lulus', 80, 90), (51, 1, 99, '2023-01-20', 'Umum', 'Diterima', 'Lulus', 80, 90);
INSERT INTO penempatan (id_penempatan, id_pendaftaran, status_penempatan, nama_perusahaan, jabatan, kode_wilayah_kerja, tgl_mulai_kerja, tgl_lapor, sumber_info)
  VALUES (50, 999, 'Bekerja', NULL, NULL, NULL, NULL, '2024-03-01', NULL), (51, 50, 'Bekerja', NULL, NULL, NULL, NULL, '2024-03-01', NULL);
INSERT INTO kemitraan (id_kemitraan, id_lembaga, nama_mitra, jenis_mitra, bentuk, nomor_dokumen, tgl_mulai, tgl_berakhir, keterangan)
  VALUES (50, 99, 'Mitra Tanpa Lembaga (fiktif)', 'Industri', 'MoU', NULL, NULL, NULL, NULL);
INSERT INTO sertifikasi (id_sertifikasi, id_pendaftaran, jenis_sertifikat, id_lsp, skema_sertifikasi, tgl_uji, rekomendasi, nomor_sertifikat, nomor_registrasi, tgl_terbit, berlaku_sampai)
  VALUES (50, 999, 'Sertifikat Pelatihan', NULL, NULL, NULL, NULL, NULL, NULL, '2024-03-01', NULL),
         (51, 50, 'Sertifikat Pelatihan', NULL, NULL, NULL, NULL, NULL, NULL, '2024-03-01', NULL),
         (52, 21, 'Sertifikat Kompetensi', 99, 'Skema Tanpa LSP (fiktif)', '2024-06-20', 'BK', NULL, NULL, NULL, NULL);
";

#[tokio::test]
async fn rows_with_dangling_references_are_rejected() {
    for backend in BACKENDS {
        let db = TestDb::with_extra(backend, ORPHANS).await;
        let source = db.source().await;
        let status = source.status().await.expect("status");
        let rejected: Vec<String> = status
            .rejected
            .iter()
            .map(|i| {
                format!(
                    "{} {}",
                    i.source,
                    i.reason.split(':').next().unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(
            rejected,
            [
                "angkatan id_angkatan 50",
                "kemitraan id_kemitraan 50",
                "pendaftaran id_pendaftaran 25",
                "pendaftaran id_pendaftaran 27",
                "pendaftaran id_pendaftaran 50",
                "pendaftaran id_pendaftaran 51",
                "penempatan id_penempatan 3",
                "penempatan id_penempatan 10",
                "penempatan id_penempatan 50",
                "penempatan id_penempatan 51",
                "sertifikasi id_sertifikasi 50",
                "sertifikasi id_sertifikasi 51",
            ],
            "{backend:?}"
        );
        let counts: Vec<u64> = status.record_counts.values().copied().collect();
        assert_eq!(
            counts,
            [9, 7, 14, 25, 9, 20, 6, 8, 6],
            "{backend:?}: the orphans are not served"
        );
        let awards: Vec<CredentialAward> = all(&source, false).await;
        let no_lsp = by_id(&awards, "52");
        assert_eq!(no_lsp.credential.issuer_name, None);
        assert_eq!(
            no_lsp.credential.source_id,
            "competency//Skema Tanpa LSP (fiktif)"
        );
        assert_eq!(codes(&no_lsp.warnings), ["REFERENCE_MISSING"]);
        let centers: Vec<TrainingCenter> = all(&source, false).await;
        let yatim = by_id(&centers, "LBG-YATIM");
        assert_eq!(yatim.supervisor_id, None);
        assert_eq!(codes(&yatim.warnings), ["REFERENCE_MISSING"]);
        let runs: Vec<CourseRun> = all(&source, false).await;
        assert!(runs.iter().all(|r| r.code != "YATIM-2024-01"));
    }
}

#[tokio::test]
async fn the_adapter_cannot_write() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let conn = source.connection();
        assert!(
            conn.execute_unprepared("DELETE FROM kemitraan")
                .await
                .is_err(),
            "{backend:?}"
        );
        assert!(conn
            .execute_unprepared("CREATE TABLE adapter_was_here (x INTEGER)")
            .await
            .is_err());
        assert_eq!(all::<Partnership>(&source, false).await.len(), 6);
    }
}

#[tokio::test]
async fn missing_databases_and_tables_are_reported_at_start() {
    let missing =
        std::env::temp_dir().join(format!("simpul_bbplk_missing_{}.db", std::process::id()));
    let error = BbplkSource::connect(&BbplkConfig::new(missing.display().to_string()))
        .await
        .expect_err("no such file");
    assert_eq!(error.code(), "SOURCE_UNAVAILABLE");
    assert!(!missing.exists(), "the adapter never creates the file");
    let error = BbplkSource::connect(&BbplkConfig::new("mysql://h/db"))
        .await
        .expect_err("mysql");
    assert_eq!(error.code(), "INVALID_CONFIG");

    for backend in BACKENDS {
        let db = TestDb::with_extra(
            backend,
            "ALTER TABLE angkatan RENAME COLUMN kuota TO kapasitas;",
        )
        .await;
        let source = BbplkSource::connect(&db.config()).await.expect("connect");
        let error = source
            .check_schema()
            .await
            .expect_err("a contract column is missing");
        assert_eq!(error.code(), "SOURCE_INVALID", "{backend:?}");
        assert!(error.to_string().contains("angkatan"), "{error}");
    }
}

/// What the adapter ignores or normalises is one notice, never with a value: a column the
/// contract does not define, and names typed in NFD (served in NFC).
#[tokio::test]
async fn unknown_columns_and_nfd_text_are_notices() {
    for backend in BACKENDS {
        let extra = "ALTER TABLE peserta ADD COLUMN catatan_operator TEXT;
            UPDATE peserta SET nama_lengkap = 'Andre\u{301} Siregar', catatan_operator = 'dicek'
            WHERE id_peserta = 1;";
        let db = TestDb::with_extra(backend, extra).await;
        let source = db.source().await;
        let status = source.status().await.expect("status");
        let notices: Vec<(&str, &str, Option<&str>)> = status
            .notices
            .iter()
            .map(|n| (n.code.as_str(), n.source.as_str(), n.key.as_deref()))
            .collect();
        assert_eq!(
            notices,
            [
                (
                    "UNKNOWN_COLUMN_IGNORED",
                    "peserta",
                    Some("catatan_operator")
                ),
                ("TEXT_NORMALIZED_NFC", "peserta", Some("nama_lengkap")),
            ],
            "{backend:?}"
        );
        assert!(status.notices.iter().all(|n| !n.reason.contains("Andr")));
        let people: Vec<Participant> = all(&source, true).await;
        let name = by_id(&people, "1")
            .pii
            .as_ref()
            .and_then(|p| p.full_name.clone());
        assert_eq!(name.as_deref(), Some("Andr\u{e9} Siregar"), "{backend:?}");
    }
}

/// SQLite keeps any type in any column: a number column holding text is read as null with a
/// `FIELD_TYPE_INVALID` warning on the record, never silently.
#[tokio::test]
async fn text_in_a_number_column_is_a_warning() {
    let extra =
        "UPDATE lembaga SET tahun_berdiri = 'sekitar 1998', aktif = 'ya' WHERE id_lembaga = 1;
        UPDATE pendaftaran SET nilai_akhir = '85,5' WHERE id_pendaftaran = 1;";
    let db = TestDb::with_extra(common::Backend::Sqlite, extra).await;
    let source = db.source().await;
    let centers: Vec<TrainingCenter> = all(&source, false).await;
    let center = by_id(&centers, "LBG-BKS");
    assert_eq!((center.founded_year, center.active), (None, None));
    let fields: Vec<_> = center
        .warnings
        .iter()
        .filter(|w| w.code == "FIELD_TYPE_INVALID")
        .map(|w| w.field.as_deref())
        .collect();
    assert_eq!(fields, [Some("foundedYear"), Some("active")]);
    let enrollments: Vec<Enrollment> = all(&source, false).await;
    let one = by_id(&enrollments, "1");
    assert_eq!(one.final_score, None);
    assert_eq!(codes(&one.warnings), ["FIELD_TYPE_INVALID"]);
}
