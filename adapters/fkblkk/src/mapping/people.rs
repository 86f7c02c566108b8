//! People (contract §3.3–3.4, UNIFIED.md §8): `Peserta` → [`Enrollment`] per row and
//! [`Participant`] per valid NIK across the provider (personal fields from the enrolment with
//! the latest batch start), or per row when the NIK was rejected; `Alumni` → [`Outcome`];
//! `No. Sertifikat` → [`CredentialAward`].
//!
//! Participants are keyed `n<HMAC(NIK)>`, never by the NIK; a number-typed NIK is rejected
//! (`NIK_NOT_TEXT`) and never repaired or linked. Personal data lives in
//! [`ParticipantPii`](simpul_schema::ParticipantPii) and `Outcome.monthly_revenue`; warnings
//! name rows and columns only.

use std::collections::{HashMap, HashSet};

use simpul_adapter_toolkit::ids::ParticipantKeys;
use simpul_adapter_toolkit::people::{training_certificate, Listing, PersonColumns, Roster};
use simpul_adapter_toolkit::text::text;
use simpul_adapter_toolkit::xlsx::Row;
use simpul_adapter_toolkit::{dates, ids, Findings, Record, Skip};
use simpul_schema::{
    CourseRun, CourseRunStatus, CredentialAward, Enrollment, EnrollmentRoute, EnrollmentStatus,
    Money, Outcome, OutcomeStatus, Participant, SelectionStatus, TrainingCenter,
};

use super::batches::Batches;
use super::centres::{DISTRICT_ALIASES, KAB_TANGERANG};
use super::vocab;

/// `Outcome.source` of every FK-BLKK outcome: the forum's quarterly alumni survey.
pub const OUTCOME_SOURCE: &str = "survey";

/// Where `Peserta` keeps a participant's personal fields (contract §3.3).
fn person_columns() -> PersonColumns {
    PersonColumns {
        name: "Nama Peserta",
        sex: ("L/P", vocab::sex()),
        birth_date: "Tanggal Lahir",
        birth_place: "Tempat Lahir",
        address: "Alamat",
        phone: "No. HP",
        education: ("Pendidikan", vocab::education()),
        employment: ("Status Pekerjaan", vocab::employment()),
    }
}

/// `Peserta` rows → participants, enrolments and the rows of the enrolments (in their order).
pub fn map_people<'a>(
    rows: &[&'a Row],
    runs: &[CourseRun],
    identity: &ParticipantKeys,
    findings: &mut Findings,
) -> (Vec<Participant>, Vec<Enrollment>, Vec<&'a Row>) {
    let runs: HashMap<&str, &CourseRun> = runs.iter().map(|r| (r.source_id.as_str(), r)).collect();
    let (mut roster, mut accepted) = (Roster::default(), Vec::new());
    let status_vocab = vocab::enrollment_status();
    let enrollments = findings.map_rows(rows.iter().copied(), |rec| {
        let row = rec.row;
        let batch = rec.code("Kode Pelatihan")?;
        let Some(run) = runs.get(batch.as_str()) else {
            let why = "Kode Pelatihan names no accepted batch";
            return Err(Skip::unknown_reference(None, why));
        };
        rec.required("Nama Peserta")?;
        if let Some(twin) = roster.twin(&batch, row) {
            let why = format!("identical to row {} of the same batch", twin.line);
            return Err(Skip::new("DUPLICATE_ROW", None, why));
        }
        let nik = rec.read("NIK", ids::nik(row.cell("NIK")));
        let nik = nik.map_err(|code| code.unwrap_or("NIK_INVALID"));
        if nik.as_ref().is_ok_and(|n| roster.listed_again(&batch, n)) {
            let why = "same NIK as an accepted row of this batch; first kept";
            return Err(Skip::new("DUPLICATE_KEY_CONFLICT", None, why));
        }
        let key = match &nik {
            Ok(nik) => identity.participant(nik),
            Err(_) => format!("{batch}@r{}", row.line),
        };
        let raw_status = rec.text("Status Peserta");
        let unknown = EnrollmentStatus::Unknown;
        let status = rec.term_or("Status Peserta", "status", &status_vocab, unknown);
        let status = match (status, &run.status) {
            (Some(status), _) => status,
            // A blank status is in progress in a running or planned batch.
            (None, CourseRunStatus::Running | CourseRunStatus::Planned) => {
                EnrollmentStatus::InProgress
            }
            (None, _) => unknown,
        };
        accepted.push(row);
        let start = run.start_date.unwrap_or_default();
        roster.add(key.clone(), Listing { row, nik, start });
        Ok(Enrollment {
            source_id: format!("{batch}/{key}"),
            participant_id: key,
            course_run_id: batch,
            registered_on: None,
            route: Some(EnrollmentRoute::General),
            selection_status: Some(SelectionStatus::Accepted),
            status,
            raw_status,
            final_score: None,
            attendance_percent: None,
            warnings: Vec::new(),
        })
    });
    let columns = person_columns();
    let participants = roster.latest().filter_map(|latest| {
        findings.map_row(latest.1.row, |rec| {
            let keys = &identity.persons;
            Ok(rec.participant(latest, keys, &columns, domicile))
        })
    });
    (participants.collect(), enrollments, accepted)
}

/// (regency, village) of domicile: `Kab/Kota` (blank = Kabupaten Tangerang), the kecamatan
/// within it, the desa within that (unresolved desa: null without a warning).
fn domicile(rec: &mut Record) -> (Option<String>, Option<String>) {
    let columns = ("Kab/Kota", "Kecamatan", "Desa/Kelurahan");
    let home = (KAB_TANGERANG, DISTRICT_ALIASES);
    rec.domicile(columns, home, ("domicileRegency", "domicileVillage"))
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
    let alumni_status = vocab::alumni_status();
    findings.map_rows(rows.iter().copied(), |rec| {
        let batch = rec.code("Kode Pelatihan")?;
        let nik = rec.require("NIK", ids::nik(rec.cell("NIK")))?;
        let key = format!("{batch}/{}", identity.participant(&nik));
        if !known.contains(key.as_str()) {
            let why = "no accepted enrolment of this NIK in this batch";
            return Err(Skip::unknown_reference(None, why));
        }
        let raw_status = rec.required("Status Alumni")?;
        let read = alumni_status.lookup(&raw_status);
        let other = (
            OutcomeStatus::Other,
            "status not in the contract's list; OTHER",
        );
        let status = rec.known_or("Status Alumni", "status", read, other);
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
        Ok(Outcome {
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
            warnings: Vec::new(),
        })
    })
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
    let certified = rows.iter().zip(enrollments);
    let certified = certified.filter(|(row, _)| text(row.cell("No. Sertifikat")).value().is_some());
    let awards = certified.filter_map(|(row, enrollment)| {
        let mut runs = batches.runs.iter();
        let run = runs.find(|r| r.source_id == enrollment.course_run_id)?;
        let course = batches
            .courses
            .iter()
            .find(|c| c.source_id == run.course_id)?;
        let centre = centres
            .iter()
            .find(|c| c.source_id == run.training_center_id);
        findings.map_row(row, |rec| {
            let why = "a certificate number, but Status Peserta is not Lulus; served";
            let conflict = (enrollment.status != EnrollmentStatus::Completed).then_some(why);
            let number = rec.certificate_number("No. Sertifikat", "number", conflict);
            let offering = (run, course);
            Ok(training_certificate(
                &enrollment.source_id,
                offering,
                centre,
                number,
            ))
        })
    });
    awards.collect()
}
