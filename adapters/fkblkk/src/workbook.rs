//! Reading the folder (contract §1–2) into data rows: which files are workbooks and in what
//! order, which sheets are data, where each sheet's header is (by content, possibly two rows,
//! possibly followed by a column-number row), which columns are which (by name), and which rows
//! are data (not blank, total or signature rows; vertical merges filled).
//!
//! A file, sheet or header problem is a finding for that unit only; the rest is still read.
//! The grid logic ([`Grid::table`]) is independent of calamine so tests can feed it directly.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use crate::cells::Cell;
use crate::findings::{Findings, Origin};
use crate::sheets::{header_key, SheetKind};

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
    /// Which data sheet.
    pub kind: SheetKind,
    /// Its rows, top to bottom.
    pub rows: Vec<Row>,
}

/// What the folder held: tables in (year, quarter, revision) order, and the data's date.
#[derive(Debug, Default)]
pub struct Folder {
    /// Data sheets of every readable workbook, oldest workbook first.
    pub tables: Vec<Table>,
    /// `dcterms:modified` of the latest readable workbook as RFC 3339 `+07:00` (else the last
    /// day of its quarter).
    pub data_as_of: Option<String>,
}

/// A workbook file name's (year, quarter, revision), or `None` when the name does not match
/// `Rekap_BLKK_KabTangerang_<yyyy>_TW<q>[_revisi[<n>]].xlsx` (any case).
pub fn workbook_name(name: &str) -> Option<(i32, u32, u32)> {
    let lower = name.to_lowercase();
    let stem = lower
        .strip_prefix("rekap_blkk_kabtangerang_")?
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
    Some((year.parse().ok()?, quarter.parse().ok()?, revision))
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

/// Read every workbook of `dir` in order. Only an unreadable folder is an error.
///
/// # Errors
/// The folder cannot be listed.
pub fn read_folder(dir: &Path, findings: &mut Findings) -> std::io::Result<Folder> {
    let mut books = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        match workbook_name(&name) {
            Some(order) => books.push((order, name)),
            None => findings.notice(
                &name,
                "FILE_IGNORED",
                &name,
                "not a quarterly workbook name",
            ),
        }
    }
    books.sort();
    let mut folder = Folder::default();
    for (i, ((year, quarter, _), name)) in books.into_iter().enumerate() {
        let path = dir.join(&name);
        let read = std::panic::catch_unwind(|| open(&path));
        let (sheets, modified) = match read {
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
        let quarter_end = quarter_end(year, quarter);
        folder.data_as_of =
            Some(modified.unwrap_or_else(|| format!("{quarter_end}T00:00:00+07:00")));
        for (sheet, grid) in sheets {
            let kind = match SheetKind::from_sheet_name(&sheet) {
                Ok(kind) => kind,
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
                quarter_end,
            };
            match grid {
                Err(why) => findings.reject(&origin.at(), None, "SHEET_UNREADABLE", None, why),
                Ok(grid) => {
                    if let Some(table) = grid.table(kind, Arc::new(origin), findings) {
                        folder.tables.push(table);
                    }
                }
            }
        }
    }
    Ok(folder)
}

/// A workbook's sheets (trimmed name, grid or why not) and its `dcterms:modified` in WIB.
type Book = (Vec<(String, Result<Grid, String>)>, Option<String>);

fn open(path: &Path) -> Result<Book, String> {
    let mut xlsx: Xlsx<_> = calamine::open_workbook(path)
        .map_err(|e| format!("not a readable .xlsx workbook ({})", error_kind(&e)))?;
    let modified = xlsx
        .workbook_properties()
        .ok()
        .and_then(|p| p.modified)
        .and_then(|m| chrono::DateTime::parse_from_rfc3339(&m).ok())
        .and_then(|m| Some(m.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600)?)))
        .map(|m| m.to_rfc3339());
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
    Ok((sheets, modified))
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

impl Grid {
    fn from_calamine(range: &calamine::Range<Data>, merges: &[calamine::Dimensions]) -> Self {
        let mut cells = Vec::new();
        if let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) {
            cells = vec![vec![Cell::Empty; c1 as usize + 1]; r1 as usize + 1];
            for r in r0..=r1 {
                for c in c0..=c1 {
                    cells[r as usize][c as usize] = match range.get_value((r, c)) {
                        Some(Data::String(s)) if !s.trim().is_empty() => Cell::Text(s.clone()),
                        Some(Data::Float(f)) => Cell::Number(*f),
                        Some(Data::Int(i)) => Cell::Number(*i as f64),
                        Some(Data::Bool(b)) => Cell::Text(b.to_string()),
                        Some(Data::DateTime(d)) if d.is_datetime() => Cell::Date(d.as_f64()),
                        Some(Data::DateTime(d)) => Cell::Number(d.as_f64()),
                        Some(Data::DateTimeIso(s) | Data::DurationIso(s)) => Cell::Text(s.clone()),
                        Some(Data::Error(e)) => Cell::Text(format!("#{e:?}")),
                        _ => Cell::Empty,
                    };
                }
            }
        }
        let merges = merges
            .iter()
            .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
            .collect();
        Self { cells, merges }
    }

    /// The cell's own value: empty when a merged range covers it and it is not the range's
    /// top-left cell.
    pub fn own(&self, row: u32, col: u32) -> &Cell {
        let covered = self.merges.iter().any(|&(r0, c0, r1, c1)| {
            (r0..=r1).contains(&row) && (c0..=c1).contains(&col) && (row, col) != (r0, c0)
        });
        match self
            .cells
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
        {
            Some(cell) if !covered => cell,
            _ => &EMPTY,
        }
    }

    fn width(&self) -> u32 {
        self.cells.iter().map(Vec::len).max().unwrap_or(0) as u32
    }

    /// The header row: the first of the first 20 whose texts include `No` and the key column.
    fn header_row(&self, kind: SheetKind) -> Option<u32> {
        let key = header_key(kind.key_column());
        (0..self.cells.len().min(20) as u32).find(|&r| {
            let texts: Vec<String> = (0..self.width())
                .filter_map(|c| self.own(r, c).as_text())
                .map(|t| header_key(&t))
                .collect();
            texts.iter().any(|t| t == "no") && texts.contains(&key)
        })
    }

    /// The sheet's data rows, or `None` (with an error finding) when it has no header or lacks
    /// a required column. Header findings (unknown and missing optional columns) are notes.
    pub fn table(
        &self,
        kind: SheetKind,
        origin: Arc<Origin>,
        findings: &mut Findings,
    ) -> Option<Table> {
        let at = origin.at();
        let Some(header) = self.header_row(kind) else {
            let why = format!(
                "no row of the first 20 names `No` and `{}`",
                kind.key_column()
            );
            findings.reject(&at, None, "HEADER_NOT_FOUND", None, why);
            return None;
        };
        // Column names; a header cell merged across columns is a group over the row below.
        let mut names: Vec<(u32, String)> = Vec::new();
        let mut two_rows = false;
        for c in 0..self.width() {
            let Some(label) = self.own(header, c).as_text() else {
                continue;
            };
            let group = self
                .merges
                .iter()
                .find(|m| m.0 == header && m.1 == c && m.3 > c);
            match group {
                Some(&(_, _, _, last)) => {
                    two_rows = true;
                    for sub in c..=last {
                        if let Some(s) = self.own(header + 1, sub).as_text() {
                            names.push((sub, format!("{label} {s}")));
                        }
                    }
                }
                None => names.push((c, label)),
            }
        }
        let mut first = header + if two_rows { 2 } else { 1 };
        if self.is_column_numbers(first, names.len()) {
            first += 1;
        }
        let mut columns: Vec<(u32, &'static str)> = Vec::new();
        for (c, name) in &names {
            match kind.column(name) {
                Some(col) if !columns.iter().any(|(_, n)| *n == col.name) => {
                    columns.push((*c, col.name))
                }
                _ => {
                    let shown = name.split_whitespace().collect::<Vec<_>>().join(" ");
                    let why = "column not in the contract; ignored";
                    findings.notice(&at, "UNKNOWN_COLUMN_IGNORED", &shown, why);
                }
            }
        }
        let missing = |required: bool| -> Vec<&str> {
            kind.columns()
                .filter(|k| k.required == required && !columns.iter().any(|(_, n)| *n == k.name))
                .map(|k| k.name)
                .collect()
        };
        let (required, optional) = (missing(true), missing(false));
        if !required.is_empty() {
            let why = format!("required columns missing: {}", required.join(", "));
            findings.reject(&at, Some(header + 1), "MISSING_REQUIRED_COLUMNS", None, why);
            return None;
        }
        if !optional.is_empty() {
            let why = format!("optional columns missing (null): {}", optional.join(", "));
            findings.notice(&at, "MISSING_OPTIONAL_COLUMNS", "header", &why);
        }
        let rows = (first..self.cells.len() as u32)
            .filter_map(|r| self.data_row(r, header, kind, &columns, &origin))
            .collect();
        Some(Table { kind, rows })
    }

    /// Whether row `r` holds exactly the column ordinals `1..=n` (`1` or `(1)`).
    fn is_column_numbers(&self, r: u32, n: usize) -> bool {
        let found: Vec<Option<u32>> = (0..self.width())
            .map(|c| self.own(r, c))
            .filter(|cell| !cell.is_empty())
            .map(|cell| {
                let text = cell.as_text()?;
                let t = text.trim();
                let t = t
                    .strip_prefix('(')
                    .and_then(|t| t.strip_suffix(')'))
                    .unwrap_or(t);
                t.parse().ok()
            })
            .collect();
        n >= 2 && found.len() == n && found.iter().zip(1..).all(|(f, i)| *f == Some(i))
    }

    /// Row `r` as data, or `None` for a blank, total or signature row (contract §2 rules 1–5).
    fn data_row(
        &self,
        r: u32,
        header: u32,
        kind: SheetKind,
        columns: &[(u32, &'static str)],
        origin: &Arc<Origin>,
    ) -> Option<Row> {
        let first = (0..self.width())
            .map(|c| self.own(r, c))
            .find(|c| !c.is_empty())?;
        if let Cell::Text(t) = first {
            let t = t.trim_start().to_uppercase();
            if t.starts_with("JUMLAH") || t.starts_with("TOTAL") {
                return None;
            }
        }
        let mut cells = HashMap::new();
        for &(c, name) in columns {
            let mut cell = self.own(r, c);
            let vertical = self.merges.iter().find(|m| {
                m.1 == c && m.3 == c && m.0 > header && m.0 < r && (m.0..=m.2).contains(&r)
            });
            if let Some(&(top, ..)) = vertical {
                cell = self.own(top, c);
            }
            if !cell.is_empty() {
                cells.insert(name, cell.clone());
            }
        }
        let data = kind
            .columns()
            .any(|k| k.required && cells.contains_key(k.name));
        data.then(|| Row {
            origin: Arc::clone(origin),
            line: r + 1,
            cells,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_order() {
        assert_eq!(
            workbook_name("Rekap_BLKK_KabTangerang_2024_TW1.xlsx"),
            Some((2024, 1, 0))
        );
        assert_eq!(
            workbook_name("rekap_blkk_kabtangerang_2024_tw2_REVISI.XLSX"),
            Some((2024, 2, 1))
        );
        assert_eq!(
            workbook_name("Rekap_BLKK_KabTangerang_2024_TW2_revisi2.xlsx"),
            Some((2024, 2, 2))
        );
        for junk in [
            "~$Rekap_BLKK_KabTangerang_2024_TW1.xlsx",
            "Rekap_BLKK_KabTangerang_2024_TW1 (1).xlsx",
            "Rekap_BLKK_KabTangerang_2024_TW1.xls",
            "Rekap_BLKK_KabTangerang_2024_TW5.xlsx",
            "Rekap_BLKK_KabTangerang_2024_TW1_revisiX.xlsx",
            "Rekap_BLKK_KabTangerang_24_TW1.xlsx",
        ] {
            assert_eq!(workbook_name(junk), None, "{junk}");
        }
        assert_eq!(quarter_end(2024, 1).to_string(), "2024-03-31");
        assert_eq!(quarter_end(2024, 4).to_string(), "2024-12-31");
    }
}
