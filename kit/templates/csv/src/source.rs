//! Reading the CSV file as the provider writes it, into a [`RawTable`] of trimmed, non-empty
//! cells keyed by column name. No value is interpreted here; that is [`crate::mapping`]'s job.
//!
//! Format rules: an optional UTF-8 byte-order mark is dropped; quoting is RFC 4180; CRLF or LF
//! end lines; blank lines and rows whose cells are all empty are skipped; columns are matched
//! by header name (trimmed, case-insensitive, see [`columns`]); a row with more or fewer fields
//! than the header (an unquoted separator inside a value shifts every column after it) is
//! rejected as `ROW_MALFORMED`, a row that is not UTF-8 as `VALUE_NOT_UTF8`. A zero-byte file
//! is rejected as `FILE_EMPTY` and a header without a required column as
//! `MISSING_REQUIRED_COLUMNS`: the adapter still starts and reports them, it just serves
//! nothing. Only a file that is not there (or cannot be opened) stops it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use simpul_schema::SourceIssue;

use crate::mapping::columns;
use crate::mapping::{RawRow, RawTable};
use crate::{{type_name}}Config;

/// Why the source cannot be read at all. Messages name the file, never its contents.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The configured file does not exist.
    #[error("data file `{}` does not exist", path.display())]
    Missing {
        /// The configured `data_file`.
        path: PathBuf,
    },
    /// The file exists but cannot be read.
    #[error("data file `{}` cannot be read: {source}", path.display())]
    Unreadable {
        /// The configured `data_file`.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The configured separator is not one ASCII character.
    #[error("the delimiter {0:?} is not an ASCII character")]
    Delimiter(char),
}

impl SourceError {
    /// The stable code the gateway reports.
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::Missing { .. } | SourceError::Unreadable { .. } => "SOURCE_UNAVAILABLE",
            SourceError::Delimiter(_) => "SOURCE_INVALID",
        }
    }
}

/// Read the file named in `config`.
///
/// # Errors
/// Only when the file is missing or unreadable, or the separator is unusable; everything
/// wrong inside the file is reported in the table instead.
pub fn read(config: &{{type_name}}Config) -> Result<RawTable, SourceError> {
    let delimiter = u8::try_from(config.delimiter)
        .ok()
        .filter(u8::is_ascii)
        .ok_or(SourceError::Delimiter(config.delimiter))?;
    let path = &config.data_file;
    let bytes = std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => SourceError::Missing { path: path.clone() },
        _ => SourceError::Unreadable {
            path: path.clone(),
            source,
        },
    })?;
    let mut table = parse(&file_name(path), &bytes, delimiter);
    table.data_as_of = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| DateTime::<Utc>::from(t).to_rfc3339_opts(SecondsFormat::Secs, true));
    Ok(table)
}

/// The name reports use for the file: its file name, without the folders.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Parse the bytes of a CSV file named `source`.
pub fn parse(source: &str, bytes: &[u8], delimiter: u8) -> RawTable {
    let mut table = RawTable {
        source: source.to_owned(),
        ..RawTable::default()
    };
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut lines = Lines::new(bytes);
    let mut records = reader.byte_records();
    let header = loop {
        match records.next() {
            None => {
                let why = "the file has no header line (a zero-byte file is not a valid export)";
                table
                    .rejected
                    .push(SourceIssue::new("FILE_EMPTY", source, why).with_key(source));
                return table;
            }
            Some(Ok(record)) if record.iter().all(|c| c.trim_ascii().is_empty()) => continue,
            Some(Ok(record)) => break record,
            Some(Err(e)) => {
                let line = e.position().map_or(1, |p| lines.at(p.byte()));
                let why = "the header line cannot be read";
                table.rejected.push(
                    SourceIssue::new("ROW_MALFORMED", source, why)
                        .at_line(line)
                        .with_key("header"),
                );
                return table;
            }
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|c| columns::normalise(&String::from_utf8_lossy(c)))
        .collect();
    match columns::check_header(source, &names) {
        Ok(notices) => table.notices = notices,
        Err(issue) => {
            let line = header.position().map_or(1, |p| lines.at(p.byte()));
            table.rejected.push(issue.at_line(line));
            return table;
        }
    }
    let mut ordinal = 0;
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                ordinal += 1;
                let line = e.position().map_or(0, |p| lines.at(p.byte()));
                let issue = SourceIssue::new("ROW_MALFORMED", source, "the row cannot be read")
                    .with_key(format!("row {ordinal}"));
                table
                    .rejected
                    .push(if line > 0 { issue.at_line(line) } else { issue });
                continue;
            }
        };
        if record.iter().all(|c| c.trim_ascii().is_empty()) {
            continue;
        }
        ordinal += 1;
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        let mut row = RawRow {
            line: Some(line),
            ordinal,
            ..RawRow::default()
        };
        let mut utf8 = true;
        for (name, cell) in names.iter().zip(record.iter()) {
            match std::str::from_utf8(cell) {
                Ok(text) if !text.trim().is_empty() && !name.is_empty() => {
                    // Of two columns with the same name, the first is read.
                    row.cells
                        .entry(name.clone())
                        .or_insert_with(|| text.trim().to_owned());
                }
                Ok(_) => {}
                Err(_) => utf8 = false,
            }
        }
        if record.len() != names.len() {
            let why = format!(
                "{} fields where the header has {} (an unquoted separator inside a value?); row skipped",
                record.len(),
                names.len()
            );
            let issue = SourceIssue::new("ROW_MALFORMED", source, why).at_line(line);
            table.rejected.push(issue.with_key(row.key()));
            continue;
        }
        if !utf8 {
            let why = "the row is not UTF-8 text; row skipped";
            let issue = SourceIssue::new("VALUE_NOT_UTF8", source, why).at_line(line);
            table.rejected.push(issue.with_key(row.key()));
            continue;
        }
        table.rows.push(row);
    }
    table
}

/// Physical line numbers from byte offsets. (The `csv` crate's own line numbers lag behind
/// after a CRLF or a blank line: it records a position before skipping them.)
struct Lines<'a> {
    bytes: &'a [u8],
    /// Bytes before this offset have been counted...
    counted: usize,
    /// ...and hold this many line ends.
    ends: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            counted: 0,
            ends: 0,
        }
    }

    /// The 1-based line of the record the reader says starts at `offset`: line ends right
    /// there belong to the record before it (or are blank lines), so they are skipped first.
    /// Offsets must not decrease.
    fn at(&mut self, offset: u64) -> u64 {
        let mut start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.counted {
            let newlines = self.bytes[self.counted..start]
                .iter()
                .filter(|b| **b == b'\n');
            self.ends += newlines.count() as u64;
            self.counted = start;
        }
        self.ends + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(issues: &[SourceIssue]) -> Vec<(&str, Option<u64>)> {
        issues.iter().map(|i| (i.code.as_str(), i.line)).collect()
    }

    #[test]
    fn rows_by_column_name_with_lines() {
        let text = "\u{feff}ID;Name;Extra\r\nTC-1;\"One; quoted\";x\r\n\r\n;;\nTC-2; Two ;\n";
        let table = parse("c.csv", text.as_bytes(), b';');
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].get("name"), Some("One; quoted"));
        assert_eq!(table.rows[0].line, Some(2));
        assert_eq!(table.rows[1].get("name"), Some("Two"));
        assert_eq!(table.rows[1].get("extra"), None);
        assert_eq!(table.rows[1].line, Some(5));
        assert!(table.rejected.is_empty());
        let notes: Vec<&str> = table.notices.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(
            notes,
            ["UNKNOWN_COLUMN_IGNORED", "MISSING_OPTIONAL_COLUMNS"]
        );
    }

    #[test]
    fn a_shifted_row_is_rejected_and_the_rest_read() {
        let text = "id,name\nTC-1,One\nTC-2,Two, with a comma\nTC-3,Three\n";
        let table = parse("c.csv", text.as_bytes(), b',');
        assert_eq!(table.rows.len(), 2);
        assert_eq!(codes(&table.rejected), [("ROW_MALFORMED", Some(3))]);
        assert_eq!(table.rejected[0].key.as_deref(), Some("TC-2"));
        assert!(!table.rejected[0].reason.contains("with a comma"));
    }

    #[test]
    fn empty_files_and_missing_columns_are_reported_not_fatal() {
        let table = parse("c.csv", b"", b',');
        assert_eq!(codes(&table.rejected), [("FILE_EMPTY", None)]);
        let table = parse("c.csv", b"\xef\xbb\xbf\n\n", b',');
        assert_eq!(codes(&table.rejected), [("FILE_EMPTY", None)]);
        let table = parse("c.csv", b"id,label\nTC-1,x\n", b',');
        assert_eq!(
            codes(&table.rejected),
            [("MISSING_REQUIRED_COLUMNS", Some(1))]
        );
        assert!(table.rows.is_empty());
        let table = parse("c.csv", b"id,name\n", b',');
        assert!(table.rejected.is_empty() && table.rows.is_empty());
    }

    #[test]
    fn of_two_columns_with_one_name_the_first_is_read() {
        let table = parse("c.csv", b"id,name,Name,\nTC-1,One,Other,x\n", b',');
        assert_eq!(table.rows[0].get("name"), Some("One"));
        assert_eq!(table.rows[0].cells.len(), 2);
        let notes: Vec<&str> = table.notices.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(
            notes[..2],
            ["DUPLICATE_COLUMN_IGNORED", "UNKNOWN_COLUMN_IGNORED"]
        );
    }

    #[test]
    fn a_row_that_is_not_utf8_is_rejected() {
        let table = parse("c.csv", b"id,name\nTC-1,\xff\xfe\nTC-2,Two\n", b',');
        assert_eq!(table.rows.len(), 1);
        assert_eq!(codes(&table.rejected), [("VALUE_NOT_UTF8", Some(2))]);
    }

    #[test]
    fn lines_count_quoted_line_breaks_crlf_and_blank_lines() {
        let text = "id,name\r\n\r\nTC-1,\"One\r\nline two\"\r\n\n\nTC-2,Two\r\nTC-3,x,y\r\n";
        let table = parse("c.csv", text.as_bytes(), b',');
        let lines: Vec<Option<u64>> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [Some(3), Some(7)]);
        assert_eq!(codes(&table.rejected), [("ROW_MALFORMED", Some(8))]);
    }

    #[test]
    fn missing_file_is_the_only_fatal_error() {
        let config = {{type_name}}Config::new("/nonexistent/centres.csv");
        let e = read(&config).unwrap_err();
        assert_eq!(e.code(), "SOURCE_UNAVAILABLE");
        assert!(e.to_string().contains("/nonexistent/centres.csv"));
    }
}
