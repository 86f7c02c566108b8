//! Training certificates (`Peserta.No. Sertifikat`, contract §3.3) as credential awards: one
//! per accepted enrolment with a number, issued by the BLKK, keyed by the enrolment; the number
//! is personal data, served only on request and never quoted; a number on someone who did not
//! pass is served with a warning, one shaped like a NIK or phone number is not served.

mod support;

use std::collections::BTreeSet;

use simpul_schema::{Collection, CredentialAward, CredentialCategory, QueryRequest, Records};
use support::hostile::*;
use support::{c, load, sample, scratch};

fn awards(data: &simpul_adapter_fkblkk::FkblkkData, include_pii: bool) -> Vec<CredentialAward> {
    let mut request = QueryRequest::all(Collection::CredentialAwards);
    request.include_pii = include_pii;
    let Records::CredentialAwards(awards) = data.query(&request).unwrap().records else {
        panic!("credential awards")
    };
    awards
}

#[test]
fn the_sample_serves_the_passed_peoples_certificates() {
    let dir = scratch("awards-sample");
    sample::write(&dir);
    let data = load(&dir);
    // 001: 12 people, one withdrew; 002: 10 people, one failed. No other batch has numbers.
    assert_eq!(data.credential_awards.len(), 20);
    assert!(data.credential_awards.iter().all(|a| a.warnings.is_empty()));
    let enrolments: BTreeSet<&str> = data
        .enrollments
        .iter()
        .map(|e| e.source_id.as_str())
        .collect();
    for a in &data.credential_awards {
        let enrolment = a.enrollment_id.as_deref().unwrap();
        assert!(enrolments.contains(enrolment));
        assert_eq!(a.source_id, format!("{enrolment}/sertifikat"));
        let e = data
            .enrollments
            .iter()
            .find(|e| e.source_id == enrolment)
            .unwrap();
        assert_eq!(e.status.as_str(), "COMPLETED");
        assert_eq!(
            a.credential.category,
            CredentialCategory::TrainingCertificate
        );
        assert!(a.assessment_result.is_none());
        let number = a.number.as_deref().unwrap();
        assert!(
            number.starts_with(&format!("SP/{}/", e.course_run_id)),
            "{number}"
        );
    }
    let first = data
        .credential_awards
        .iter()
        .find(|a| a.number.as_deref() == Some("SP/PLT-2025-001/001"))
        .unwrap();
    let credential = &first.credential;
    assert_eq!(
        credential.name,
        "Sertifikat Pelatihan Menjahit Pakaian Wanita"
    );
    assert_eq!(
        credential.source_id,
        "BLKK-TNG-01/menjahit pakaian wanita/sertifikat"
    );
    assert_eq!(credential.issuer_id.as_deref(), Some("BLKK-TNG-01"));
    assert_eq!(
        credential.issuer_name.as_deref(),
        Some("BLK Komunitas Ponpes Nurul Falah Balaraja (fiktif)")
    );
    assert_eq!(credential.occupation_codes, ["7531"]);
    assert_eq!(
        first.issued_on.map(|d| d.to_string()).as_deref(),
        Some("2025-02-21")
    );
    // One credential per course: every award of a batch is an award of the same credential.
    let credentials: BTreeSet<(&str, &str)> = data
        .credential_awards
        .iter()
        .map(|a| (a.credential.source_id.as_str(), a.credential.name.as_str()))
        .collect();
    assert_eq!(credentials.len(), 2);
    // Keyed by the enrolment, never by the NIK.
    for p in &data.participants {
        if let Some(nik) = p.pii.as_ref().and_then(|pii| pii.nik.as_deref()) {
            assert!(data
                .credential_awards
                .iter()
                .all(|a| !a.source_id.contains(nik)));
        }
    }
}

#[test]
fn the_number_is_personal_data() {
    let dir = scratch("awards-pii");
    sample::write(&dir);
    let data = load(&dir);
    let plain = awards(&data, false);
    assert_eq!(plain.len(), 20);
    assert!(plain.iter().all(|a| a.number.is_none()), "stripped");
    let full = awards(&data, true);
    assert!(full.iter().all(|a| a.number.is_some()));
    let said = support::everything_said(&data);
    assert!(!said.contains("SP/PLT-2025-001/"));
}

/// `Peserta` with a `No. Sertifikat` column, in PLT-2025-001 (ends 21 Feb 2025) or PLT-2025-002
/// (no end date).
fn certified(people: &[(&str, &str, &str, &str)]) -> simpul_adapter_fkblkk::FkblkkData {
    let mut header = PESERTA.to_vec();
    header.push("No. Sertifikat");
    let rows = people
        .iter()
        .map(|(code, nik, status, number)| {
            let mut row = participant(code, nik, &[("Status Peserta", status)]);
            row.push(c(number));
            row
        })
        .collect();
    let mut sheets = book(vec![], vec![]);
    sheets[1] = sheet(
        "Pelatihan",
        PELATIHAN,
        vec![
            batch("PLT-2025-001", "BLKK-TNG-01", &[]),
            batch("PLT-2025-002", "BLKK-TNG-01", &[("Tanggal Selesai", "")]),
        ],
    );
    sheets[2] = sheet("Peserta", &header, rows);
    one("awards", sheets)
}

/// More valid NIKs of men born 25/06/2000 in Balaraja (as [`participant`]'s default row).
const NIK_D: &str = "3603012506009004";
const NIK_E: &str = "3603012506009005";
const NIK_F: &str = "3603012506009006";

#[test]
fn bad_numbers_are_warned_never_dropped_nor_quoted() {
    let nfd = "SP/PLT-2025-001/Andre\u{301}";
    let data = certified(&[
        ("PLT-2025-001", NIK_A, "Lulus", "  SP/PLT-2025-001/001 \t"),
        ("PLT-2025-001", NIK_B, "Tidak Lulus", "SP/PLT-2025-001/002"),
        ("PLT-2025-001", NIK_C, "Lulus", "3603012506009003"),
        ("PLT-2025-001", NIK_D, "Lulus", "#3603012506009000"),
        ("PLT-2025-001", NIK_E, "Lulus", "0899-0319-9001"),
        ("PLT-2025-001", NIK_F, "Lulus", ""),
        ("PLT-2025-002", NIK_A, "", nfd),
        ("PLT-2025-002", NIK_B, "Lulus", "SP/PLT-2025-002/002"),
    ]);
    assert!(data.rejected.is_empty(), "{:#?}", data.rejected);
    let by_row = |line: u32| {
        let enrolment = &data.enrollments[line as usize - 4].source_id;
        data.credential_awards
            .iter()
            .find(|a| a.enrollment_id.as_ref() == Some(enrolment))
    };
    let codes = |a: &CredentialAward| -> Vec<String> {
        a.warnings.iter().map(|w| w.code.clone()).collect()
    };
    // Trimmed, served as typed, issued at the batch's end.
    let ok = by_row(4).unwrap();
    assert_eq!(ok.number.as_deref(), Some("SP/PLT-2025-001/001"));
    assert!(ok.warnings.is_empty());
    assert_eq!(
        ok.issued_on.map(|d| d.to_string()).as_deref(),
        Some("2025-02-21")
    );
    // A number on someone who failed: served, with a warning.
    let failed = by_row(5).unwrap();
    assert_eq!(failed.number.as_deref(), Some("SP/PLT-2025-001/002"));
    assert_eq!(codes(failed), ["VALUE_CONFLICT"]);
    assert!(failed.warnings[0].message.contains("row 5.No. Sertifikat"));
    // A NIK (as text and as a number cell) or a phone number: the award without a number.
    for line in [6, 7, 8] {
        let award = by_row(line).unwrap();
        assert_eq!(award.number, None, "row {line}");
        assert_eq!(codes(award), ["CERTIFICATE_NUMBER_INVALID"], "row {line}");
    }
    assert!(by_row(9).is_none(), "no number, no award");
    // Still running (blank status) in a batch without an end: warned, no issue date, NFC.
    let running = by_row(10).unwrap();
    assert_eq!(codes(running), ["VALUE_CONFLICT"]);
    assert_eq!(running.issued_on, None);
    assert_eq!(
        running.number.as_deref(),
        Some("SP/PLT-2025-001/Andr\u{e9}")
    );
    assert!(has_note(&data, "TEXT_NORMALIZED_NFC", "No. Sertifikat"));
    // Both batches run the same programme at the same BLKK: one credential.
    let credentials: BTreeSet<&str> = data
        .credential_awards
        .iter()
        .map(|a| a.credential.source_id.as_str())
        .collect();
    assert_eq!(credentials.len(), 1);
    assert_eq!(data.credential_awards.len(), 7);
    // Nothing personal in what was said, including the NIK-shaped and phone-shaped numbers.
    no_personal_values(&data);
    let said = support::everything_said(&data);
    for value in ["3603012506009", "0899-0319-9001", "SP/PLT-2025-001/002"] {
        assert!(!said.contains(value), "{value} in:\n{said}");
    }
    let warned = data
        .credential_awards
        .iter()
        .filter(|a| !a.warnings.is_empty());
    assert_eq!(warned.count(), 5);
}
