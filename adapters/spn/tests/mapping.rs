//! UNIFIED.md §3 value mapping and the contract's §8 normalisation, identity, de-duplication and
//! reference rules, one test per quirk. Every person here is synthetic.

mod common;

use chrono::NaiveDate;
use common::*;
use simpul_adapter_spn::SpnData;
use simpul_schema::{
    Collection, CourseRunStatus, EmploymentStatus, EnrollmentStatus, Money, Records, Sex,
};

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn one_person(name: &str, overrides: &[(&str, &str)]) -> SpnData {
    let text = peserta(&[peserta_row(overrides)]);
    Folder::with_text(name, &[("peserta.csv", &text)]).data()
}

#[test]
fn dates_with_and_without_zero_padding() {
    let data = one_person(
        "dmy",
        &[("tgl_lahir", "5/3/1990"), ("tgl_daftar", "01/03/2023")],
    );
    let p = &data.participants[0];
    assert_eq!(p.pii.as_ref().and_then(|p| p.birth_date), date(1990, 3, 5));
    assert_eq!(data.enrollments[0].registered_on, date(2023, 3, 1));
    assert_eq!(data.course_runs[0].start_date, date(2023, 4, 3));
}

#[test]
fn iso_date_is_used_with_a_warning() {
    let data = one_person("iso", &[("tgl_daftar", "2023-03-01")]);
    let e = &data.enrollments[0];
    assert_eq!(e.registered_on, date(2023, 3, 1));
    assert_eq!(codes(&e.warnings), ["DATE_FORMAT_NONSTANDARD"]);
    assert_eq!(e.warnings[0].field.as_deref(), Some("registeredOn"));
    assert_eq!(data.status.warnings, 1);
}

#[test]
fn impossible_required_date_skips_the_row_with_file_and_line() {
    let pelatihan = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai\n\
        SPN-PL-2023-01;SPN-TC-01;Kursus Uji;31/02/2023\n";
    let data = Folder::with_text("bad-start", &[("pelatihan.csv", pelatihan)]).data();
    assert!(data.course_runs.is_empty() && data.courses.is_empty());
    let issue = &data.status.rejected[0];
    assert_eq!(
        (issue.source.as_str(), issue.line),
        ("pelatihan.csv", Some(2))
    );
    assert!(issue.reason.contains("tgl_mulai"), "{}", issue.reason);
    // Its participants and outcome now reference an unknown run: skipped too.
    let sources: Vec<_> = data
        .status
        .rejected
        .iter()
        .map(|i| i.source.as_str())
        .collect();
    assert_eq!(sources, ["pelatihan.csv", "peserta.csv", "hasil.csv"]);
}

#[test]
fn impossible_optional_date_becomes_null_with_a_warning() {
    let data = one_person("bad-birth", &[("tgl_lahir", "31/02/1990")]);
    let p = &data.participants[0];
    assert_eq!(p.pii.as_ref().and_then(|p| p.birth_date), None);
    assert_eq!(p.birth_year, None);
    assert_eq!(codes(&p.warnings), ["DATE_INVALID"]);
    assert!(data.status.rejected.is_empty());
}

#[test]
fn decimal_comma() {
    let pusat =
        "kode_pusat;nama_pusat;luas_lahan_ha\nSPN-TC-01;Pusat Uji;3,5\nSPN-TC-02;Pusat Dua;2.5\n";
    let data = Folder::with_text("decimal", &[("pusat_pelatihan.csv", pusat)]).data();
    assert_eq!(data.training_centers[0].area_hectares, Some(3.5));
    assert_eq!(data.training_centers[1].area_hectares, None);
    assert_eq!(codes(&data.training_centers[1].warnings), ["VALUE_INVALID"]);
}

#[test]
fn rupiah_with_dots() {
    let hasil = "id_peserta;kode_pelatihan;status_hasil;omzet_per_bulan\n\
        SPN-P-0001;SPN-PL-2023-01;Wirausaha;1.500.000\n";
    let data = Folder::with_text("rupiah", &[("hasil.csv", hasil)]).data();
    assert_eq!(
        data.outcomes[0].monthly_revenue,
        Some(Money::idr(1_500_000))
    );
    assert_eq!(
        data.outcomes[0]
            .monthly_revenue
            .as_ref()
            .map(|m| m.amount.as_str()),
        Some("1500000")
    );
}

#[test]
fn text_is_trimmed_and_nfc_normalised() {
    let decomposed = "  Jose\u{301} Marti\u{301}nez  ";
    let data = one_person(
        "nfc",
        &[("nama_lengkap", decomposed), ("alamat", " Jl. Uji ")],
    );
    let pii = data.participants[0].pii.clone().unwrap_or_default();
    assert_eq!(pii.full_name.as_deref(), Some("Jos\u{e9} Mart\u{ed}nez"));
    assert_eq!(pii.address.as_deref(), Some("Jl. Uji"));
    let pelatihan = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai\n\
        SPN-PL-2023-01 ; SPN-TC-01 ;Kursus Uji   ;03/04/2023\n";
    let data = Folder::with_text("trim", &[("pelatihan.csv", pelatihan)]).data();
    assert_eq!(data.courses[0].source_id, "SPN-TC-01/Kursus Uji");
    assert_eq!(data.enrollments.len(), 1, "trimmed codes still match");
}

#[test]
fn sex_codes_are_case_insensitive() {
    let text = peserta(&[
        peserta_row(&[("jenis_kelamin", "p")]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0002"),
            ("nik", NIK_B),
            ("jenis_kelamin", "l"),
            ("tgl_lahir", "02/11/1985"),
        ]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0003"),
            ("nik", "3602140211859403"),
            ("jenis_kelamin", "X"),
            ("tgl_lahir", ""),
        ]),
    ]);
    let data = Folder::with_text("sex", &[("peserta.csv", &text)]).data();
    let sexes: Vec<_> = data.participants.iter().map(|p| p.sex).collect();
    assert_eq!(sexes, [Some(Sex::Female), Some(Sex::Male), None]);
    assert!(data.participants[0].warnings.is_empty() && data.participants[1].warnings.is_empty());
    assert_eq!(codes(&data.participants[2].warnings), ["ENUM_UNKNOWN"]);
}

#[test]
fn region_code_without_dots_gains_them() {
    let pusat =
        "kode_pusat;nama_pusat;kode_wilayah\nSPN-TC-01;Pusat Uji;3602132007\nSPN-TC-02;Dua;36021\n";
    let data = Folder::with_text("code", &[("pusat_pelatihan.csv", pusat)]).data();
    let code = |i: usize| {
        data.training_centers[i]
            .address
            .as_ref()
            .and_then(|a| a.region_code.clone())
    };
    assert_eq!(code(0).as_deref(), Some("36.02.13.2007"));
    assert_eq!(code(1), None);
    assert_eq!(
        codes(&data.training_centers[1].warnings),
        ["REGION_UNKNOWN"]
    );
    assert_eq!(
        data.course_runs[0].location_code.as_deref(),
        Some("36.02.13.2007")
    );
}

#[test]
fn regions_resolve_by_names() {
    let pusat = "kode_pusat;nama_pusat;desa_kelurahan;kecamatan;kab_kota;provinsi\n\
        SPN-TC-01;Pusat Uji;Sangiang;Maja;Kab. Lebak;Banten\n";
    let text = peserta(&[
        peserta_row(&[
            ("desa_kelurahan", "Saga"),
            ("kecamatan", "Balaraja"),
            ("kab_kota", "Kabupaten Tangerang"),
        ]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0002"),
            ("nik", NIK_B),
            ("jenis_kelamin", "L"),
            ("tgl_lahir", ""),
            ("desa_kelurahan", "Atlantis"),
            ("kecamatan", "Cipocok Jaya"),
            ("kab_kota", "Kota Serang"),
        ]),
    ]);
    let data = Folder::with_text(
        "names",
        &[("pusat_pelatihan.csv", pusat), ("peserta.csv", &text)],
    )
    .data();
    let centre = data.training_centers[0].address.clone().unwrap_or_default();
    assert_eq!(centre.region_code.as_deref(), Some("36.02.13.2007"));
    let [a, b] = &data.participants[..] else {
        panic!("two participants")
    };
    assert_eq!(a.domicile_regency_code.as_deref(), Some("36.03"));
    assert_eq!(
        a.pii
            .as_ref()
            .and_then(|p| p.domicile_village_code.as_deref()),
        Some("36.03.01.2014")
    );
    assert_eq!(b.domicile_regency_code.as_deref(), Some("36.73"));
    assert_eq!(
        b.pii.as_ref().and_then(|p| p.domicile_village_code.clone()),
        None
    );
    assert_eq!(codes(&b.warnings), ["REGION_UNKNOWN"]);
    assert!(!serde_json::to_string(&b.warnings)
        .unwrap_or_default()
        .contains("Atlantis"));
}

#[test]
fn phones_normalise_from_both_conventions() {
    let text = peserta(&[
        peserta_row(&[("no_hp", "0899-0000-9401")]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0002"),
            ("nik", NIK_B),
            ("jenis_kelamin", "L"),
            ("tgl_lahir", ""),
            ("no_hp", "+62 899 0000 9402"),
        ]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0003"),
            ("nik", "3602140211859403"),
            ("jenis_kelamin", "L"),
            ("tgl_lahir", ""),
            ("no_hp", "12345"),
        ]),
    ]);
    let data = Folder::with_text("phones", &[("peserta.csv", &text)]).data();
    let phones: Vec<_> = data
        .participants
        .iter()
        .map(|p| p.pii.as_ref().and_then(|p| p.phone.clone()))
        .collect();
    assert_eq!(
        phones,
        [
            Some("+6289900009401".into()),
            Some("+6289900009402".into()),
            None
        ]
    );
    assert_eq!(codes(&data.participants[2].warnings), ["PHONE_INVALID"]);
    assert!(!data.participants[2].warnings[0].message.contains("12345"));
}

#[test]
fn invalid_nik_is_null_with_a_warning_and_never_exposed() {
    let bad = "360213550390940"; // 15 digits
    let data = one_person("nik-invalid", &[("nik", bad)]);
    let p = &data.participants[0];
    assert_eq!((p.nik_masked.as_deref(), p.nik_valid), (None, false));
    assert_eq!(p.pii.as_ref().and_then(|p| p.nik.clone()), None);
    assert_eq!(codes(&p.warnings), ["NIK_INVALID"]);
    let everything = format!(
        "{}{}",
        serde_json::to_string(&data.participants).unwrap_or_default(),
        serde_json::to_string(&data.status).unwrap_or_default()
    );
    assert!(
        !everything.contains(bad) && !everything.contains("5503909"),
        "{everything}"
    );
    // Empty and non-digit NIKs too.
    for (name, nik) in [("nik-empty", ""), ("nik-letters", "36021355039094O1")] {
        let data = one_person(name, &[("nik", nik)]);
        assert_eq!(codes(&data.participants[0].warnings), ["NIK_INVALID"]);
        assert!(!data.participants[0].nik_valid);
    }
}

#[test]
fn nik_disagreeing_with_sex_and_birth_date_is_flagged() {
    // NIK_A encodes a woman born 15/03/1990.
    let data = one_person(
        "nik-mismatch",
        &[("jenis_kelamin", "L"), ("tgl_lahir", "16/03/1990")],
    );
    let p = &data.participants[0];
    assert_eq!(
        codes(&p.warnings),
        ["NIK_SEX_MISMATCH", "NIK_BIRTH_DATE_MISMATCH"]
    );
    assert!(p.nik_valid, "a mismatch does not invalidate the NIK");
    assert_eq!(p.sex, Some(Sex::Male), "the recorded sex is kept");
    assert!(!serde_json::to_string(&p.warnings)
        .unwrap_or_default()
        .contains("1990"));
}

#[test]
fn latest_row_by_registration_date_wins_for_person_data() {
    // The newer registration comes first in the file: order must not matter, the date must.
    let pelatihan =
        format!("{PELATIHAN}SPN-PL-2024-01;SPN-TC-01;Kursus Dua;01/02/2024;09/02/2024\n");
    let text = peserta(&[
        peserta_row(&[
            ("kode_pelatihan", "SPN-PL-2024-01"),
            ("tgl_daftar", "10/01/2024"),
            ("no_hp", "089900009499"),
            ("status_kerja", "Wirausaha"),
        ]),
        peserta_row(&[
            ("tgl_daftar", "01/03/2023"),
            ("no_hp", "089900009401"),
            ("status_kerja", "Korban PHK"),
        ]),
    ]);
    let data = Folder::with_text(
        "latest",
        &[("pelatihan.csv", &pelatihan), ("peserta.csv", &text)],
    )
    .data();
    assert_eq!(data.participants.len(), 1);
    assert_eq!(data.enrollments.len(), 2);
    let p = &data.participants[0];
    assert_eq!(
        p.pii.as_ref().and_then(|p| p.phone.as_deref()),
        Some("+6289900009499")
    );
    assert_eq!(
        p.employment_status_at_registration,
        Some(EmploymentStatus::SelfEmployed)
    );
    assert_eq!(p.is_minor, Some(false));
}

#[test]
fn identical_duplicate_rows_are_dropped_and_counted() {
    let row = peserta_row(&[]);
    let copy = format!("2{row}"); // only the sheet's `no` (first column) differs
    let text = peserta(&[row, copy]);
    let data = Folder::with_text("dup-same", &[("peserta.csv", &text)]).data();
    assert_eq!(data.enrollments.len(), 1);
    assert!(data.enrollments[0].warnings.is_empty());
    let issue = &data.status.rejected[0];
    assert_eq!(
        (issue.source.as_str(), issue.line),
        ("peserta.csv", Some(3))
    );
    assert!(
        issue.reason.contains("exact duplicate of line 2"),
        "{}",
        issue.reason
    );
}

#[test]
fn duplicate_key_with_different_content_keeps_the_first_and_warns() {
    let text = peserta(&[
        peserta_row(&[("status_kelulusan", "Lulus")]),
        peserta_row(&[("status_kelulusan", "Tidak lulus")]),
    ]);
    let data = Folder::with_text("dup-diff", &[("peserta.csv", &text)]).data();
    assert_eq!(data.enrollments.len(), 1);
    assert_eq!(data.enrollments[0].status, EnrollmentStatus::Completed);
    assert_eq!(codes(&data.enrollments[0].warnings), ["DUPLICATE_KEY"]);
    let issue = &data.status.rejected[0];
    assert_eq!(issue.line, Some(3));
    assert!(issue.reason.contains("SPN-P-0001/SPN-PL-2023-01") && issue.reason.contains("line 2"));
}

#[test]
fn rows_referencing_unknown_records_are_skipped_without_personal_data() {
    let name = "Rahasia Sekali";
    let text = peserta(&[
        peserta_row(&[]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0002"),
            ("kode_pelatihan", "SPN-PL-2099-01"),
            ("nama_lengkap", name),
            ("nik", NIK_B),
            ("no_hp", "089900009402"),
            ("tgl_lahir", "02/11/1985"),
        ]),
    ]);
    let hasil = "id_peserta;kode_pelatihan;status_hasil\nSPN-P-0001;SPN-PL-2023-01;Wirausaha\nSPN-P-0009;SPN-PL-2023-01;Wirausaha\n";
    let kerjasama = "kode_kerjasama;kode_pusat;nama_mitra\nKS-1;SPN-TC-77;Mitra (fiktif)\n";
    let pelatihan = format!("{PELATIHAN}SPN-PL-2023-02;SPN-TC-99;Kursus Lain;03/05/2023;\n");
    let data = Folder::with_text(
        "unknown-refs",
        &[
            ("peserta.csv", &text),
            ("hasil.csv", hasil),
            ("kerjasama.csv", kerjasama),
            ("pelatihan.csv", &pelatihan),
        ],
    )
    .data();
    let issues: Vec<_> = data
        .status
        .rejected
        .iter()
        .map(|i| (i.source.as_str(), i.line))
        .collect();
    assert_eq!(
        issues,
        [
            ("kerjasama.csv", Some(2)),
            ("pelatihan.csv", Some(3)),
            ("peserta.csv", Some(3)),
            ("hasil.csv", Some(3))
        ]
    );
    assert!(data.status.rejected[2].reason.contains("SPN-PL-2099-01"));
    let json = serde_json::to_string(&data.status).unwrap_or_default();
    for secret in [name, NIK_B, "089900009402", "02/11/1985", "1985"] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    assert_eq!(
        (
            data.participants.len(),
            data.outcomes.len(),
            data.partnerships.len()
        ),
        (1, 1, 0)
    );
}

#[test]
fn one_course_per_centre_and_name_and_run_statuses() {
    let pelatihan = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai;tgl_selesai;jumlah_jam;kuota;kode_kbji\n\
        SPN-PL-2023-01;SPN-TC-01;Kursus Uji;03/04/2023;07/04/2023;30;12;7531\n\
        SPN-PL-2025-01;SPN-TC-01;Kursus Uji;16/06/2025;11/07/2025;0;-1;75\n\
        SPN-PL-2025-02;SPN-TC-01;Kursus Baru;04/08/2025;;;;\n";
    let data = Folder::with_text("courses", &[("pelatihan.csv", pelatihan)]).data();
    assert_eq!(data.courses.len(), 2);
    assert_eq!(data.courses[0].source_id, "SPN-TC-01/Kursus Uji");
    assert_eq!(data.courses[0].occupation_codes, ["7531"]);
    assert_eq!(
        codes(&data.courses[0].warnings),
        ["VALUE_CONFLICT"],
        "second run disagrees on KBJI"
    );
    let statuses: Vec<_> = data.course_runs.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            CourseRunStatus::Completed,
            CourseRunStatus::Running,
            CourseRunStatus::Open
        ]
    );
    let run = &data.course_runs[1];
    assert_eq!((run.nominal_hours, run.capacity), (None, None));
    assert_eq!(
        codes(&run.warnings),
        ["VALUE_OUT_OF_RANGE", "VALUE_OUT_OF_RANGE"]
    );
    assert_eq!(
        (
            data.course_runs[0].nominal_hours,
            data.course_runs[0].capacity
        ),
        (Some(30), Some(12))
    );
    assert!(data
        .course_runs
        .iter()
        .all(|r| r.course_id.starts_with("SPN-TC-01/")));
}

#[test]
fn include_pii_false_strips_personal_data() {
    let hasil = "id_peserta;kode_pelatihan;status_hasil;omzet_per_bulan\nSPN-P-0001;SPN-PL-2023-01;Wirausaha;1.500.000\n";
    let data = Folder::with_text("pii", &[("hasil.csv", hasil)]).data();
    let hidden = query(&data, Collection::Participants, false);
    let Records::Participants(ps) = &hidden.records else {
        panic!("participants")
    };
    assert!(ps[0].pii.is_none());
    assert_eq!(ps[0].nik_masked.as_deref(), Some("360213******9401"));
    let json = serde_json::to_string(&hidden).unwrap_or_default();
    assert!(
        !json.contains(NIK_A) && !json.contains("Nama Uji"),
        "{json}"
    );
    let Records::Outcomes(os) = query(&data, Collection::Outcomes, false).records else {
        panic!("outcomes")
    };
    assert_eq!(os[0].monthly_revenue, None);

    let shown = query(&data, Collection::Participants, true);
    let Records::Participants(ps) = &shown.records else {
        panic!("participants")
    };
    assert_eq!(
        ps[0].pii.as_ref().and_then(|p| p.nik.as_deref()),
        Some(NIK_A)
    );
    let Records::Outcomes(os) = query(&data, Collection::Outcomes, true).records else {
        panic!("outcomes")
    };
    assert_eq!(os[0].monthly_revenue, Some(Money::idr(1_500_000)));
    assert!(
        data.participants[0].pii.is_some(),
        "SpnData itself always keeps PII"
    );
}

#[test]
fn same_nik_on_two_participants_is_flagged() {
    let text = peserta(&[
        peserta_row(&[]),
        peserta_row(&[("id_peserta", "SPN-P-0002")]),
    ]);
    let data = Folder::with_text("shared-nik", &[("peserta.csv", &text)]).data();
    for p in &data.participants {
        assert_eq!(codes(&p.warnings), ["DUPLICATE_NIK_IN_PROVIDER"]);
    }
}
