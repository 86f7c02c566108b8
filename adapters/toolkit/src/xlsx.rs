//! Reading a folder of Excel workbooks into data rows: which files are workbooks and in what
//! order (a name pattern the caller gives), which sheets are tables (by [`Layout`]), where each
//! sheet's header is (by content: the first of 20 rows naming `No` and the key column;
//! possibly two rows under merged group labels, possibly followed by a column-number row),
//! which columns are which (by name and alias), and which rows are data (not blank, total or
//! signature rows; vertical merges filled).
//!
//! A `dcterms:modified` without an offset is read in WIB and noted once per workbook
//! (`TIMESTAMP_WITHOUT_OFFSET`). A file, sheet or header problem is a finding for that unit only (`FILE_UNREADABLE`,
//! `SHEET_UNREADABLE`, `HEADER_NOT_FOUND`, `MISSING_REQUIRED_COLUMNS`); ignored files, sheets
//! and columns and missing optional columns are notices. [`Grid::table`] is independent of
//! calamine so tests can feed it directly.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use calamine::{Reader, Xlsx};
use chrono::NaiveDate;

use crate::dates::{timestamp, wib};
use crate::findings::Findings;
use crate::layout::{sheet_layout, Layout};
use crate::read::{explain, Cell, Read};

/// Where a row comes from: its workbook (by position in the reading order) and sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The workbook's file name.
    pub file: String,
    /// The sheet's name as in the workbook, trimmed.
    pub sheet: String,
    /// Position of the workbook in the reading order.
    pub order: usize,
    /// The day the workbook's data describes (a quarterly workbook: its quarter's last day).
    pub as_of: NaiveDate,
}

impl Origin {
    /// `<file>!<sheet>`.
    pub fn at(&self) -> String {
        format!("{}!{}", self.file, self.sheet)
    }
}

/// A data row: its Excel row number and its cells by contract column name.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The workbook and sheet.
    pub origin: Arc<Origin>,
    /// 1-based Excel row.
    pub line: u32,
    /// Cells of the recognised columns (vertical merges filled).
    pub cells: HashMap<&'static str, Cell>,
}

const EMPTY: Cell = Cell::Empty;

impl Row {
    /// The cell of a column; empty when the sheet lacks the column.
    pub fn cell(&self, column: &str) -> &Cell {
        self.cells.get(column).unwrap_or(&EMPTY)
    }
}

/// The data rows of one sheet of one workbook.
#[derive(Debug, Clone)]
pub struct Table {
    /// The sheet's layout name.
    pub layout: &'static str,
    /// Its rows, top to bottom.
    pub rows: Vec<Row>,
}

/// What a folder held: tables in reading order, and the data's date.
#[derive(Debug, Default)]
pub struct Folder {
    /// Tables of every readable workbook, first workbook first.
    pub tables: Vec<Table>,
    /// `dcterms:modified` of the last readable workbook as RFC 3339 `+07:00` (else its
    /// [`Origin::as_of`] at midnight WIB).
    pub data_as_of: Option<String>,
}

/// How a folder's workbooks are recognised and which sheets are tables.
pub struct FolderLayout<'a, K> {
    /// The tables.
    pub layouts: &'static [Layout],
    /// Sheets skipped silently (instructions, reference lists).
    pub silent: &'a [&'a str],
    /// A workbook's place in the reading order and its as-of day, from its file name; `None`
    /// for a file that is not a workbook of the contract (ignored with `FILE_IGNORED`).
    pub unit: &'a dyn Fn(&str) -> Option<(K, NaiveDate)>,
    /// What the contract's workbooks are, for the `FILE_IGNORED` reason (`quarterly
    /// workbook`: "not a quarterly workbook name").
    pub unit_name: &'a str,
}

/// Read every workbook of `dir` in order. Only an unreadable folder is an error.
///
/// # Errors
/// The folder cannot be listed.
pub fn read_folder<K: Ord>(
    dir: &Path,
    layout: &FolderLayout<K>,
    findings: &mut Findings,
) -> std::io::Result<Folder> {
    let mut books = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        match (layout.unit)(&name) {
            Some((order, as_of)) => books.push((order, as_of, name)),
            None => {
                let why = format!("not a {} name", layout.unit_name);
                findings.notice(&name, "FILE_IGNORED", &name, &why);
            }
        }
    }
    books.sort_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
    let mut folder = Folder::default();
    for (i, (_, as_of, name)) in books.into_iter().enumerate() {
        let path = dir.join(&name);
        let (sheets, modified, note) = match std::panic::catch_unwind(|| open(&path)) {
            Ok(Ok(book)) => book,
            Ok(Err(why)) => {
                findings.reject(&name, None, "FILE_UNREADABLE", None, why);
                continue;
            }
            Err(_) => {
                let why = "the workbook reader failed on this file";
                findings.reject(&name, None, "FILE_UNREADABLE", None, why);
                continue;
            }
        };
        if let Some(code) = note {
            findings.notice(&name, code, "dcterms:modified", explain(code));
        }
        folder.data_as_of = Some(modified.unwrap_or_else(|| format!("{as_of}T00:00:00+07:00")));
        for (sheet, grid) in sheets {
            let table = match sheet_layout(layout.layouts, layout.silent, &sheet) {
                Ok(table) => table,
                Err(true) => continue,
                Err(false) => {
                    let why = "not a data sheet of the contract";
                    findings.notice(&name, "UNKNOWN_SHEET_IGNORED", &sheet, why);
                    continue;
                }
            };
            let origin = Origin {
                file: name.clone(),
                sheet: sheet.clone(),
                order: i,
                as_of,
            };
            match grid {
                Err(why) => findings.reject(&origin.at(), None, "SHEET_UNREADABLE", None, why),
                Ok(grid) => {
                    if let Some(table) = grid.table(table, Arc::new(origin), findings) {
                        folder.tables.push(table);
                    }
                }
            }
        }
    }
    Ok(folder)
}

/// A quarterly workbook's (year, quarter, revision) and its quarter's last day, from a name
/// `<prefix><yyyy>_TW<q>[_revisi[<n>]].xlsx` (*triwulan*, any case); `None` for any other
/// name (a copy `(1)`, a lock file `~$…`, an `.xls`, quarter 5).
pub fn quarterly_workbook(name: &str, prefix: &str) -> Option<((i32, u32, u32), NaiveDate)> {
    let lower = name.to_lowercase();
    let stem = lower
        .strip_prefix(&prefix.to_lowercase())?
        .strip_suffix(".xlsx")?;
    let (year, rest) = stem.split_once("_tw")?;
    let (quarter, revision) = match rest.split_once("_revisi") {
        None => (rest, 0),
        Some((q, "")) => (q, 1),
        Some((q, n)) if n.bytes().all(|b| b.is_ascii_digit()) => (q, n.parse().ok()?),
        Some(_) => return None,
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(quarter, 1) || !(1..=4).contains(&quarter.parse::<u32>().ok()?) {
        return None;
    }
    let (year, quarter) = (year.parse().ok()?, quarter.parse().ok()?);
    Some(((year, quarter, revision), quarter_end(year, quarter)))
}

/// The last day of a quarter.
pub fn quarter_end(year: i32, quarter: u32) -> NaiveDate {
    let next = if quarter >= 4 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, quarter * 3 + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or_default()
}

/// A workbook's sheets (trimmed name, grid or why not), its `dcterms:modified` in WIB, and
/// the notice code when that timestamp had no offset.
type Book = (
    Vec<(String, Result<Grid, String>)>,
    Option<String>,
    Option<&'static str>,
);

fn open(path: &Path) -> Result<Book, String> {
    let mut xlsx: Xlsx<_> = calamine::open_workbook(path)
        .map_err(|e| format!("not a readable .xlsx workbook ({})", error_kind(&e)))?;
    let modified = xlsx.workbook_properties().ok().and_then(|p| p.modified);
    let (modified, note) = match modified.as_deref().map(timestamp) {
        Some(Read::Ok(t)) => (Some(t), None),
        Some(Read::Noted(t, code)) => (Some(t), Some(code)),
        _ => (None, None),
    };
    let modified = modified.map(|m| m.with_timezone(&wib()).to_rfc3339());
    let names: Vec<String> = xlsx.sheet_names();
    let mut sheets = Vec::new();
    for name in names {
        let grid = xlsx
            .worksheet_range(&name)
            .map_err(|e| format!("sheet cannot be read ({})", error_kind(&e)))
            .map(|range| {
                let merges = xlsx.merge_cells_by_sheet_name(&name).unwrap_or_default();
                Grid::from_calamine(&range, &merges)
            });
        sheets.push((name.trim().to_owned(), grid));
    }
    Ok((sheets, modified, note))
}

/// The kind of a calamine error, without anything from the file.
fn error_kind(e: &calamine::XlsxError) -> &'static str {
    use calamine::XlsxError as E;
    match e {
        E::Io(_) => "input/output error",
        E::Zip(_) => "not a zip archive, truncated or encrypted",
        E::Xml(_) | E::XmlAttr(_) | E::XmlEof(_) => "malformed XML inside",
        _ => "not a spreadsheet the reader understands",
    }
}

/// A merged range, 0-based and inclusive: (first row, first column, last row, last column).
pub type Merge = (u32, u32, u32, u32);

/// One sheet's cells (row-major, 0-based from A1) and merged ranges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    /// `cells[row][column]`; short rows are padded with nothing.
    pub cells: Vec<Vec<Cell>>,
    /// Merged ranges.
    pub merges: Vec<Merge>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarterly_names_and_order() {
        let order = |n| quarterly_workbook(n, "Rekap_").map(|w| w.0);
        assert_eq!(order("Rekap_2024_TW1.xlsx"), Some((2024, 1, 0)));
        assert_eq!(order("rekap_2024_tw2_REVISI.XLSX"), Some((2024, 2, 1)));
        assert_eq!(order("Rekap_2024_TW2_revisi2.xlsx"), Some((2024, 2, 2)));
        for junk in [
            "~$Rekap_2024_TW1.xlsx",
            "Rekap_2024_TW1 (1).xlsx",
            "Rekap_2024_TW1.xls",
            "Rekap_2024_TW5.xlsx",
            "Rekap_2024_TW1_revisiX.xlsx",
            "Rekap_24_TW1.xlsx",
        ] {
            assert_eq!(order(junk), None, "{junk}");
        }
        assert_eq!(quarter_end(2024, 1).to_string(), "2024-03-31");
        assert_eq!(quarter_end(2024, 4).to_string(), "2024-12-31");
    }
}
