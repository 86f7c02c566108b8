//! The demo export in `gateway/demo/spn` loads with exactly the counts it was designed with, and
//! never shows a NIK in clear unless personal data is asked for.

mod common;

use std::collections::BTreeMap;

use simpul_adapter_spn::{SpnConfig, SpnData};
use simpul_schema::{
    Collection, CompareOp, CourseRunStatus, EnrollmentStatus, Filter, OutcomeStatus, QueryRequest,
    Records,
};

fn demo() -> SpnData {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../gateway/demo/spn");
    match SpnData::load(&SpnConfig::new(dir)) {
        Ok(data) => data,
        Err(e) => panic!("demo does not load: {e}"),
    }
}

#[test]
fn demo_counts() {
    let data = demo();
    let counts: BTreeMap<&str, u64> = data
        .status
        .record_counts
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    let expected: BTreeMap<&str, u64> = [
        ("trainingCenters", 2),
        ("courses", 6),
        ("courseRuns", 7),
        ("participants", 35),
        ("enrollments", 38),
        ("outcomes", 20),
        ("partnerships", 2),
    ]
    .into();
    assert_eq!(counts, expected);

    // Exactly one bad row: a mistyped batch code in peserta.csv (39 rows, one rejected).
    assert_eq!(data.status.rejected.len(), 1);
    let issue = &data.status.rejected[0];
    assert_eq!(
        (issue.source.as_str(), issue.line),
        ("peserta.csv", Some(27))
    );
    assert!(issue.reason.contains("SPN-PL-2023-9"), "{}", issue.reason);
    // Records with a warning: the free-text funding source and the unlisted outcome status.
    assert_eq!(data.status.warnings, 2);
    assert!(data.status.data_as_of.is_some());

    // Three people took two courses.
    let mut per_person: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &data.enrollments {
        *per_person.entry(e.participant_id.as_str()).or_default() += 1;
    }
    let repeaters: Vec<_> = per_person
        .iter()
        .filter(|(_, n)| **n == 2)
        .map(|(p, _)| *p)
        .collect();
    assert_eq!(repeaters, ["SPN-P-0003", "SPN-P-0010", "SPN-P-0015"]);
    assert!(data
        .participants
        .iter()
        .all(|p| p.nik_valid && p.warnings.is_empty()));
}

#[test]
fn demo_runs_outcomes_and_mou() {
    let data = demo();
    let statuses: Vec<_> = data.course_runs.iter().map(|r| r.status).collect();
    use CourseRunStatus::*;
    assert_eq!(
        statuses,
        [Completed, Completed, Completed, Completed, Completed, Running, Open]
    );
    let mou = &data.partnerships[0];
    assert_eq!(mou.source_id, "KS-2023-001");
    assert_eq!(
        mou.signed_on.map(|d| d.to_string()).as_deref(),
        Some("2023-03-15")
    );
    assert!(mou
        .place
        .as_deref()
        .is_some_and(|p| p.starts_with("Desa Sangiang")));
    let linked: Vec<_> = data
        .course_runs
        .iter()
        .filter(|r| r.partnership_ids.contains(&mou.source_id))
        .map(|r| r.source_id.as_str())
        .collect();
    assert_eq!(
        linked,
        ["SPN-PL-2023-01", "SPN-PL-2024-01", "SPN-PL-2025-01"]
    );

    let count = |s: OutcomeStatus| data.outcomes.iter().filter(|o| o.status == s).count();
    assert_eq!(
        [
            OutcomeStatus::SelfEmployed,
            OutcomeStatus::Employed,
            OutcomeStatus::SeekingWork,
            OutcomeStatus::Other
        ]
        .map(count),
        [9, 6, 4, 1]
    );
    let result = |s: EnrollmentStatus| data.enrollments.iter().filter(|e| e.status == s).count();
    assert_eq!(
        [
            EnrollmentStatus::Completed,
            EnrollmentStatus::Failed,
            EnrollmentStatus::Withdrawn,
            EnrollmentStatus::InProgress
        ]
        .map(result),
        [29, 2, 2, 5]
    );
}

#[test]
fn demo_latest_row_wins_for_repeaters() {
    let data = demo();
    let p = data
        .participants
        .iter()
        .find(|p| p.source_id == "SPN-P-0003");
    let phone = p
        .and_then(|p| p.pii.as_ref())
        .and_then(|pii| pii.phone.as_deref());
    assert_eq!(phone, Some("+6289900120303"));
    let p = data
        .participants
        .iter()
        .find(|p| p.source_id == "SPN-P-0015");
    let village = p
        .and_then(|p| p.pii.as_ref())
        .and_then(|pii| pii.domicile_village_code.as_deref());
    assert_eq!(village, Some("36.73.05.1008"));
}

#[test]
fn demo_never_shows_a_nik_without_include_pii() {
    let data = demo();
    let niks: Vec<String> = data
        .participants
        .iter()
        .filter_map(|p| p.pii.as_ref()?.nik.clone())
        .collect();
    assert_eq!(niks.len(), 35);
    for &collection in Collection::ALL {
        let response = common::query(&data, collection, false);
        let json = serde_json::to_string(&response).unwrap_or_default();
        for nik in &niks {
            assert!(!json.contains(nik.as_str()), "{collection:?} leaks a NIK");
        }
        assert!(
            !json.contains("monthlyRevenue\":{"),
            "{collection:?} leaks revenue"
        );
    }
    let status = serde_json::to_string(&data.status).unwrap_or_default();
    assert!(niks.iter().all(|nik| !status.contains(nik.as_str())));
    // With include_pii the NIKs are there (the gateway decides who may see them).
    let json = serde_json::to_string(&common::query(&data, Collection::Participants, true))
        .unwrap_or_default();
    assert!(niks.iter().all(|nik| json.contains(nik.as_str())));
}

#[test]
fn demo_filters_and_paging() {
    let data = demo();
    let mut request = QueryRequest::all(Collection::CourseRuns);
    request.filter = Some(Filter::compare(
        "fundingScheme",
        CompareOp::Eq,
        "PARTNER_FUNDED",
    ));
    request.limit = Some(2);
    let response = data.query(&request).expect("query");
    assert_eq!(response.total_count, 3);
    assert_eq!(response.records.len(), 2);

    let mut request = QueryRequest::all(Collection::Participants);
    request.filter = Some(Filter::compare(
        "domicileRegencyCode",
        CompareOp::Prefix,
        "36.73",
    ));
    let response = data.query(&request).expect("query");
    let Records::Participants(ps) = response.records else {
        panic!("participants")
    };
    assert!(!ps.is_empty() && ps.iter().all(|p| p.pii.is_none()));

    let mut request = QueryRequest::all(Collection::Outcomes);
    request.filter = Some(Filter::compare("noSuchField", CompareOp::Eq, "x"));
    assert!(data.query(&request).is_err());
}

#[test]
fn person_keys_only_with_a_secret_and_a_valid_nik() {
    assert!(
        demo().participants.iter().all(|p| p.person_key.is_none()),
        "no secret, no keys"
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../gateway/demo/spn");
    let config = SpnConfig {
        identity_secret: Some("a secret of at least 16".into()),
        ..SpnConfig::new(dir)
    };
    let data = SpnData::load(&config).expect("demo loads");
    for p in &data.participants {
        match &p.person_key {
            Some(key) => {
                assert!(p.nik_valid);
                assert_eq!(key.len(), 64);
                let nik = p.pii.as_ref().and_then(|pii| pii.nik.clone()).unwrap();
                assert!(!key.contains(&nik), "a keyed hash, not the NIK");
                let unkeyed = simpul_schema::identity::keyed_hash(b"", nik.as_bytes());
                assert_ne!(*key, unkeyed, "keyed with the secret");
            }
            None => assert!(!p.nik_valid),
        }
    }
    assert!(data.participants.iter().any(|p| p.person_key.is_some()));
    assert!(
        !format!("{config:?}").contains("a secret of"),
        "Debug hides the secret"
    );
}
