//! The CSV reader on the format rules every CSV contract shares (the SPN export's, here).

use simpul_adapter_toolkit::csv::{parse, FileSpec, RawRow, RawTable, TableError};

const KERJASAMA: FileSpec = FileSpec {
    name: "kerjasama.csv",
    required: &["kode_kerjasama", "kode_pusat", "nama_mitra"],
    optional: &[
        "jenis_dokumen",
        "nomor_dokumen",
        "tgl_tandatangan",
        "tgl_berakhir",
        "lokasi_tandatangan",
        "ruang_lingkup",
        "dukungan_mitra",
    ],
    may_be_absent: true,
};

fn kerjasama(text: &str) -> Result<RawTable, TableError> {
    parse(&KERJASAMA, b';', text.as_bytes())
}

#[test]
fn physical_lines_survive_blank_lines_crlf_and_quoted_breaks() {
    let t = kerjasama(
        "\u{feff}kode_kerjasama;kode_pusat;nama_mitra;ruang_lingkup\r\n\r\n\
         KS-1;TC;\"A\r\nB\";x\r\n;;;\r\n   \r\nKS-2;TC;C;\"y;z\"\nKS-3;TC;D;\"say \"\"hi\"\"\"\r",
    )
    .unwrap();
    let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 7, 8]);
    assert_eq!(t.rows[0].get("nama_mitra"), Some("A\r\nB"));
    assert_eq!(t.rows[1].get("ruang_lingkup"), Some("y;z"));
    assert_eq!(t.rows[2].get("ruang_lingkup"), Some("say \"hi\""));
}

#[test]
fn header_by_name_case_and_spaces_duplicates_first_wins() {
    let t = kerjasama(" Nama_Mitra ;EXTRA;KODE_PUSAT;kode_kerjasama;nama_mitra\nA;x;TC;KS;B\n")
        .unwrap();
    let row = &t.rows[0];
    assert_eq!(row.get("nama_mitra"), Some("A"));
    assert_eq!(row.get("kode_pusat"), Some("TC"));
    assert_eq!(row.get("jenis_dokumen"), None);
}

#[test]
fn rows_with_more_or_fewer_fields_than_the_header_are_rejected() {
    // An unquoted `;` inside a value shifts every later column: the row must not be read
    // with its columns out of place.
    let t = kerjasama(
        "kode_kerjasama;kode_pusat;nama_mitra;tgl_berakhir\nKS;TC\nKS2;TC;PT Maju; Jaya;2024\nKS3;TC;M;\n",
    )
    .unwrap();
    assert_eq!(t.rows.len(), 1, "only the well-formed row is read");
    assert_eq!(t.rows[0].get("kode_kerjasama"), Some("KS3"));
    assert_eq!(t.rejected.len(), 2);
    assert!(t.rejected.iter().all(|r| r.code == "ROW_MALFORMED"));
    assert_eq!(
        t.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
        [Some(2), Some(3)]
    );
    assert!(
        t.rejected.iter().all(|r| !r.reason.contains("Maju")),
        "no cell value in the reason"
    );
}

#[test]
fn unknown_and_missing_optional_columns_are_noted_once() {
    let t =
        kerjasama("kode_kerjasama;kode_pusat;nama_mitra;Catatan Internal\nKS;TC;M;x\n").unwrap();
    assert_eq!(t.rows.len(), 1);
    let codes: Vec<(&str, Option<&str>)> = t
        .notices
        .iter()
        .map(|n| (n.code.as_str(), n.key.as_deref()))
        .collect();
    assert!(
        codes.contains(&("UNKNOWN_COLUMN_IGNORED", Some("Catatan Internal"))),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("MISSING_OPTIONAL_COLUMNS", Some("header"))),
        "{codes:?}"
    );
}

#[test]
fn empty_header_only_and_missing_columns() {
    assert!(matches!(kerjasama(""), Err(TableError::Empty { .. })));
    assert!(matches!(
        kerjasama("\u{feff}\r\n\r\n"),
        Err(TableError::Empty { .. })
    ));
    let t = kerjasama("kode_kerjasama;kode_pusat;nama_mitra\r\n").unwrap();
    assert!(t.rows.is_empty());
    let err = kerjasama("\n\nkode_kerjasama;nama_mitra\n").unwrap_err();
    assert!(matches!(
        err,
        TableError::MissingColumn {
            line: 3,
            column: "kode_pusat",
            ..
        }
    ));
    assert!(err.to_string().contains("kerjasama.csv"));
}

#[test]
fn invalid_utf8_rejects_only_that_row() {
    let mut bytes = b"kode_kerjasama;kode_pusat;nama_mitra\nKS-1;TC;A\nKS-2;TC;".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
    bytes.extend_from_slice(b"KS-3;TC;C\n");
    let t = parse(&KERJASAMA, b';', &bytes).unwrap();
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rejected.len(), 1);
    assert_eq!(t.rejected[0].line, Some(3));
}

#[test]
fn unterminated_quote_does_not_panic() {
    let t = kerjasama("kode_kerjasama;kode_pusat;nama_mitra\nKS;TC;\"open\nKS2;TC;B\n").unwrap();
    assert_eq!(t.rows.len(), 1);
}

#[test]
fn same_content_ignores_listed_columns() {
    let a = RawRow::new(2, [("no", "1"), ("id_peserta", "P")]);
    let b = RawRow::new(3, [("no", "2"), ("id_peserta", "P")]);
    assert!(a.same_content(&b, &["no"]));
    assert!(!a.same_content(&b, &[]));
}

#[test]
fn text_is_nfc_and_noted_once_per_column() {
    let t = kerjasama(
        "kode_kerjasama;kode_pusat;nama_mitra\nKS-1;TC;Jose\u{301}\nKS-2;TC;Marti\u{301}nez\n",
    )
    .unwrap();
    assert_eq!(t.rows[0].get("nama_mitra"), Some("Jos\u{e9}"));
    let nfc: Vec<_> = t
        .notices
        .iter()
        .filter(|n| n.code == "TEXT_NORMALIZED_NFC")
        .collect();
    assert_eq!(nfc.len(), 1);
    assert_eq!(
        (nfc[0].key.as_deref(), nfc[0].line),
        (Some("nama_mitra"), Some(2))
    );
    assert!(!nfc[0].reason.contains("Jos"));
}
