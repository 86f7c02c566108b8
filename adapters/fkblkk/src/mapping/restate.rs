//! Which restated row wins (contract §4), before anything is validated: per sheet and key, the
//! row from the latest workbook; for `Peserta`, a batch's whole list from the latest workbook
//! that lists the batch. Rows without a key are kept (the mappers validate and skip them, in
//! every workbook). A second row with the same key in the winning workbook is skipped here
//! (`DUPLICATE_ROW` when identical but for `No`, else `DUPLICATE_KEY_CONFLICT`).

use std::collections::HashMap;

use crate::cells::{self, fold, Read};
use crate::findings::Findings;
use crate::sheets::SheetKind;
use crate::workbook::{Row, Table};

/// The winning rows of each data sheet, oldest workbook first, then by row.
#[derive(Debug, Default)]
pub struct Winners<'a> {
    /// `Profil BLKK`.
    pub profil: Vec<&'a Row>,
    /// `Pelatihan`.
    pub pelatihan: Vec<&'a Row>,
    /// `Peserta`.
    pub peserta: Vec<&'a Row>,
    /// `Alumni`.
    pub alumni: Vec<&'a Row>,
    /// `Kemitraan`.
    pub kemitraan: Vec<&'a Row>,
}

/// A record code as a key: trimmed, upper case.
pub fn code(row: &Row, column: &str) -> Option<String> {
    cells::text(row.cell(column))
        .value()
        .map(|c| c.to_uppercase())
}

/// Apply §4 to the tables (given in workbook order).
pub fn winners<'a>(tables: &'a [Table], findings: &mut Findings) -> Winners<'a> {
    let rows = |kind: SheetKind| {
        tables
            .iter()
            .filter(move |t| t.kind == kind)
            .flat_map(|t| t.rows.iter())
    };
    let nik_key = |row: &Row| match cells::nik(row.cell("NIK")) {
        Read::Ok(n) | Read::Noted(n, _) => Some(n.as_str().to_owned()),
        _ => None,
    };
    Winners {
        profil: latest(rows(SheetKind::Profil), |r| code(r, "Kode BLKK"), findings),
        pelatihan: latest(
            rows(SheetKind::Pelatihan),
            |r| code(r, "Kode Pelatihan"),
            findings,
        ),
        peserta: latest_lists(rows(SheetKind::Peserta)),
        alumni: latest(
            rows(SheetKind::Alumni),
            |r| Some(format!("{}/{}", code(r, "Kode Pelatihan")?, nik_key(r)?)),
            findings,
        ),
        kemitraan: latest(
            rows(SheetKind::Kemitraan),
            |r| {
                let partner = fold(&cells::text(r.cell("Nama Mitra")).value()?);
                let form = cells::text(r.cell("Bentuk Kerja Sama")).value();
                let form = fold(&form.unwrap_or_default());
                Some(format!("{}/{partner}/{form}", code(r, "Kode BLKK")?))
            },
            findings,
        ),
    }
}

/// Latest workbook wins per key; keyless rows all stay.
fn latest<'a>(
    rows: impl Iterator<Item = &'a Row>,
    key: impl Fn(&Row) -> Option<String>,
    findings: &mut Findings,
) -> Vec<&'a Row> {
    let mut by_key: HashMap<String, Vec<&'a Row>> = HashMap::new();
    let mut out = Vec::new();
    for row in rows {
        match key(row) {
            None => out.push(row),
            Some(k) => {
                let rows = by_key.entry(k).or_default();
                if rows
                    .first()
                    .is_some_and(|r| r.origin.order < row.origin.order)
                {
                    rows.clear();
                }
                rows.push(row);
            }
        }
    }
    // The key is not repeated in the reason: an alumni row's key holds a NIK.
    for rows in by_key.into_values() {
        let (first, later) = rows.split_first().expect("never empty");
        out.push(first);
        for row in later {
            let code = duplicate_code(first, row);
            let reason = format!(
                "row {}: same key as row {} of this sheet; row {} kept",
                row.line, first.line, first.line
            );
            findings.reject(
                &row.origin.at(),
                Some(row.line),
                code,
                Some(format!("row {}", row.line)),
                reason,
            );
        }
    }
    out.sort_by_key(|r| (r.origin.order, r.line));
    out
}

/// `DUPLICATE_ROW` when `b` equals `a` in every column but `No`, else `DUPLICATE_KEY_CONFLICT`.
pub fn duplicate_code(a: &Row, b: &Row) -> &'static str {
    let strip = |r: &Row| {
        let mut c = r.cells.clone();
        c.remove("No");
        c
    };
    if strip(a) == strip(b) {
        "DUPLICATE_ROW"
    } else {
        "DUPLICATE_KEY_CONFLICT"
    }
}

/// `Peserta`: each batch's rows from the latest workbook that has any row for it.
fn latest_lists<'a>(rows: impl Iterator<Item = &'a Row>) -> Vec<&'a Row> {
    let rows: Vec<&Row> = rows.collect();
    let mut latest: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        if let Some(batch) = code(row, "Kode Pelatihan") {
            let order = latest.entry(batch).or_default();
            *order = (*order).max(row.origin.order);
        }
    }
    rows.into_iter()
        .filter(|r| code(r, "Kode Pelatihan").is_none_or(|b| latest[&b] == r.origin.order))
        .collect()
}
