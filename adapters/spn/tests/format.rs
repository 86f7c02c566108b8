//! The SPN contract's file-format rules (§1 table, §8 first bullets), one test per quirk, each
//! through `SpnData::load` on a throw-away folder.

mod common;

use common::*;
use simpul_adapter_spn::source::{self, PELATIHAN as PELATIHAN_SPEC};
use simpul_adapter_spn::SpnError;

#[test]
fn bom_is_stripped() {
    // The BOM sits right before the first column name, which is a required one.
    let text = format!("\u{feff}{}", peserta(&[peserta_row(&[])]))
        .replacen("no;id_peserta", "id_peserta;no", 1)
        .replacen(";SPN-P-0001;", "SPN-P-0001;;", 1);
    let f = Folder::with_text("bom", &[("peserta.csv", &text)]);
    let data = f.data();
    assert_eq!(data.participants.len(), 1);
    assert_eq!(data.participants[0].source_id, "SPN-P-0001");
    // Also a BOM in front of a file whose first column is optional.
    let f = Folder::with_text(
        "bom2",
        &[("pusat_pelatihan.csv", &format!("\u{feff}{PUSAT}"))],
    );
    assert_eq!(f.data().training_centers.len(), 1);
}

#[test]
fn crlf_and_lf_give_the_same_data() {
    let lf = peserta(&[
        peserta_row(&[]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0002"),
            ("nik", NIK_B),
            ("jenis_kelamin", "L"),
        ]),
    ]);
    let crlf = lf.replace('\n', "\r\n");
    let a = Folder::with_text("lf", &[("peserta.csv", &lf)]).data();
    let b = Folder::with_text("crlf", &[("peserta.csv", &crlf)]).data();
    assert_eq!(a.participants, b.participants);
    assert_eq!(a.enrollments, b.enrollments);
    assert_eq!(a.enrollments.len(), 2);
}

#[test]
fn blank_lines_are_ignored_and_lines_still_count() {
    let text = format!(
        "{}\r\n\r\n\r\n{}\r\n;;;;\r\n\r\n{}\r\n\r\n",
        PESERTA_COLUMNS.join(";"),
        peserta_row(&[]),
        peserta_row(&[("kode_pelatihan", "SPN-PL-2099-99")])
    );
    let data = Folder::with_text("blank", &[("peserta.csv", &text)]).data();
    assert_eq!(data.enrollments.len(), 1);
    assert_eq!(data.status.rejected.len(), 1);
    assert_eq!(data.status.rejected[0].line, Some(7));
}

#[test]
fn quoted_semicolons_stay_in_one_cell() {
    let pusat = "kode_pusat;nama_pusat;fasilitas\nSPN-TC-01;Pusat Uji;\"Ruang kelas; bengkel las;  dapur \"\n";
    let pelatihan = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai;sasaran\n\
        SPN-PL-2023-01;SPN-TC-01;Kursus Uji;03/04/2023;\"Korban PHK; Pensiunan\"\n";
    let data = Folder::with_text(
        "semicolon",
        &[("pusat_pelatihan.csv", pusat), ("pelatihan.csv", pelatihan)],
    )
    .data();
    assert_eq!(
        data.training_centers[0].facilities,
        ["Ruang kelas", "bengkel las", "dapur"]
    );
    assert_eq!(data.courses[0].target_groups.len(), 2);
}

#[test]
fn quoted_line_breaks_stay_in_one_cell_and_keep_physical_lines() {
    let pelatihan = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai;keterangan\r\n\
        SPN-PL-2023-01;SPN-TC-01;Kursus Uji;03/04/2023;\"Materi:\r\nmanajemen usaha;\r\nkeuangan\"\r\n\
        SPN-PL-2023-02;SPN-TC-09;Kursus Lain;03/05/2023;\r\n";
    let data = Folder::with_text("breaks", &[("pelatihan.csv", pelatihan)]).data();
    assert_eq!(
        data.course_runs[0].description.as_deref(),
        Some("Materi:\r\nmanajemen usaha;\r\nkeuangan")
    );
    let issue = &data.status.rejected[0];
    assert_eq!(issue.source, "pelatihan.csv");
    assert_eq!(
        issue.line,
        Some(5),
        "the second record starts on physical line 5"
    );
}

#[test]
fn doubled_quotes_are_one_quote() {
    let pelatihan = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai\n\
        SPN-PL-2023-01;SPN-TC-01;\"Kursus \"\"Hebat\"\"; Tahap 1\";03/04/2023\n";
    let data = Folder::with_text("quotes", &[("pelatihan.csv", pelatihan)]).data();
    assert_eq!(data.courses[0].name, "Kursus \"Hebat\"; Tahap 1");
    assert_eq!(
        data.courses[0].source_id,
        "SPN-TC-01/Kursus \"Hebat\"; Tahap 1"
    );
}

#[test]
fn fields_larger_than_200_kb_are_read_whole() {
    let mut big = String::new();
    while big.len() < 210_000 {
        big.push_str("Materi panjang; baris \"kutip\"\r\n");
    }
    let pelatihan = format!(
        "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai;keterangan\n\
         SPN-PL-2023-01;SPN-TC-01;Kursus Uji;03/04/2023;{}\n\
         SPN-PL-2023-02;SPN-TC-01;Kursus Dua;03/05/2023;pendek\n",
        cell(&big)
    );
    let data = Folder::with_text("big", &[("pelatihan.csv", &pelatihan)]).data();
    assert_eq!(data.course_runs.len(), 2);
    let description = data.course_runs[0]
        .description
        .as_deref()
        .unwrap_or_default();
    assert!(description.len() > 200_000);
    assert_eq!(description, big.trim());
    assert_eq!(data.course_runs[1].description.as_deref(), Some("pendek"));
}

#[test]
fn columns_are_matched_by_name_in_any_order_and_case() {
    let rows = [
        peserta_row(&[("no_hp", "089900009401"), ("kab_kota", "Kab. Lebak")]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0002"),
            ("nik", NIK_B),
            ("jenis_kelamin", "L"),
        ]),
    ];
    let plain = peserta(&rows);
    // Reverse the column order of every record and shout the header.
    let shuffled: String = plain
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut cells: Vec<&str> = line.split(';').collect();
            cells.reverse();
            let line = cells.join(";");
            let line = if i == 0 {
                format!(" {} ", line.to_uppercase())
            } else {
                line
            };
            line + "\n"
        })
        .collect();
    let a = Folder::with_text("order-a", &[("peserta.csv", &plain)]).data();
    let b = Folder::with_text("order-b", &[("peserta.csv", &shuffled)]).data();
    assert_eq!(a.participants, b.participants);
    assert_eq!(a.enrollments, b.enrollments);
    let pii = b.participants[0].pii.as_ref().map(|p| p.phone.clone());
    assert_eq!(pii, Some(Some("+6289900009401".to_owned())));
}

#[test]
fn unknown_columns_are_ignored() {
    let pusat = "catatan_admin;kode_pusat;nama_pusat;Kolom Baru\nx;SPN-TC-01;Pusat Uji;y\n";
    let data = Folder::with_text("unknown-col", &[("pusat_pelatihan.csv", pusat)]).data();
    assert_eq!(data.training_centers.len(), 1);
    assert!(data.training_centers[0].warnings.is_empty());
    assert!(data.status.rejected.is_empty());
}

#[test]
fn missing_optional_columns_read_as_empty() {
    let peserta = "id_peserta;kode_pelatihan;nama_lengkap;nik;jenis_kelamin\n\
        SPN-P-0001;SPN-PL-2023-01;Nama Uji;3602135503909401;P\n";
    let data = Folder::with_text("optional", &[("peserta.csv", peserta)]).data();
    let p = &data.participants[0];
    let pii = p.pii.as_ref().expect("pii filled");
    assert_eq!(
        (pii.birth_date, pii.phone.as_deref(), p.education),
        (None, None, None)
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(data.enrollments[0].registered_on, None);
}

/// The one rejected file-level issue of `file`, with the other files still served.
fn rejected_file<'a>(
    data: &'a simpul_adapter_spn::SpnData,
    file: &str,
) -> &'a simpul_schema::SourceIssue {
    let issues: Vec<_> = data
        .status
        .rejected
        .iter()
        .filter(|i| i.source == file && i.code != "REFERENCE_NOT_FOUND")
        .collect();
    assert_eq!(issues.len(), 1, "{file}: {:#?}", data.status.rejected);
    issues[0]
}

#[test]
fn missing_required_column_rejects_that_file_only() {
    let text = peserta(&[peserta_row(&[])]).replacen(";nik;", ";nomor_nik;", 1);
    let data = Folder::with_text("no-nik", &[("peserta.csv", &text)])
        .load()
        .expect("the other files are served");
    let issue = rejected_file(&data, "peserta.csv");
    assert_eq!(issue.code, "MISSING_REQUIRED_COLUMNS");
    assert_eq!((issue.line, issue.key.as_deref()), (Some(1), Some("nik")));
    assert!(
        issue.reason.contains("peserta.csv") && issue.reason.contains("`nik`"),
        "{}",
        issue.reason
    );
    assert!(data.participants.is_empty());
    assert!(!data.course_runs.is_empty(), "pelatihan.csv still served");
}

#[test]
fn a_zero_byte_file_is_rejected_and_the_others_served() {
    for file in ["pelatihan.csv", "hasil.csv", "kerjasama.csv"] {
        let f = Folder::with(file, &[(file, Some(b"".as_slice()))]);
        let data = f
            .load()
            .expect("one empty file never takes the provider down");
        let issue = rejected_file(&data, file);
        assert_eq!(issue.code, "FILE_EMPTY", "{file}");
        assert!(issue.reason.contains(file), "{}", issue.reason);
        assert!(
            !data.training_centers.is_empty(),
            "{file}: the centres are served"
        );
    }
}

#[test]
fn header_only_file_is_an_empty_set() {
    let f = Folder::with_text(
        "header-only",
        &[
            ("hasil.csv", "id_peserta;kode_pelatihan;status_hasil\r\n"),
            ("kerjasama.csv", "kode_kerjasama;kode_pusat;nama_mitra"),
        ],
    );
    let data = f.data();
    assert!(data.outcomes.is_empty() && data.partnerships.is_empty());
    assert!(data.status.rejected.is_empty());
    assert_eq!(data.status.record_counts["outcomes"], 0);
}

#[test]
fn optional_files_may_be_absent_required_ones_not() {
    let f = Folder::with("absent", &[("hasil.csv", None), ("kerjasama.csv", None)]);
    let data = f.data();
    assert!(data.outcomes.is_empty() && data.partnerships.is_empty());
    let absent: Vec<_> = data
        .status
        .notices
        .iter()
        .filter(|i| i.code == "OPTIONAL_FILE_ABSENT")
        .map(|i| (i.code.as_str(), i.source.as_str()))
        .collect();
    assert_eq!(
        absent,
        [
            ("OPTIONAL_FILE_ABSENT", "hasil.csv"),
            ("OPTIONAL_FILE_ABSENT", "kerjasama.csv")
        ]
    );
    assert!(
        data.status.rejected.is_empty(),
        "an allowed absence is not a rejection"
    );

    let f = Folder::with("no-peserta", &[("peserta.csv", None)]);
    let data = f
        .load()
        .expect("a missing required file is rejected, not fatal");
    assert_eq!(rejected_file(&data, "peserta.csv").code, "FILE_MISSING");
    assert!(data.participants.is_empty() && !data.course_runs.is_empty());

    let gone = Folder::empty("gone");
    let path = gone.path.join("nope");
    let err = simpul_adapter_spn::SpnData::load(&simpul_adapter_spn::SpnConfig::new(&path));
    assert!(matches!(err, Err(SpnError::FolderMissing { .. })));
}

#[test]
fn file_names_match_case_insensitively() {
    let f = Folder::with("case", &[("pelatihan.csv", None)]);
    f.write("Pelatihan.CSV", PELATIHAN);
    assert_eq!(f.data().course_runs.len(), 1);
}

#[test]
fn every_row_keeps_its_starting_line() {
    let text = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai;keterangan\n\
        A;TC;\"x\ny\";1/1/2023;\n\nB;TC;n;1/1/2023;\n";
    let table = source::parse(&PELATIHAN_SPEC, text.as_bytes()).expect("parse");
    let lines: Vec<u64> = table.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 5]);
}
