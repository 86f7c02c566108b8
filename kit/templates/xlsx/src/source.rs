//! Reading the workbook as the provider fills it, into a [`RawTable`] of trimmed, non-empty
//! cells keyed by column name. No value is interpreted here; that is [`crate::mapping`]'s job.
//!
//! Rules: the sheet is the configured one (default: the first); the header is its first row
//! with any cell filled; columns are matched by header name (trimmed, case-insensitive, see
//! [`columns`]); rows whose cells are all empty are skipped; numbers keep no spurious `.0`
//! (`3603122001`, not `3603122001.0`); dates become ISO dates; an error cell (`#N/A`) reads as
//! empty and is noted once. A workbook that cannot be opened, a sheet that is missing or
//! empty, a header without a required column: each is reported as a rejected unit and the
//! adapter still starts, serving nothing. Only a workbook that is not there stops it.
//! Places are `file!sheet` and the sheet's row numbers, as Excel shows them.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use simpul_schema::SourceIssue;

use crate::mapping::columns;
use crate::mapping::{RawRow, RawTable};
use crate::{{type_name}}Config;

/// Why the source cannot be read at all. Messages name the file, never its contents.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The configured workbook does not exist.
    #[error("workbook `{}` does not exist", path.display())]
    Missing {
        /// The configured `workbook`.
        path: PathBuf,
    },
}

impl SourceError {
    /// The stable code the gateway reports.
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::Missing { .. } => "SOURCE_UNAVAILABLE",
        }
    }
}

/// One sheet row: its number as Excel shows it, and its cells (`None` when empty).
pub type GridRow = (u64, Vec<Option<String>>);

/// Read the sheet named in `config`.
///
/// # Errors
/// Only when the workbook is missing; everything wrong inside it is reported in the table.
pub fn read(config: &{{type_name}}Config) -> Result<RawTable, SourceError> {
    let path = &config.workbook;
    let modified = match std::fs::metadata(path) {
        Ok(meta) => meta.modified().ok(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SourceError::Missing { path: path.clone() })
        }
        Err(_) => None,
    };
    let file = file_name(path);
    let mut table = RawTable {
        source: file.clone(),
        data_as_of: modified
            .map(|t| DateTime::<Utc>::from(t).to_rfc3339_opts(SecondsFormat::Secs, true)),
        ..RawTable::default()
    };
    let mut workbook: Xlsx<_> = match calamine::open_workbook(path) {
        Ok(workbook) => workbook,
        Err(e) => {
            let why = format!("the workbook cannot be opened ({})", error_kind(&e));
            let issue = SourceIssue::new("FILE_UNREADABLE", &file, why).with_key(&file);
            table.rejected.push(issue);
            return Ok(table);
        }
    };
    let names = workbook.sheet_names();
    let Some(sheet) = config.sheet.clone().or_else(|| names.first().cloned()) else {
        let issue = SourceIssue::new("SHEET_MISSING", &file, "the workbook has no sheet");
        table.rejected.push(issue.with_key(&file));
        return Ok(table);
    };
    table.source = format!("{file}!{sheet}");
    if !names.contains(&sheet) {
        let issue = SourceIssue::new("SHEET_MISSING", &table.source, "no sheet of that name");
        table.rejected.push(issue.with_key(&sheet));
        return Ok(table);
    }
    let range = match workbook.worksheet_range(&sheet) {
        Ok(range) => range,
        Err(e) => {
            let why = format!("the sheet cannot be read ({})", error_kind(&e));
            let issue = SourceIssue::new("SHEET_UNREADABLE", &table.source, why);
            table.rejected.push(issue.with_key(&sheet));
            return Ok(table);
        }
    };
    let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
    let mut errors = 0;
    let grid: Vec<GridRow> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let cells = cells
                .iter()
                .map(|cell| {
                    errors += usize::from(matches!(cell, Data::Error(_)));
                    cell_text(cell)
                })
                .collect();
            (first_row + i as u64 + 1, cells)
        })
        .collect();
    let parsed = from_grid(&table.source, grid);
    table.rows = parsed.rows;
    table.rejected = parsed.rejected;
    table.notices = parsed.notices;
    if errors > 0 {
        table.notices.push(
            SourceIssue::new(
                "CELL_ERROR_READ_AS_EMPTY",
                &table.source,
                format!("{errors} cells hold a formula error (#N/A, #REF!, ...); read as empty"),
            )
            .with_key(&sheet),
        );
    }
    Ok(table)
}

/// What kind of calamine error it is, without anything read from the file.
fn error_kind(e: &calamine::XlsxError) -> &'static str {
    match e {
        calamine::XlsxError::Io(_) => "I/O error",
        calamine::XlsxError::Zip(_) => "not an .xlsx (zip) file",
        _ => "malformed workbook content",
    }
}

/// The name reports use for the file: its file name, without the folders.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A cell as text: trimmed, `None` when empty or an error. Whole numbers lose the `.0` a
/// float would print; dates and times become ISO 8601.
pub fn cell_text(cell: &Data) -> Option<String> {
    let text = match cell {
        Data::Empty | Data::Error(_) => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64(), d.is_datetime())?,
    };
    (!text.is_empty()).then_some(text)
}

/// An Excel serial date (days since 1899-12-30) as an ISO date, or date and time.
fn excel_date(serial: f64, has_time: bool) -> Option<String> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let at = epoch.checked_add_signed(Duration::milliseconds((serial * 86_400_000.0) as i64))?;
    Some(if has_time && serial.fract() != 0.0 {
        at.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else {
        at.date().to_string()
    })
}

/// The rows of one sheet, already as text, into a table named `source`.
pub fn from_grid(source: &str, grid: Vec<GridRow>) -> RawTable {
    let mut table = RawTable {
        source: source.to_owned(),
        ..RawTable::default()
    };
    let mut rows = grid
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(Option::is_some));
    let Some((header_line, header)) = rows.next() else {
        let why = "the sheet has no header row (it is empty)";
        table
            .rejected
            .push(SourceIssue::new("SHEET_EMPTY", source, why).with_key(source));
        return table;
    };
    let names: Vec<Option<String>> = header
        .iter()
        .map(|h| h.as_deref().map(columns::normalise))
        .collect();
    let named: Vec<String> = names.iter().flatten().cloned().collect();
    match columns::check_header(source, &named) {
        Ok(notices) => table.notices = notices,
        Err(issue) => {
            table.rejected.push(issue.at_line(header_line));
            return table;
        }
    }
    let mut unnamed = false;
    for (ordinal, (line, cells)) in rows.enumerate() {
        let mut row = RawRow {
            line: Some(line),
            ordinal: ordinal as u64 + 1,
            ..RawRow::default()
        };
        for (i, cell) in cells.into_iter().enumerate() {
            match (names.get(i).cloned().flatten(), cell) {
                (Some(name), Some(text)) => {
                    // Of two columns with the same name, the first is read.
                    row.cells.entry(name).or_insert(text);
                }
                (None, Some(_)) => unnamed = true,
                (_, None) => {}
            }
        }
        table.rows.push(row);
    }
    if unnamed {
        let why = "cells under a column without a header; ignored";
        table
            .notices
            .push(SourceIssue::new("UNKNOWN_COLUMN_IGNORED", source, why).with_key("(no header)"));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[(u64, &[Option<&str>])]) -> Vec<GridRow> {
        rows.iter()
            .map(|(line, cells)| (*line, cells.iter().map(|c| c.map(str::to_owned)).collect()))
            .collect()
    }

    #[test]
    fn rows_by_header_name_with_excel_row_numbers() {
        let table = from_grid(
            "w.xlsx!Centres",
            grid(&[
                (1, &[None, None]),
                (2, &[Some("ID"), Some(" Name ")]),
                (3, &[Some("TC-1"), Some("One")]),
                (4, &[None, None]),
                (5, &[Some("TC-2"), None, Some("stray")]),
            ]),
        );
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].line, Some(3));
        assert_eq!(table.rows[0].get("name"), Some("One"));
        assert_eq!(table.rows[1].line, Some(5));
        assert_eq!(table.rows[1].ordinal, 2);
        let notes: Vec<&str> = table.notices.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(
            notes,
            ["MISSING_OPTIONAL_COLUMNS", "UNKNOWN_COLUMN_IGNORED"]
        );
    }

    #[test]
    fn empty_sheets_and_missing_columns_are_reported_not_fatal() {
        let table = from_grid("w.xlsx!S", grid(&[(1, &[None])]));
        assert_eq!(table.rejected[0].code, "SHEET_EMPTY");
        let table = from_grid("w.xlsx!S", grid(&[(1, &[Some("id")]), (2, &[Some("x")])]));
        assert_eq!(table.rejected[0].code, "MISSING_REQUIRED_COLUMNS");
        assert_eq!(table.rejected[0].line, Some(1));
        assert!(table.rows.is_empty());
    }

    #[test]
    fn cells_as_text() {
        assert_eq!(
            cell_text(&Data::Float(3603122001.0)).as_deref(),
            Some("3603122001")
        );
        assert_eq!(cell_text(&Data::Float(1.5)).as_deref(), Some("1.5"));
        assert_eq!(cell_text(&Data::String("  ".into())), None);
        assert_eq!(cell_text(&Data::Bool(true)).as_deref(), Some("true"));
        assert_eq!(excel_date(45107.0, false).as_deref(), Some("2023-06-30"));
    }

    #[test]
    fn a_missing_workbook_is_the_only_fatal_error() {
        let e = read(&{{type_name}}Config::new("/nonexistent/centres.xlsx")).unwrap_err();
        assert_eq!(e.code(), "SOURCE_UNAVAILABLE");
        assert!(e.to_string().contains("/nonexistent/centres.xlsx"));
    }

    #[test]
    fn a_file_that_is_no_workbook_is_reported() {
        let path = std::env::temp_dir().join(format!("not-a-workbook-{}.xlsx", std::process::id()));
        std::fs::write(&path, b"id,name\n").unwrap();
        let table = read(&{{type_name}}Config::new(&path)).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(table.rejected[0].code, "FILE_UNREADABLE");
        assert!(table.rows.is_empty());
    }
}
