//! The sample data a generated adapter carries in `sample/`, so that it has something to serve
//! (and `simpul adapter test` something to check) before it reads the real provider: a few
//! training centres, the same in every source kind, with the defects real sources have (a row
//! without an id, a second row with an id already seen, an unknown column, a region code
//! without dots, one that is no code at all, and in the CSV a row shifted by an unquoted
//! separator). Each kind gets them in its own format: a CSV file, a workbook written with
//! `rust_xlsxwriter`, a SQLite database written through sea-orm (with the SQL that made it),
//! a JSON list the sample API serves.

use std::path::Path;

use super::{ScaffoldError, SourceKind};

/// The sample's columns, in order. `notes` is one the adapter does not read.
pub const HEADER: [&str; 8] = [
    "id",
    "name",
    "type",
    "region_code",
    "phone",
    "email",
    "active",
    "notes",
];

/// The sample's rows: five good ones (one with a region code that is no code), then a row
/// without an id and a second `TC-002` with other content. An empty cell is `""`.
pub const ROWS: [[&str; 8]; 7] = [
    [
        "TC-001",
        "BLK Komunitas Al-Hidayah",
        "BLKK",
        "3603122001",
        "021-5551234",
        "blkk.alhidayah@example.org",
        "ya",
        "binaan pesantren",
    ],
    [
        "TC-002",
        "LPK Maju Bersama",
        "LPK",
        "36.71.01",
        "+62 21 5550 2000",
        "",
        "yes",
        "",
    ],
    [
        "TC-003",
        "BLK Komunitas Nurul Iman",
        "BLK Komunitas",
        "36.03.05",
        "",
        "",
        "tidak",
        "",
    ],
    [
        "TC-004",
        "Pusat Pelatihan Serikat Pekerja",
        "union",
        "36.71",
        "",
        "pelatihan@example.org",
        "",
        "",
    ],
    [
        "TC-005",
        "LKP Terampil Mandiri",
        "LKP",
        "36-03",
        "",
        "",
        "ya",
        "kode wilayah salah ketik",
    ],
    ["", "Pelatihan Tanpa Kode", "LPK", "36.03", "", "", "ya", ""],
    [
        "TC-002",
        "LPK Maju Bersama Cabang",
        "LPK",
        "36.71.01",
        "",
        "",
        "ya",
        "",
    ],
];

/// A CSV line whose name holds an unquoted `,`: one field too many.
const SHIFTED_CSV_LINE: &str = "TC-006,LPK Jaya, Abadi,LPK,36.03,,,ya,";

/// The files of the sample for `kind`, relative to the crate, with their bytes.
pub fn files(kind: SourceKind, dir: &Path) -> Result<Vec<(String, Vec<u8>)>, ScaffoldError> {
    Ok(match kind {
        SourceKind::Csv => vec![("sample/training_centers.csv".into(), csv().into_bytes())],
        SourceKind::Rest => vec![("sample/training_centers.json".into(), json().into_bytes())],
        SourceKind::Xlsx => vec![("sample/training_centers.xlsx".into(), xlsx(dir)?)],
        SourceKind::Sql => {
            let sql = sql();
            let database = sqlite(&sql, &dir.join("sample/training_centers.sqlite"))?;
            vec![
                ("sample/training_centers.sql".into(), sql.into_bytes()),
                ("sample/training_centers.sqlite".into(), database),
            ]
        }
    })
}

/// The sample as CSV: the rows, then the shifted line.
pub fn csv() -> String {
    let quote = |cell: &str| {
        if cell.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell.to_owned()
        }
    };
    let mut text = HEADER.join(",");
    text.push('\n');
    for row in ROWS {
        let cells: Vec<String> = row.iter().map(|c| quote(c)).collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text.push_str(SHIFTED_CSV_LINE);
    text.push('\n');
    text
}

/// The sample as the API's items: empty cells left out, and `TC-004`'s region code a JSON
/// number (the API's own mistake the adapter tolerates).
pub fn json() -> String {
    let items: Vec<serde_json::Value> = ROWS
        .iter()
        .map(|row| {
            let mut item = serde_json::Map::new();
            for (name, cell) in HEADER.iter().zip(row) {
                if cell.is_empty() {
                    continue;
                }
                let value = match (row[0], *name) {
                    ("TC-004", "region_code") => serde_json::json!(3671),
                    _ => serde_json::json!(cell),
                };
                item.insert((*name).to_owned(), value);
            }
            serde_json::Value::Object(item)
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_default();
    text.push('\n');
    text
}

/// The sample as a workbook, sheet `Centres`: `TC-001`'s region code is a number cell (as
/// Excel stores a code typed without dots).
fn xlsx(dir: &Path) -> Result<Vec<u8>, ScaffoldError> {
    let error = |e: rust_xlsxwriter::XlsxError| ScaffoldError::Sample {
        path: dir.join("sample/training_centers.xlsx"),
        reason: e.to_string(),
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Centres").map_err(error)?;
    for (c, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *name).map_err(error)?;
    }
    for (r, row) in ROWS.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                _ if cell.is_empty() => {}
                Ok(number) if HEADER[c] == "region_code" => {
                    sheet.write_number(r, c as u16, number).map_err(error)?;
                }
                _ => {
                    sheet.write_string(r, c as u16, *cell).map_err(error)?;
                }
            }
        }
    }
    book.save_to_buffer().map_err(error)
}

/// The SQL that creates the sample database: an `id` primary key (so no duplicate), `active`
/// as an integer, and `TC-006` without a name.
pub fn sql() -> String {
    let literal = |cell: &str| {
        if cell.is_empty() {
            "NULL".to_owned()
        } else {
            format!("'{}'", cell.replace('\'', "''"))
        }
    };
    let mut text = String::from(
        "-- The sample database of the generated adapter (sample/training_centers.sqlite):\n\
         --   sqlite3 sample/training_centers.sqlite < sample/training_centers.sql\n\
         CREATE TABLE training_centers (\n    id TEXT PRIMARY KEY,\n    name TEXT,\n    \
         type TEXT,\n    region_code TEXT,\n    phone TEXT,\n    email TEXT,\n    \
         active INTEGER,\n    notes TEXT\n);\n",
    );
    // The five good rows: a primary key allows neither a missing nor a repeated id.
    let mut rows: Vec<[&str; 8]> = ROWS[..5].to_vec();
    rows.push(["TC-006", "", "LPK", "36.03", "", "", "ya", ""]);
    for row in rows {
        let values: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| match (HEADER[c], *cell) {
                ("active", "ya" | "yes") => "1".to_owned(),
                ("active", "tidak") => "0".to_owned(),
                _ => literal(cell),
            })
            .collect();
        text.push_str(&format!(
            "INSERT INTO training_centers VALUES ({});\n",
            values.join(", ")
        ));
    }
    text
}

/// Run `sql` into a new SQLite database at `path` (through sea-orm, as the adapter reads it)
/// and return its bytes. Creates a runtime of its own: do not call from async code.
fn sqlite(sql: &str, path: &Path) -> Result<Vec<u8>, ScaffoldError> {
    use sea_orm::{ConnectOptions, ConnectionTrait, Database};

    let error = |reason: String| ScaffoldError::Sample {
        path: path.to_path_buf(),
        reason,
    };
    let scratch = std::env::temp_dir().join(format!(
        "simpul-scaffold-{}-{}.sqlite",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| error(e.to_string()))?;
    let url = format!("sqlite://{}?mode=rwc", scratch.display());
    let written = runtime.block_on(async {
        let mut options = ConnectOptions::new(url);
        options.sqlx_logging(false);
        let db = Database::connect(options).await?;
        db.execute_unprepared(sql).await?;
        db.close().await
    });
    let bytes = written
        .map_err(|e| error(e.to_string()))
        .and_then(|()| std::fs::read(&scratch).map_err(|e| error(e.to_string())));
    let _ = std::fs::remove_file(&scratch);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_has_a_header_seven_rows_and_a_shifted_one() {
        let text = csv();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 9);
        assert_eq!(lines[0].split(',').count(), HEADER.len());
        assert_eq!(lines[8].split(',').count(), HEADER.len() + 1);
    }

    #[test]
    fn the_json_leaves_empty_cells_out() {
        let items: Vec<serde_json::Value> = serde_json::from_str(&json()).unwrap();
        assert_eq!(items.len(), ROWS.len());
        assert!(items[5].get("id").is_none());
        assert_eq!(items[3]["region_code"], 3671);
    }

    #[test]
    fn the_sql_has_unique_ids_and_one_nameless_row() {
        let sql = sql();
        assert_eq!(sql.matches("INSERT").count(), 6);
        assert!(sql.contains("('TC-006', NULL,"));
    }
}
