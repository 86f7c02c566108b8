//! Certificates: a `peserta` item's `nomorSertifikat` with its programme's `sertifikat`
//! (`jenis`, `penerbit`) → [`CredentialAward`] and the [`Credential`] it is an award of.
//!
//! The API says little about a certificate: its kind and issuer (per programme) and its number
//! (per enrolment, "only when LULUS"). The rules:
//!
//! - **One award per served enrolment that has a `nomorSertifikat`**, keyed by the enrolment's
//!   `pesertaProgramId` (the same `sourceId` as its [`simpul_schema::Enrollment`]; never the
//!   KPJ or NIK). Awards are their own collection, so the key is unique there.
//! - **The credential** is the programme's certificate, keyed `<programId>/sertifikat` (the same
//!   for every award of the programme): `jenis` `SERTIFIKAT_PELATIHAN` → training certificate,
//!   `SERTIFIKAT_KOMPETENSI` → competency certification (recognised by BNSP); its name is
//!   `Sertifikat Pelatihan/Kompetensi <programme name>`, its occupations the programme's KBJI
//!   code, its issuer `penerbit`, with the partner's centre id when `penerbit` names the
//!   programme's own partner (compared without case and spacing).
//! - **Assessment**: a competency certificate with a number was issued to someone found
//!   competent (`COMPETENT`); a training certificate has no assessment (null).
//! - **Issue date**: the API gives none; `issuedOn` is the programme's last day
//!   (`tanggalSelesai`), the day the certificate is dated at the earliest: an assumption, null
//!   when the programme has no valid end date.
//! - **The number is personal data** (it identifies a person): served only when a request sets
//!   `include_pii` ([`simpul_schema::memory::InMemory::query`] drops it otherwise), and never
//!   quoted in a warning or issue.
//!
//! Bad data is served with a warning, never dropped: a number on an enrolment that is not
//! `LULUS` (`VALUE_CONFLICT`, no assessment result inferred); a programme without `sertifikat`
//! or without `jenis` (`VALUE_MISSING`, category `UNKNOWN`); an unknown `jenis`
//! (`ENUM_UNKNOWN`, category `UNKNOWN`).

use std::collections::HashMap;

use simpul_schema::{
    AssessmentResult, Course, CourseRun, Credential, CredentialAward, CredentialCategory,
    DataWarning, EnrollmentStatus, TrainingCenter,
};

use super::values::{codes::*, *};
use super::People;
use crate::wire::ProgramVokasi;

/// `sertifikat.jenis`.
pub const CATEGORIES: &[(&str, CredentialCategory)] = &[
    (
        "SERTIFIKAT_PELATIHAN",
        CredentialCategory::TrainingCertificate,
    ),
    (
        "SERTIFIKAT_KOMPETENSI",
        CredentialCategory::CompetencyCertification,
    ),
];

/// The body that recognises competency certifications.
pub const BNSP: &str = "BNSP";

/// What follows the programme id in a credential's key.
pub const CREDENTIAL_SUFFIX: &str = "/sertifikat";

/// The local key of a programme's certificate: `PV-2019-0001/sertifikat`.
pub fn credential_id(program_id: &str) -> String {
    format!("{program_id}{CREDENTIAL_SUFFIX}")
}

/// Served enrolments with a certificate number → awards, in enrolment order. `programmes` are
/// the API's (the first of a repeated id is the one served, as for courses); `courses`, `runs`
/// and `centers` are the mapped ones.
pub fn map_credential_awards(
    people: &People,
    programmes: &[ProgramVokasi],
    courses: &[Course],
    runs: &[CourseRun],
    centers: &[TrainingCenter],
) -> Vec<CredentialAward> {
    let mut programme: HashMap<&str, &ProgramVokasi> = HashMap::new();
    for p in programmes {
        programme.entry(p.program_id.as_str()).or_insert(p);
    }
    let course: HashMap<&str, &Course> =
        courses.iter().map(|c| (c.source_id.as_str(), c)).collect();
    let run: HashMap<&str, &CourseRun> = runs.iter().map(|r| (r.source_id.as_str(), r)).collect();
    let centre: HashMap<&str, &TrainingCenter> =
        centers.iter().map(|c| (c.source_id.as_str(), c)).collect();
    let mut out = Vec::new();
    for e in &people.enrollments {
        let Some(number) = people.certificate_numbers.get(&e.source_id) else {
            continue;
        };
        let id = e.course_run_id.as_str();
        let mut w = Vec::new();
        let credential = credential(
            id,
            programme.get(id).copied(),
            course.get(id).copied(),
            run.get(id)
                .and_then(|r| centre.get(r.training_center_id.as_str()).copied()),
            &mut w,
        );
        let passed = e.status == EnrollmentStatus::Completed;
        if !passed {
            w.push(DataWarning::new(
                VALUE_CONFLICT,
                "number",
                "the enrolment carries a `nomorSertifikat` but its `statusPelatihan` is not \
                 LULUS; the award is served, no assessment result inferred",
            ));
        }
        let competent =
            passed && credential.category == CredentialCategory::CompetencyCertification;
        out.push(CredentialAward {
            source_id: e.source_id.clone(),
            warnings: w,
            enrollment_id: Some(e.source_id.clone()),
            number: Some(number.clone()),
            registration_number: None,
            assessment_result: competent.then_some(AssessmentResult::Competent),
            assessed_on: None,
            issued_on: run.get(id).and_then(|r| r.end_date),
            valid_until: None,
            credential,
        });
    }
    out
}

/// The certificate of programme `id`; findings about it go to `w`.
fn credential(
    id: &str,
    programme: Option<&ProgramVokasi>,
    course: Option<&Course>,
    partner: Option<&TrainingCenter>,
    w: &mut Vec<DataWarning>,
) -> Credential {
    let sertifikat = programme.and_then(|p| p.sertifikat.as_ref());
    let category = match sertifikat {
        None => {
            w.push(DataWarning::new(
                VALUE_MISSING,
                "credential.category",
                "the programme has no `sertifikat` although the enrolment carries a number; \
                 category UNKNOWN",
            ));
            CredentialCategory::Unknown
        }
        Some(s) if text(s.jenis.as_ref()).is_none() => {
            w.push(DataWarning::new(
                VALUE_MISSING,
                "credential.category",
                "`sertifikat.jenis` is absent; category UNKNOWN",
            ));
            CredentialCategory::Unknown
        }
        Some(s) => vocab(
            s.jenis.as_ref(),
            CATEGORIES,
            "credential.category",
            "sertifikat.jenis",
            w,
        )
        .unwrap_or(CredentialCategory::Unknown),
    };
    let issuer_name = sertifikat.and_then(|s| text(s.penerbit.as_ref()));
    let issuer_id = partner
        .filter(|c| {
            issuer_name
                .as_deref()
                .is_some_and(|n| same_name(n, &c.name))
        })
        .map(|c| c.source_id.clone());
    let programme_name = course.map_or(id, |c| c.name.as_str());
    let name = match category {
        CredentialCategory::TrainingCertificate => format!("Sertifikat Pelatihan {programme_name}"),
        CredentialCategory::CompetencyCertification => {
            format!("Sertifikat Kompetensi {programme_name}")
        }
        CredentialCategory::Unknown => format!("Sertifikat {programme_name}"),
    };
    let recognized_by = if category == CredentialCategory::CompetencyCertification {
        vec![BNSP.to_owned()]
    } else {
        Vec::new()
    };
    Credential {
        source_id: credential_id(id),
        name,
        category,
        scheme: None,
        issuer_name,
        issuer_id,
        recognized_by,
        valid_for_months: None,
        occupation_codes: course
            .map(|c| c.occupation_codes.clone())
            .unwrap_or_default(),
        competencies: Vec::new(),
    }
}

/// Two names the same but for case and spacing.
fn same_name(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::ParticipantKeys;
    use crate::mapping::ProgrammeEnrolments;
    use crate::mapping::{map_courses_and_runs, map_people, map_training_centers};
    use crate::wire::{LembagaMitra, PesertaProgram};

    fn awards(
        sertifikat: serde_json::Value,
        rows: &[(&str, &str, Option<&str>)],
    ) -> Vec<CredentialAward> {
        let lembaga: LembagaMitra = serde_json::from_value(serde_json::json!({
            "lembagaId": "LM-0100", "namaLembaga": "LSP Uji  (fiktif)"
        }))
        .unwrap();
        let programme: ProgramVokasi = serde_json::from_value(serde_json::json!({
            "programId": "PV-2030-0001", "lembagaId": "LM-0100", "namaProgram": "Las SMAW",
            "kodeKbji": "7212", "tanggalSelesai": "2030-05-31", "sertifikat": sertifikat
        }))
        .unwrap();
        let items = rows
            .iter()
            .map(|(id, status, number)| {
                serde_json::from_value::<PesertaProgram>(serde_json::json!({
                    "pesertaProgramId": id, "programId": "PV-2030-0001", "kpj": "99096000001",
                    "statusPelatihan": status, "nomorSertifikat": number
                }))
                .unwrap()
            })
            .collect();
        let mut issues = Vec::new();
        let centres = map_training_centers(std::slice::from_ref(&lembaga), &mut issues);
        let programmes = [programme];
        let (courses, runs) = map_courses_and_runs(&programmes, &centres, &[], &mut issues);
        let batches = [ProgrammeEnrolments {
            program_id: "PV-2030-0001".into(),
            items,
        }];
        let people = map_people(
            &batches,
            &runs,
            &ParticipantKeys::new("0123456789abcdef"),
            false,
            &mut issues,
        );
        assert!(issues.is_empty(), "{issues:?}");
        map_credential_awards(&people, &programmes, &courses, &runs, &centres)
    }

    fn codes(a: &CredentialAward) -> Vec<(&str, Option<&str>)> {
        a.warnings
            .iter()
            .map(|w| (w.code.as_str(), w.field.as_deref()))
            .collect()
    }

    #[test]
    fn a_competency_certificate_of_the_partner_itself() {
        let all = awards(
            serde_json::json!({"jenis": "SERTIFIKAT_KOMPETENSI", "penerbit": "lsp uji (fiktif)"}),
            &[
                ("PP-2030-00001", "LULUS", Some("N/1")),
                ("PP-2030-00002", "TIDAK_LULUS", None),
                ("PP-2030-00003", "LULUS", Some(" ")),
            ],
        );
        assert_eq!(all.len(), 1, "only a number makes an award");
        let a = &all[0];
        assert_eq!(a.source_id, "PP-2030-00001");
        assert_eq!(a.enrollment_id.as_deref(), Some("PP-2030-00001"));
        assert_eq!(a.number.as_deref(), Some("N/1"));
        assert_eq!(a.assessment_result, Some(AssessmentResult::Competent));
        assert_eq!(a.issued_on, chrono::NaiveDate::from_ymd_opt(2030, 5, 31));
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        let c = &a.credential;
        assert_eq!(c.source_id, "PV-2030-0001/sertifikat");
        assert_eq!(c.name, "Sertifikat Kompetensi Las SMAW");
        assert_eq!(c.category, CredentialCategory::CompetencyCertification);
        assert_eq!(c.recognized_by, [BNSP]);
        assert_eq!(c.issuer_name.as_deref(), Some("lsp uji (fiktif)"));
        assert_eq!(c.issuer_id.as_deref(), Some("LM-0100"));
        assert_eq!(c.occupation_codes, ["7212"]);
    }

    #[test]
    fn bad_certificates_are_served_with_warnings() {
        // Another issuer; a number on an enrolment that did not pass.
        let all = awards(
            serde_json::json!({"jenis": "SERTIFIKAT_PELATIHAN", "penerbit": "Lembaga Lain"}),
            &[("PP-2030-00001", "TIDAK_LULUS", Some("N/1"))],
        );
        let a = &all[0];
        assert_eq!(
            a.credential.category,
            CredentialCategory::TrainingCertificate
        );
        assert_eq!(a.credential.name, "Sertifikat Pelatihan Las SMAW");
        assert_eq!(a.credential.issuer_id, None);
        assert!(a.credential.recognized_by.is_empty());
        assert_eq!(a.assessment_result, None);
        assert_eq!(codes(a), [(VALUE_CONFLICT, Some("number"))]);
        assert!(a.warnings.iter().all(|w| !w.message.contains("N/1")));

        // An unknown kind: UNKNOWN, quoted (not personal).
        let all = awards(
            serde_json::json!({"jenis": "SERTIFIKAT_KEAHLIAN", "penerbit": null}),
            &[("PP-2030-00001", "LULUS", Some("N/1"))],
        );
        let a = &all[0];
        assert_eq!(a.credential.category, CredentialCategory::Unknown);
        assert_eq!(a.credential.name, "Sertifikat Las SMAW");
        assert_eq!(
            (
                a.credential.issuer_name.as_ref(),
                a.credential.issuer_id.as_ref()
            ),
            (None, None)
        );
        assert_eq!(a.assessment_result, None);
        assert_eq!(codes(a), [(ENUM_UNKNOWN, Some("credential.category"))]);
        assert!(a.warnings[0].message.contains("SERTIFIKAT_KEAHLIAN"));

        // No certificate on the programme, or one without a kind: still served.
        for sertifikat in [
            serde_json::Value::Null,
            serde_json::json!({"penerbit": "X"}),
        ] {
            let all = awards(sertifikat, &[("PP-2030-00001", "LULUS", Some("N/1"))]);
            let a = &all[0];
            assert_eq!(a.credential.category, CredentialCategory::Unknown);
            assert_eq!(codes(a), [(VALUE_MISSING, Some("credential.category"))]);
            assert_eq!(a.number.as_deref(), Some("N/1"));
        }
    }
}
