//! CSV folders (SPN's kind: one file per table, `;`-separated, quoted fields that may span
//! lines). [`cases`] corrupts one file of a copy of the baseline folder, described by a
//! [`Target`]: the whole file (empty, header only, a BOM), its header (an unknown column, an
//! optional column gone) or one victim row (the third), whose key the judge then watches.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Case, Expect, Touch};

/// The file the cases corrupt and the columns they need (by header name).
#[derive(Debug, Clone)]
pub struct Target {
    /// `peserta.csv`.
    pub file: &'static str,
    /// The column holding each row's key (part of its records' `sourceId`s).
    pub key: &'static str,
    /// The collections served from the file (and from rows that refer to it).
    pub collections: &'static [&'static str],
    /// A NIK column.
    pub nik: &'static str,
    /// A person's name.
    pub name: &'static str,
    /// A date (`dd/mm/yyyy` in the baseline).
    pub date: &'static str,
    /// A phone number with its leading zero.
    pub phone: &'static str,
    /// An optional free-text column.
    pub optional_text: &'static str,
    /// An optional date column.
    pub optional_date: &'static str,
}

/// One file's rows, parsed; written back quoted where needed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Whether it starts with a UTF-8 BOM.
    pub bom: bool,
    /// The header first, then the data rows.
    pub rows: Vec<Vec<String>>,
    /// The row the row-level cases corrupt (see [`Table::aim`]).
    pub victim: usize,
}

/// A corruption: of the target's table, or of the raw bytes of the folder.
pub type Corruption = Arc<dyn Fn(&mut Table) + Send + Sync>;

/// The victim: the third data row whose key no other row has (so the record it gives is its
/// own: a person on two rows takes their fields from one of them).
const VICTIM: usize = 3;

impl Table {
    /// Parse `;`-separated text (RFC 4180 quoting).
    pub fn parse(text: &str) -> Self {
        Self::parse_separated(text, ';')
    }

    /// Parse text separated by `separator` (RFC 4180 quoting).
    pub fn parse_separated(text: &str, separator: char) -> Self {
        let bom = text.starts_with('\u{feff}');
        let text = text.trim_start_matches('\u{feff}');
        let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
        let (mut quoted, mut chars) = (false, text.chars().peekable());
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (c, false) if c == separator => row.push(std::mem::take(&mut field)),
                ('\r', false) => {}
                ('\n', false) => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (c, _) => field.push(c),
            }
        }
        if !field.is_empty() || !row.is_empty() {
            row.push(field);
            rows.push(row);
        }
        Self {
            bom,
            rows,
            victim: VICTIM,
        }
    }

    /// The text of the table, `;`-separated.
    pub fn write(&self) -> String {
        self.write_separated(';')
    }

    /// The text of the table, separated by `separator`.
    pub fn write_separated(&self, separator: char) -> String {
        let quote = |f: &String| {
            if f.contains([separator, '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        };
        let mut text = if self.bom {
            "\u{feff}".to_owned()
        } else {
            String::new()
        };
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(quote).collect();
            text.push_str(&cells.join(&separator.to_string()));
            text.push('\n');
        }
        text
    }

    /// The index of a header column (panics on a target that names an absent column).
    pub fn column(&self, name: &str) -> usize {
        let header = &self.rows[0];
        header
            .iter()
            .position(|h| h.trim() == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    /// Aim at the third data row whose `key` is unique in the file.
    pub fn aim(&mut self, key: &str) {
        let at = self.column(key);
        let keys: Vec<&str> = self
            .rows
            .iter()
            .map(|r| r.get(at).map_or("", |k| k.trim()))
            .collect();
        let unique = |r: &usize| keys.iter().filter(|k| **k == keys[*r]).count() == 1;
        self.victim = (1..self.rows.len())
            .filter(unique)
            .nth(VICTIM - 1)
            .unwrap_or(VICTIM);
    }

    /// Set the victim's cell in `column`.
    fn set(&mut self, column: &str, value: impl Fn(&str) -> String) {
        let at = self.column(column);
        let cell = &mut self.rows[self.victim][at];
        *cell = value(cell);
    }
}

/// Read `target.file` of `dir`, apply `corruption`, write it back.
///
/// # Errors
/// The file could not be read or written.
pub fn apply(dir: &Path, target: &Target, corruption: &Corruption) -> std::io::Result<()> {
    let path = dir.join(target.file);
    let mut table = Table::parse(&std::fs::read_to_string(&path)?);
    table.aim(target.key);
    corruption(&mut table);
    std::fs::write(&path, table.write())
}

/// Copy every file of `from` into a new folder `to` (the baseline, to corrupt).
///
/// # Errors
/// The copy failed.
pub fn copy_folder(from: &Path, to: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(to.to_owned())
}

/// Every CSV case on `target`, whose victim key is read from `baseline`.
///
/// # Errors
/// The target file could not be read.
pub fn cases(baseline: &Path, target: &Target) -> std::io::Result<Vec<Case<Corruption>>> {
    let mut table = Table::parse(&std::fs::read_to_string(baseline.join(target.file))?);
    table.aim(target.key);
    let victim = table.rows[table.victim][table.column(target.key)]
        .trim()
        .to_owned();
    let all = || {
        target
            .collections
            .iter()
            .map(|c| Touch::All(c))
            .collect::<Vec<_>>()
    };
    let emptied = || {
        let mut touches = all();
        touches.push(Touch::Source(target.file));
        touches
    };
    let row = || vec![Touch::Id(victim.clone())];
    let t = target.clone();
    let case = |name, corrupts, touches, expect, corruption: Corruption| Case {
        name,
        corrupts,
        touches,
        expect,
        corruption,
    };
    Ok(vec![
        case(
            "csv/empty-file",
            "the file is 0 bytes",
            emptied(),
            Expect::Either,
            Arc::new(|t| t.rows.clear()),
        ),
        case(
            "csv/header-only",
            "the header and no rows",
            emptied(),
            Expect::Either,
            Arc::new(|t| t.rows.truncate(1)),
        ),
        case(
            "csv/bom",
            "a UTF-8 BOM where there was none, none where there was one",
            vec![],
            Expect::Same,
            Arc::new(|t| t.bom = !t.bom),
        ),
        case(
            "csv/too-many-fields",
            "the victim row has two fields more than the header",
            row(),
            Expect::Either,
            Arc::new(|t| t.rows[t.victim].extend(["x".into(), "y".into()])),
        ),
        case(
            "csv/too-few-fields",
            "the victim row lost its last three fields",
            row(),
            Expect::Either,
            Arc::new(|t| {
                let r = &mut t.rows[t.victim];
                r.truncate(r.len() - 3);
            }),
        ),
        case(
            "csv/wrong-type-optional",
            "an optional date holds `belum ada`",
            row(),
            Expect::Either,
            {
                let t = t.clone();
                Arc::new(move |x| x.set(t.optional_date, |_| "belum ada".into()))
            },
        ),
        case(
            "csv/nfd-text",
            "the victim's name gains an accented letter in NFD",
            row(),
            Expect::Noticed("NFC"),
            {
                let t = t.clone();
                Arc::new(move |x| x.set(t.name, |v| format!("{v} Andre\u{301}")))
            },
        ),
        case(
            "csv/duplicate-key",
            "the victim row twice, the copy with another note",
            row(),
            Expect::Reported,
            {
                let t = t.clone();
                Arc::new(move |x| {
                    let mut copy = x.rows[x.victim].clone();
                    copy[x.column(t.optional_text)] = "salinan".into();
                    x.rows.push(copy);
                })
            },
        ),
        case(
            "csv/huge-cell",
            "a 1 MB optional text cell",
            row(),
            Expect::Either,
            {
                let t = t.clone();
                Arc::new(move |x| x.set(t.optional_text, |_| "x".repeat(1 << 20)))
            },
        ),
        case(
            "csv/mixed-date",
            "the victim's date as yyyy-mm-dd among dd/mm/yyyy",
            row(),
            Expect::Restored("DATE"),
            {
                let t = t.clone();
                Arc::new(move |x| {
                    x.set(t.date, |v| {
                        let p: Vec<&str> = v.split('/').collect();
                        if p.len() == 3 {
                            format!("{}-{}-{}", p[2], p[1], p[0])
                        } else {
                            v.to_owned()
                        }
                    })
                })
            },
        ),
        case(
            "csv/nik-as-number",
            "the NIK as Excel saves a number: 3.60213540285930E+15",
            row(),
            Expect::Either,
            {
                let t = t.clone();
                Arc::new(move |x| x.set(t.nik, scientific))
            },
        ),
        case(
            "csv/nik-lost-digit",
            "the NIK with 15 digits (a digit lost in a spreadsheet)",
            row(),
            Expect::Either,
            {
                let t = t.clone();
                Arc::new(move |x| {
                    x.set(t.nik, |v| {
                        if v.len() == 16 {
                            v[..15].to_owned()
                        } else {
                            v.to_owned()
                        }
                    })
                })
            },
        ),
        case(
            "csv/phone-lost-zero",
            "the phone number without its leading zero",
            row(),
            Expect::Restored("PHONE"),
            {
                let t = t.clone();
                Arc::new(move |x| x.set(t.phone, national))
            },
        ),
        case(
            "csv/stray-whitespace",
            "every field of the victim row padded with spaces",
            row(),
            Expect::Same,
            Arc::new(|t| {
                for f in &mut t.rows[t.victim] {
                    if !f.is_empty() {
                        *f = format!("  {f} \t");
                    }
                }
            }),
        ),
        case(
            "csv/unknown-column",
            "a column the contract does not know, filled",
            vec![],
            Expect::Ignored("UNKNOWN"),
            Arc::new(|t| {
                for (i, r) in t.rows.iter_mut().enumerate() {
                    r.push(if i == 0 {
                        "catatan_operator".into()
                    } else {
                        format!("catatan {i}")
                    });
                }
            }),
        ),
        case(
            "csv/missing-optional-column",
            "the optional text column is gone",
            all(),
            Expect::Noticed("MISSING"),
            {
                let t = t.clone();
                Arc::new(move |x| {
                    let at = x.column(t.optional_text);
                    for r in &mut x.rows {
                        if at < r.len() {
                            r.remove(at);
                        }
                    }
                })
            },
        ),
    ])
}

/// `3602135402859301` as Excel writes a number: `3.60213540285930E+15`.
pub fn scientific(nik: &str) -> String {
    match nik.trim().parse::<f64>() {
        Ok(n) if nik.len() > 11 => format!("{n:.14E}").replace('E', "E+"),
        _ => nik.to_owned(),
    }
}

/// A phone number as a spreadsheet keeps it as a number: `+62 899-…` or `0899…` → `899…`.
pub fn national(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = digits
        .strip_prefix("62")
        .or_else(|| digits.strip_prefix('0'));
    national.unwrap_or(&digits).to_owned()
}
