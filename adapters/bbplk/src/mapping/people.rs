//! People and what happened to them: `peserta` → [`Participant`] (one per row),
//! `pendaftaran` → [`Enrollment`], `penempatan` → [`Outcome`], following UNIFIED.md §4.
//!
//! Personal data goes into [`ParticipantPii`] only when the request asks for it; warnings name
//! columns and rules, never a NIK, KPJ, name, phone number or birth date.

use chrono::{Datelike, NaiveDate};
use simpul_schema::identity::{mask_kpj, normalize_phone, Nik, PersonKeys};
use simpul_schema::{
    DataWarning, Enrollment, EnrollmentStatus, Outcome, OutcomeStatus, Participant, ParticipantPii,
};

use super::rows::{EnrollmentRow, OutcomeRow, ParticipantRow};
use super::values::{codes::*, *};
use crate::identity::SharedNiks;

/// The `jabatan` prefix that marks a self-employed trainee's business (`Usaha mandiri: …`).
pub const BUSINESS_PREFIX: &str = "Usaha mandiri:";

/// Validate a raw `nik` cell the way the SQL twin (`nikValid`) does: trim spaces (CHAR
/// padding), then exactly 16 ASCII digits with a possible birth-date part.
///
/// # Errors
/// Why the NIK is not valid, without its digits.
pub fn check_nik(raw: Option<&str>) -> Result<Nik, String> {
    let Some(raw) = raw else {
        return Err("`nik` is empty".into());
    };
    let trimmed = raw.trim_matches(' ');
    if trimmed.len() != 16 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err("a NIK has exactly 16 digits".into());
    }
    Nik::parse(trimmed).map_err(|e| e.to_string())
}

/// A `peserta` row → a participant; its personal data in clear only when `include_pii`.
/// `shared` holds the trimmed NIKs that several rows hold.
pub fn map_participant(
    row: ParticipantRow,
    include_pii: bool,
    keys: Option<&PersonKeys>,
    shared: &SharedNiks,
) -> Participant {
    let mut w = Vec::new();
    let nik = match check_nik(row.nik.as_deref()) {
        Ok(nik) => Some(nik),
        Err(reason) => {
            w.push(DataWarning::new(
                NIK_INVALID,
                "nik",
                format!("NIK fails validation ({reason}); not exposed and not linked"),
            ));
            None
        }
    };
    let sex = SEX.map(row.jenis_kelamin.as_deref(), "sex", &mut w);
    let birth_date = date(
        row.tanggal_lahir.as_deref(),
        "birthDate",
        "tanggal_lahir",
        &mut w,
    );
    if let Some(nik) = &nik {
        w.extend(nik.disagreements(sex, birth_date, "jenis_kelamin", "tanggal_lahir"));
        if shared.contains(nik.as_str()) {
            w.push(DataWarning::new(
                DUPLICATE_NIK_IN_PROVIDER,
                "nik",
                "another participant row of this provider has the same NIK",
            ));
        }
    }
    let first_registration = row.first_registration.as_deref().and_then(strict_date);
    let village = opt_text(row.kode_wilayah.as_deref());
    let kpj = opt_text(row.no_kpj.as_deref());
    if kpj
        .as_deref()
        .is_some_and(|k| !k.bytes().all(|b| b.is_ascii_digit()))
    {
        w.push(DataWarning::new(
            VALUE_INVALID,
            "kpj",
            "`no_kpj` contains characters other than digits; masked as given",
        ));
    }
    let phone = opt_text(row.no_hp.as_deref()).and_then(|raw| {
        let normalised = normalize_phone(&raw);
        if normalised.is_none() {
            w.push(DataWarning::new(
                PHONE_INVALID,
                "phone",
                "`no_hp` is not an Indonesian 0…/+62… number; set to null",
            ));
        }
        normalised
    });
    let education = EDUCATION.map(row.pendidikan_terakhir.as_deref(), "education", &mut w);
    let employment = EMPLOYMENT.map(
        row.status_pekerjaan.as_deref(),
        "employmentStatusAtRegistration",
        &mut w,
    );
    let pii = include_pii.then(|| ParticipantPii {
        nik: nik.as_ref().map(|n| n.as_str().to_owned()),
        kpj: kpj.clone(),
        full_name: opt_text(row.nama_lengkap.as_deref()),
        birth_date,
        birth_place: opt_text(row.tempat_lahir.as_deref()),
        address: opt_text(row.alamat.as_deref()),
        domicile_village_code: village.clone(),
        phone,
        email: opt_text(row.email.as_deref()),
        layoff_date: None,
        last_employer: None,
        union_card_number: None,
        disability: opt_text(row.ragam_disabilitas.as_deref()),
    });
    Participant {
        source_id: row.id_peserta.to_string(),
        nik_masked: nik.as_ref().map(Nik::masked),
        nik_valid: nik.is_some(),
        person_key: nik
            .as_ref()
            .zip(keys)
            .map(|(nik, keys)| keys.person_key(nik)),
        kpj_masked: kpj.as_deref().map(mask_kpj),
        sex,
        birth_year: birth_date.map(|d| d.year()),
        is_minor: is_minor(birth_date, first_registration),
        domicile_regency_code: regency_of(village.as_deref()),
        education,
        employment_status_at_registration: employment,
        union_membership: None,
        pii,
        warnings: w,
    }
}

/// Under 18 at the first registration; `None` when either date is unknown or the
/// registration predates the birth.
pub fn is_minor(born: Option<NaiveDate>, first_registration: Option<NaiveDate>) -> Option<bool> {
    let age = first_registration?.years_since(born?)?;
    Some(age < 18)
}

/// A kept `pendaftaran` row → an enrolment.
pub fn map_enrollment(row: EnrollmentRow) -> Enrollment {
    let mut w = Vec::new();
    mistyped(
        row.mistyped.as_deref(),
        &[
            ("nilai_akhir", "finalScore"),
            ("persen_kehadiran", "attendancePercent"),
        ],
        &mut w,
    );
    if row.has_duplicates == Some(true) {
        w.push(DataWarning::new(
            DUPLICATE_KEY,
            "sourceId",
            "the same trainee is registered in this batch more than once; the lowest id is kept",
        ));
    }
    let raw_status = opt_text(row.status_akhir.as_deref());
    if FINAL_RESULT
        .lookup(raw_status.as_deref())
        .is_some_and(|(_, known)| !known)
    {
        w.push(DataWarning::new(
            ENUM_UNKNOWN,
            "status",
            "`status_akhir` has a value outside the contract's list; status UNKNOWN",
        ));
    }
    let name = enrollment_status(
        raw_status.as_deref(),
        row.status_seleksi.as_deref(),
        row.status_angkatan.as_deref(),
    );
    let status = EnrollmentStatus::from_name(name).unwrap_or(EnrollmentStatus::Unknown);
    if status == EnrollmentStatus::Registered
        && opt_text(row.status_angkatan.as_deref()).as_deref() == Some(RUN_STATUS_FINISHED)
    {
        w.push(DataWarning::new(
            VALUE_MISSING,
            "status",
            "the batch has finished but `status_akhir` is empty; status REGISTERED",
        ));
    }
    Enrollment {
        source_id: row.id_pendaftaran.to_string(),
        participant_id: row.id_peserta.to_string(),
        course_run_id: row.kode_angkatan,
        registered_on: date(
            row.tgl_daftar.as_deref(),
            "registeredOn",
            "tgl_daftar",
            &mut w,
        ),
        route: ROUTE.map(row.jalur.as_deref(), "route", &mut w),
        selection_status: SELECTION.map(row.status_seleksi.as_deref(), "selectionStatus", &mut w),
        status,
        raw_status,
        final_score: percent(row.nilai_akhir, "finalScore", "nilai_akhir", &mut w),
        attendance_percent: percent(
            row.persen_kehadiran,
            "attendancePercent",
            "persen_kehadiran",
            &mut w,
        ),
        warnings: w,
    }
}

/// A `penempatan` row → an outcome of the kept enrolment.
pub fn map_outcome(row: OutcomeRow) -> Outcome {
    let mut w = Vec::new();
    if row.merged == Some(true) {
        w.push(DataWarning::new(
            DUPLICATE_KEY,
            "enrollment",
            "reported against a duplicate registration; attached to the kept one",
        ));
    }
    let raw_status = opt_text(row.status_penempatan.as_deref());
    let status = OUTCOME_STATUS
        .map(raw_status.as_deref(), "status", &mut w)
        .unwrap_or(OutcomeStatus::Other);
    let observed_at = row.tgl_lapor.as_deref().and_then(|raw| {
        let at = local_instant(raw);
        if at.is_none() {
            w.push(DataWarning::new(
                DATE_INVALID,
                "observedAt",
                "`tgl_lapor` is not a valid date or timestamp; set to null",
            ));
        }
        at
    });
    let jabatan = opt_text(row.jabatan.as_deref());
    let (job_title, business_type) = match jabatan {
        Some(j) if j.starts_with(BUSINESS_PREFIX) => {
            (None, opt_text(Some(j[BUSINESS_PREFIX.len()..].trim())))
        }
        other => (other, None),
    };
    Outcome {
        source_id: row.id_penempatan.to_string(),
        enrollment_id: row.id_enrollment.to_string(),
        status,
        raw_status: raw_status.unwrap_or_default(),
        observed_at,
        employer_name: opt_text(row.nama_perusahaan.as_deref()),
        job_title,
        work_region_code: opt_text(row.kode_wilayah_kerja.as_deref()),
        employment_start_date: date(
            row.tgl_mulai_kerja.as_deref(),
            "employmentStartDate",
            "tgl_mulai_kerja",
            &mut w,
        ),
        business_type,
        business_name: None,
        monthly_revenue: None,
        source: opt_text(row.sumber_info.as_deref()),
        warnings: w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nik_checks_match_the_sql_rule() {
        assert!(check_nik(Some("3216065505909501  ")).is_ok());
        assert!(check_nik(Some("\t3216065505909501")).is_err());
        assert!(check_nik(Some("321606550590950")).is_err());
        assert!(check_nik(Some("3216063505909501")).is_err());
        assert!(check_nik(None).is_err());
        let e = check_nik(Some("32160655059095AB")).unwrap_err();
        assert!(!e.contains("3216"));
    }

    #[test]
    fn minors() {
        let d = |s| strict_date(s);
        assert_eq!(is_minor(d("2007-07-01"), d("2025-06-30")), Some(true));
        assert_eq!(is_minor(d("2007-06-30"), d("2025-06-30")), Some(false));
        assert_eq!(is_minor(d("2007-06-30"), None), None);
        assert_eq!(is_minor(d("2030-01-01"), d("2025-06-30")), None);
    }
}
