//! `program_pelatihan` (+ `kejuruan`, `program_unit`/`unit_kompetensi`, the LSPs of its
//! scheme's awards) → programmes: one per row, inactive ones included; their units in order;
//! the competency certification they prepare for, the very credential the awards of the scheme
//! are awards of; courses pointing at them; bad rows as warnings or rejected rows.

mod common;

use common::{all, by_id, codes, fetch, TestDb, BACKENDS};
use simpul_schema::*;

fn units(p: &Program) -> Vec<(&str, CompetencyFramework)> {
    p.competencies
        .iter()
        .map(|u| (u.code.as_str(), u.framework))
        .collect()
}

#[tokio::test]
async fn programmes_are_served_with_their_units_and_credentials() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let programs: Vec<Program> = all(&source, false).await;
        let ids: Vec<&str> = programs.iter().map(|p| p.source_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "PRG-ELK-01",
                "PRG-TIK-01",
                "PRG-TPD-01",
                "PRG-LAS-01",
                "PRG-PAR-01",
                "PRG-TIK-02",
                "PRG-ELK-02",
                "PRG-LAS-02"
            ],
            "{backend:?}: every row, in id order"
        );
        let awards: Vec<CredentialAward> = all(&source, false).await;

        let elk = by_id(&programs, "PRG-ELK-01");
        assert_eq!(elk.code.as_deref(), Some("PRG-ELK-01"));
        assert_eq!(elk.name, "Teknisi Elektronika Dasar");
        assert_eq!(
            elk.field,
            Some(TrainingField {
                code: Some("ELK".into()),
                name: "Elektronika".into()
            })
        );
        assert_eq!(elk.occupation_codes, ["7421"]);
        assert_eq!(elk.kkni_level, Some(2));
        assert_eq!(elk.nominal_hours, Some(240));
        assert_eq!(elk.method.as_deref(), Some("PBK"));
        assert_eq!(elk.description, None);
        assert_eq!(
            units(elk),
            [
                ("X.000000.001.01", CompetencyFramework::Skkni),
                ("X.000000.002.01", CompetencyFramework::Special),
            ]
        );
        assert!(elk.warnings.is_empty(), "{:?}", elk.warnings);
        let [credential] = elk.credentials.as_slice() else {
            panic!("one credential: {:?}", elk.credentials)
        };
        assert_eq!(
            credential.source_id,
            "competency/LSP-X-01/Skema Teknisi Elektronika (fiktif)"
        );
        assert_eq!(
            credential.issuer_name.as_deref(),
            Some("LSP Contoh (fiktif)")
        );
        // The credential its awards (competent or not, through either batch) are awards of.
        for award in ["3", "4", "13"] {
            assert_eq!(
                &by_id(&awards, award).credential,
                credential,
                "{backend:?} award {award}"
            );
        }

        // Units in `urutan` order, not in the order they were listed; bad hours a warning.
        let tpd = by_id(&programs, "PRG-TPD-01");
        assert_eq!(
            units(tpd),
            [
                ("X.000000.002.01", CompetencyFramework::Special),
                ("X.000000.003.01", CompetencyFramework::International),
            ]
        );
        assert_eq!(tpd.nominal_hours, None);
        assert_eq!(codes(&tpd.warnings), ["VALUE_OUT_OF_RANGE"]);
        assert_eq!(
            tpd.credentials[0].source_id,
            "competency/LSP-X-02/Skema Teknisi AC (fiktif)"
        );
        for award in ["6", "7", "8"] {
            assert_eq!(by_id(&awards, award).credential, tpd.credentials[0]);
        }

        // No batch of its own: the LSP comes from the awards of the scheme it shares.
        let elk2 = by_id(&programs, "PRG-ELK-02");
        assert_eq!(elk2.credentials.len(), 1);
        let c = &elk2.credentials[0];
        assert_eq!(
            c.source_id, "competency/LSP-X-01/Skema Teknisi Elektronika (fiktif)",
            "the padded scheme is the same key"
        );
        assert_eq!(
            c.scheme.as_deref(),
            Some("Skema Teknisi Elektronika (fiktif)")
        );
        assert_eq!(c.issuer_name.as_deref(), Some("LSP Contoh (fiktif)"));
        assert!(c.competencies.is_empty(), "its own units: none");
        assert!(elk2.warnings.is_empty(), "{:?}", elk2.warnings);

        // A scheme no award names: the scheme only, no issuer; not a data problem.
        let las2 = by_id(&programs, "PRG-LAS-02");
        let c = &las2.credentials[0];
        assert_eq!(c.source_id, "competency//Skema Juru Las GTAW (fiktif)");
        assert_eq!(c.name, "Sertifikat Kompetensi Skema Juru Las GTAW (fiktif)");
        assert_eq!(c.category, CredentialCategory::CompetencyCertification);
        assert_eq!(c.issuer_name, None);
        assert_eq!(c.recognized_by, ["BNSP"]);
        assert_eq!(c.valid_for_months, Some(36));
        assert_eq!(c.occupation_codes, ["7212"]);
        assert!(las2.warnings.is_empty(), "{:?}", las2.warnings);

        assert!(by_id(&programs, "PRG-TIK-01").credentials.is_empty());
        let par = by_id(&programs, "PRG-PAR-01");
        assert_eq!(par.name, "Barista & Pâtisserie Dasar");
        assert!(par.occupation_codes.is_empty());
        assert_eq!(par.nominal_hours, None);
        assert_eq!(codes(&par.warnings), ["VALUE_OUT_OF_RANGE"]);
        // Inactive: served, and said so.
        let inactive = by_id(&programs, "PRG-TIK-02");
        assert_eq!(inactive.kkni_level, Some(3));
        assert_eq!(codes(&inactive.warnings), ["PROGRAM_INACTIVE"]);

        // Every competency award with a known LSP and scheme is an award of a credential some
        // programme lists.
        let listed: Vec<&Credential> = programs.iter().flat_map(|p| &p.credentials).collect();
        for award in &awards {
            let c = &award.credential;
            if c.category == CredentialCategory::CompetencyCertification
                && c.issuer_name.is_some()
                && c.scheme.is_some()
            {
                assert!(listed.contains(&c), "{backend:?}: {c:?}");
            }
        }
    }
}

#[tokio::test]
async fn a_course_names_its_programme() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let programs: Vec<Program> = all(&source, false).await;
        let courses: Vec<Course> = all(&source, false).await;
        for course in &courses {
            let id = course.program_id.as_deref().expect("every course has one");
            let program = by_id(&programs, id);
            assert_eq!(course.name, program.name);
            assert_eq!(course.field, program.field);
            assert_eq!(course.occupation_codes, program.occupation_codes);
            assert_eq!(course.course_code.as_deref(), Some(id));
        }
        // The programme's courses, filtered in SQL.
        let mut request = QueryRequest::all(Collection::Courses);
        request.filter = Some(Filter::compare("programId", CompareOp::Eq, "PRG-TIK-01"));
        let (tik, total) = fetch::<Course>(&source, &request).await;
        let ids: Vec<&str> = tik.iter().map(|c| c.source_id.as_str()).collect();
        assert_eq!(ids, ["LBG-BKS/PRG-TIK-01", "LPK-3216-902/PRG-TIK-01"]);
        assert_eq!(total, 2);
        // And the programmes by id, as the gateway resolves `Course.program`.
        let mut lookup = QueryRequest::all(Collection::Programs);
        lookup.ids = Some(vec!["PRG-TIK-01".into(), "PRG-NONE".into()]);
        let (found, _) = fetch::<Program>(&source, &lookup).await;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Operator Komputer Muda");
    }
}

#[tokio::test]
async fn catalogue_filters_run_in_sql_as_the_reference_does() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let records: Vec<Program> = all(&source, false).await;
        let filters = [
            Filter::compare("field", CompareOp::Eq, "Elektronika"),
            Filter::compare(
                "occupationCode",
                CompareOp::In,
                Literal::List(vec!["7421".into(), "7212".into()]),
            ),
            Filter::compare("occupationCode", CompareOp::IsNull, true),
            Filter::compare("kkniLevel", CompareOp::Gte, 3_i64),
            Filter::compare("nominalHours", CompareOp::Lt, 250_i64),
            Filter::compare("nominalHours", CompareOp::IsNull, true),
            Filter::Not(Box::new(Filter::compare(
                "nominalHours",
                CompareOp::Gt,
                200_i64,
            ))),
            Filter::compare("name", CompareOp::Ilike, "%las%"),
            Filter::compare("code", CompareOp::Like, "PRG-TIK-%"),
        ];
        let mut request = QueryRequest::all(Collection::Programs);
        request.order_by = vec![OrderBy {
            field: "nominalHours".into(),
            direction: Direction::DescNullsLast,
        }];
        for f in filters {
            request.filter = Some(f.clone());
            let expected = simpul_schema::filter::apply(&records, &request).expect("reference");
            let actual = fetch::<Program>(&source, &request).await;
            assert_eq!(actual, expected, "{backend:?} {f:?}");
        }
        request.filter = Some(Filter::compare("field", CompareOp::Eq, "Teknik Las"));
        assert_eq!(fetch::<Program>(&source, &request).await.1, 2);
    }
}

/// A programme whose field does not exist, units that do not exist or belong to no programme,
/// and a scheme two LSPs certify (possible where foreign keys are not enforced, or simply
/// true of the scheme).
const BROKEN: &str = "
INSERT INTO program_pelatihan (id_program, kode_program, id_kejuruan, nama_program, kode_kbji, jenjang_kkni, durasi_jp, metode, skema_sertifikasi, deskripsi, aktif)
  VALUES (9, 'PRG-YATIM', 99, 'Program Tanpa Kejuruan (fiktif)', '7421', NULL, 100, 'PBK', NULL, NULL, TRUE);
INSERT INTO program_unit (id_program, id_unit, urutan) VALUES (9, 1, 1), (9, 99, 2), (99, 1, 1);
INSERT INTO sertifikasi (id_sertifikasi, id_pendaftaran, jenis_sertifikat, id_lsp, skema_sertifikasi, tgl_uji, rekomendasi, nomor_sertifikat, nomor_registrasi, tgl_terbit, berlaku_sampai)
  VALUES (60, 10, 'Sertifikat Kompetensi', 1, 'Skema Teknisi AC (fiktif)', '2023-06-22', 'BK', NULL, NULL, NULL, NULL),
         (61, 999, 'Sertifikat Kompetensi', 1, 'Skema Juru Las GTAW (fiktif)', '2023-06-22', 'BK', NULL, NULL, NULL, NULL);
";

#[tokio::test]
async fn bad_catalogue_rows_are_warnings_and_rejected_rows() {
    for backend in BACKENDS {
        let db = TestDb::with_extra(backend, BROKEN).await;
        let source = db.source().await;
        let programs: Vec<Program> = all(&source, false).await;
        assert_eq!(programs.len(), 9, "{backend:?}: nothing dropped");
        let yatim = by_id(&programs, "PRG-YATIM");
        assert_eq!(yatim.field, None);
        assert_eq!(yatim.kkni_level, None);
        assert_eq!(
            units(yatim),
            [("X.000000.001.01", CompetencyFramework::Skkni)]
        );
        assert_eq!(
            codes(&yatim.warnings),
            ["REFERENCE_MISSING", "REFERENCE_MISSING"]
        );
        for w in &yatim.warnings {
            assert!(!w.message.contains("99"), "{w:?}");
        }
        // Two LSPs certify the scheme: no issuer, and a warning.
        let tpd = by_id(&programs, "PRG-TPD-01");
        assert_eq!(
            tpd.credentials[0].source_id,
            "competency//Skema Teknisi AC (fiktif)"
        );
        assert_eq!(tpd.credentials[0].issuer_name, None);
        assert_eq!(
            codes(&tpd.warnings),
            ["VALUE_OUT_OF_RANGE", "VALUE_CONFLICT"]
        );
        // An award that is not served names no LSP for its scheme.
        let las2 = by_id(&programs, "PRG-LAS-02");
        assert_eq!(
            las2.credentials[0].source_id,
            "competency//Skema Juru Las GTAW (fiktif)"
        );
        assert!(las2.warnings.is_empty());

        let status = source.status().await.expect("status");
        let rejected: Vec<String> = status
            .rejected
            .iter()
            .filter(|i| i.source == "program_unit")
            .map(|i| i.reason.clone())
            .collect();
        assert_eq!(
            rejected,
            [
                "id_program 99: its programme (`id_program`) does not exist (unit `id_unit` 1)",
                "id_program 9: names a unit (`id_unit` 99) that does not exist",
            ],
            "{backend:?}"
        );
        assert_eq!(status.record_counts.get("programs"), Some(&9));
    }
}

/// SQLite keeps any type in any column: text in a programme's number, boolean or reference
/// column is read as null with `FIELD_TYPE_INVALID`, a `program_unit` row with a text key is
/// still reported; nothing fails and nothing is lost silently.
#[tokio::test]
async fn text_in_typed_catalogue_columns_is_a_warning() {
    let extra = "UPDATE program_pelatihan SET durasi_jp = 'empat puluh', aktif = 'ya', \
                 id_kejuruan = 'TIK' WHERE id_program = 2;
        INSERT INTO program_unit (id_program, id_unit, urutan) VALUES ('dua', 1, 'satu');";
    let db = TestDb::with_extra(common::Backend::Sqlite, extra).await;
    let source = db.source().await;
    let programs: Vec<Program> = all(&source, false).await;
    let tik = by_id(&programs, "PRG-TIK-01");
    assert_eq!((tik.nominal_hours, tik.field.as_ref()), (None, None));
    let fields: Vec<_> = tik
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.field.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("FIELD_TYPE_INVALID", Some("field")),
            ("FIELD_TYPE_INVALID", Some("nominalHours")),
            ("FIELD_TYPE_INVALID", Some("aktif")),
        ]
    );
    let status = source.status().await.expect("status");
    let rejected: Vec<&str> = status
        .rejected
        .iter()
        .filter(|i| i.source == "program_unit")
        .map(|i| i.reason.as_str())
        .collect();
    assert_eq!(
        rejected,
        ["id_program 0: its programme (`id_program`) does not exist (unit `id_unit` 1)"]
    );
}
