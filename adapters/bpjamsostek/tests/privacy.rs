//! Personal data: only in `ParticipantPii` and only on request; masked input from a key without
//! `pii:read`; nothing personal in warnings, issues or errors; the eligibility check by KPJ.

mod common;

use common::*;
use simpul_adapter_bpjamsostek::mapping::MembershipSegment;
use simpul_bpjamsostek_simulator::{DataFile, SimulatorData};
use simpul_schema::{Collection, QueryRequest, Records};

/// Every personal value in the demo data: NIKs, KPJs, names, birth dates, phones, e-mails,
/// village codes of domicile, certificate numbers.
fn personal_values() -> Vec<String> {
    let data = SimulatorData::demo();
    let mut out = Vec::new();
    for file in [
        DataFile::PesertaProgram,
        DataFile::Kepesertaan,
        DataFile::Penempatan,
    ] {
        for record in data.records(file) {
            for field in [
                "nik",
                "kpj",
                "namaLengkap",
                "namaPeserta",
                "tanggalLahir",
                "noHp",
                "email",
                "kodeWilayahDomisili",
                "nomorSertifikat",
            ] {
                if let Some(v) = record.get(field).and_then(|v| v.as_str()) {
                    out.push(v.to_owned());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn personal_data_only_on_request() {
    let sim = simulator().await;
    let a = adapter(&sim, FULL);
    let response = a
        .query(&QueryRequest::all(Collection::Participants))
        .await
        .unwrap();
    let Records::Participants(people) = response.records else {
        panic!("participants expected")
    };
    assert!(people.iter().all(|p| p.pii.is_none()));
    let text = serde_json::to_string(&people).unwrap();
    for value in personal_values() {
        // Birth years and masked forms are fine; full values are not.
        assert!(
            !text.contains(&value),
            "a personal value leaked without include_pii"
        );
    }
    assert!(participants(&a).await.iter().all(|p| p.pii.is_some()));
}

#[tokio::test]
async fn warnings_issues_and_keys_never_carry_personal_values() {
    let sim = simulator().await;
    let a = adapter(&sim, FULL);
    let data = a.data().await.unwrap();
    let mut texts = Vec::new();
    let warnings = data
        .training_centers
        .iter()
        .flat_map(|r| &r.warnings)
        .chain(data.courses.iter().flat_map(|r| &r.warnings))
        .chain(data.course_runs.iter().flat_map(|r| &r.warnings))
        .chain(data.participants.iter().flat_map(|r| &r.warnings))
        .chain(data.enrollments.iter().flat_map(|r| &r.warnings))
        .chain(data.outcomes.iter().flat_map(|r| &r.warnings))
        .chain(data.partnerships.iter().flat_map(|r| &r.warnings))
        .chain(data.credential_awards.iter().flat_map(|r| &r.warnings));
    for w in warnings {
        texts.push(format!("{} {:?} {}", w.code, w.field, w.message));
    }
    for i in &data.issues {
        texts.push(format!("{} {}", i.source, i.reason));
    }
    texts.extend(data.participants.iter().map(|p| p.source_id.clone()));
    texts.extend(data.enrollments.iter().map(|e| e.participant_id.clone()));
    texts.extend(data.credential_awards.iter().map(|a| a.source_id.clone()));
    texts.extend(
        data.credential_awards
            .iter()
            .map(|a| a.credential.source_id.clone()),
    );
    assert!(texts.len() > 40);
    let all = texts.join("\n");
    for value in personal_values() {
        assert!(
            !all.contains(&value),
            "a personal value leaked: see the demo data"
        );
    }
}

#[tokio::test]
async fn a_key_without_pii_read_gets_masked_data_and_participants_per_enrolment() {
    let sim = simulator().await;
    let a = adapter(&sim, LIMITED);
    let people = participants(&a).await;
    // Masked KPJs cannot be hashed: one participant per enrolment.
    assert_eq!(people.len(), 25);
    let p = find(&people, "PP-2019-00001", |p| &p.source_id);
    assert!(has(&p.warnings, "KPJ_MASKED", "kpj"));
    assert!(has(&p.warnings, "NIK_MASKED", "nik"));
    assert_eq!(p.kpj_masked.as_deref(), Some("990*****000"));
    assert_eq!(p.nik_masked.as_deref(), Some("367202******9600"));
    assert!(!p.nik_valid);
    assert_eq!(p.domicile_regency_code, None);
    assert_eq!(p.birth_year, None);
    let pii = p.pii.as_ref().unwrap();
    assert_eq!((pii.nik.as_ref(), pii.kpj.as_ref()), (None, None));
    assert_eq!(
        pii.full_name.as_deref(),
        Some("Rahmat Hidayat"),
        "names still come"
    );
    assert_eq!(
        (pii.birth_date, pii.phone.as_ref(), pii.email.as_ref()),
        (None, None, None)
    );
    assert_eq!(pii.domicile_village_code, None);
    // Outcomes still link to enrolments; KPJ cross-checks compare masked forms.
    let outcomes = outcomes(&a).await;
    assert_eq!(outcomes.len(), 14);
}

#[tokio::test]
async fn the_eligibility_check_by_kpj() {
    let sim = simulator().await;
    let a = adapter(&sim, FULL);

    let ineligible = a.membership("99096000050").await.unwrap().unwrap();
    assert_eq!(ineligible.vokasi_eligible, Some(false));
    assert_eq!(ineligible.ineligibility_reasons, ["KURANG_MASA_IUR"]);
    assert_eq!(ineligible.contribution_months, Some(7));
    assert_eq!(ineligible.segment, Some(MembershipSegment::Pu));
    assert!(ineligible.active);
    assert_eq!(
        ineligible.last_contribution_month.as_deref(),
        Some("2025-05")
    );
    let jkp = ineligible.jkp.as_ref().unwrap();
    assert!(jkp.registered);
    assert_eq!(jkp.contribution_months_last24, Some(7));
    assert_eq!(jkp.meets_contribution_rule, Some(false));
    assert_eq!(
        ineligible.checked_at.unwrap().to_rfc3339(),
        "2025-06-30T07:00:00+07:00"
    );
    assert!(ineligible.warnings.is_empty());

    let eligible = a.membership("99096000000").await.unwrap().unwrap();
    assert_eq!(eligible.vokasi_eligible, Some(true));
    assert!(!eligible.active, "most early trainees are inactive today");
    assert_eq!(
        a.membership("99096000052").await.unwrap().unwrap().segment,
        Some(MembershipSegment::Pmi)
    );
    assert_eq!(
        a.membership("99096000051").await.unwrap().unwrap().jkp,
        None
    );

    // Messy: verdict disagrees with months paid, unknown segment, bad month, no offset.
    let messy = a.membership("99096000054").await.unwrap().unwrap();
    assert_eq!(messy.segment, None);
    assert_eq!(
        messy.vokasi_eligible,
        Some(true),
        "the API's verdict is kept"
    );
    for (code, field) in [
        ("ENUM_UNKNOWN", "segment"),
        ("VALUE_CONFLICT", "vokasiEligible"),
        ("DATE_INVALID", "lastContributionMonth"),
        ("TIMESTAMP_OFFSET_MISSING", "checkedAt"),
    ] {
        assert!(has(&messy.warnings, code, field), "{code}");
    }

    // Unknown KPJ → None; malformed → an error, with no request made.
    assert_eq!(a.membership("99099999999").await.unwrap(), None);
    sim.faults().reset_counts();
    let e = a.membership("9909600000").await.unwrap_err();
    assert_eq!(e.code(), "BAD_REQUEST");
    assert!(!e.to_string().contains("9909600000"));
    assert_eq!(sim.faults().total_requests(), 0);

    // Reused within the cache TTL, and reachable by participant key.
    a.membership("99096000000").await.unwrap();
    assert_eq!(sim.faults().route_count("/v1/peserta/{kpj}"), 0);
    let by_key = a
        .participant_membership(&key_of("99096000000"))
        .await
        .unwrap();
    assert_eq!(by_key, Some(eligible));
    assert_eq!(
        a.participant_membership("PP-2019-00004").await.unwrap(),
        None
    );
}

#[tokio::test]
async fn eligibility_errors_never_show_the_kpj() {
    let sim = simulator().await;
    let catalog = adapter(&sim, CATALOG);
    let e = catalog.membership("99096000000").await.unwrap_err();
    assert_eq!(e.code(), "SOURCE_FORBIDDEN");
    assert!(e.to_string().contains("kepesertaan:read"), "{e}");
    assert!(e.to_string().contains("/v1/peserta/{kpj}"), "{e}");
    assert!(!e.to_string().contains("99096000000"), "{e}");

    sim.faults().reset_counts();
    sim.faults().fail_next(5, 503, None);
    let mut c = config(&sim, FULL);
    c.max_retries = 1;
    let a = simpul_adapter_bpjamsostek::BpjamsostekAdapter::new(c).unwrap();
    let e = a.membership("99096000000").await.unwrap_err();
    assert_eq!(e.code(), "SOURCE_UNAVAILABLE");
    assert!(!e.to_string().contains("99096000000"), "{e}");
    assert_eq!(sim.faults().route_count("/v1/peserta/{kpj}"), 2);
}
