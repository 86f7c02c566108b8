//! `sertifikasi` (+ `lsp`, `program_pelatihan`, `program_unit`/`unit_kompetensi`, the
//! enrolment's batch and centre) → credential awards: one per row, the credential each is an
//! award of, numbers only on request, bad rows as warnings, filters in SQL equal to the
//! reference semantics.

mod common;

use chrono::NaiveDate;
use common::{all, by_id, codes, fetch, TestDb, BACKENDS};
use simpul_schema::*;

#[tokio::test]
async fn certificates_are_served_as_awards() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let awards: Vec<CredentialAward> = all(&source, false).await;
        assert_eq!(awards.len(), 13, "{backend:?}");
        let count =
            |c: CredentialCategory| awards.iter().filter(|a| a.credential.category == c).count();
        assert_eq!(count(CredentialCategory::TrainingCertificate), 6);
        assert_eq!(count(CredentialCategory::CompetencyCertification), 7);
        let result = |r: Option<AssessmentResult>| {
            awards.iter().filter(|a| a.assessment_result == r).count()
        };
        assert_eq!(result(Some(AssessmentResult::Competent)), 5);
        assert_eq!(result(Some(AssessmentResult::NotYetCompetent)), 1);

        let training = by_id(&awards, "1");
        assert_eq!(training.enrollment_id.as_deref(), Some("1"));
        let c = &training.credential;
        assert_eq!(c.source_id, "training/LBG-BKS/PRG-ELK-01");
        assert_eq!(c.name, "Sertifikat Pelatihan Teknisi Elektronika Dasar");
        assert_eq!(
            c.issuer_name.as_deref(),
            Some("BBPLK Contoh Bekasi (fiktif)")
        );
        assert_eq!(c.issuer_id.as_deref(), Some("LBG-BKS"));
        assert!(c.recognized_by.is_empty());
        assert_eq!(c.valid_for_months, None);
        assert_eq!(c.scheme, None);
        assert_eq!(c.occupation_codes, ["7421"]);
        let units: Vec<(&str, CompetencyFramework)> = c
            .competencies
            .iter()
            .map(|u| (u.code.as_str(), u.framework))
            .collect();
        assert_eq!(
            units,
            [
                ("X.000000.001.01", CompetencyFramework::Skkni),
                ("X.000000.002.01", CompetencyFramework::Special),
            ]
        );
        assert_eq!(training.issued_on, NaiveDate::from_ymd_opt(2023, 3, 20));
        assert_eq!(training.assessment_result, None);
        assert!(training.warnings.is_empty(), "{:?}", training.warnings);

        let competent = by_id(&awards, "3");
        let c = &competent.credential;
        assert_eq!(
            c.source_id,
            "competency/LSP-X-01/Skema Teknisi Elektronika (fiktif)"
        );
        assert_eq!(
            c.name,
            "Sertifikat Kompetensi Skema Teknisi Elektronika (fiktif)"
        );
        assert_eq!(c.category, CredentialCategory::CompetencyCertification);
        assert_eq!(c.issuer_name.as_deref(), Some("LSP Contoh (fiktif)"));
        assert_eq!(c.issuer_id, None);
        assert_eq!(c.recognized_by, ["BNSP"]);
        assert_eq!(c.valid_for_months, Some(36));
        assert_eq!(competent.assessed_on, NaiveDate::from_ymd_opt(2023, 3, 25));
        assert_eq!(competent.issued_on, NaiveDate::from_ymd_opt(2023, 4, 20));
        assert_eq!(competent.valid_until, NaiveDate::from_ymd_opt(2026, 4, 20));
        assert!(competent.warnings.is_empty(), "{:?}", competent.warnings);
        // The same credential through another batch, its scheme padded: the same key.
        assert_eq!(by_id(&awards, "13").credential, competent.credential);
        // One programme at two centres: two training credentials.
        assert_eq!(
            by_id(&awards, "11").credential.source_id,
            "training/LBG-BKS/PRG-TIK-01"
        );
        assert_eq!(
            by_id(&awards, "12").credential.source_id,
            "training/LPK-3216-902/PRG-TIK-01"
        );
        assert!(by_id(&awards, "11").credential.competencies.is_empty());

        let not_yet = by_id(&awards, "4");
        assert_eq!(
            not_yet.assessment_result,
            Some(AssessmentResult::NotYetCompetent)
        );
        assert_eq!(not_yet.issued_on, None);
        assert!(not_yet.warnings.is_empty());
    }
}

#[tokio::test]
async fn bad_certificates_are_warnings_and_nothing_is_dropped() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let awards: Vec<CredentialAward> = all(&source, false).await;
        let early = by_id(&awards, "7");
        assert_eq!(early.issued_on, None, "issued before its test");
        assert_eq!(early.valid_until, NaiveDate::from_ymd_opt(2026, 6, 1));
        assert_eq!(codes(&early.warnings), ["DATE_ORDER_INVALID"]);
        let numberless = by_id(&awards, "8");
        assert_eq!(numberless.valid_until, None);
        assert_eq!(
            codes(&numberless.warnings),
            ["VALUE_MISSING", "DATE_ORDER_INVALID"]
        );
        let bare = by_id(&awards, "9");
        assert_eq!(bare.credential.source_id, "competency//");
        assert_eq!(bare.credential.issuer_name, None);
        assert_eq!(bare.credential.scheme, None);
        assert_eq!(bare.assessment_result, None);
        assert_eq!(
            codes(&bare.warnings),
            ["VALUE_MISSING", "VALUE_MISSING", "VALUE_MISSING"]
        );
        // Filed against duplicate registration 25: attached to the kept registration 3.
        let merged = by_id(&awards, "10");
        assert_eq!(merged.enrollment_id.as_deref(), Some("3"));
        assert_eq!(codes(&merged.warnings), ["DUPLICATE_KEY"]);
        for award in &awards {
            for w in &award.warnings {
                assert!(
                    !w.message.contains("REG/") && !w.message.contains("SP/"),
                    "{w:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn numbers_are_personal_data_served_only_on_request() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let without: Vec<CredentialAward> = all(&source, false).await;
        assert!(without
            .iter()
            .all(|a| a.number.is_none() && a.registration_number.is_none()));
        let with: Vec<CredentialAward> = all(&source, true).await;
        let competent = by_id(&with, "3");
        assert_eq!(competent.number.as_deref(), Some("7421 2023 2 0100001"));
        assert_eq!(
            competent.registration_number.as_deref(),
            Some("REG/LSP-X-01/2023/00001")
        );
        assert_eq!(
            by_id(&with, "1").number.as_deref(),
            Some("SP/BKS-ELK-2023-01/001")
        );
        assert_eq!(with.iter().filter(|a| a.number.is_some()).count(), 10);
        // Apart from the numbers, the same records, warnings included.
        let stripped: Vec<CredentialAward> = with
            .into_iter()
            .map(|mut a| {
                a.strip_personal_data();
                a
            })
            .collect();
        assert_eq!(stripped, without, "{backend:?}");
    }
}

#[tokio::test]
async fn category_and_result_filters_run_in_sql_as_the_reference_does() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let records: Vec<CredentialAward> = all(&source, false).await;
        let filters = [
            Filter::compare("category", CompareOp::Eq, "COMPETENCY_CERTIFICATION"),
            Filter::compare("category", CompareOp::Neq, "TRAINING_CERTIFICATE"),
            Filter::compare("assessmentResult", CompareOp::Eq, "COMPETENT"),
            Filter::compare("assessmentResult", CompareOp::IsNull, true),
            Filter::Not(Box::new(Filter::compare(
                "assessmentResult",
                CompareOp::Eq,
                "NOT_YET_COMPETENT",
            ))),
            Filter::And(vec![
                Filter::compare("category", CompareOp::Eq, "COMPETENCY_CERTIFICATION"),
                Filter::compare("assessmentResult", CompareOp::Eq, "COMPETENT"),
            ]),
            Filter::compare("recognizedBy", CompareOp::Eq, "BNSP"),
            Filter::compare("recognizedBy", CompareOp::Neq, "BNSP"),
            Filter::compare("validUntil", CompareOp::Gte, "2026-06-01"),
            Filter::compare("credentialId", CompareOp::Like, "training/%"),
        ];
        let mut request = QueryRequest::all(Collection::CredentialAwards);
        request.order_by = vec![OrderBy {
            field: "issuedOn".into(),
            direction: Direction::DescNullsLast,
        }];
        for f in filters {
            request.filter = Some(f.clone());
            let expected = simpul_schema::filter::apply(&records, &request).expect("reference");
            let actual = fetch::<CredentialAward>(&source, &request).await;
            assert_eq!(actual, expected, "{backend:?} {f:?}");
        }
        request.filter = Some(Filter::And(vec![
            Filter::compare("category", CompareOp::Eq, "COMPETENCY_CERTIFICATION"),
            Filter::compare("assessmentResult", CompareOp::Eq, "COMPETENT"),
        ]));
        assert_eq!(fetch::<CredentialAward>(&source, &request).await.1, 5);
    }
}
