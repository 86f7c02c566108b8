//! Writing a response out: `table` (aligned columns for people), `csv` (RFC 4180, one table)
//! and `json` (the whole response, pretty-printed, fields in the gateway's order).

use std::io::Write;

use anyhow::{bail, Result};

use super::response::Json;
use super::rows::{sections, Section, Table};

/// Longest cell a table shows, in characters; longer ones end in `…`.
pub(crate) const MAX_CELL_CHARS: usize = 48;

/// Two spaces between columns.
const GAP: &str = "  ";

/// The whole response, pretty-printed.
pub(crate) fn json(body: &Json, out: &mut impl Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, body)?;
    writeln!(out)?;
    Ok(())
}

/// `data` as aligned tables: one per root field with rows (headed `== field ==` when there
/// are several), the scalars beside the rows under each, and root fields without rows
/// as `field`/`value` rows.
pub(crate) fn table(data: &Json, out: &mut impl Write) -> Result<()> {
    let sections = sections(data);
    let headed = sections.len() > 1;
    for (i, section) in sections.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        match section {
            Section::Rows {
                field,
                table,
                beside,
            } => {
                if headed {
                    writeln!(out, "== {field} ==")?;
                }
                aligned(table, out)?;
                let count = match table.rows.len() {
                    1 => "1 row".to_owned(),
                    n => format!("{n} rows"),
                };
                let beside: Vec<String> = beside.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                if beside.is_empty() {
                    writeln!(out, "({count})")?;
                } else {
                    writeln!(out, "({count}; {})", beside.join(", "))?;
                }
            }
            Section::Fields(table) => aligned(table, out)?,
        }
    }
    Ok(())
}

/// `data` as CSV: the one root field with rows (the scalars beside them left out), or the
/// `field`/`value` rows when no root field has rows. Several root fields with rows are an
/// error: CSV holds one table.
pub(crate) fn csv(data: &Json, out: &mut impl Write) -> Result<()> {
    let sections = sections(data);
    let with_rows: Vec<(&String, &Table)> = sections
        .iter()
        .filter_map(|s| match s {
            Section::Rows { field, table, .. } => Some((field, table)),
            Section::Fields(_) => None,
        })
        .collect();
    let table = match with_rows.as_slice() {
        [(_, table)] => *table,
        [] => match sections.first() {
            Some(Section::Fields(table)) => table,
            _ => return Ok(()),
        },
        several => {
            let names: Vec<&str> = several.iter().map(|(f, _)| f.as_str()).collect();
            bail!(
                "CSV holds one table, but {} root fields have rows ({}): query one of them per file, or use --format table or json",
                names.len(),
                names.join(", ")
            );
        }
    };
    let mut writer = csv::Writer::from_writer(out);
    if !table.columns.is_empty() {
        writer.write_record(&table.columns)?;
    }
    for row in &table.rows {
        writer.write_record(row)?;
    }
    writer.flush()?;
    Ok(())
}

/// A table with a header and a rule, columns padded to their widest cell; numeric columns
/// right-aligned.
fn aligned(table: &Table, out: &mut impl Write) -> Result<()> {
    if table.columns.is_empty() {
        return Ok(());
    }
    let header: Vec<String> = table.columns.iter().map(|c| cell(c)).collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| cell(c)).collect())
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|row| row[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> = (0..header.len())
        .map(|i| {
            rows.iter().any(|row| !row[i].is_empty())
                && rows
                    .iter()
                    .all(|row| row[i].is_empty() || row[i].parse::<f64>().is_ok())
        })
        .collect();
    let line = |cells: &[String], out: &mut dyn Write| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push_str(GAP);
            }
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if numeric[i] {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(&header, out)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&rule, out)?;
    for row in &rows {
        line(row, out)?;
    }
    Ok(())
}

/// A cell as a table shows it: one line, at most [`MAX_CELL_CHARS`] characters.
fn cell(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= MAX_CELL_CHARS {
        return one_line;
    }
    let mut short: String = one_line.chars().take(MAX_CELL_CHARS - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(f: fn(&Json, &mut Vec<u8>) -> Result<()>, data: &str) -> Result<String> {
        let data: Json = serde_json::from_str(data).unwrap();
        let mut out = Vec::new();
        f(&data, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    const COURSES: &str = r#"{"courses":{"totalCount":2,"nodes":[
        {"name":"Las, \"listrik\"","capacity":16,"trainingCenter":{"name":"BBPLK Serang"}},
        {"name":"Menjahit","capacity":8,"trainingCenter":null}]}}"#;

    #[test]
    fn table_aligns_and_counts() {
        let text = render(table, COURSES).unwrap();
        assert_eq!(
            text,
            "name            capacity  trainingCenter.name\n\
             --------------  --------  -------------------\n\
             Las, \"listrik\"        16  BBPLK Serang\n\
             Menjahit               8\n\
             (2 rows; totalCount: 2)\n"
        );
    }

    #[test]
    fn csv_quotes_as_rfc_4180_says() {
        let text = render(csv, COURSES).unwrap();
        assert_eq!(
            text,
            "name,capacity,trainingCenter.name\n\"Las, \"\"listrik\"\"\",16,BBPLK Serang\nMenjahit,8,\n"
        );
    }

    #[test]
    fn csv_refuses_two_tables() {
        let error = render(csv, r#"{"a":{"nodes":[{"x":1}]},"b":[{"y":2}]}"#).unwrap_err();
        assert!(error.to_string().contains("(a, b)"), "{error}");
    }

    #[test]
    fn long_cells_are_cut_with_an_ellipsis() {
        let long = "x".repeat(100);
        let shown = cell(&long);
        assert_eq!(shown.chars().count(), MAX_CELL_CHARS);
        assert!(shown.ends_with('…'));
        assert_eq!(cell("a\nb"), "a b");
    }

    #[test]
    fn several_root_fields_get_headings() {
        let text = render(
            table,
            r#"{"providers":[{"key":"spn"}],"courses":{"totalCount":0}}"#,
        )
        .unwrap();
        assert_eq!(
            text,
            "== providers ==\nkey\n---\nspn\n(1 row)\n\n\
             field               value\n\
             ------------------  -----\n\
             courses.totalCount      0\n"
        );
    }
}
