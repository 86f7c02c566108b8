//! Reading CSV exports as a provider contract delivers them into [`RawTable`]s of trimmed,
//! NFC, non-empty cells keyed by column name. No interpretation of values happens here.
//!
//! Format rules: an optional UTF-8 byte-order mark is stripped; the delimiter is the
//! contract's; quoting is RFC 4180 (quoted delimiters, quoted line breaks, `""` for a quote)
//! with no limit on field size; CRLF, LF (and lone CR) end lines; blank lines (and lines whose
//! cells are all empty) are skipped; columns are matched by header name (trimmed,
//! case-insensitive), unknown columns are ignored and noted once (`UNKNOWN_COLUMN_IGNORED`), a
//! missing optional column reads as empty (noted once, `MISSING_OPTIONAL_COLUMNS`) and a
//! missing required column is an error for that file; a row with more or fewer fields than the
//! header (an unquoted delimiter in a value shifts every column after it) is rejected
//! (`ROW_MALFORMED`), as is a row with a cell that is not UTF-8 (`VALUE_NOT_UTF8`); text that
//! NFC changes is noted once per column (`TEXT_NORMALIZED_NFC`). A zero-byte file is an error,
//! a header-only file an empty table. Each row keeps the physical line it starts on.

use std::collections::BTreeMap;

use simpul_schema::SourceIssue;

use crate::findings::notice_once;
use crate::read::{explain, Read};
use crate::text::{normalize, TEXT_NORMALIZED_NFC};

/// Why a file is not even an empty table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// Zero bytes (or only a byte-order mark and blank lines): no header.
    #[error("`{file}` is empty: it has no header line (a zero-byte file is not a valid export)")]
    Empty {
        /// The file's name.
        file: &'static str,
    },
    /// The header lacks a column the contract marks as required.
    #[error("`{file}` line {line}: the header has no required column `{column}`")]
    MissingColumn {
        /// The file's name.
        file: &'static str,
        /// The header's line (1-based).
        line: u64,
        /// The required column.
        column: &'static str,
    },
}

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

/// Parse one file's bytes.
///
/// # Errors
/// [`TableError::Empty`] when there is no header, [`TableError::MissingColumn`] when the header
/// lacks a required column.
pub fn parse(spec: &FileSpec, delimiter: u8, bytes: &[u8]) -> Result<RawTable, TableError> {
    let data = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let lines = LineIndex::new(data);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
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
                        "{} fields where the header has {} (an unquoted `{}` inside a value, \
                         or a cut line); row skipped",
                        record.len(),
                        columns.len(),
                        delimiter as char
                    ),
                )
                .at_line(line),
            ),
            Some(columns) => match read_row(columns, &record, line) {
                Ok((row, normalized)) => {
                    for column in normalized {
                        note_nfc(&mut table, column, line);
                    }
                    table.rows.push(row);
                }
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
        return Err(TableError::Empty { file: spec.name });
    }
    if table.rows.is_empty() && table.rejected.is_empty() {
        // A header and nothing under it: an export cut short, or truly nothing to report.
        // Either way the provider hears that this file served nothing.
        table.notices.push(SourceIssue::new(
            "FILE_NO_ROWS",
            spec.name,
            "the file has its header and no rows: nothing from it is served",
        ));
    }
    Ok(table)
}

/// Map header positions to the contract's column names; later duplicates are ignored.
fn read_header(
    spec: &FileSpec,
    record: &csv::ByteRecord,
    line: u64,
) -> Result<Vec<Option<&'static str>>, TableError> {
    let mut columns: Vec<Option<&'static str>> = Vec::with_capacity(record.len());
    for field in record {
        let name = String::from_utf8_lossy(field).trim().to_lowercase();
        let known = spec.columns().find(|c| *c == name);
        columns.push(known.filter(|k| !columns.contains(&Some(*k))));
    }
    if let Some(column) = spec.required.iter().find(|r| !columns.contains(&Some(**r))) {
        return Err(TableError::MissingColumn {
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

/// One data record → a row and the columns whose text NFC changed; `Err(column)` when a cell
/// is not UTF-8.
fn read_row(
    columns: &[Option<&'static str>],
    record: &csv::ByteRecord,
    line: u64,
) -> Result<(RawRow, Vec<&'static str>), &'static str> {
    let mut cells = BTreeMap::new();
    let mut normalized = Vec::new();
    for (column, field) in columns.iter().zip(record) {
        let Some(column) = column else { continue };
        let text = std::str::from_utf8(field).map_err(|_| *column)?;
        let text = match normalize(text) {
            Read::Ok(text) => text,
            Read::Noted(text, _) => {
                normalized.push(*column);
                text
            }
            Read::Missing | Read::Bad(_) => continue,
        };
        cells.insert(*column, text);
    }
    Ok((RawRow { line, cells }, normalized))
}

/// `TEXT_NORMALIZED_NFC` for `column`, once per table.
fn note_nfc(table: &mut RawTable, column: &'static str, line: u64) {
    let why = explain(TEXT_NORMALIZED_NFC);
    let notice = SourceIssue::new(TEXT_NORMALIZED_NFC, table.file, why);
    notice_once(&mut table.notices, notice.at_line(line).with_key(column));
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
