//! The grid logic of a sheet, independent of calamine: a cell's own value under merged ranges,
//! the header row by content, column names (group labels over a second header row, a
//! column-number row skipped), and the data rows (blank, total and signature rows dropped,
//! vertical merges filled).

use std::collections::HashMap;
use std::sync::Arc;

use calamine::Data;

use crate::findings::Findings;
use crate::layout::Layout;
use crate::read::Cell;
use crate::text::header_key;
use crate::xlsx::{Grid, Origin, Row, Table};

const EMPTY: Cell = Cell::Empty;

impl Grid {
    pub(crate) fn from_calamine(
        range: &calamine::Range<Data>,
        merges: &[calamine::Dimensions],
    ) -> Self {
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
    fn header_row(&self, layout: &'static Layout) -> Option<u32> {
        let key = header_key(layout.key_column);
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
        layout: &'static Layout,
        origin: Arc<Origin>,
        findings: &mut Findings,
    ) -> Option<Table> {
        let at = origin.at();
        let Some(header) = self.header_row(layout) else {
            let why = format!(
                "no row of the first 20 names `No` and `{}`",
                layout.key_column
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
            match layout.column(name) {
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
            layout
                .columns()
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
        let rows: Vec<_> = (first..self.cells.len() as u32)
            .filter_map(|r| self.data_row(r, header, layout, &columns, &origin))
            .collect();
        if rows.is_empty() {
            let why = "the sheet has its header and no rows: nothing from it is served";
            findings.notice(&at, "SHEET_NO_ROWS", layout.name, why);
        }
        Some(Table {
            layout: layout.name,
            rows,
        })
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
        layout: &'static Layout,
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
        let data = layout
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
    use chrono::NaiveDate;

    const LAYOUT: Layout = Layout {
        name: "Peserta",
        key_column: "Kode Pelatihan",
        columns: "No|*Kode Pelatihan|*Nama Peserta|Jumlah L|Jumlah P|Catatan",
        aliases: &[("Nama Lengkap", "Nama Peserta")],
    };

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    fn origin() -> Arc<Origin> {
        Arc::new(Origin {
            file: "a.xlsx".into(),
            sheet: "Peserta".into(),
            order: 0,
            as_of: NaiveDate::from_ymd_opt(2024, 3, 31).unwrap_or_default(),
        })
    }

    #[test]
    fn header_by_content_groups_numbers_totals_and_merges() {
        let e = || Cell::Empty;
        let cells = vec![
            vec![t("REKAP PESERTA"), e(), e(), e(), e(), e()],
            vec![
                t("No"),
                t("Kode\nPelatihan"),
                t("Nama Lengkap"),
                t("Jumlah"),
                e(),
                t("Golongan Darah"),
            ],
            vec![e(), e(), e(), t("L"), t("P"), e()],
            vec![t("(1)"), t("(2)"), t("(3)"), t("(4)"), t("(5)"), t("(6)")],
            vec![t("1"), t("PLT-1"), t("Ani"), t("1"), e(), e()],
            vec![t("2"), e(), t("Budi"), t("1"), e(), e()],
            vec![t("JUMLAH"), e(), e(), t("2"), e(), e()],
        ];
        // `Jumlah` groups L and P; `Kode Pelatihan` is merged down over rows 5–6.
        let merges = vec![(1, 3, 1, 4), (4, 1, 5, 1)];
        let grid = Grid { cells, merges };
        let mut findings = Findings::default();
        let table = grid
            .table(&LAYOUT, origin(), &mut findings)
            .expect("a table");
        let lines: Vec<u32> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(
            lines,
            [5, 6],
            "the column-number and total rows are not data"
        );
        assert_eq!(table.rows[1].cell("Kode Pelatihan"), &t("PLT-1"));
        assert_eq!(table.rows[0].cell("Nama Peserta"), &t("Ani"));
        assert_eq!(table.rows[0].cell("Jumlah L"), &t("1"));
        let notes: Vec<(&str, Option<&str>)> = findings
            .notices
            .iter()
            .map(|n| (n.code, n.key.as_deref()))
            .collect();
        assert!(notes.contains(&("UNKNOWN_COLUMN_IGNORED", Some("Golongan Darah"))));
        assert!(notes.contains(&("MISSING_OPTIONAL_COLUMNS", Some("header"))));
    }

    #[test]
    fn no_header_or_a_missing_required_column_rejects_the_sheet() {
        let mut findings = Findings::default();
        let grid = Grid {
            cells: vec![vec![t("Nama"), t("Alamat")]],
            merges: Vec::new(),
        };
        assert!(grid.table(&LAYOUT, origin(), &mut findings).is_none());
        let grid = Grid {
            cells: vec![vec![t("No"), t("Kode Pelatihan")], vec![t("1"), t("PLT-1")]],
            merges: Vec::new(),
        };
        assert!(grid.table(&LAYOUT, origin(), &mut findings).is_none());
        let codes: Vec<&str> = findings.rejected.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["HEADER_NOT_FOUND", "MISSING_REQUIRED_COLUMNS"]);
    }
}
