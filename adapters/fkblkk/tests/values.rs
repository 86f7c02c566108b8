//! Hostile cell values (contract §2 "Cell values", §3.3, §5, §6; §8 quirks 7–11 and 15):
//! dates in three forms, number-typed NIKs, phones, regions by name, vocabularies, numbers
//! and money, names as typed. Each defect is a warning or note with its code and key; the
//! record is kept unless a required value is missing. All people are synthetic.

mod support;

use support::hostile::*;
use support::t;

#[test]
fn dates_in_three_forms_and_impossible_dates() {
    let people = vec![
        participant("PLT-2025-001", NIK_A, &[("Tanggal Lahir", "#32945")]),
        participant("PLT-2025-001", NIK_B, &[("Tanggal Lahir", "12 Agt. 1985")]),
        participant(
            "PLT-2025-001",
            NIK_C,
            &[("Tanggal Lahir", "30 Februari 2000")],
        ),
        participant("PLT-2025-002", NIK_A, &[]),
    ];
    let mut sheets = book(people, vec![]);
    let batches = vec![
        batch("PLT-2025-001", "BLKK-TNG-01", &[]),
        batch(
            "PLT-2025-002",
            "BLKK-TNG-01",
            &[("Tanggal Mulai", "31/04/2025")],
        ),
        batch(
            "PLT-2025-003",
            "BLKK-TNG-01",
            &[("Tanggal Selesai", "2025-01-01")],
        ),
    ];
    sheets[1] = sheet("Pelatihan", PELATIHAN, batches);
    let data = one("dates", sheets);
    let born = |i: usize| {
        let pii = data.participants[i].pii.as_ref().unwrap();
        pii.birth_date.map(|d| d.to_string())
    };
    assert_eq!(born(0).as_deref(), Some("1990-03-13"), "a bare serial");
    assert_eq!(born(1).as_deref(), Some("1985-08-12"), "Indonesian text");
    assert_eq!(born(2), None);
    let invalid = warned(&data, "DATE_FORMAT_INVALID");
    assert_eq!(invalid.len(), 1);
    assert!(
        invalid[0].message.contains("row 6.Tanggal Lahir"),
        "{}",
        invalid[0].message
    );
    let skipped = [
        (
            "Pelatihan".into(),
            "ROW_SKIPPED_INVALID_REQUIRED".into(),
            "PLT-2025-002.Tanggal Mulai".into(),
        ),
        (
            "Peserta".into(),
            "REFERENCE_NOT_FOUND".into(),
            "row 7".into(),
        ),
    ];
    assert_eq!(
        rejected(&data),
        skipped,
        "an invalid start skips the batch and its people"
    );
    let range = warned(&data, "DATE_RANGE_INVALID");
    assert!(range.len() == 1 && range[0].message.contains("PLT-2025-003"));
    assert!(has_note(&data, "DATE_FORMAT_NONSTANDARD", "Tanggal Lahir"));
}

#[test]
fn a_number_typed_nik_is_rejected_never_repaired_nor_linked() {
    // NIK_A typed into a number cell: Excel kept 3603055303909000.
    let people = vec![
        participant("PLT-2025-001", NIK_A, &[("NIK", "#3603055303909000")]),
        participant("PLT-2025-001", NIK_B, &[("NIK", "3.60305E+15")]),
        participant("PLT-2025-001", NIK_C, &[("NIK", " '3603 0125 0600 9003 ")]),
        participant(
            "PLT-2025-001",
            NIK_A,
            &[("L/P", "L"), ("Tanggal Lahir", "@1991-03-13")],
        ),
    ];
    let alumni = vec![
        alumnus("PLT-2025-001", "#3603055303909000", "Wirausaha", &[]),
        alumnus("PLT-2025-001", "36030553", "Wirausaha", &[]),
        alumnus("PLT-2025-001", NIK_C, "Wirausaha", &[]),
    ];
    let data = one("nik", book(people, vec![sheet("Alumni", ALUMNI, alumni)]));
    let by_row = |r: u32| {
        data.participants
            .iter()
            .find(|p| p.source_id.ends_with(&format!("@r{r}")))
    };
    let number = by_row(4).expect("its own participant, keyed by batch and row");
    assert!(!number.nik_valid && number.person_key.is_none());
    assert!(number.pii.as_ref().unwrap().nik.is_none(), "never repaired");
    assert_eq!(number.warnings[0].code, "NIK_NOT_TEXT");
    assert!(number.warnings[0].message.contains("row 4"));
    assert_eq!(by_row(5).unwrap().warnings[0].code, "NIK_INVALID");
    let clean =
        |p: &&simpul_schema::Participant| p.pii.as_ref().unwrap().nik.as_deref() == Some(NIK_C);
    assert!(data
        .participants
        .iter()
        .find(clean)
        .is_some_and(|p| p.person_key.is_some()));
    assert!(has_note(&data, "NIK_NORMALIZED", "NIK"));
    // A valid NIK that disagrees with the row's sex and birth date: kept, linked, warned.
    let odd = data
        .participants
        .iter()
        .find(|p| p.nik_valid && !p.warnings.is_empty())
        .unwrap();
    let codes: Vec<&str> = odd.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["SEX_NIK_MISMATCH", "BIRTHDATE_NIK_MISMATCH"]);
    assert!(odd.person_key.is_some());
    // Alumni: a number-typed or an invalid NIK skips the row.
    let r = rejected(&data);
    assert!(r.contains(&("Alumni".into(), "NIK_NOT_TEXT".into(), "row 4".into())));
    assert!(r.contains(&("Alumni".into(), "NIK_INVALID".into(), "row 5".into())));
    assert_eq!(data.outcomes.len(), 1);
    no_personal_values(&data);
}

#[test]
fn phones_as_numbers_are_restored_others_refused() {
    let people = vec![
        participant("PLT-2025-001", NIK_A, &[("No. HP", "#89903199001")]),
        participant("PLT-2025-001", NIK_B, &[("No. HP", "(0899) 0319-9002")]),
        participant("PLT-2025-001", NIK_C, &[("No. HP", "tidak ada")]),
    ];
    let data = one("phones", book(people, vec![]));
    let phone = |i: usize| data.participants[i].pii.as_ref().unwrap().phone.clone();
    assert_eq!(phone(0).as_deref(), Some("+6289903199001"));
    assert_eq!(phone(1).as_deref(), Some("+6289903199002"));
    assert_eq!(phone(2), None);
    let invalid = warned(&data, "PHONE_INVALID");
    assert!(invalid.len() == 1 && invalid[0].message.contains("row 6.No. HP"));
    assert!(has_note(&data, "PHONE_LEADING_ZERO_RESTORED", "No. HP"));
    no_personal_values(&data);
}

#[test]
fn kecamatan_by_name_within_the_regency_only() {
    let centres = vec![
        centre("BLKK-TNG-01", "Kec. Pasar Kemis"),
        centre("BLKK-TNG-02", "Rajek"),
        centre("BLKK-TNG-03", "Maja"),
    ];
    let outside = "3603056707909004";
    let people = vec![
        participant("PLT-2025-001", NIK_A, &[("Kecamatan", "Ps. Kemis")]),
        participant(
            "PLT-2025-001",
            NIK_B,
            &[("Kecamatan", "Maja"), ("Kab/Kota", "Kab. Lebak")],
        ),
        participant("PLT-2025-001", NIK_C, &[("Kecamatan", "Maja")]),
        participant(
            "PLT-2025-001",
            outside,
            &[
                ("Kab/Kota", "Kota Tangerang"),
                ("L/P", "P"),
                ("Tanggal Lahir", "@1990-07-27"),
            ],
        ),
    ];
    let mut sheets = book(people, vec![]);
    sheets[0] = sheet("Profil BLKK", PROFIL, centres);
    let data = one("regions", sheets);
    let region = |i: usize| {
        data.training_centers[i]
            .address
            .as_ref()
            .and_then(|a| a.region_code.clone())
    };
    assert_eq!(region(0).as_deref(), Some("36.03.12"));
    // `Rajek` is a listed misspelling of Rajeg; Maja is a kecamatan of Lebak, not of Tangerang.
    assert_eq!((region(1).as_deref(), region(2)), (Some("36.03.11"), None));
    assert_eq!(
        data.training_centers.len(),
        3,
        "an unresolved kecamatan keeps the centre"
    );
    let regency: Vec<Option<&str>> = data
        .participants
        .iter()
        .map(|p| p.domicile_regency_code.as_deref())
        .collect();
    assert_eq!(regency, [Some("36.03"), Some("36.02"), Some("36.03"), None]);
    let unresolved = warned(&data, "REGION_NAME_UNRESOLVED");
    let keys = ["BLKK-TNG-03.Kecamatan", "row 6.Kecamatan", "row 7.Kab/Kota"];
    assert_eq!(unresolved.len(), keys.len(), "{unresolved:#?}");
    for key in keys {
        assert!(unresolved.iter().any(|w| w.message.contains(key)), "{key}");
    }
    assert!(has_note(&data, "REGION_NAME_NORMALIZED", "Kab/Kota"));
    assert!(has_note(&data, "REGION_NAME_NORMALIZED", "Kecamatan"));
}

#[test]
fn vocabularies_funding_numbers_and_money() {
    let odd = [
        ("Kejuruan", "Perikanan"),
        ("Angkatan", "XIV"),
        ("Jumlah JP", "#0"),
        ("Status", "Ditunda"),
    ];
    let mut odd = odd.to_vec();
    odd.push(("Sumber Dana", "PBK & CSR Bank Uji (fiktif) + Hibah Desa"));
    let alumni = vec![
        alumnus(
            "PLT-2025-001",
            NIK_A,
            "Usaha Sendiri",
            &[("Omzet per Bulan (Rp)", "sekitar 2 jt")],
        ),
        alumnus(
            "PLT-2025-001",
            NIK_B,
            "Magang",
            &[("Omzet per Bulan (Rp)", "#-5")],
        ),
    ];
    let people = vec![
        participant("PLT-2025-001", NIK_A, &[]),
        participant("PLT-2025-001", NIK_B, &[("Status Peserta", "Pindah")]),
    ];
    let mut sheets = book(people, vec![sheet("Alumni", ALUMNI, alumni)]);
    let batches = vec![
        batch("PLT-2025-001", "BLKK-TNG-01", &[]),
        batch("PLT-2025-002", "BLKK-TNG-01", &odd),
    ];
    sheets[1] = sheet("Pelatihan", PELATIHAN, batches);
    let data = one("vocab", sheets);
    let run = data
        .course_runs
        .iter()
        .find(|r| r.code == "PLT-2025-002")
        .unwrap();
    let schemes: Vec<&str> = run.funding_schemes.iter().map(|f| f.as_str()).collect();
    assert_eq!(schemes, ["APBN_PBK", "PARTNER_FUNDED", "OTHER"]);
    assert_eq!(
        (run.status.as_str(), run.cohort, run.nominal_hours),
        ("UNKNOWN", None, None)
    );
    let course = data
        .courses
        .iter()
        .find(|c| c.source_id == run.course_id)
        .unwrap();
    let field = course
        .field
        .as_ref()
        .map(|f| (f.code.clone(), f.name.as_str()));
    assert_eq!(
        field,
        Some((None, "Perikanan")),
        "an unknown kejuruan keeps its text"
    );
    // Kejuruan; Angkatan (XIV is no numeral I–XII); Jumlah JP 0; Hibah Desa; Ditunda.
    let codes: Vec<&str> = run.warnings.iter().map(|w| w.code.as_str()).collect();
    let expected = [
        "ENUM_UNKNOWN",
        "NUMBER_FORMAT_INVALID",
        "VALUE_OUT_OF_RANGE",
        "ENUM_UNKNOWN",
        "ENUM_UNKNOWN",
    ];
    assert_eq!(codes, expected);
    let outcome_codes = |i: usize| -> Vec<String> {
        data.outcomes[i]
            .warnings
            .iter()
            .map(|w| w.code.clone())
            .collect()
    };
    assert_eq!(outcome_codes(0), ["NUMBER_FORMAT_INVALID"]);
    assert_eq!(outcome_codes(1), ["ENUM_UNKNOWN", "VALUE_OUT_OF_RANGE"]);
    assert_eq!(
        (
            data.outcomes[1].status.as_str(),
            data.outcomes[1].raw_status.as_str()
        ),
        ("OTHER", "Magang")
    );
    let pindah = data
        .enrollments
        .iter()
        .find(|e| e.raw_status.as_deref() == Some("Pindah"))
        .unwrap();
    assert_eq!(pindah.status.as_str(), "UNKNOWN");
}

#[test]
fn names_kept_as_typed_in_nfc() {
    let people = vec![
        participant(
            "PLT-2025-001",
            NIK_A,
            &[("Nama Peserta", "  Ma’ruf Nur'aini  ")],
        ),
        participant("PLT-2025-001", NIK_B, &[("Nama Peserta", "M. RIZKI R.")]),
        participant("PLT-2025-001", NIK_C, &[("Nama Peserta", "Jose\u{301}")]),
    ];
    let data = one("names", book(people, vec![]));
    let name = |i: usize| data.participants[i].pii.as_ref().unwrap().full_name.clone();
    assert_eq!(
        [name(0), name(1), name(2)],
        [
            Some("Ma’ruf Nur'aini".into()),
            Some("M. RIZKI R.".into()),
            Some("Jos\u{e9}".into())
        ]
    );
    assert!(has_note(&data, "TEXT_NORMALIZED_NFC", "Nama Peserta"));
    assert_eq!(t("x"), support::c("x"));
}
