//! Sources that restate: a folder of periodic workbooks, each repeating the rows of the one
//! before. Per key, the row from the latest workbook wins ([`latest`]); for a list restated
//! as a whole (a batch's participants), every row of the latest workbook that lists it
//! ([`latest_lists`]). A second row with the same key in the winning workbook is rejected
//! (`DUPLICATE_ROW` when identical but for `No`, else `DUPLICATE_KEY_CONFLICT`).

use std::collections::HashMap;

use crate::findings::Findings;
use crate::xlsx::Row;

/// Latest workbook wins per key; keyless rows all stay (the mapping validates them).
pub fn latest<'a>(
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
    // The key is not repeated in the reason: it may hold a NIK.
    for rows in by_key.into_values() {
        let (first, later) = rows.split_first().expect("never empty");
        out.push(first);
        for row in later {
            let code = duplicate_code(first, row);
            let reason = format!(
                "row {}: same key as row {} of this sheet; row {} kept",
                row.line, first.line, first.line
            );
            let key = Some(format!("row {}", row.line));
            findings.reject(&row.origin.at(), Some(row.line), code, key, reason);
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

/// Each list's rows (by `list` key) from the latest workbook that has any row for it; rows
/// without a list key all stay.
pub fn latest_lists<'a>(
    rows: impl Iterator<Item = &'a Row>,
    list: impl Fn(&Row) -> Option<String>,
) -> Vec<&'a Row> {
    let rows: Vec<&Row> = rows.collect();
    let mut latest: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        if let Some(key) = list(row) {
            let order = latest.entry(key).or_default();
            *order = (*order).max(row.origin.order);
        }
    }
    rows.into_iter()
        .filter(|r| list(r).is_none_or(|k| latest[&k] == r.origin.order))
        .collect()
}
