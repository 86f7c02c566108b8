//! Hostile workbook layouts (contract §1–2, §8 quirks 1–6 and 14): headers found by content,
//! two-row headers, column-number rows, header noise, blank/total/signature rows, vertical
//! merges, sheets by name, folder junk and unreadable files. Each defect is reported with its
//! code and key; the rest is served. All people are synthetic.

mod support;

use std::path::Path;

use simpul_adapter_fkblkk::{FkblkkConfig, FkblkkData};
use support::hostile::*;
use support::{cells, load, scratch, t, template_sheets, Line, Sheet, V};

#[test]
fn header_found_by_content_on_any_of_the_first_twenty_rows() {
    let mut sheets = book(vec![participant("PLT-2025-001", NIK_A, &[])], vec![]);
    for i in 0..4 {
        sheets[0].lines.insert(0, Line::Title(format!("JUDUL {i}")));
    }
    sheets[0].lines.insert(4, Line::Blank);
    let partner = row(
        KEMITRAAN,
        &[("Kode BLKK", "FK-BLKK"), ("Nama Mitra", "Mitra (fiktif)")],
    );
    let mut deep = sheet("Kemitraan", KEMITRAAN, vec![partner]);
    deep.lines
        .splice(0..0, std::iter::repeat_n(Line::Blank, 20));
    sheets.push(deep);
    let data = one("header", sheets);
    assert_eq!(data.training_centers.len(), 1, "header on row 8 found");
    assert_eq!(
        data.enrollments.len(),
        1,
        "the rest of the workbook is read"
    );
    let expected = [("Kemitraan".into(), "HEADER_NOT_FOUND".into(), String::new())];
    assert_eq!(rejected(&data), expected);
    assert!(data.partnerships.is_empty());
}

#[test]
fn two_row_header_and_column_number_row() {
    let single = |s: &str| (s.to_owned(), Vec::new());
    let mut groups: Vec<_> = ["No", "Kode Pelatihan", "Kode BLKK", "Program Pelatihan"]
        .map(single)
        .to_vec();
    groups.push(("Tanggal".into(), vec!["Mulai".into(), "Selesai".into()]));
    groups.push((
        "Jumlah Peserta".into(),
        vec!["L".into(), "P".into(), "Jml".into()],
    ));
    let data_row = cells("#1|PLT-2025-001|BLKK-TNG-01|Menjahit|@2025-01-13|@2025-02-21|#0|#1|#1");
    let lines = vec![
        Line::Title("REKAP".into()),
        Line::Grouped(groups),
        Line::Row(data_row),
    ];
    let mut sheets = book(vec![participant("PLT-2025-001", NIK_A, &[])], vec![]);
    sheets[1] = Sheet::new("Pelatihan", 9, lines);
    // Column ordinals as numbers this time (1 2 3 …), not "(1)".
    let ordinals = (1..=PESERTA.len()).map(|i| V::Num(i as f64)).collect();
    sheets[2].lines.insert(3, Line::Row(ordinals));
    let data = one("two-rows", sheets);
    assert!(data.rejected.is_empty(), "{:#?}", data.rejected);
    let run = &data.course_runs[0];
    let dates = (
        run.start_date.map(|d| d.to_string()),
        run.end_date.map(|d| d.to_string()),
    );
    assert_eq!(
        dates,
        (Some("2025-01-13".into()), Some("2025-02-21".into()))
    );
    assert!(run.warnings.is_empty(), "Jml = 1 read: {:?}", run.warnings);
    assert_eq!(
        data.enrollments.len(),
        1,
        "the ordinals row is not a participant"
    );
}

#[test]
fn header_noise_aliases_moved_unknown_and_missing_columns() {
    let header = [
        "Status\nPeserta",
        "NIK",
        "Nama  Lengkap",
        "No.",
        "Kode Pelatihan",
        "JK",
        "Tgl Lahir",
        "No. HP / WA",
        "Golongan Darah",
    ];
    let person = cells(&format!(
        "Lulus|{NIK_A}|Peserta Uji|#1|PLT-2025-001|P|@1990-03-13|#89903199001|O"
    ));
    let mut sheets = book(Vec::new(), vec![]);
    sheets[2] = sheet("Peserta", &header, vec![person]);
    let data = one("noise", sheets);
    let p = &data.participants[0];
    assert_eq!(p.sex.map(|s| s.as_str()), Some("FEMALE"), "JK = L/P");
    assert_eq!(
        p.pii.as_ref().unwrap().phone.as_deref(),
        Some("+6289903199001")
    );
    assert_eq!(
        data.enrollments[0].status.as_str(),
        "COMPLETED",
        "moved columns by name"
    );
    assert!(has_note(&data, "UNKNOWN_COLUMN_IGNORED", "Golongan Darah"));
    assert!(has_note(&data, "MISSING_OPTIONAL_COLUMNS", "header"));
    assert!(has_note(&data, "PHONE_LEADING_ZERO_RESTORED", "No. HP"));
    assert!(data.rejected.is_empty());
}

#[test]
fn a_missing_required_column_fails_that_sheet_only() {
    let alumni = sheet(
        "Alumni",
        &["No", "Kode Pelatihan", "NIK"],
        vec![cells(&format!("#1|PLT-2025-001|{NIK_A}"))],
    );
    let no_key = sheet(
        "Kemitraan",
        &["No", "Nama Mitra"],
        vec![cells("#1|Mitra (fiktif)")],
    );
    let data = one(
        "required",
        book(
            vec![participant("PLT-2025-001", NIK_A, &[])],
            vec![alumni, no_key],
        ),
    );
    let expected = [
        (
            "Alumni".into(),
            "MISSING_REQUIRED_COLUMNS".into(),
            String::new(),
        ),
        ("Kemitraan".into(), "HEADER_NOT_FOUND".into(), String::new()),
    ];
    assert_eq!(rejected(&data), expected);
    assert!(data.rejected[0].reason.contains("Status Alumni"));
    assert_eq!(
        (data.training_centers.len(), data.enrollments.len()),
        (1, 1)
    );
}

#[test]
fn blank_total_and_signature_rows_are_not_data_and_do_not_stop_reading() {
    let mut sheets = book(vec![participant("PLT-2025-001", NIK_A, &[])], vec![]);
    let signature = ["Tangerang, 8 Juli 2025", "Sekretaris FK-BLKK", "( ...... )"];
    sheets[2].lines.extend([
        Line::Blank,
        Line::Blank,
        Line::Row(participant("PLT-2025-001", NIK_B, &[])),
        Line::Total(2, vec![t("2 orang")]),
        Line::Row(vec![V::Empty, t("Total peserta: 2")]),
        Line::Signature(signature.map(String::from).to_vec()),
        Line::Row(row(PESERTA, &[("No. HP", "Catatan: data sementara")])),
        Line::Row(participant("PLT-2025-001", NIK_C, &[])),
    ]);
    let data = one("blank", sheets);
    assert!(data.rejected.is_empty(), "{:#?}", data.rejected);
    assert_eq!(
        data.enrollments.len(),
        3,
        "rows after blanks, totals and notes are read"
    );
}

#[test]
fn a_merged_batch_code_fills_every_row_of_its_block() {
    let rows = vec![
        Some(participant("PLT-2025-001", NIK_A, &[])),
        None,
        Some(participant("PLT-2025-001", NIK_B, &[])),
        Some(participant("PLT-2025-001", NIK_C, &[])),
    ];
    let mut sheets = book(Vec::new(), vec![]);
    sheets[2].lines.push(Line::Block(1, rows));
    let data = one("merged", sheets);
    assert!(data.rejected.is_empty(), "{:#?}", data.rejected);
    assert_eq!(data.enrollments.len(), 3);
    assert!(data
        .enrollments
        .iter()
        .all(|e| e.course_run_id == "PLT-2025-001"));
}

#[test]
fn sheets_chosen_by_name_never_by_position_or_visibility() {
    let [profil, pelatihan, _] = <[Sheet; 3]>::try_from(book(Vec::new(), vec![])).expect("3");
    let mut hidden = sheet(
        "Data Peserta",
        PESERTA,
        vec![participant("PLT-2025-001", NIK_A, &[])],
    );
    hidden.hidden = true;
    let mut other = sheet(
        "Rekap Lama",
        PESERTA,
        vec![participant("PLT-2025-001", NIK_B, &[])],
    );
    other.hidden = true;
    let mut sheets = template_sheets();
    let (mut profil, mut pelatihan) = (profil, pelatihan);
    (profil.name, pelatihan.name) = ("profil  blkk".into(), " PELATIHAN ".into());
    sheets.splice(1..1, [pelatihan, hidden, other]);
    sheets.push(profil);
    let data = one("sheets", sheets);
    assert_eq!(
        data.enrollments.len(),
        1,
        "the hidden data sheet is read, the other is not"
    );
    let about_sheets: Vec<_> = noted(&data)
        .into_iter()
        .filter(|n| n.0.contains("SHEET"))
        .collect();
    assert_eq!(
        about_sheets,
        [("UNKNOWN_SHEET_IGNORED".into(), "Rekap Lama".into())]
    );
    assert!(data.rejected.is_empty());
}

#[test]
fn junk_and_unreadable_files_never_take_the_provider_down() {
    let dir = folder(
        "junk",
        &[(
            TW1,
            book(vec![participant("PLT-2025-001", NIK_A, &[])], vec![]),
        )],
    );
    let bytes = std::fs::read(dir.join(TW1)).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    write(
        "Rekap_BLKK_KabTangerang_2025_TW2.xlsx",
        &bytes[..bytes.len() / 2],
    );
    write(
        "Rekap_BLKK_KabTangerang_2025_TW3.xlsx",
        b"PK\x03\x04 not really",
    );
    write("Rekap_BLKK_KabTangerang_2025_TW4.xlsx", b"");
    write("~$Rekap_BLKK_KabTangerang_2025_TW1.xlsx", &[0u8; 165]);
    write("Rekap_BLKK_KabTangerang_2024_TW4.xls", b"old");
    write("Laporan.pdf", b"%PDF");
    std::fs::create_dir(dir.join("arsip")).unwrap();
    let data = load(&dir);
    assert_eq!(data.enrollments.len(), 1, "TW1 is still served");
    let codes = |code: &str| rejected(&data).into_iter().filter(|r| r.1 == code).count();
    assert_eq!(codes("FILE_UNREADABLE"), 3, "{:#?}", data.rejected);
    assert!(data
        .rejected
        .iter()
        .all(|f| f.line.is_none() && !f.source.contains('!')));
    assert_eq!(
        noted(&data)
            .iter()
            .filter(|n| n.0 == "FILE_IGNORED")
            .count(),
        3
    );
    let as_of = data.status.data_as_of.as_deref();
    assert_eq!(
        as_of,
        Some("2025-07-08T09:00:00+07:00"),
        "from TW1, the latest readable"
    );
}

#[test]
fn an_empty_folder_serves_nothing_and_a_missing_one_is_an_error() {
    let data = load(&scratch("empty"));
    assert_eq!(data.status.record_counts.values().sum::<u64>(), 0);
    let missing = Path::new("/nonexistent/fkblkk");
    assert!(FkblkkData::load(&FkblkkConfig::new(missing, support::SECRET)).is_err());
    assert!(FkblkkData::load(&FkblkkConfig::new(scratch("short"), "short")).is_err());
}
