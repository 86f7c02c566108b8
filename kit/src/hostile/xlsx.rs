//! Excel workbooks (FK-BLKK's kind: a folder of quarterly workbooks, one sheet per table, a
//! header found by its content). A [`Book`] is a workbook's cells and merged ranges, read
//! with calamine and written with rust_xlsxwriter, so a case edits cells as a provider's
//! operator would: a NIK typed as a number (15 significant digits, as Excel keeps), a date
//! typed as text, a sheet emptied, a column added or removed, a row copied.

use std::path::Path;
use std::sync::Arc;

pub use super::workbook::{Book, Sheet, XCell};
use super::{Case, Expect, Touch};

/// What the cases corrupt: a sheet of one workbook and the columns they need.
#[derive(Debug, Clone)]
pub struct Target {
    /// The workbook's file name.
    pub file: &'static str,
    /// The sheet.
    pub sheet: &'static str,
    /// The header text of the column that finds the header row.
    pub key: &'static str,
    /// The collections served from the sheet.
    pub collections: &'static [&'static str],
    /// A NIK column.
    pub nik: &'static str,
    /// A person's name.
    pub name: &'static str,
    /// A date column.
    pub date: &'static str,
    /// A phone number column.
    pub phone: &'static str,
    /// An optional free-text column.
    pub optional_text: &'static str,
}

/// A corruption of the target sheet.
pub type Corruption = Arc<dyn Fn(&mut Sheet) + Send + Sync>;

impl Sheet {
    /// The header row and the index of the column titled `title` in it.
    pub fn find(&self, key: &str, title: &str) -> (usize, usize) {
        let text = |c: &XCell| matches!(c, XCell::Text(t) if t.trim() == title);
        let keyed = |row: &Vec<XCell>| {
            row.iter()
                .any(|c| matches!(c, XCell::Text(t) if t.trim() == key))
        };
        let header = self.cells.iter().position(keyed).expect("the header row");
        let column = self.cells[header..header + 2]
            .iter()
            .find_map(|row| row.iter().position(text))
            .unwrap_or_else(|| panic!("no column {title}"));
        (header, column)
    }

    /// The rows under the header whose `name` cell holds text.
    pub fn data_rows<'a>(
        &'a self,
        key: &str,
        name: &str,
    ) -> impl DoubleEndedIterator<Item = usize> + 'a {
        let (header, column) = self.find(key, name);
        let text = move |r: &usize| matches!(self.cells[*r].get(column), Some(XCell::Text(t)) if !t.trim().is_empty());
        (header + 1..self.cells.len()).filter(text)
    }

    /// The victim: the third data row.
    pub fn victim(&self, key: &str, name: &str) -> usize {
        self.data_rows(key, name).nth(2).expect("three data rows")
    }

    /// The victim's cell under `title`.
    fn cell(&mut self, key: &str, name: &str, title: &str) -> &mut XCell {
        let (row, (_, column)) = (self.victim(key, name), self.find(key, title));
        let cells = &mut self.cells[row];
        if cells.len() <= column {
            cells.resize(column + 1, XCell::Empty);
        }
        &mut cells[column]
    }

    /// Insert `row` before row `at`, moving merges below it down.
    fn insert(&mut self, at: usize, row: Vec<XCell>) {
        self.cells.insert(at, row);
        for m in &mut self.merges {
            if m.0 as usize >= at {
                m.0 += 1;
                m.2 += 1;
            }
        }
    }
}

/// The text of a cell for the victim's identity (its NIK as the sheet has it).
fn text(cell: &XCell) -> String {
    match cell {
        XCell::Text(t) => t.trim().to_owned(),
        XCell::Number(n) => format!("{n:.0}"),
        _ => String::new(),
    }
}

/// Every workbook case on `target`; the victim is read from `book`.
pub fn cases(book: &Book, target: &Target) -> Vec<Case<Corruption>> {
    let sheet = book
        .sheets
        .iter()
        .find(|s| s.name.trim() == target.sheet)
        .expect("the target sheet");
    let t = target.clone();
    let victim = sheet.victim(t.key, t.name);
    let nik = text(&sheet.cells[victim][sheet.find(t.key, t.nik).1]);
    let row = || vec![Touch::Person(nik.clone())];
    let all = || {
        t.collections
            .iter()
            .map(|c| Touch::All(c))
            .collect::<Vec<_>>()
    };
    let emptied = || {
        let mut touches = all();
        touches.push(Touch::Source(t.sheet));
        touches
    };
    let case = |name, corrupts, touches, expect, corruption: Corruption| Case {
        name,
        corrupts,
        touches,
        expect,
        corruption,
    };
    let set = |title: &'static str, value: fn(&XCell) -> XCell| -> Corruption {
        let (key, name) = (t.key, t.name);
        Arc::new(move |s: &mut Sheet| {
            let cell = s.cell(key, name, title);
            *cell = value(cell);
        })
    };
    let (key, name) = (t.key, t.name);
    vec![
        case(
            "xlsx/empty-sheet",
            "the sheet has no cells",
            emptied(),
            Expect::Either,
            Arc::new(|s| {
                s.cells.clear();
                s.merges.clear();
            }),
        ),
        case(
            "xlsx/header-only",
            "the sheet's rows under the header are gone",
            emptied(),
            Expect::Either,
            Arc::new(move |s| {
                let (header, _) = s.find(key, name);
                // The header is one row, or two under a group label merged across columns.
                let two_rows = s.merges.iter().any(|m| m.0 as usize == header && m.3 > m.1);
                let keep = header + 1 + usize::from(two_rows);
                s.cells.truncate(keep);
                s.merges.retain(|m| (m.0 as usize) < keep);
            }),
        ),
        case(
            "xlsx/nik-as-number",
            "the NIK typed as a number (Excel keeps 15 digits)",
            row(),
            Expect::Either,
            set(t.nik, |c| match c {
                XCell::Text(t) => t.trim().parse::<f64>().map_or(c.clone(), |n| {
                    XCell::Number(format!("{n:.14e}").parse().unwrap_or(n))
                }),
                _ => c.clone(),
            }),
        ),
        case(
            "xlsx/phone-as-number",
            "the phone number typed as a number (no leading zero)",
            row(),
            Expect::Restored("PHONE"),
            set(t.phone, |c| match c {
                XCell::Text(t) => t.trim().parse::<f64>().map_or(c.clone(), XCell::Number),
                _ => c.clone(),
            }),
        ),
        case(
            "xlsx/date-as-text",
            "the date typed as text dd-mm-yyyy",
            row(),
            Expect::Restored("DATE"),
            set(t.date, |c| match c {
                XCell::Date(n) => XCell::Text(serial_text(*n)),
                _ => c.clone(),
            }),
        ),
        case(
            "xlsx/wrong-type-optional",
            "the date holds `belum ada`",
            row(),
            Expect::Either,
            set(t.date, |_| XCell::Text("belum ada".into())),
        ),
        case(
            "xlsx/nfd-text",
            "the name gains an accented letter in NFD",
            row(),
            Expect::Noticed("NFC"),
            set(t.name, |c| XCell::Text(format!("{} Andre\u{301}", text(c)))),
        ),
        case(
            "xlsx/stray-whitespace",
            "the name and NIK padded with spaces",
            row(),
            Expect::Same,
            {
                let fields = [t.name, t.nik];
                Arc::new(move |s| {
                    for f in fields {
                        let cell = s.cell(key, name, f);
                        if let XCell::Text(v) = cell {
                            *v = format!("  {v} \t");
                        }
                    }
                })
            },
        ),
        case(
            "xlsx/huge-cell",
            "a 32,767-character note (Excel's largest)",
            row(),
            Expect::Either,
            set(t.optional_text, |_| XCell::Text("x".repeat(32_767))),
        ),
        case(
            "xlsx/duplicate-row",
            "the victim row twice, the copy with another note",
            row(),
            Expect::Reported,
            {
                let note = t.optional_text;
                Arc::new(move |s| {
                    let at = s.victim(key, name);
                    let mut copy = s.cells[at].clone();
                    // After the last data row, so no other row moves.
                    let last = s.data_rows(key, name).next_back().unwrap_or(at);
                    let column = s.find(key, note).1;
                    if copy.len() <= column {
                        copy.resize(column + 1, XCell::Empty);
                    }
                    copy[column] = XCell::Text("salinan".into());
                    s.insert(last + 1, copy);
                })
            },
        ),
        case(
            "xlsx/unknown-column",
            "a column the contract does not know, filled",
            vec![],
            Expect::Ignored("UNKNOWN"),
            Arc::new(move |s| {
                let (header, _) = s.find(key, name);
                let width = s.cells[header].len();
                for (r, row) in s.cells.iter_mut().enumerate().skip(header) {
                    row.resize(width + 1, XCell::Empty);
                    row[width] = XCell::Text(if r == header {
                        "Catatan Operator".into()
                    } else {
                        "dicek".into()
                    });
                }
            }),
        ),
        case(
            "xlsx/missing-optional-column",
            "the optional note column is gone",
            all(),
            Expect::Noticed("MISSING"),
            {
                let note = t.optional_text;
                Arc::new(move |s| {
                    let (_, column) = s.find(key, note);
                    for row in &mut s.cells {
                        if column < row.len() {
                            row[column] = XCell::Empty;
                        }
                    }
                })
            },
        ),
    ]
}

/// An Excel serial date as `dd-mm-yyyy`.
fn serial_text(serial: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date");
    let day = base + chrono::Duration::days(serial.floor() as i64);
    day.format("%d-%m-%Y").to_string()
}

/// Apply `corruption` to `target.sheet` of the workbook at `path`, in place.
///
/// # Errors
/// The workbook could not be read or written.
pub fn apply(path: &Path, target: &Target, corruption: &Corruption) -> Result<(), String> {
    let mut book = Book::read(path)?;
    if let Some(sheet) = book
        .sheets
        .iter_mut()
        .find(|s| s.name.trim() == target.sheet)
    {
        corruption(sheet);
    }
    book.write(path)
}
