//! People (contract §3.3–3.4, UNIFIED.md §8): `Peserta` → [`Enrollment`] per row and
//! [`Participant`] per valid NIK across the provider (personal fields from the enrolment with
//! the latest batch start), or per row when the NIK was rejected; `Alumni` → [`Outcome`];
//! `No. Sertifikat` → [`CredentialAward`].
//!
//! Participants are keyed `n<HMAC(NIK)>`, never by the NIK; a number-typed NIK is rejected
//! (`NIK_NOT_TEXT`) and never repaired or linked. Personal data lives in [`ParticipantPii`]
//! and `Outcome.monthly_revenue`; warnings name rows and columns only.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use simpul_adapter_toolkit::ids::ParticipantKeys;
use simpul_adapter_toolkit::read::explain;
use simpul_adapter_toolkit::restate::duplicate_code;
use simpul_adapter_toolkit::xlsx::Row;
use simpul_adapter_toolkit::{dates, ids, regions, Findings, Read, Record};
use simpul_schema::identity::{Nik, PersonKeys};
use simpul_schema::{
    CourseRun, CourseRunStatus, Credential, CredentialAward, CredentialCategory, EducationLevel,
    Enrollment, EnrollmentRoute, EnrollmentStatus, Money, Outcome, OutcomeStatus, Participant,
    ParticipantPii, SelectionStatus, TrainingCenter,
};

use super::batches::Batches;
use super::centres::{district_village, KAB_TANGERANG};
use super::restate::code;
use super::vocab;

/// `Outcome.source` of every FK-BLKK outcome: the forum's quarterly alumni survey.
pub const OUTCOME_SOURCE: &str = "survey";

/// One accepted `Peserta` row of a participant: the row, its NIK finding, its batch's start.
struct Seen<'a> {
    row: &'a Row,
    nik: Result<Nik, &'static str>,
    start: NaiveDate,
}

/// `Peserta` rows → participants, enrolments and the rows of the enrolments (in their order).
pub fn map_people<'a>(
    rows: &[&'a Row],
    runs: &[CourseRun],
    identity: &ParticipantKeys,
    findings: &mut Findings,
) -> (Vec<Participant>, Vec<Enrollment>, Vec<&'a Row>) {
    let runs: HashMap<&str, &CourseRun> = runs.iter().map(|r| (r.source_id.as_str(), r)).collect();
    let (mut enrollments, mut accepted) = (Vec::new(), Vec::new());
    let mut people: Vec<(String, Vec<Seen>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut earlier: HashMap<String, Vec<&Row>> = HashMap::new();
    let mut niks_in_batch: HashSet<(String, Nik)> = HashSet::new();
    for row in rows {
        let mut rec = Record::new(row);
        let Some(batch) = code(row, "Kode Pelatihan") else {
            findings.missing(rec, "Kode Pelatihan");
            continue;
        };
        let Some(run) = runs.get(batch.as_str()) else {
            findings.skip(
                rec,
                "REFERENCE_NOT_FOUND",
                None,
                "Kode Pelatihan names no accepted batch",
            );
            continue;
        };
        if rec.text("Nama Peserta").is_none() {
            findings.missing(rec, "Nama Peserta");
            continue;
        }
        let seen = earlier.entry(batch.clone()).or_default();
        let twin = seen
            .iter()
            .find(|e| duplicate_code(e, row) == "DUPLICATE_ROW")
            .copied();
        seen.push(row);
        if let Some(twin) = twin {
            let why = format!("identical to row {} of the same batch", twin.line);
            findings.skip(rec, "DUPLICATE_ROW", None, &why);
            continue;
        }
        let nik = rec.read("NIK", ids::nik(row.cell("NIK")));
        let nik = nik.map_err(|code| code.unwrap_or("NIK_INVALID"));
        if let Ok(nik) = &nik {
            if !niks_in_batch.insert((batch.clone(), nik.clone())) {
                let why = "same NIK as an accepted row of this batch; first kept";
                findings.skip(rec, "DUPLICATE_KEY_CONFLICT", None, why);
                continue;
            }
        }
        let key = match &nik {
            Ok(nik) => identity.participant(nik),
            Err(_) => format!("{batch}@r{}", row.line),
        };
        let raw_status = rec.text("Status Peserta");
        let status = match rec.term("Status Peserta", "status", &vocab::ENROLLMENT_STATUS) {
            Some(Ok(s)) => s,
            Some(Err(_)) => EnrollmentStatus::Unknown,
            None if matches!(
                run.status,
                CourseRunStatus::Running | CourseRunStatus::Planned
            ) =>
            {
                EnrollmentStatus::InProgress
            }
            None => EnrollmentStatus::Unknown,
        };
        enrollments.push(Enrollment {
            source_id: format!("{batch}/{key}"),
            participant_id: key.clone(),
            course_run_id: batch,
            registered_on: None,
            route: Some(EnrollmentRoute::General),
            selection_status: Some(SelectionStatus::Accepted),
            status,
            raw_status,
            final_score: None,
            attendance_percent: None,
            warnings: findings.accept(rec),
        });
        accepted.push(*row);
        let i = *index.entry(key.clone()).or_insert_with(|| {
            people.push((key, Vec::new()));
            people.len() - 1
        });
        let start = run.start_date.unwrap_or_default();
        people[i].1.push(Seen { row, nik, start });
    }
    let participants = people
        .iter()
        .filter_map(|(key, seen)| {
            let latest = seen
                .iter()
                .max_by_key(|s| (s.start, s.row.origin.order, s.row.line))?;
            let first_start = seen.iter().map(|s| s.start).min()?;
            Some(person(
                key,
                latest,
                first_start,
                &identity.persons,
                findings,
            ))
        })
        .collect();
    (participants, enrollments, accepted)
}

/// The person columns of the chosen row → a participant with its personal data filled.
fn person(
    key: &str,
    seen: &Seen,
    first_start: NaiveDate,
    keys: &PersonKeys,
    findings: &mut Findings,
) -> Participant {
    let mut rec = Record::new(seen.row);
    let nik = seen.nik.as_ref().ok();
    if let Err(code) = seen.nik {
        rec.warn(code, None, "nik", explain(code));
    }
    let sex = rec.term("L/P", "sex", &vocab::SEX).and_then(Result::ok);
    let birth_date = rec.date("Tanggal Lahir", "birthDate");
    if let Some(nik) = nik {
        rec.check_nik(nik, sex, birth_date, ("L/P", "Tanggal Lahir"));
    }
    let (regency, village) = domicile(&mut rec);
    let phone = rec.phone("No. HP", "phone");
    let education = rec.term("Pendidikan", "education", &vocab::EDUCATION);
    let education = education.map(|t| t.unwrap_or(EducationLevel::Other));
    let field = "employmentStatusAtRegistration";
    let employment = rec.term("Status Pekerjaan", field, &vocab::EMPLOYMENT);
    let employment = employment.and_then(Result::ok);
    Participant {
        source_id: key.to_owned(),
        nik_masked: nik.map(Nik::masked),
        nik_valid: nik.is_some(),
        person_key: nik.map(|n| keys.person_key(n)),
        kpj_masked: None,
        sex,
        birth_year: birth_date.map(|d| chrono::Datelike::year(&d)),
        is_minor: birth_date
            .and_then(|born| first_start.years_since(born))
            .map(|age| age < 18),
        domicile_regency_code: regency,
        education,
        employment_status_at_registration: employment,
        union_membership: None,
        pii: Some(ParticipantPii {
            nik: nik.map(|n| n.as_str().to_owned()),
            kpj: None,
            full_name: rec.text("Nama Peserta"),
            birth_date,
            birth_place: rec.text("Tempat Lahir"),
            address: rec.text("Alamat"),
            domicile_village_code: village,
            phone,
            email: None,
            layoff_date: None,
            last_employer: None,
            union_card_number: None,
            disability: None,
        }),
        warnings: findings.accept(rec),
    }
}

/// (regency, village) of domicile: `Kab/Kota` (blank = Kabupaten Tangerang), the kecamatan
/// within it, the desa within that (unresolved desa: null without a warning).
fn domicile(rec: &mut Record) -> (Option<String>, Option<String>) {
    let regency = match rec.text("Kab/Kota") {
        None => Some(KAB_TANGERANG.to_owned()),
        Some(raw) => rec.take("Kab/Kota", "domicileRegency", regions::regency(&raw)),
    };
    let Some(within) = regency.clone() else {
        // Still read, so their normalisations are noted as when the regency resolves.
        rec.text("Kecamatan");
        rec.text("Desa/Kelurahan");
        return (None, None);
    };
    let field = "domicileVillage";
    (regency, district_village(rec, &within, (field, field)).1)
}

/// `Alumni` rows → outcomes of accepted enrolments (a self-employed alumnus's business name
/// in `businessName`).
pub fn map_outcomes(
    rows: &[&Row],
    enrollments: &[Enrollment],
    identity: &ParticipantKeys,
    findings: &mut Findings,
) -> Vec<Outcome> {
    let known: HashSet<&str> = enrollments.iter().map(|e| e.source_id.as_str()).collect();
    let mut out = Vec::new();
    for row in rows {
        let mut rec = Record::new(row);
        let Some(batch) = code(row, "Kode Pelatihan") else {
            findings.missing(rec, "Kode Pelatihan");
            continue;
        };
        let nik = match rec.read("NIK", ids::nik(row.cell("NIK"))) {
            Ok(nik) => nik,
            Err(None) => {
                findings.missing(rec, "NIK");
                continue;
            }
            Err(Some(code)) => {
                findings.skip(rec, code, None, explain(code));
                continue;
            }
        };
        let key = format!("{batch}/{}", identity.participant(&nik));
        if !known.contains(key.as_str()) {
            let why = "no accepted enrolment of this NIK in this batch";
            findings.skip(rec, "REFERENCE_NOT_FOUND", None, why);
            continue;
        }
        let Some(raw_status) = rec.text("Status Alumni") else {
            findings.missing(rec, "Status Alumni");
            continue;
        };
        let status = match vocab::ALUMNI_STATUS.lookup(&raw_status) {
            Read::Bad(code) => {
                let why = "status not in the contract's list; OTHER";
                rec.warn(code, Some("Status Alumni"), "status", why);
                OutcomeStatus::Other
            }
            read => rec
                .take("Status Alumni", "status", read)
                .unwrap_or(OutcomeStatus::Other),
        };
        let name = rec.text("Nama Usaha / Tempat Kerja");
        let kind = rec.text("Jenis Usaha / Jabatan");
        let (mut employer, mut job, mut business, mut business_name) = (None, None, None, None);
        match status {
            OutcomeStatus::SelfEmployed => (business_name, business) = (name, kind),
            OutcomeStatus::Employed => (employer, job) = (name, kind),
            _ => {}
        }
        let revenue = rec.money("Omzet per Bulan (Rp)", "monthlyRevenue");
        let observed = rec.date("Tanggal Pendataan", "observedAt");
        out.push(Outcome {
            source_id: key.clone(),
            enrollment_id: key,
            status,
            raw_status,
            observed_at: observed.and_then(dates::midnight_wib),
            employer_name: employer,
            job_title: job,
            work_region_code: None,
            employment_start_date: None,
            business_type: business,
            business_name,
            monthly_revenue: revenue.map(Money::idr),
            source: Some(OUTCOME_SOURCE.to_owned()),
            warnings: findings.accept(rec),
        });
    }
    out
}

/// `No. Sertifikat` of accepted enrolments (`rows` as [`map_people`] gives them) → training
/// certificates issued by the BLKK, one credential per course. The contract gives no issue
/// date: `issuedOn` is the batch's end (an assumption), null when unknown. A number on an
/// enrolment that is not `Lulus` is served with `VALUE_CONFLICT`; one shaped like
/// a NIK or a phone number is not served (`CERTIFICATE_NUMBER_INVALID`), never quoted.
pub fn map_awards(
    rows: &[&Row],
    enrollments: &[Enrollment],
    batches: &Batches,
    centres: &[TrainingCenter],
    findings: &mut Findings,
) -> Vec<CredentialAward> {
    let mut out = Vec::new();
    for (row, enrollment) in rows.iter().zip(enrollments) {
        let mut rec = Record::new(row);
        let Some(raw) = rec.text("No. Sertifikat") else {
            continue;
        };
        let run = batches
            .runs
            .iter()
            .find(|r| r.source_id == enrollment.course_run_id);
        let course = run.and_then(|r| batches.courses.iter().find(|c| c.source_id == r.course_id));
        let (Some(run), Some(course)) = (run, course) else {
            continue; // Unreachable: an enrolment's batch and course are always mapped.
        };
        let (column, field) = (Some("No. Sertifikat"), "number");
        if enrollment.status != EnrollmentStatus::Completed {
            let why = "a certificate number, but Status Peserta is not Lulus; served";
            rec.warn("VALUE_CONFLICT", column, field, why);
        }
        let number = if personal_shape(&raw) {
            let why = "digits shaped like a NIK or phone number, not a certificate; set to null";
            rec.warn("CERTIFICATE_NUMBER_INVALID", column, field, why);
            None
        } else {
            Some(raw)
        };
        let centre = centres
            .iter()
            .find(|c| c.source_id == run.training_center_id);
        out.push(CredentialAward {
            source_id: format!("{}/sertifikat", enrollment.source_id),
            enrollment_id: Some(enrollment.source_id.clone()),
            credential: Credential {
                source_id: format!("{}/sertifikat", course.source_id),
                name: format!("Sertifikat Pelatihan {}", course.name),
                category: CredentialCategory::TrainingCertificate,
                scheme: None,
                issuer_name: centre.map(|c| c.name.clone()),
                issuer_id: Some(run.training_center_id.clone()),
                recognized_by: Vec::new(),
                valid_for_months: None,
                occupation_codes: course.occupation_codes.clone(),
                competencies: Vec::new(),
            },
            number,
            registration_number: None,
            assessment_result: None,
            assessed_on: None,
            issued_on: run.end_date,
            valid_until: None,
            warnings: findings.accept(rec),
        });
    }
    out
}

/// Only digits (spaces, `-`, `.`, `+`, `'` aside), 16 of them (a NIK or family-card number) or
/// a mobile number's (`08…`, `62…`, or `8…` as a number cell keeps it; 9–14 digits).
fn personal_shape(raw: &str) -> bool {
    let digits: String = raw
        .chars()
        .filter(|c| !" -.+'\u{a0}".contains(*c))
        .collect();
    let phone = ["08", "62", "8"].iter().any(|p| digits.starts_with(p));
    let phone = phone && (9..=14).contains(&digits.len());
    digits.bytes().all(|b| b.is_ascii_digit()) && (digits.len() == 16 || phone)
}
