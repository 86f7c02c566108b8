//! Hostile records (contract §3–4, §7; §8 quirks 12–13): restatement across workbooks and
//! revisions, duplicates within a batch, one person at two BLKKs, references to unknown units,
//! participant counts, missing required values. Each skipped unit is in `rejected` with its
//! code and key; the rest is served. All people are synthetic.

mod support;

use support::hostile::*;
use support::load;

#[test]
fn later_workbooks_restate_and_only_winning_rows_are_validated() {
    let tw1 = vec![
        participant("PLT-2025-001", NIK_A, &[("Tanggal Lahir", "31 Juni 1990")]),
        participant("PLT-2025-001", NIK_B, &[]),
        participant("", NIK_C, &[]),
    ];
    let tw2 = vec![participant(
        "PLT-2025-001",
        NIK_B,
        &[("Status Peserta", "Tidak Lulus")],
    )];
    let mut tw2 = book(tw2, vec![]);
    tw2[0] = sheet(
        "Profil BLKK",
        PROFIL,
        vec![centre("BLKK-TNG-01", "Balaraja")],
    );
    let data = load(&folder("restate", &[(TW2, tw2), (TW1, book(tw1, vec![]))]));
    // TW2's list replaces TW1's for the batch: NIK_A's row (and its bad date) is gone.
    assert_eq!(data.enrollments.len(), 1);
    assert_eq!(data.enrollments[0].status.as_str(), "FAILED");
    assert!(
        warned(&data, "DATE_FORMAT_INVALID").is_empty(),
        "a replaced row is not validated"
    );
    let region = data.training_centers[0]
        .address
        .as_ref()
        .unwrap()
        .region_code
        .as_deref();
    assert_eq!(
        region,
        Some("36.03.01"),
        "by (year, quarter), not by file order"
    );
    // TW1's keyless row is validated and skipped.
    let skipped = (
        "Peserta".into(),
        "ROW_SKIPPED_INVALID_REQUIRED".into(),
        "row 6.Kode Pelatihan".into(),
    );
    assert_eq!(rejected(&data), [skipped]);
}

#[test]
fn revisions_order_after_their_quarter() {
    let with = |status: &str| {
        book(
            vec![participant(
                "PLT-2025-001",
                NIK_A,
                &[("Status Peserta", status)],
            )],
            vec![],
        )
    };
    let dir = folder(
        "revisi",
        &[
            (
                "Rekap_BLKK_KabTangerang_2025_TW1_revisi2.xlsx",
                with("Mundur"),
            ),
            (
                "REKAP_BLKK_KABTANGERANG_2025_TW1_REVISI.xlsx",
                with("Lulus"),
            ),
            (
                "Rekap_BLKK_KabTangerang_2024_TW4_revisi.xlsx",
                with("Sedang Pelatihan"),
            ),
            (TW1, with("Tidak Lulus")),
        ],
    );
    let data = load(&dir);
    assert_eq!(
        data.enrollments[0].status.as_str(),
        "WITHDRAWN",
        "_revisi2 is the latest"
    );
}

#[test]
fn duplicates_in_a_batch_and_one_person_at_two_blkks() {
    let people = vec![
        participant("PLT-2025-001", NIK_A, &[]),
        participant("PLT-2025-001", NIK_A, &[("No", "#2")]),
        participant("PLT-2025-001", NIK_A, &[("Nama Peserta", "PESERTA UJI")]),
        participant("PLT-2025-002", NIK_A, &[("Nama Peserta", "Peserta U.")]),
    ];
    // The same alumnus twice in one survey: the second is a duplicate (its key holds a NIK,
    // which no finding repeats).
    let alumni = vec![
        alumnus("PLT-2025-001", NIK_A, "Wirausaha", &[]),
        alumnus("PLT-2025-001", NIK_A, "Bekerja", &[]),
    ];
    let mut sheets = book(people, vec![sheet("Alumni", ALUMNI, alumni)]);
    sheets[0] = sheet(
        "Profil BLKK",
        PROFIL,
        vec![
            centre("BLKK-TNG-01", "Cisoka"),
            centre("BLKK-TNG-02", "Cikupa"),
        ],
    );
    let later = batch(
        "PLT-2025-002",
        "BLKK-TNG-02",
        &[("Tanggal Mulai", "@2025-03-03")],
    );
    sheets[1] = sheet(
        "Pelatihan",
        PELATIHAN,
        vec![batch("PLT-2025-001", "BLKK-TNG-01", &[]), later],
    );
    let data = one("duplicates", sheets);
    let expected = [
        (
            "Alumni".into(),
            "DUPLICATE_KEY_CONFLICT".into(),
            "row 5".into(),
        ),
        ("Peserta".into(), "DUPLICATE_ROW".into(), "row 5".into()),
        (
            "Peserta".into(),
            "DUPLICATE_KEY_CONFLICT".into(),
            "row 6".into(),
        ),
    ];
    assert_eq!(rejected(&data), expected);
    assert_eq!(
        data.outcomes[0].status.as_str(),
        "SELF_EMPLOYED",
        "the first kept"
    );
    assert_eq!(
        data.participants.len(),
        1,
        "one person, linked by the NIK only"
    );
    assert_eq!(data.enrollments.len(), 2);
    let name = data.participants[0]
        .pii
        .as_ref()
        .unwrap()
        .full_name
        .as_deref();
    assert_eq!(name, Some("Peserta U."), "from the batch that started last");
    no_personal_values(&data);
}

#[test]
fn references_to_unknown_units_are_skipped_with_their_keys() {
    let alumni = sheet(
        "Alumni",
        ALUMNI,
        vec![alumnus("PLT-2025-001", NIK_B, "Bekerja", &[])],
    );
    let partners = vec![
        row(
            KEMITRAAN,
            &[
                ("Kode BLKK", "BLKK-TNG-99"),
                ("Nama Mitra", "Mitra (fiktif)"),
            ],
        ),
        row(
            KEMITRAAN,
            &[
                ("Kode BLKK", "BLKK-TNG-01"),
                ("Nama Mitra", "Mitra (fiktif)"),
                ("Bentuk Kerja Sama", "PKS"),
            ],
        ),
    ];
    let people = vec![
        participant("PLT-2025-001", NIK_A, &[]),
        participant("PLT-2025-009", NIK_B, &[]),
    ];
    let mut sheets = book(
        people,
        vec![alumni, sheet("Kemitraan", KEMITRAAN, partners)],
    );
    let batches = vec![
        batch("PLT-2025-001", "BLKK-TNG-01", &[]),
        batch("PLT-2025-002", "BLKK-TNG-99", &[]),
    ];
    sheets[1] = sheet("Pelatihan", PELATIHAN, batches);
    let data = one("references", sheets);
    let mut r = rejected(&data);
    r.sort();
    let expected = [
        (
            "Alumni".into(),
            "REFERENCE_NOT_FOUND".into(),
            "row 4".into(),
        ),
        (
            "Kemitraan".into(),
            "REFERENCE_NOT_FOUND".into(),
            "row 4".into(),
        ),
        (
            "Pelatihan".into(),
            "REFERENCE_NOT_FOUND".into(),
            "PLT-2025-002.Kode BLKK".into(),
        ),
        (
            "Peserta".into(),
            "REFERENCE_NOT_FOUND".into(),
            "row 5".into(),
        ),
    ];
    assert_eq!(r, expected);
    assert_eq!(data.partnerships.len(), 1);
    assert_eq!(data.partnerships[0].kind.as_str(), "PKS");
}

#[test]
fn a_batch_count_that_differs_from_its_rows_is_reported() {
    let mut sheets = book(vec![participant("PLT-2025-001", NIK_A, &[])], vec![]);
    let counted = batch(
        "PLT-2025-001",
        "BLKK-TNG-01",
        &[("Jumlah Peserta Jml", "#16")],
    );
    sheets[1] = sheet("Pelatihan", PELATIHAN, vec![counted]);
    let data = one("count", sheets);
    let mismatch = warned(&data, "COUNT_MISMATCH");
    assert!(mismatch.len() == 1 && mismatch[0].message.contains("PLT-2025-001"));
    assert_eq!(data.course_runs.len(), 1, "kept");
}

#[test]
fn required_values_missing_skip_the_row_with_its_key() {
    let people = vec![
        participant("PLT-2025-001", NIK_A, &[("Nama Peserta", "")]),
        participant("PLT-2025-001", NIK_B, &[]),
    ];
    let mut sheets = book(people, vec![]);
    let nameless = row(
        PROFIL,
        &[("Kode BLKK", "BLKK-TNG-02"), ("Kecamatan", "Cikupa")],
    );
    sheets[0] = sheet(
        "Profil BLKK",
        PROFIL,
        vec![centre("BLKK-TNG-01", "Cisoka"), nameless],
    );
    let alumni = vec![
        alumnus("PLT-2025-001", "", "Wirausaha", &[]),
        alumnus("PLT-2025-001", NIK_B, "", &[]),
    ];
    sheets.push(sheet("Alumni", ALUMNI, alumni));
    let data = one("missing", sheets);
    let expected = [
        (
            "Profil BLKK".into(),
            "ROW_SKIPPED_INVALID_REQUIRED".into(),
            "BLKK-TNG-02.Nama BLKK".into(),
        ),
        (
            "Peserta".into(),
            "ROW_SKIPPED_INVALID_REQUIRED".into(),
            "row 4.Nama Peserta".into(),
        ),
        (
            "Alumni".into(),
            "ROW_SKIPPED_INVALID_REQUIRED".into(),
            "row 4.NIK".into(),
        ),
        (
            "Alumni".into(),
            "ROW_SKIPPED_INVALID_REQUIRED".into(),
            "row 5.Status Alumni".into(),
        ),
    ];
    assert_eq!(rejected(&data), expected);
    assert_eq!(data.enrollments.len(), 1);
}
