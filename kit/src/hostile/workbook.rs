//! A workbook as the hostile kit edits it: each sheet's cells from A1 and its merged ranges,
//! read with calamine and written back with rust_xlsxwriter (values, merges and date cells;
//! not styles), so a case changes cells as a provider's operator would.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum XCell {
    /// Nothing.
    Empty,
    /// A text cell.
    Text(String),
    /// A number cell.
    Number(f64),
    /// A date cell (Excel serial).
    Date(f64),
    /// A boolean.
    Bool(bool),
}

/// One sheet: cells from A1, row-major, and merged ranges (first row, first column, last
/// row, last column; 0-based, inclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Its name.
    pub name: String,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<XCell>>,
    /// Merged ranges.
    pub merges: Vec<(u32, u16, u32, u16)>,
}

/// A workbook's sheets.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    /// In workbook order.
    pub sheets: Vec<Sheet>,
}

impl Book {
    /// Read a workbook.
    ///
    /// # Errors
    /// Not a readable workbook.
    pub fn read(path: &Path) -> Result<Self, String> {
        let mut xlsx: Xlsx<std::io::BufReader<std::fs::File>> =
            calamine::open_workbook(path).map_err(|e: calamine::XlsxError| e.to_string())?;
        let mut sheets = Vec::new();
        for name in xlsx.sheet_names() {
            let range = xlsx.worksheet_range(&name).map_err(|e| e.to_string())?;
            let (height, width) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
            let mut cells = vec![vec![XCell::Empty; width as usize]; height as usize];
            for (r, row) in cells.iter_mut().enumerate() {
                for (c, cell) in row.iter_mut().enumerate() {
                    *cell = match range.get_value((r as u32, c as u32)) {
                        Some(Data::String(s)) => XCell::Text(s.clone()),
                        Some(Data::Float(f)) => XCell::Number(*f),
                        Some(Data::Int(i)) => XCell::Number(*i as f64),
                        Some(Data::Bool(b)) => XCell::Bool(*b),
                        Some(Data::DateTime(d)) => XCell::Date(d.as_f64()),
                        Some(Data::DateTimeIso(s) | Data::DurationIso(s)) => XCell::Text(s.clone()),
                        _ => XCell::Empty,
                    };
                }
            }
            let merges = xlsx.merge_cells_by_sheet_name(&name).unwrap_or_default();
            let merges = merges
                .iter()
                .map(|d| (d.start.0, d.start.1 as u16, d.end.0, d.end.1 as u16))
                .collect();
            sheets.push(Sheet {
                name,
                cells,
                merges,
            });
        }
        Ok(Self { sheets })
    }

    /// Write it to `path`.
    ///
    /// # Errors
    /// rust_xlsxwriter's.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut book = Workbook::new();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        for sheet in &self.sheets {
            let ws = book.add_worksheet();
            ws.set_name(&sheet.name).map_err(|e| e.to_string())?;
            for &(r0, c0, r1, c1) in &sheet.merges {
                if (r0, c0) != (r1, c1) {
                    let text = match sheet
                        .cells
                        .get(r0 as usize)
                        .and_then(|r| r.get(c0 as usize))
                    {
                        Some(XCell::Text(t)) => t.clone(),
                        _ => String::new(),
                    };
                    ws.merge_range(r0, c0, r1, c1, &text, &Format::new())
                        .map_err(|e| e.to_string())?;
                }
            }
            for (r, row) in sheet.cells.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    let done = match cell {
                        XCell::Empty => continue,
                        XCell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                        XCell::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
                        XCell::Date(n) => ws.write_number_with_format(r, c, *n, &date).map(|_| ()),
                        XCell::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                    };
                    done.map_err(|e| e.to_string())?;
                }
            }
        }
        book.save(path).map_err(|e| e.to_string())
    }
}
