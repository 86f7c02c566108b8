//! People and what happened to them: `peserta.csv` → [`Participant`] (one per `id_peserta`,
//! person columns from the latest row by `tgl_daftar`) and [`Enrollment`] (one per
//! `(id_peserta, kode_pelatihan)`), `hasil.csv` → [`Outcome`], following UNIFIED.md §3.
//!
//! Personal data goes into [`ParticipantPii`] and `Outcome.monthly_revenue`; warnings and row
//! issues name columns and codes only, never a NIK, name, phone number or birth date.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, FixedOffset, NaiveDate};
use simpul_schema::identity::Nik;
use simpul_schema::{
    CourseRun, CourseRunStatus, DataWarning, EducationLevel, Enrollment, EnrollmentRoute,
    EnrollmentStatus, Money, Outcome, OutcomeStatus, Participant, ParticipantPii, SelectionStatus,
    SourceIssue, UnionMembership,
};

use super::organisations::duplicate_key;
use super::values::{codes::*, *};
use super::{dedupe, issue};
use crate::source::{RawRow, RawTable};

/// An accepted `peserta` row of one person, with its registration date.
type PersonRow<'a> = (&'a RawRow, Option<NaiveDate>);

/// `Outcome.source` for every SPN outcome: the follow-up sheet records what participants said.
pub const OUTCOME_SOURCE: &str = "participant report";

/// The union every SPN membership refers to.
pub const UNION: &str = "SPN";

/// `peserta.csv` → participants and enrolments. Rows referencing an unknown run, or without
/// `id_peserta`/`kode_pelatihan`, are skipped; exact duplicates are dropped; a second row with
/// the same key and different content is dropped and the kept enrolment gets `DUPLICATE_KEY`.
pub fn map_people(
    table: &RawTable,
    runs: &[CourseRun],
    issues: &mut Vec<SourceIssue>,
) -> (Vec<Participant>, Vec<Enrollment>) {
    let runs: HashMap<&str, &CourseRun> = runs.iter().map(|r| (r.source_id.as_str(), r)).collect();
    let mut enrollments = Vec::new();
    // Accepted rows per person, in order of first appearance, with their registration dates.
    let mut people: Vec<(String, Vec<PersonRow>)> = Vec::new();
    let mut person_index: HashMap<String, usize> = HashMap::new();

    for kept in dedupe(table, &["id_peserta", "kode_pelatihan"], &["no"], issues) {
        let row = kept.row;
        let person = text(row.get("id_peserta").unwrap_or_default());
        let code = text(row.get("kode_pelatihan").unwrap_or_default());
        let Some(run) = runs.get(code.as_str()) else {
            let reason = format!("kode_pelatihan `{code}` is not in pelatihan.csv; row skipped");
            issues.push(issue("REFERENCE_NOT_FOUND", table.file, row.line, reason).with_key(code));
            continue;
        };
        let mut w = Vec::new();
        if kept.conflicted {
            w.push(duplicate_key());
        }
        let registered_on =
            optional_date(row.get("tgl_daftar"), "registeredOn", "tgl_daftar", &mut w);
        let raw_status = opt_text(row.get("status_kelulusan"));
        let status = match raw_status.as_deref() {
            Some(raw) => vocab(
                Some(raw),
                ENROLLMENT_RESULTS,
                Some(EnrollmentStatus::Unknown),
                "status",
                "status_kelulusan",
                false,
                &mut w,
            )
            .unwrap_or(EnrollmentStatus::Unknown),
            None => blank_result(run.status),
        };
        enrollments.push(Enrollment {
            source_id: format!("{person}/{code}"),
            warnings: w,
            participant_id: person.clone(),
            course_run_id: code,
            registered_on,
            route: Some(EnrollmentRoute::TradeUnion),
            selection_status: Some(SelectionStatus::Accepted),
            status,
            raw_status,
            final_score: None,
            attendance_percent: None,
        });
        let i = *person_index.entry(person.clone()).or_insert_with(|| {
            people.push((person, Vec::new()));
            people.len() - 1
        });
        people[i].1.push((row, registered_on));
    }

    let mut participants: Vec<Participant> = people
        .iter()
        .filter_map(|(id, rows)| {
            // Latest registration wins; undated rows count as oldest; ties go to the later line.
            let (latest, _) = rows.iter().max_by_key(|(row, date)| (*date, row.line))?;
            let first_registration = rows.iter().filter_map(|(_, d)| *d).min();
            let mut p = map_person(id, latest, first_registration);
            let niks: HashSet<&str> = rows.iter().filter_map(|(r, _)| r.get("nik")).collect();
            if niks.len() > 1 {
                p.warnings.push(DataWarning::new(
                    NIK_CONFLICT,
                    "nik",
                    "this participant's rows carry different NIKs; the latest row's is used",
                ));
            }
            Some(p)
        })
        .collect();
    flag_shared_niks(&mut participants);
    (participants, enrollments)
}

/// `status_kelulusan` is blank: in progress while the run has not ended, registered when it has
/// not started, unknown otherwise.
pub fn blank_result(run: CourseRunStatus) -> EnrollmentStatus {
    match run {
        CourseRunStatus::Running => EnrollmentStatus::InProgress,
        CourseRunStatus::Open | CourseRunStatus::Planned => EnrollmentStatus::Registered,
        _ => EnrollmentStatus::Unknown,
    }
}

/// The person columns of one `peserta` row → a participant with its PII filled.
pub fn map_person(id: &str, row: &RawRow, first_registration: Option<NaiveDate>) -> Participant {
    let mut w = Vec::new();
    let nik = match row.get("nik").map(Nik::parse) {
        Some(Ok(nik)) => Some(nik),
        Some(Err(e)) => {
            let msg = format!("NIK fails validation ({e}); not exposed and not linked");
            w.push(DataWarning::new(NIK_INVALID, "nik", msg));
            None
        }
        None => {
            w.push(DataWarning::new(
                NIK_INVALID,
                "nik",
                "`nik` is empty; not linked",
            ));
            None
        }
    };
    let full_name = opt_text(row.get("nama_lengkap"));
    if full_name.is_none() {
        w.push(missing("fullName", "nama_lengkap"));
    }
    let sex = match row.get("jenis_kelamin") {
        None => {
            w.push(missing("sex", "jenis_kelamin"));
            None
        }
        raw => vocab(raw, SEXES, None, "sex", "jenis_kelamin", false, &mut w),
    };
    let birth_date = optional_date(row.get("tgl_lahir"), "birthDate", "tgl_lahir", &mut w);
    if let Some(nik) = &nik {
        w.extend(nik.disagreements(sex, birth_date, "jenis_kelamin", "tgl_lahir"));
    }
    let names = RegionNames {
        village: row.get("desa_kelurahan"),
        district: row.get("kecamatan"),
        regency: row.get("kab_kota"),
        province: None,
    };
    let region = resolve_region_names(names, ("domicileRegency", "domicileVillage"), &mut w);
    let phone = phone(row.get("no_hp"), "phone", &mut w);
    let education = vocab(
        row.get("pendidikan_terakhir"),
        EDUCATION_LEVELS,
        Some(EducationLevel::Other),
        "education",
        "pendidikan_terakhir",
        false,
        &mut w,
    );
    let member = vocab(
        row.get("status_anggota"),
        MEMBERSHIP,
        None,
        "unionMembership",
        "status_anggota",
        false,
        &mut w,
    );
    let employment = vocab(
        row.get("status_kerja"),
        EMPLOYMENT_STATUSES,
        None,
        "employmentStatusAtRegistration",
        "status_kerja",
        false,
        &mut w,
    );
    let layoff_date = optional_date(row.get("tgl_phk"), "layoffDate", "tgl_phk", &mut w);
    Participant {
        source_id: id.to_owned(),
        nik_masked: nik.as_ref().map(Nik::masked),
        nik_valid: nik.is_some(),
        person_key: None,
        kpj_masked: None,
        sex,
        birth_year: birth_date.map(|d| d.year()),
        is_minor: birth_date
            .zip(first_registration)
            .and_then(|(born, registered)| registered.years_since(born))
            .map(|age| age < 18),
        domicile_regency_code: region.regency,
        education,
        employment_status_at_registration: employment,
        union_membership: member.map(|is_member| UnionMembership {
            is_member,
            union: Some(UNION.to_owned()),
        }),
        pii: Some(ParticipantPii {
            nik: nik.map(|n| n.as_str().to_owned()),
            kpj: None,
            full_name,
            birth_date,
            birth_place: opt_text(row.get("tempat_lahir")),
            address: opt_text(row.get("alamat")),
            domicile_village_code: region.village,
            phone,
            email: None,
            layoff_date,
            last_employer: opt_text(row.get("perusahaan_terakhir")),
            union_card_number: opt_text(row.get("no_kta")),
            disability: None,
        }),
        warnings: w,
    }
}

/// Participants of this provider that share a valid NIK each get `DUPLICATE_NIK_IN_PROVIDER`.
fn flag_shared_niks(participants: &mut [Participant]) {
    let mut by_nik: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in participants.iter().enumerate() {
        if let Some(nik) = p.pii.as_ref().and_then(|pii| pii.nik.clone()) {
            by_nik.entry(nik).or_default().push(i);
        }
    }
    for indices in by_nik.values().filter(|v| v.len() > 1) {
        for &i in indices {
            participants[i].warnings.push(DataWarning::new(
                DUPLICATE_NIK_IN_PROVIDER,
                "nik",
                "another participant of this provider has the same NIK",
            ));
        }
    }
}

/// `hasil.csv` → outcomes. Rows that match no enrolment, or lack `status_hasil`, are skipped.
pub fn map_outcomes(
    table: &RawTable,
    enrollments: &[Enrollment],
    issues: &mut Vec<SourceIssue>,
) -> Vec<Outcome> {
    let known: HashSet<&str> = enrollments.iter().map(|e| e.source_id.as_str()).collect();
    let wib = FixedOffset::east_opt(7 * 3600);
    let mut out = Vec::new();
    for kept in dedupe(table, &["id_peserta", "kode_pelatihan"], &[], issues) {
        let row = kept.row;
        let key = format!(
            "{}/{}",
            text(row.get("id_peserta").unwrap_or_default()),
            text(row.get("kode_pelatihan").unwrap_or_default())
        );
        if !known.contains(key.as_str()) {
            let reason = format!("no enrolment `{key}` in peserta.csv; row skipped");
            issues.push(issue("REFERENCE_NOT_FOUND", table.file, row.line, reason).with_key(key));
            continue;
        }
        let Some(raw_status) = opt_text(row.get("status_hasil")) else {
            issues.push(
                issue(
                    "ROW_SKIPPED_INVALID_REQUIRED",
                    table.file,
                    row.line,
                    "required `status_hasil` is empty; row skipped",
                )
                .with_key(key),
            );
            continue;
        };
        let mut w = Vec::new();
        if kept.conflicted {
            w.push(duplicate_key());
        }
        let status = lookup(&raw_status, OUTCOME_STATUSES).unwrap_or_else(|| {
            w.push(unknown_enum("status", "status_hasil", None));
            OutcomeStatus::Other
        });
        let observed_at = optional_date(
            row.get("tgl_pembaruan"),
            "observedAt",
            "tgl_pembaruan",
            &mut w,
        )
        .and_then(|d| d.and_hms_opt(0, 0, 0)?.and_local_timezone(wib?).single());
        let monthly_revenue = row.get("omzet_per_bulan").and_then(|raw| {
            let amount = parse_rupiah(raw);
            if amount.is_none() {
                w.push(DataWarning::new(
                    VALUE_INVALID,
                    "monthlyRevenue",
                    "`omzet_per_bulan` is not whole rupiah with `.` separators; set to null",
                ));
            }
            amount.map(Money::idr)
        });
        out.push(Outcome {
            source_id: key.clone(),
            warnings: w,
            enrollment_id: key,
            status,
            raw_status,
            observed_at,
            employer_name: opt_text(row.get("nama_perusahaan")),
            job_title: opt_text(row.get("jabatan")),
            work_region_code: None,
            employment_start_date: None,
            business_type: opt_text(row.get("jenis_usaha")),
            business_name: None,
            monthly_revenue,
            source: Some(OUTCOME_SOURCE.to_owned()),
        });
    }
    out
}

fn missing(field: &str, column: &str) -> DataWarning {
    DataWarning::new(
        VALUE_MISSING,
        field,
        format!("required `{column}` is empty"),
    )
}
