//! People and what happened to them: `peserta` → [`Participant`] (one per valid KPJ, keyed
//! `k<HMAC(kpj)>`) and [`Enrollment`] (one per `pesertaProgramId`); `penempatan` →
//! [`Outcome`] (UNIFIED.md §5).
//!
//! Personal data goes into [`ParticipantPii`] only. Warnings and issues name fields and ids
//! (`PP-…`, `PN-…`), never a KPJ, NIK, name, phone, e-mail, birth date or domicile.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use simpul_schema::identity::{mask_kpj, Nik};
use simpul_schema::{
    CourseRun, DataWarning, EmploymentStatus, Enrollment, EnrollmentRoute, EnrollmentStatus,
    Outcome, OutcomeStatus, Participant, ParticipantPii, SelectionStatus, Sex, SourceIssue,
};

use super::values::{codes::*, *};
use super::{dedupe, issue};
use crate::error::Endpoint;
use crate::identity::{is_masked, valid_kpj, ParticipantKeys};
use crate::wire::{Penempatan, PesertaProgram};

/// The enrolments `GET /v1/peserta?program_id=` served for one programme.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgrammeEnrolments {
    /// The programme asked for.
    pub program_id: String,
    /// Its enrolments, in the API's order.
    pub items: Vec<PesertaProgram>,
}

/// An enrolment row with its registration date.
type DatedRow<'a> = (&'a PesertaProgram, Option<NaiveDate>);

/// `jenisKelamin`.
pub const SEXES: &[(&str, Sex)] = &[("L", Sex::Male), ("P", Sex::Female)];

/// `statusPekerjaanSaatDaftar`.
pub const EMPLOYMENT: &[(&str, EmploymentStatus)] = &[
    ("KORBAN_PHK", EmploymentStatus::LaidOff),
    ("PEKERJA_AKTIF", EmploymentStatus::Employed),
    ("PEKERJA_INFORMAL", EmploymentStatus::Informal),
    ("PEKERJA_MIGRAN", EmploymentStatus::Migrant),
];

/// `statusPelatihan`.
pub const ENROLLMENT_STATUSES: &[(&str, EnrollmentStatus)] = &[
    ("TERDAFTAR", EnrollmentStatus::Registered),
    ("BERLANGSUNG", EnrollmentStatus::InProgress),
    ("LULUS", EnrollmentStatus::Completed),
    ("TIDAK_LULUS", EnrollmentStatus::Failed),
    ("MENGUNDURKAN_DIRI", EnrollmentStatus::Withdrawn),
];

/// `statusPenempatan`.
pub const OUTCOME_STATUSES: &[(&str, OutcomeStatus)] = &[
    ("BEKERJA_KEMBALI", OutcomeStatus::Employed),
    ("PROSES_INTERVIEW", OutcomeStatus::Interviewing),
    ("WIRAUSAHA", OutcomeStatus::SelfEmployed),
    ("BELUM_BEKERJA", OutcomeStatus::SeekingWork),
];

/// Participants and enrolments, plus each enrolment's KPJ as served (for cross-checks).
#[derive(Debug, Clone, Default)]
pub struct People {
    /// One per valid KPJ, or per enrolment when the KPJ is invalid or masked.
    pub participants: Vec<Participant>,
    /// One per `pesertaProgramId`.
    pub enrollments: Vec<Enrollment>,
    /// Enrolment id → KPJ as served (clear or masked). Never leaves the adapter.
    pub kpj_by_enrollment: HashMap<String, String>,
    /// Enrolment id → `nomorSertifikat` (trimmed, not blank), personal data: it leaves the
    /// adapter only as a credential award's number, on request.
    pub certificate_numbers: HashMap<String, String>,
}

/// Enrolments of known runs → participants and enrolments. Enrolments of runs not in `runs`
/// are skipped with an issue; a repeated `pesertaProgramId` keeps the first (see `dedupe`).
/// With `enrolments_only` (an answer about enrolments), the enrolments alone: no participants,
/// and neither the KPJs nor the certificate numbers kept for outcomes and credential awards.
pub fn map_people(
    batches: &[ProgrammeEnrolments],
    runs: &[CourseRun],
    keys: &ParticipantKeys,
    enrolments_only: bool,
    issues: &mut Vec<SourceIssue>,
) -> People {
    let known: HashSet<&str> = runs.iter().map(|r| r.source_id.as_str()).collect();
    let mut rows: Vec<(&str, &PesertaProgram)> = Vec::new();
    for batch in batches {
        if !known.contains(batch.program_id.as_str()) {
            issues.push(
                issue(
                    "REFERENCE_NOT_FOUND",
                    Endpoint::Peserta,
                    format!(
                        "enrolments of programme `{}`, which is not a known course run; skipped",
                        batch.program_id
                    ),
                )
                .with_key(batch.program_id.as_str()),
            );
            continue;
        }
        for item in &batch.items {
            if text(item.program_id.as_ref()).is_some_and(|p| p != batch.program_id) {
                issues.push(
                    issue(
                        "REFERENCE_CONFLICT",
                        Endpoint::Peserta,
                        format!(
                            "enrolment `{}` was listed under programme `{}` but names another; skipped",
                            item.peserta_program_id, batch.program_id
                        ),
                    )
                    .with_key(item.peserta_program_id.as_str()),
                );
                continue;
            }
            rows.push((batch.program_id.as_str(), item));
        }
    }
    let items: Vec<PesertaProgram> = rows.iter().map(|(_, r)| (*r).clone()).collect();
    let mut program_of: HashMap<&str, &str> = HashMap::new();
    for (p, r) in &rows {
        program_of.entry(r.peserta_program_id.as_str()).or_insert(p);
    }

    let mut people = People::default();
    // Rows per participant key, in order of first appearance.
    let mut groups: Vec<(String, Vec<DatedRow>)> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for (row, dup) in dedupe(&items, |r| &r.peserta_program_id, Endpoint::Peserta, issues) {
        let id = row.peserta_program_id.clone();
        let run = program_of.get(id.as_str()).copied().unwrap_or_default();
        let mut w: Vec<DataWarning> = dup;
        let registered_at = timestamp(
            row.tanggal_daftar.as_ref(),
            "registeredOn",
            "tanggalDaftar",
            &mut w,
        );
        let registered_on = registered_at.map(|t| t.date_naive());
        let raw_status = text(row.status_pelatihan.as_ref());
        let status = vocab(
            raw_status.as_ref(),
            ENROLLMENT_STATUSES,
            "status",
            "statusPelatihan",
            &mut w,
        )
        .unwrap_or(EnrollmentStatus::Unknown);
        let key = row
            .kpj
            .as_deref()
            .and_then(|k| keys.for_kpj(k))
            .unwrap_or_else(|| id.clone());
        if !enrolments_only {
            if let Some(kpj) = &row.kpj {
                people
                    .kpj_by_enrollment
                    .insert(id.clone(), kpj.trim().to_owned());
            }
            if let Some(number) = text(row.nomor_sertifikat.as_ref()) {
                people.certificate_numbers.insert(id.clone(), number);
            }
        }
        people.enrollments.push(Enrollment {
            source_id: id,
            participant_id: key.clone(),
            course_run_id: run.to_owned(),
            registered_on,
            route: Some(EnrollmentRoute::Vokasi),
            selection_status: Some(SelectionStatus::Accepted),
            status,
            raw_status,
            final_score: None,
            attendance_percent: None,
            warnings: w,
        });
        if enrolments_only {
            continue;
        }
        let i = *group_index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push((row, registered_on));
    }

    for (key, rows) in &groups {
        // The latest registration speaks for the person; undated rows count as oldest, ties go
        // to the later row.
        let Some((latest, _)) = rows
            .iter()
            .enumerate()
            .max_by_key(|(i, (_, date))| (*date, *i))
            .map(|(_, r)| *r)
        else {
            continue;
        };
        let first = rows.iter().filter_map(|(_, d)| *d).min();
        let mut p = participant(key, latest, first);
        p.person_key = latest
            .nik
            .as_deref()
            .and_then(|nik| Nik::parse(nik).ok())
            .map(|nik| keys.person_key(&nik));
        let niks: HashSet<&str> = rows
            .iter()
            .filter_map(|(r, _)| r.nik.as_deref().map(str::trim))
            .collect();
        if niks.len() > 1 {
            p.warnings.push(DataWarning::new(
                NIK_CONFLICT,
                "nik",
                "this KPJ's enrolments carry different NIKs; the latest one is used",
            ));
        }
        people.participants.push(p);
    }
    flag_shared_niks(&mut people.participants);
    people
}

/// The fields of an enrolment item that describe the person.
const PERSON_FIELDS: &[&str] = &[
    "nik",
    "kpj",
    "namaLengkap",
    "jenisKelamin",
    "tanggalLahir",
    "kodeWilayahDomisili",
    "noHp",
    "email",
    "statusPekerjaanSaatDaftar",
];

/// The person fields of one enrolment → a participant keyed `key`, personal data filled.
pub fn participant(key: &str, row: &PesertaProgram, first: Option<NaiveDate>) -> Participant {
    let mut w = Vec::new();
    // A personal field the decoding nulled (the wrong JSON type) is said on the person too.
    for path in row
        .nulled
        .iter()
        .filter(|p| PERSON_FIELDS.contains(&p.as_str()))
    {
        w.push(DataWarning {
            code: "FIELD_TYPE_INVALID".to_owned(),
            field: None,
            message: format!(
                "the API sent its field `{path}` with the wrong JSON type; served as null"
            ),
        });
    }
    let (nik, nik_masked) = nik(row.nik.as_deref(), &mut w);
    let (kpj, kpj_masked) = kpj(row.kpj.as_deref(), &mut w);
    let sex = private_vocab(
        row.jenis_kelamin.as_ref(),
        SEXES,
        "sex",
        "jenisKelamin",
        &mut w,
    );
    let birth_date = date(
        row.tanggal_lahir.as_ref(),
        "birthDate",
        "tanggalLahir",
        &mut w,
    );
    if let Some(nik) = &nik {
        w.extend(nik.disagreements(sex, birth_date, "jenisKelamin", "tanggalLahir"));
    }
    let domicile = region_code(
        row.kode_wilayah_domisili.as_ref(),
        "domicileVillage",
        "kodeWilayahDomisili",
        &mut w,
    );
    let full_name = text(row.nama_lengkap.as_ref());
    if full_name.is_none() {
        w.push(DataWarning::new(
            VALUE_MISSING,
            "fullName",
            "`namaLengkap` is absent",
        ));
    }
    let employment = private_vocab(
        row.status_pekerjaan_saat_daftar.as_ref(),
        EMPLOYMENT,
        "employmentStatusAtRegistration",
        "statusPekerjaanSaatDaftar",
        &mut w,
    );
    let phone = phone(row.no_hp.as_ref(), "phone", &mut w);
    Participant {
        source_id: key.to_owned(),
        nik_valid: nik.is_some(),
        person_key: None,
        nik_masked,
        kpj_masked,
        sex,
        birth_year: birth_date.map(|d| d.year()),
        is_minor: birth_date
            .zip(first)
            .and_then(|(born, registered)| registered.years_since(born))
            .map(|age| age < 18),
        domicile_regency_code: domicile.as_deref().and_then(regency_of),
        education: None,
        employment_status_at_registration: employment,
        union_membership: None,
        pii: Some(ParticipantPii {
            nik: nik.map(|n| n.as_str().to_owned()),
            kpj,
            full_name,
            birth_date,
            domicile_village_code: domicile.filter(|c| c.len() == 13),
            phone,
            email: text(row.email.as_ref()),
            ..ParticipantPii::default()
        }),
        warnings: w,
    }
}

/// A NIK as served → (valid NIK, masked form). Masked input keeps its mask when it has the
/// contract's shape; invalid or absent input gives neither. Warnings carry no digits.
fn nik(raw: Option<&str>, w: &mut Vec<DataWarning>) -> (Option<Nik>, Option<String>) {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        w.push(DataWarning::new(
            NIK_INVALID,
            "nik",
            "`nik` is absent; not linked",
        ));
        return (None, None);
    };
    if is_masked(raw) {
        w.push(DataWarning::new(
            NIK_MASKED,
            "nik",
            "the API key lacks pii:read, so the NIK arrives masked; not validated, not linked",
        ));
        let shape = raw.len() == 16
            && raw.bytes().enumerate().all(|(i, b)| {
                if (6..12).contains(&i) {
                    b == b'*'
                } else {
                    b.is_ascii_digit()
                }
            });
        return (None, shape.then(|| raw.to_owned()));
    }
    match Nik::parse(raw) {
        Ok(nik) => {
            let masked = nik.masked();
            (Some(nik), Some(masked))
        }
        Err(e) => {
            w.push(DataWarning::new(
                NIK_INVALID,
                "nik",
                format!("NIK fails validation ({e}); not exposed and not linked"),
            ));
            (None, None)
        }
    }
}

/// A KPJ as served → (clear KPJ, masked form).
fn kpj(raw: Option<&str>, w: &mut Vec<DataWarning>) -> (Option<String>, Option<String>) {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        w.push(DataWarning::new(
            KPJ_INVALID,
            "kpj",
            "`kpj` is absent; the participant is keyed on its enrolment",
        ));
        return (None, None);
    };
    if is_masked(raw) {
        w.push(DataWarning::new(
            KPJ_MASKED,
            "kpj",
            "the API key lacks pii:read, so the KPJ arrives masked; the participant is keyed \
             on its enrolment",
        ));
        let shape = raw.len() == 11 && raw[3..8].bytes().all(|b| b == b'*');
        return (None, shape.then(|| raw.to_owned()));
    }
    match valid_kpj(raw) {
        Some(kpj) => (Some(kpj.to_owned()), Some(mask_kpj(kpj))),
        None => {
            w.push(DataWarning::new(
                KPJ_INVALID,
                "kpj",
                "KPJ is not 11 digits; not exposed, not linked, participant keyed on its enrolment",
            ));
            (None, None)
        }
    }
}

/// [`vocab`] for fields about a person: an unknown value is reported without quoting it.
fn private_vocab<T: Copy>(
    raw: Option<&String>,
    table: &[(&str, T)],
    field: &str,
    column: &str,
    w: &mut Vec<DataWarning>,
) -> Option<T> {
    let raw = text(raw)?;
    let found = table.iter().find(|(k, _)| *k == raw).map(|(_, v)| *v);
    if found.is_none() {
        w.push(DataWarning::new(
            ENUM_UNKNOWN,
            field,
            format!("`{column}` is not in the contract's vocabulary; set to null"),
        ));
    }
    found
}

/// Participants sharing a valid NIK each get `DUPLICATE_NIK_IN_PROVIDER`.
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
                "another participant of this provider (another KPJ) has the same NIK",
            ));
        }
    }
}

/// Placements → outcomes. A placement whose `pesertaProgramId` is not a known enrolment, or
/// without `statusPenempatan`, is skipped with an issue; an unknown status becomes `OTHER`
/// with a warning (`rawStatus` keeps it).
pub fn map_outcomes(
    items: &[Penempatan],
    people: &People,
    issues: &mut Vec<SourceIssue>,
) -> Vec<Outcome> {
    let runs: HashMap<&str, &str> = people
        .enrollments
        .iter()
        .map(|e| (e.source_id.as_str(), e.course_run_id.as_str()))
        .collect();
    let mut out = Vec::new();
    for (p, dup) in dedupe(items, |p| &p.penempatan_id, Endpoint::Penempatan, issues) {
        let enrolment = text(p.peserta_program_id.as_ref()).unwrap_or_default();
        let Some(run) = runs.get(enrolment.as_str()) else {
            issues.push(
                issue(
                    "REFERENCE_NOT_FOUND",
                    Endpoint::Penempatan,
                    format!(
                        "placement `{}`: enrolment `{enrolment}` is not served by {}; skipped",
                        p.penempatan_id,
                        Endpoint::Peserta
                    ),
                )
                .with_key(p.penempatan_id.as_str()),
            );
            continue;
        };
        let Some(raw_status) = text(p.status_penempatan.as_ref()) else {
            issues.push(
                issue(
                    "ROW_SKIPPED_INVALID_REQUIRED",
                    Endpoint::Penempatan,
                    format!(
                        "placement `{}` has no statusPenempatan; skipped",
                        p.penempatan_id
                    ),
                )
                .with_key(format!("{}.statusPenempatan", p.penempatan_id)),
            );
            continue;
        };
        let mut w = dup;
        let status = vocab(
            Some(&raw_status),
            OUTCOME_STATUSES,
            "status",
            "statusPenempatan",
            &mut w,
        )
        .unwrap_or(OutcomeStatus::Other);
        let served = people.kpj_by_enrollment.get(enrolment.as_str());
        if let (Some(a), Some(b)) = (text(p.kpj.as_ref()), served) {
            if &a != b {
                w.push(DataWarning::new(
                    VALUE_CONFLICT,
                    "enrollmentId",
                    "the placement's KPJ differs from its enrolment's; the enrolment is trusted",
                ));
            }
        }
        if text(p.program_id.as_ref()).is_some_and(|id| id != *run) {
            w.push(DataWarning::new(
                VALUE_CONFLICT,
                "enrollmentId",
                "the placement's programId differs from its enrolment's; the enrolment is trusted",
            ));
        }
        out.push(Outcome {
            source_id: p.penempatan_id.clone(),
            enrollment_id: enrolment,
            status,
            raw_status,
            observed_at: timestamp(
                p.tanggal_update.as_ref(),
                "observedAt",
                "tanggalUpdate",
                &mut w,
            ),
            employer_name: text(p.nama_perusahaan.as_ref()),
            job_title: text(p.jabatan.as_ref()),
            work_region_code: None,
            employment_start_date: date(
                p.tanggal_mulai_kerja.as_ref(),
                "employmentStartDate",
                "tanggalMulaiKerja",
                &mut w,
            ),
            business_type: text(p.jenis_usaha.as_ref()),
            business_name: None,
            monthly_revenue: None,
            source: text(p.sumber_data.as_ref()),
            warnings: w,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(json: serde_json::Value) -> PesertaProgram {
        serde_json::from_value(json).expect("a PesertaProgram")
    }

    #[test]
    fn identifiers_masked_invalid_and_absent() {
        let mut w = Vec::new();
        assert_eq!(
            nik(Some("360213******9001"), &mut w).1.as_deref(),
            Some("360213******9001")
        );
        assert_eq!(nik(Some("36*"), &mut w).1, None);
        assert_eq!(nik(None, &mut w), (None, None));
        assert_eq!(
            kpj(Some("990*****001"), &mut w),
            (None, Some("990*****001".to_owned()))
        );
        assert_eq!(
            kpj(Some(" 99096000001 "), &mut w).0.as_deref(),
            Some("99096000001")
        );
        assert_eq!(kpj(Some("990960000011"), &mut w), (None, None));
        let codes: Vec<_> = w.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes,
            [NIK_MASKED, NIK_MASKED, NIK_INVALID, KPJ_MASKED, KPJ_INVALID]
        );
    }

    #[test]
    fn the_latest_registration_speaks_for_the_person_and_niks_that_differ_are_flagged() {
        let keys = ParticipantKeys::new("0123456789abcdef");
        let early = row(serde_json::json!({
            "pesertaProgramId": "PP-2019-00001", "programId": "PV-2019-0001",
            "kpj": "99096000001", "nik": "3602136309929601", "namaLengkap": "Nama Lama",
            "tanggalDaftar": "2019-10-01T09:00:00+07:00", "statusPelatihan": "LULUS"
        }));
        let late = row(serde_json::json!({
            "pesertaProgramId": "PP-2020-00001", "programId": "PV-2020-0001",
            "kpj": "99096000001", "nik": "3602136309929602", "namaLengkap": "Nama Baru",
            "tanggalDaftar": "2020-10-01T09:00:00+07:00", "statusPelatihan": "LULUS"
        }));
        let batches = [
            ProgrammeEnrolments {
                program_id: "PV-2020-0001".into(),
                items: vec![late],
            },
            ProgrammeEnrolments {
                program_id: "PV-2019-0001".into(),
                items: vec![early],
            },
        ];
        let run = |id: &str| CourseRun {
            source_id: id.into(),
            warnings: Vec::new(),
            code: id.into(),
            course_id: id.into(),
            training_center_id: "LM-0001".into(),
            start_date: None,
            end_date: None,
            status: simpul_schema::CourseRunStatus::Completed,
            delivery_mode: None,
            location_code: None,
            capacity: None,
            nominal_hours: None,
            fiscal_year: None,
            cohort: None,
            cost_per_participant: None,
            funding_schemes: Vec::new(),
            partnership_ids: Vec::new(),
            instructor: None,
            description: None,
        };
        let mut issues = Vec::new();
        let people = map_people(
            &batches,
            &[run("PV-2019-0001"), run("PV-2020-0001")],
            &keys,
            false,
            &mut issues,
        );
        assert_eq!(people.participants.len(), 1);
        assert_eq!(people.enrollments.len(), 2);
        let p = &people.participants[0];
        assert_eq!(
            p.pii.as_ref().unwrap().full_name.as_deref(),
            Some("Nama Baru")
        );
        assert!(p.warnings.iter().any(|w| w.code == NIK_CONFLICT));
        assert!(issues.is_empty());
        // For an answer about enrolments: the same enrolments, warnings and ids included, and
        // nothing else.
        let runs = [run("PV-2019-0001"), run("PV-2020-0001")];
        let only = map_people(&batches, &runs, &keys, true, &mut issues);
        assert_eq!(only.enrollments, people.enrollments);
        assert!(only.participants.is_empty() && only.kpj_by_enrollment.is_empty());
        assert!(issues.is_empty());
        // Enrolments of a run that is not known are reported, not mapped.
        let people = map_people(&batches, &[run("PV-2019-0001")], &keys, false, &mut issues);
        assert_eq!(people.enrollments.len(), 1);
        assert_eq!(issues.len(), 1);
    }
}
