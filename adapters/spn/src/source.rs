//! Reading the SPN export folder: the five CSV files as the contract (§1) delivers them, turned
//! into [`RawTable`]s of trimmed, non-empty cells keyed by column name. No interpretation of
//! values happens here; that is [`crate::mapping`]'s job.
//!
//! Format rules implemented: an optional UTF-8 byte-order mark is stripped; `;` delimits;
//! quoting is RFC 4180 (quoted `;`, quoted line breaks, `""` for a quote) with no limit on field
//! size; CRLF, LF (and lone CR) end lines; blank lines (and lines whose cells are all empty) are
//! skipped; columns are matched by header name (trimmed, case-insensitive), unknown columns are
//! ignored and noted once, a missing optional column reads as empty (noted once) and a missing
//! required column is an error for that file; a row with more or fewer fields than the header
//! (an unquoted `;` in a value shifts every column after it) is rejected as malformed; an empty
//! or all-blank cell is `None`; a zero-byte file is an error for that file, a header-only file
//! is an empty table. One unusable file is rejected with its code and the other files are still
//! read. Each row keeps the physical line it starts on.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use simpul_schema::SourceIssue;

use crate::error::SpnError;

/// The columns the contract defines for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSpec {
    /// File name inside the export folder.
    pub name: &'static str,
    /// Columns that must be in the header.
    pub required: &'static [&'static str],
    /// Columns that may be missing (read as empty).
    pub optional: &'static [&'static str],
    /// Whether the whole file may be absent (read as an empty table, with a [`SourceIssue`]).
    pub may_be_absent: bool,
}

impl FileSpec {
    /// Every column the contract defines, required first.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.required.iter().chain(self.optional).copied()
    }
}

/// `pusat_pelatihan.csv`: training centres (contract §2).
pub const PUSAT_PELATIHAN: FileSpec = FileSpec {
    name: "pusat_pelatihan.csv",
    required: &["kode_pusat", "nama_pusat"],
    optional: &[
        "alamat",
        "desa_kelurahan",
        "kecamatan",
        "kab_kota",
        "provinsi",
        "kode_wilayah",
        "luas_lahan_ha",
        "tgl_diresmikan",
        "fasilitas",
        "telepon",
        "email",
    ],
    may_be_absent: false,
};

/// `pelatihan.csv`: course batches (contract §3).
pub const PELATIHAN: FileSpec = FileSpec {
    name: "pelatihan.csv",
    required: &[
        "kode_pelatihan",
        "kode_pusat",
        "nama_pelatihan",
        "tgl_mulai",
    ],
    optional: &[
        "jenis_pelatihan",
        "bidang",
        "sasaran",
        "tgl_selesai",
        "jumlah_jam",
        "kuota",
        "mitra",
        "sumber_dana",
        "instruktur",
        "kode_kbji",
        "keterangan",
    ],
    may_be_absent: false,
};

/// `peserta.csv`: one row per enrolment (contract §4).
pub const PESERTA: FileSpec = FileSpec {
    name: "peserta.csv",
    required: &[
        "id_peserta",
        "kode_pelatihan",
        "nama_lengkap",
        "nik",
        "jenis_kelamin",
    ],
    optional: &[
        "no",
        "tempat_lahir",
        "tgl_lahir",
        "no_hp",
        "alamat",
        "desa_kelurahan",
        "kecamatan",
        "kab_kota",
        "pendidikan_terakhir",
        "status_anggota",
        "no_kta",
        "perusahaan_terakhir",
        "status_kerja",
        "tgl_phk",
        "tgl_daftar",
        "status_kelulusan",
    ],
    may_be_absent: false,
};

/// `hasil.csv`: follow-up outcomes (contract §5). May be absent.
pub const HASIL: FileSpec = FileSpec {
    name: "hasil.csv",
    required: &["id_peserta", "kode_pelatihan", "status_hasil"],
    optional: &[
        "tgl_pembaruan",
        "nama_perusahaan",
        "jabatan",
        "jenis_usaha",
        "omzet_per_bulan",
        "keterangan",
    ],
    may_be_absent: true,
};

/// `kerjasama.csv`: agreements (contract §6). May be absent.
pub const KERJASAMA: FileSpec = FileSpec {
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

/// The five files, in the order they are read.
pub const FILES: [FileSpec; 5] = [PUSAT_PELATIHAN, PELATIHAN, PESERTA, HASIL, KERJASAMA];

/// One data row: the trimmed, non-empty cells of the contract's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based physical line the row starts on (the header is usually line 1).
    pub line: u64,
    cells: BTreeMap<&'static str, String>,
}

impl RawRow {
    /// A row from `(column, value)` pairs; empty or blank values are dropped. For tests and
    /// callers that build rows without a file.
    pub fn new<'a>(line: u64, cells: impl IntoIterator<Item = (&'static str, &'a str)>) -> Self {
        let cells = cells
            .into_iter()
            .filter_map(|(k, v)| {
                let v = v.trim();
                (!v.is_empty()).then(|| (k, v.to_owned()))
            })
            .collect();
        Self { line, cells }
    }

    /// The cell of `column`, trimmed; `None` when the cell is empty or the column is absent.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells.get(column).map(String::as_str)
    }

    /// Whether two rows hold the same values in every column except `ignore`.
    pub fn same_content(&self, other: &RawRow, ignore: &[&str]) -> bool {
        let keep = |(k, _): &(&&'static str, &String)| !ignore.contains(*k);
        self.cells
            .iter()
            .filter(keep)
            .eq(other.cells.iter().filter(keep))
    }
}

/// The rows of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawTable {
    /// File name (`peserta.csv`).
    pub file: &'static str,
    /// Data rows in file order, blank lines skipped.
    pub rows: Vec<RawRow>,
    /// Rows that could not be used (malformed, or a cell that is not UTF-8).
    pub rejected: Vec<SourceIssue>,
    /// What was ignored in the header (unknown columns) or missing from it (optional columns),
    /// once each.
    pub notices: Vec<SourceIssue>,
}

impl RawTable {
    /// A table with no rows.
    pub fn empty(file: &'static str) -> Self {
        Self {
            file,
            ..Self::default()
        }
    }
}

/// The whole export folder.
#[derive(Debug, Clone, Default)]
pub struct SpnFiles {
    /// `pusat_pelatihan.csv`.
    pub pusat_pelatihan: RawTable,
    /// `pelatihan.csv`.
    pub pelatihan: RawTable,
    /// `peserta.csv`.
    pub peserta: RawTable,
    /// `hasil.csv` (empty when absent).
    pub hasil: RawTable,
    /// `kerjasama.csv` (empty when absent).
    pub kerjasama: RawTable,
    /// Files that could not be used at all (missing, unreadable, empty, no required column):
    /// each read as empty.
    pub issues: Vec<SourceIssue>,
    /// File-level notes (an optional file is absent).
    pub notices: Vec<SourceIssue>,
    /// Newest modification time among the files read.
    pub modified: Option<SystemTime>,
}

/// Parse one file's bytes.
///
/// # Errors
/// [`SpnError::EmptyFile`] when there is no header, [`SpnError::MissingColumn`] when the header
/// lacks a required column.
pub fn parse(spec: &FileSpec, bytes: &[u8]) -> Result<RawTable, SpnError> {
    let data = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let lines = LineIndex::new(data);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut table = RawTable::empty(spec.name);
    let mut header: Option<Vec<Option<&'static str>>> = None;
    let mut record = csv::ByteRecord::new();
    loop {
        let start = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // A slice reader has no I/O errors and byte records no UTF-8 errors; stop
                // rather than risk looping on a reader that does not advance.
                table.rejected.push(
                    SourceIssue::new(
                        "ROW_MALFORMED",
                        spec.name,
                        format!("unreadable CSV from here on ({e}); rest of file skipped"),
                    )
                    .at_line(lines.line_at(start)),
                );
                break;
            }
        }
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let line = lines.line_at(start);
        match &header {
            None => {
                let columns = read_header(spec, &record, line)?;
                table.notices = header_notices(spec, &record, &columns, line);
                header = Some(columns);
            }
            Some(columns) if record.len() != columns.len() => table.rejected.push(
                SourceIssue::new(
                    "ROW_MALFORMED",
                    spec.name,
                    format!(
                        "{} fields where the header has {} (an unquoted `;` inside a value, \
                         or a cut line); row skipped",
                        record.len(),
                        columns.len()
                    ),
                )
                .at_line(line),
            ),
            Some(columns) => match read_row(columns, &record, line) {
                Ok(row) => table.rows.push(row),
                Err(column) => table.rejected.push(
                    SourceIssue::new(
                        "VALUE_NOT_UTF8",
                        spec.name,
                        format!("column `{column}` is not valid UTF-8; row skipped"),
                    )
                    .at_line(line)
                    .with_key(column),
                ),
            },
        }
    }
    if header.is_none() {
        return Err(SpnError::EmptyFile { file: spec.name });
    }
    Ok(table)
}

/// Map header positions to the contract's column names; later duplicates are ignored.
fn read_header(
    spec: &FileSpec,
    record: &csv::ByteRecord,
    line: u64,
) -> Result<Vec<Option<&'static str>>, SpnError> {
    let mut columns: Vec<Option<&'static str>> = Vec::with_capacity(record.len());
    for field in record {
        let name = String::from_utf8_lossy(field).trim().to_lowercase();
        let known = spec.columns().find(|c| *c == name);
        columns.push(known.filter(|k| !columns.contains(&Some(*k))));
    }
    if let Some(column) = spec.required.iter().find(|r| !columns.contains(&Some(**r))) {
        return Err(SpnError::MissingColumn {
            file: spec.name,
            line,
            column,
        });
    }
    Ok(columns)
}

/// What the header leaves out or adds, once each: unknown (or repeated) columns are ignored,
/// missing optional columns read as empty.
fn header_notices(
    spec: &FileSpec,
    record: &csv::ByteRecord,
    columns: &[Option<&'static str>],
    line: u64,
) -> Vec<SourceIssue> {
    let mut notices = Vec::new();
    for (field, column) in record.iter().zip(columns) {
        if column.is_none() {
            let text = String::from_utf8_lossy(field).trim().to_owned();
            notices.push(
                SourceIssue::new(
                    "UNKNOWN_COLUMN_IGNORED",
                    spec.name,
                    "a column the contract does not define (or a repeated one) is ignored",
                )
                .at_line(line)
                .with_key(text.chars().take(64).collect::<String>()),
            );
        }
    }
    let missing: Vec<&str> = spec
        .optional
        .iter()
        .copied()
        .filter(|c| !columns.contains(&Some(*c)))
        .collect();
    if !missing.is_empty() {
        notices.push(
            SourceIssue::new(
                "MISSING_OPTIONAL_COLUMNS",
                spec.name,
                format!(
                    "optional columns absent, read as empty: {}",
                    missing.join(", ")
                ),
            )
            .at_line(line)
            .with_key("header"),
        );
    }
    notices
}

/// One data record → a row; `Err(column)` when a cell is not UTF-8.
fn read_row(
    columns: &[Option<&'static str>],
    record: &csv::ByteRecord,
    line: u64,
) -> Result<RawRow, &'static str> {
    let mut cells = BTreeMap::new();
    for (column, field) in columns.iter().zip(record) {
        let Some(column) = column else { continue };
        let text = std::str::from_utf8(field).map_err(|_| *column)?.trim();
        if !text.is_empty() {
            cells.insert(*column, text.to_owned());
        }
    }
    Ok(RawRow { line, cells })
}

/// Physical line numbers of byte offsets. `\r\n`, `\n` and a lone `\r` each end a line.
struct LineIndex<'a> {
    data: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(data: &'a [u8]) -> Self {
        let mut starts = vec![0];
        for (i, b) in data.iter().enumerate() {
            let ends_line = *b == b'\n' || (*b == b'\r' && data.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        Self { data, starts }
    }

    /// The line of the first byte at or after `offset` that is not a line break: the csv
    /// reader reports a record's position before the terminators and blank lines it skips.
    fn line_at(&self, offset: u64) -> u64 {
        let mut at = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.data.len());
        while matches!(self.data.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.starts.partition_point(|s| *s <= at) as u64
    }
}

/// Read the export folder. A file that cannot be used (a required one missing, one that is
/// unreadable, zero bytes, or lacks a required column) reads as empty, with a [`SourceIssue`]
/// carrying its code in [`SpnFiles::issues`]; the other files are still read. `hasil.csv` and
/// `kerjasama.csv` may be absent: they read as empty, noted in [`SpnFiles::notices`].
///
/// # Errors
/// The folder is missing or unreadable: nothing can be served.
pub fn read_folder(dir: &Path) -> Result<SpnFiles, SpnError> {
    let meta = std::fs::metadata(dir).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => SpnError::FolderMissing {
            path: dir.to_owned(),
        },
        _ => SpnError::FolderUnreadable {
            path: dir.to_owned(),
            source,
        },
    })?;
    if !meta.is_dir() {
        return Err(SpnError::FolderUnreadable {
            path: dir.to_owned(),
            source: std::io::Error::other("not a folder"),
        });
    }
    let names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|source| SpnError::FolderUnreadable {
            path: dir.to_owned(),
            source,
        })?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    let mut files = SpnFiles::default();
    for spec in FILES {
        let read = match find_file(&names, spec.name) {
            Some(name) => {
                let path = dir.join(name);
                std::fs::read(&path)
                    .map_err(|source| SpnError::FileUnreadable {
                        file: spec.name,
                        source,
                    })
                    .and_then(|bytes| {
                        if let Ok(modified) = std::fs::metadata(&path).and_then(|m| m.modified()) {
                            files.modified = files.modified.max(Some(modified));
                        }
                        parse(&spec, &bytes)
                    })
            }
            None if spec.may_be_absent => {
                files.notices.push(SourceIssue::new(
                    "OPTIONAL_FILE_ABSENT",
                    spec.name,
                    "file absent from the export; read as empty",
                ));
                Ok(RawTable::empty(spec.name))
            }
            None => Err(SpnError::FileMissing {
                dir: dir.to_owned(),
                file: spec.name,
            }),
        };
        let table = read.unwrap_or_else(|e| {
            let mut issue = SourceIssue::new(
                e.code(),
                spec.name,
                format!("{e}; the file is not served, the other files are"),
            );
            if let SpnError::MissingColumn { line, column, .. } = &e {
                issue = issue.at_line(*line).with_key(*column);
            }
            files.issues.push(issue);
            RawTable::empty(spec.name)
        });
        *match spec.name {
            "pusat_pelatihan.csv" => &mut files.pusat_pelatihan,
            "pelatihan.csv" => &mut files.pelatihan,
            "peserta.csv" => &mut files.peserta,
            "hasil.csv" => &mut files.hasil,
            _ => &mut files.kerjasama,
        } = table;
    }
    Ok(files)
}

/// The folder entry for `wanted`: the exact name, else the only case-insensitive match
/// (spreadsheet exports on Windows may capitalise file names).
fn find_file<'a>(names: &'a [String], wanted: &str) -> Option<&'a str> {
    if let Some(exact) = names.iter().find(|n| *n == wanted) {
        return Some(exact);
    }
    let mut matches = names.iter().filter(|n| n.eq_ignore_ascii_case(wanted));
    match (matches.next(), matches.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kerjasama(text: &str) -> Result<RawTable, SpnError> {
        parse(&KERJASAMA, text.as_bytes())
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
        let t = kerjasama("kode_kerjasama;kode_pusat;nama_mitra;Catatan Internal\nKS;TC;M;x\n")
            .unwrap();
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
        assert!(matches!(kerjasama(""), Err(SpnError::EmptyFile { .. })));
        assert!(matches!(
            kerjasama("\u{feff}\r\n\r\n"),
            Err(SpnError::EmptyFile { .. })
        ));
        let t = kerjasama("kode_kerjasama;kode_pusat;nama_mitra\r\n").unwrap();
        assert!(t.rows.is_empty());
        let err = kerjasama("\n\nkode_kerjasama;nama_mitra\n").unwrap_err();
        assert!(matches!(
            err,
            SpnError::MissingColumn {
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
        let t = parse(&KERJASAMA, &bytes).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rejected.len(), 1);
        assert_eq!(t.rejected[0].line, Some(3));
    }

    #[test]
    fn unterminated_quote_does_not_panic() {
        let t =
            kerjasama("kode_kerjasama;kode_pusat;nama_mitra\nKS;TC;\"open\nKS2;TC;B\n").unwrap();
        assert_eq!(t.rows.len(), 1);
    }

    #[test]
    fn same_content_ignores_listed_columns() {
        let a = RawRow::new(2, [("no", "1"), ("id_peserta", "P")]);
        let b = RawRow::new(3, [("no", "2"), ("id_peserta", "P")]);
        assert!(a.same_content(&b, &["no"]));
        assert!(!a.same_content(&b, &[]));
    }
}
