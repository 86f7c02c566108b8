//! Credential awards: one per enrolment with a `nomorSertifikat`, the certificate of its
//! programme; the number (personal data) only with `include_pii`, cache or no cache; filters
//! on the credential's category; bad certificates served with warnings. Read through the
//! simulator over HTTP.

mod common;

use chrono::NaiveDate;
use common::*;
use simpul_schema::{
    AssessmentResult, Collection, CompareOp, CredentialAward, CredentialCategory, Filter, Literal,
    QueryRequest, Records,
};

fn awards_of(records: Records) -> Vec<CredentialAward> {
    match records {
        Records::CredentialAwards(r) => r,
        other => panic!("credential awards expected, got {other:?}"),
    }
}

async fn query(
    a: &simpul_adapter_bpjamsostek::BpjamsostekAdapter,
    filter: Option<Filter>,
    include_pii: bool,
) -> (Vec<CredentialAward>, u64) {
    let mut request = QueryRequest::all(Collection::CredentialAwards);
    request.filter = filter;
    request.include_pii = include_pii;
    let answer = a.query(&request).await.expect("an answer");
    let total = answer.total_count;
    (awards_of(answer.records), total)
}

#[tokio::test]
async fn one_award_per_enrolment_with_a_certificate_number() {
    let sim = simulator().await;
    let a = adapter(&sim, FULL);
    let awards = credential_awards(&a).await;
    // 20 numbered enrolments are served (PP-2021-00004's programme names an unknown partner).
    assert_eq!(awards.len(), 20);
    let enrollments = enrollments(&a).await;
    for award in &awards {
        let e = find(&enrollments, &award.source_id, |e| &e.source_id);
        assert_eq!(award.enrollment_id.as_deref(), Some(e.source_id.as_str()));
        assert_eq!(
            award.credential.source_id,
            format!("{}/sertifikat", e.course_run_id)
        );
        assert!(award.number.is_some());
        assert_eq!(award.registration_number, None);
    }
    let get = |id| find(&awards, id, |a| &a.source_id);

    // A training certificate issued by the partner itself.
    let t = get("PP-2019-00001");
    assert_eq!(t.number.as_deref(), Some("VKS/PV-2019-0001/0001 (fiktif)"));
    assert_eq!(t.assessment_result, None);
    assert_eq!(t.issued_on, NaiveDate::from_ymd_opt(2019, 12, 20));
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    let c = &t.credential;
    assert_eq!(c.source_id, "PV-2019-0001/sertifikat");
    assert_eq!(
        c.name,
        "Sertifikat Pelatihan Pelatihan Operator Crane Dasar"
    );
    assert_eq!(c.category, CredentialCategory::TrainingCertificate);
    assert_eq!(
        c.issuer_name.as_deref(),
        Some("LPK Teknik Krakatau (fiktif)")
    );
    assert_eq!(c.issuer_id.as_deref(), Some("LM-0001"));
    assert!(c.recognized_by.is_empty());
    assert_eq!(c.occupation_codes, ["8343"]);

    // A competency certificate of an LSP: BNSP, competent; the programme's end date is not
    // ISO, so no issue date.
    let k = get("PP-2020-00006");
    assert_eq!(
        k.credential.category,
        CredentialCategory::CompetencyCertification
    );
    assert_eq!(
        k.credential.name,
        "Sertifikat Kompetensi K3 Listrik Dasar (Daring)"
    );
    assert_eq!(k.credential.recognized_by, ["BNSP"]);
    assert_eq!(k.credential.issuer_id.as_deref(), Some("LM-0003"));
    assert_eq!(k.assessment_result, Some(AssessmentResult::Competent));
    assert_eq!(k.issued_on, None);
    // Every award of one programme is an award of the same credential.
    assert_eq!(get("PP-2020-00007").credential, k.credential);

    // No number, no award: failed, withdrawn, repeated id whose first copy is kept.
    for id in [
        "PP-2019-00003",
        "PP-2019-00007",
        "PP-2020-00005",
        "PP-2021-00002",
    ] {
        assert!(awards.iter().all(|a| a.source_id != id), "{id}");
    }
    assert!(awards.iter().any(|a| a.source_id == "PP-2020-00012"));

    // A number on an enrolment still running, in a programme without `sertifikat`: served,
    // category UNKNOWN, both said.
    let messy = get("PP-2021-00001");
    assert_eq!(messy.credential.category, CredentialCategory::Unknown);
    assert_eq!(
        messy.credential.name,
        "Sertifikat Digital Marketing untuk Usaha Mikro"
    );
    assert_eq!(messy.credential.issuer_name, None);
    assert_eq!(messy.assessment_result, None);
    assert!(has(&messy.warnings, "VALUE_MISSING", "credential.category"));
    assert!(has(&messy.warnings, "VALUE_CONFLICT", "number"));
    assert!(messy.warnings.iter().all(|w| !w.message.contains("VKS/")));
}

#[tokio::test]
async fn numbers_only_with_include_pii_cached_or_not() {
    let sim = simulator().await;
    let cached = adapter(&sim, FULL);
    let mut c = config(&sim, FULL);
    c.cache_ttl_ms = 0;
    let uncached = simpul_adapter_bpjamsostek::BpjamsostekAdapter::new(c).expect("valid config");
    let pushed = Filter::compare("credentialId", CompareOp::Eq, "PV-2020-0002/sertifikat");
    for a in [&cached, &uncached] {
        for filter in [None, Some(pushed.clone())] {
            let (without, n) = query(a, filter.clone(), false).await;
            assert!(n > 0 && without.len() as u64 == n);
            assert!(without.iter().all(|a| a.number.is_none()));
            let text = serde_json::to_string(&without).unwrap();
            assert!(!text.contains("VKS/"), "a certificate number leaked");
            let (with, m) = query(a, filter, true).await;
            assert_eq!(m, n);
            assert!(with.iter().all(|a| a.number.is_some()));
        }
    }
    // Pushed down: only that programme's enrolments were fetched, and the answer is exact.
    sim.faults().reset_counts();
    let (three, _) = query(&uncached, Some(pushed.clone()), true).await;
    assert_eq!(
        sim.faults().request_count("/v1/peserta"),
        1,
        "only that programme"
    );
    let (reference, _) = query(&cached, Some(pushed), true).await;
    assert_eq!(three, reference);
    let ids: Vec<_> = three.iter().map(|a| a.source_id.as_str()).collect();
    assert_eq!(ids, ["PP-2020-00006", "PP-2020-00007", "PP-2020-00008"]);

    // A key without pii:read: the API does not mask numbers, the adapter still keeps them back.
    let limited = adapter(&sim, LIMITED);
    let (without, _) = query(&limited, None, false).await;
    assert_eq!(without.len(), 20);
    assert!(without.iter().all(|a| a.number.is_none()));
}

#[tokio::test]
async fn filters_on_category_and_recognition() {
    let sim = simulator().await;
    let a = adapter(&sim, FULL);
    let by = |category: &str| Filter::compare("category", CompareOp::Eq, category);
    let (competency, n) = query(&a, Some(by("COMPETENCY_CERTIFICATION")), false).await;
    assert_eq!(n, 3);
    assert!(competency
        .iter()
        .all(|a| a.credential.source_id == "PV-2020-0002/sertifikat"));
    let (training, n) = query(&a, Some(by("TRAINING_CERTIFICATE")), false).await;
    assert_eq!(n, 16);
    assert!(training.iter().all(|a| a.assessment_result.is_none()));
    let (unknown, _) = query(&a, Some(by("UNKNOWN")), false).await;
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].source_id, "PP-2021-00001");
    let (bnsp, _) = query(
        &a,
        Some(Filter::compare("recognizedBy", CompareOp::Eq, "BNSP")),
        false,
    )
    .await;
    assert_eq!(bnsp, competency);
    let (either, n) = query(
        &a,
        Some(Filter::compare(
            "category",
            CompareOp::In,
            Literal::List(vec!["UNKNOWN".into(), "COMPETENCY_CERTIFICATION".into()]),
        )),
        false,
    )
    .await;
    assert_eq!((either.len(), n), (4, 4));
    let (in_2019, _) = query(
        &a,
        Some(Filter::compare(
            "issuedOn",
            CompareOp::Lt,
            Literal::Text("2020-01-01".into()),
        )),
        false,
    )
    .await;
    assert_eq!(in_2019.len(), 6);
    // A value that is not a category is refused before any HTTP call.
    sim.faults().reset_counts();
    let mut bad = QueryRequest::all(Collection::CredentialAwards);
    bad.filter = Some(Filter::compare("number", CompareOp::Eq, "x"));
    assert!(a.query(&bad).await.is_err(), "number is not filterable");
    assert_eq!(sim.faults().total_requests(), 0);
}
