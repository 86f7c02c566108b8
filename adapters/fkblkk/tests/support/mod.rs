//! Test support: writing FK-BLKK workbooks the way the secretariat's Excel leaves them.
//!
//! A sheet is a list of [`Line`]s written top to bottom: merged title lines, blank rows, a
//! one- or two-row header, the column-number row, data rows (optionally as a block whose
//! first column is merged vertically), `JUMLAH` rows with cached formula values and signature
//! blocks. [`sample`] uses it for the sample and demo folders; the hostile tests for their
//! defects. All people written here are synthetic.
#![allow(dead_code)]

pub mod hostile;
pub mod sample;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet};
use simpul_adapter_fkblkk::{FkblkkConfig, FkblkkData};

/// The identity secret the tests key participants with.
pub const SECRET: &str = "fkblkk-test-identity-secret";

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// Nothing.
    Empty,
    /// A text cell.
    Text(String),
    /// A number in a `General` cell.
    Num(f64),
    /// A date cell (`dd/mm/yyyy` format).
    Date(NaiveDate),
    /// A formula with its cached result.
    Formula(String, f64),
}

/// Text.
pub fn t(s: &str) -> V {
    if s.is_empty() {
        V::Empty
    } else {
        V::Text(s.to_owned())
    }
}

/// A number.
pub fn n(x: f64) -> V {
    V::Num(x)
}

/// A date cell.
pub fn d(y: i32, m: u32, day: u32) -> V {
    V::Date(NaiveDate::from_ymd_opt(y, m, day).expect("a real date"))
}

/// A cell in compact notation: `` (empty), `#2019` (a number), `@2025-01-13` (a date cell),
/// anything else text.
pub fn c(s: &str) -> V {
    if let Some(x) = s.strip_prefix('#') {
        return V::Num(x.parse().expect("a number"));
    }
    if let Some(day) = s.strip_prefix('@') {
        return V::Date(day.parse().expect("an ISO date"));
    }
    t(s)
}

/// A row of `|`-separated compact cells ([`c`]).
pub fn cells(line: &str) -> Vec<V> {
    line.split('|').map(c).collect()
}

/// One line of a sheet.
#[derive(Debug, Clone)]
pub enum Line {
    /// A title merged across the sheet's width.
    Title(String),
    /// An empty row.
    Blank,
    /// A one-row header.
    Header(Vec<String>),
    /// A two-row header: (label, sub-labels); no sub-labels = merged over both rows.
    Grouped(Vec<(String, Vec<String>)>),
    /// `(1) (2) …` under the header, for `n` columns.
    Numbers(usize),
    /// A data row.
    Row(Vec<V>),
    /// Data rows whose column `.0` is merged over the whole block (`None` = a blank row
    /// inside the block); the first row holds the value.
    Block(usize, Vec<Option<Vec<V>>>),
    /// A total row: `JUMLAH` merged over the first `span` columns, then the values.
    Total(usize, Vec<V>),
    /// A signature block at the right, one text per row, each merged over 3 columns.
    Signature(Vec<String>),
}

/// One sheet to write.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Its name.
    pub name: String,
    /// Hidden (the template's `Ref`).
    pub hidden: bool,
    /// Number of columns (for merged titles and signatures).
    pub width: u16,
    /// Its lines.
    pub lines: Vec<Line>,
}

impl Sheet {
    /// A visible sheet.
    pub fn new(name: &str, width: usize, lines: Vec<Line>) -> Self {
        Self {
            name: name.to_owned(),
            hidden: false,
            width: width as u16,
            lines,
        }
    }
}

/// The template's instructions sheet (visible) and drop-down lists (hidden).
pub fn template_sheets() -> Vec<Sheet> {
    let petunjuk = Sheet::new(
        "Petunjuk",
        4,
        vec![
            Line::Title("PETUNJUK PENGISIAN".into()),
            Line::Row(vec![
                t("1."),
                t("Isi NIK sebagai teks (format sel: Text), 16 digit."),
            ]),
            Line::Row(vec![t("2."), t("Jangan mengubah nama sheet.")]),
        ],
    );
    let mut reference = Sheet::new(
        "Ref",
        3,
        vec![
            Line::Row(vec![t("Status"), t("Pendidikan"), t("L/P")]),
            Line::Row(vec![t("Rencana"), t("SD"), t("L")]),
            Line::Row(vec![t("Selesai"), t("SMA"), t("P")]),
        ],
    );
    reference.hidden = true;
    vec![petunjuk, reference]
}

/// How many Excel rows `lines` take.
pub fn rows_of(lines: &[Line]) -> u32 {
    lines
        .iter()
        .map(|line| match line {
            Line::Grouped(_) => 2,
            Line::Block(_, rows) => rows.len() as u32,
            Line::Signature(texts) => texts.len() as u32 + 1,
            _ => 1,
        })
        .sum()
}

/// Write `sheets` as an `.xlsx` at `path`, its `dcterms:modified` set to `modified` (UTC).
pub fn write_workbook(path: &Path, sheets: &[Sheet], modified: (i32, u32, u32, u16)) {
    let mut book = Workbook::new();
    let (y, m, day, hour) = modified;
    let when = ExcelDateTime::from_ymd(y as u16, m as u8, day as u8)
        .and_then(|d| d.and_hms(hour, 0, 0))
        .expect("a real time");
    book.set_properties(&DocProperties::new().set_creation_datetime(&when));
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).expect("a valid sheet name");
        write_sheet(ws, sheet);
        if sheet.hidden {
            ws.set_hidden(true);
        }
    }
    book.save(path).expect("write the workbook");
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet) {
    let plain = Format::new();
    let last = sheet.width.saturating_sub(1);
    let mut r: u32 = 0;
    for line in &sheet.lines {
        match line {
            Line::Title(text) => {
                ws.merge_range(r, 0, r, last, text, &plain).expect("merge");
                r += 1;
            }
            Line::Blank => r += 1,
            Line::Header(names) => {
                for (c, name) in names.iter().enumerate() {
                    ws.write_string(r, c as u16, name).expect("write");
                }
                r += 1;
            }
            Line::Grouped(groups) => {
                let mut c: u16 = 0;
                for (label, subs) in groups {
                    if subs.is_empty() {
                        ws.merge_range(r, c, r + 1, c, label, &plain)
                            .expect("merge");
                        c += 1;
                        continue;
                    }
                    let end = c + subs.len() as u16 - 1;
                    ws.merge_range(r, c, r, end, label, &plain).expect("merge");
                    for (i, sub) in subs.iter().enumerate() {
                        ws.write_string(r + 1, c + i as u16, sub).expect("write");
                    }
                    c = end + 1;
                }
                r += 2;
            }
            Line::Numbers(count) => {
                for c in 0..*count {
                    ws.write_string(r, c as u16, format!("({})", c + 1))
                        .expect("write");
                }
                r += 1;
            }
            Line::Row(values) => {
                write_row(ws, r, 0, values);
                r += 1;
            }
            Line::Block(col, rows) => {
                let first = r;
                for row in rows {
                    for (i, v) in row.iter().flatten().enumerate() {
                        if r == first || i != *col {
                            write_row(ws, r, i as u16, std::slice::from_ref(v));
                        }
                    }
                    r += 1;
                }
                let top = rows
                    .first()
                    .and_then(|v| v.as_ref())
                    .and_then(|v| v.get(*col));
                if let (true, Some(V::Text(s))) = (r - first > 1, top) {
                    let c = *col as u16;
                    ws.merge_range(first, c, r - 1, c, s, &plain)
                        .expect("merge");
                }
            }
            Line::Total(span, values) => {
                ws.merge_range(r, 0, r, *span as u16 - 1, "JUMLAH", &plain)
                    .expect("merge");
                write_row(ws, r, *span as u16, values);
                r += 1;
            }
            Line::Signature(texts) => {
                r += 1;
                let c0 = sheet.width.saturating_sub(3);
                for text in texts {
                    ws.merge_range(r, c0, r, last, text, &plain).expect("merge");
                    r += 1;
                }
            }
        }
    }
}

fn write_row(ws: &mut Worksheet, r: u32, c0: u16, values: &[V]) {
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (i, v) in values.iter().enumerate() {
        let c = c0 + i as u16;
        match v {
            V::Empty => {}
            V::Text(s) => {
                ws.write_string(r, c, s).expect("write");
            }
            V::Num(x) => {
                ws.write_number(r, c, *x).expect("write");
            }
            V::Date(day) => {
                let when =
                    ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)
                        .expect("a real date");
                ws.write_datetime_with_format(r, c, &when, &date)
                    .expect("write");
            }
            V::Formula(f, cached) => {
                let formula = Formula::new(f).set_result(cached.to_string());
                ws.write_formula(r, c, formula).expect("write");
            }
        }
    }
}

/// A fresh, empty folder under the system temp dir.
pub fn scratch(name: &str) -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "simpul-fkblkk-{}-{}-{name}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

/// Load a folder with the test secret.
pub fn load(dir: &Path) -> FkblkkData {
    FkblkkData::load(&FkblkkConfig::new(dir, SECRET)).expect("the folder loads")
}

/// Every finding and warning as one text, to check that no personal value leaks.
pub fn everything_said(data: &FkblkkData) -> String {
    let mut out = String::new();
    for f in data.rejected.iter().chain(&data.notices) {
        out.push_str(&format!(
            "{} {:?} {} {:?} {}\n",
            f.source, f.line, f.code, f.key, f.reason
        ));
    }
    for w in data.warnings() {
        out.push_str(&format!("{} {:?} {}\n", w.code, w.field, w.message));
    }
    out
}
