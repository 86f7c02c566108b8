//! Small workbooks for the hostile tests: one BLKK, one batch and the rows a test needs, in the
//! template's columns, written in [`super::c`]'s notation (`#` numbers, `@` date cells).

use std::path::PathBuf;

use simpul_adapter_fkblkk::FkblkkData;
use simpul_schema::DataWarning;

use super::{c, load, scratch, write_workbook, Line, Sheet, V};

/// A woman registered in Cisoka, born 13/03/1990.
pub const NIK_A: &str = "3603055303909001";
/// A man registered in Cisoka, born 12/08/1985.
pub const NIK_B: &str = "3603051208859002";
/// A man registered in Balaraja, born 25/06/2000.
pub const NIK_C: &str = "3603012506009003";

pub const PROFIL: &[&str] = &[
    "No",
    "Kode BLKK",
    "Nama BLKK",
    "Desa/Kelurahan",
    "Kecamatan",
    "No. HP Pengelola",
    "Status",
];
pub const PELATIHAN: &[&str] = &[
    "No",
    "Kode Pelatihan",
    "Kode BLKK",
    "Kejuruan",
    "Program Pelatihan",
    "Angkatan",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Jumlah JP",
    "Jumlah Peserta Jml",
    "Sumber Dana",
    "Status",
];
pub const PESERTA: &[&str] = &[
    "No",
    "Kode Pelatihan",
    "Nama Peserta",
    "NIK",
    "L/P",
    "Tanggal Lahir",
    "Kecamatan",
    "Kab/Kota",
    "No. HP",
    "Status Peserta",
];
pub const ALUMNI: &[&str] = &[
    "No",
    "Kode Pelatihan",
    "Nama Alumni",
    "NIK",
    "Status Alumni",
    "Nama Usaha / Tempat Kerja",
    "Omzet per Bulan (Rp)",
];
pub const KEMITRAAN: &[&str] = &[
    "No",
    "Kode BLKK",
    "Nama Mitra",
    "Bentuk Kerja Sama",
    "Tanggal",
];

pub const TW1: &str = "Rekap_BLKK_KabTangerang_2025_TW1.xlsx";
pub const TW2: &str = "Rekap_BLKK_KabTangerang_2025_TW2.xlsx";

/// A row in `header`'s order from (column, compact cell) pairs; later pairs win.
pub fn row(header: &[&str], values: &[(&str, &str)]) -> Vec<V> {
    let cell = |h: &&str| {
        values
            .iter()
            .rev()
            .find(|(k, _)| k == h)
            .map_or(V::Empty, |(_, v)| c(v))
    };
    header.iter().map(cell).collect()
}

/// A sheet: a title, a blank row, the header on row 3, then `rows` from row 4.
pub fn sheet(name: &str, header: &[&str], rows: Vec<Vec<V>>) -> Sheet {
    let mut lines = vec![
        Line::Title(format!("DATA {}", name.to_uppercase())),
        Line::Blank,
    ];
    lines.push(Line::Header(header.iter().map(|s| s.to_string()).collect()));
    lines.extend(rows.into_iter().map(Line::Row));
    Sheet::new(name, header.len(), lines)
}

/// A BLKK in `kecamatan`.
pub fn centre(code: &str, kecamatan: &str) -> Vec<V> {
    let name = format!("BLK Komunitas Uji {code} (fiktif)");
    row(
        PROFIL,
        &[
            ("Kode BLKK", code),
            ("Nama BLKK", &name),
            ("Kecamatan", kecamatan),
            ("Status", "Aktif"),
        ],
    )
}

/// A completed PBK batch at `blkk`, 13 Jan – 21 Feb 2025, with `over` replacing cells.
pub fn batch(code: &str, blkk: &str, over: &[(&str, &str)]) -> Vec<V> {
    let mut values = vec![
        ("Kode Pelatihan", code),
        ("Kode BLKK", blkk),
        ("Kejuruan", "TIK"),
    ];
    values.extend([
        ("Program Pelatihan", "Operator Komputer"),
        ("Tanggal Mulai", "@2025-01-13"),
    ]);
    values.extend([
        ("Tanggal Selesai", "@2025-02-21"),
        ("Sumber Dana", "PBK"),
        ("Status", "Selesai"),
    ]);
    values.extend(over);
    row(PELATIHAN, &values)
}

/// A participant of `code` valid in every column (sex and birth date agree with `nik`), with
/// `over` replacing cells.
pub fn participant(code: &str, nik: &str, over: &[(&str, &str)]) -> Vec<V> {
    let (sex, born) = match nik {
        NIK_A => ("P", "@1990-03-13"),
        NIK_B => ("L", "@1985-08-12"),
        _ => ("L", "@2000-06-25"),
    };
    let mut values = vec![
        ("Kode Pelatihan", code),
        ("Nama Peserta", "Peserta Uji"),
        ("NIK", nik),
    ];
    values.extend([
        ("L/P", sex),
        ("Tanggal Lahir", born),
        ("Kecamatan", "Cisoka"),
    ]);
    values.extend([("No. HP", "089903199001"), ("Status Peserta", "Lulus")]);
    values.extend(over);
    row(PESERTA, &values)
}

/// An alumni row of `code` and `nik` with `status`, and `over`.
pub fn alumnus(code: &str, nik: &str, status: &str, over: &[(&str, &str)]) -> Vec<V> {
    let mut values = vec![
        ("Kode Pelatihan", code),
        ("NIK", nik),
        ("Status Alumni", status),
    ];
    values.extend(over);
    row(ALUMNI, &values)
}

/// One BLKK (BLKK-TNG-01, Cisoka), one batch (PLT-2025-001), `people` in it, then `extra`.
pub fn book(people: Vec<Vec<V>>, extra: Vec<Sheet>) -> Vec<Sheet> {
    let mut sheets = vec![
        sheet("Profil BLKK", PROFIL, vec![centre("BLKK-TNG-01", "Cisoka")]),
        sheet(
            "Pelatihan",
            PELATIHAN,
            vec![batch("PLT-2025-001", "BLKK-TNG-01", &[])],
        ),
        sheet("Peserta", PESERTA, people),
    ];
    sheets.extend(extra);
    sheets
}

/// A folder with these workbooks (each saved 2025-07-08 02:00 UTC).
pub fn folder(name: &str, books: &[(&str, Vec<Sheet>)]) -> PathBuf {
    let dir = scratch(name);
    for (file, sheets) in books {
        write_workbook(&dir.join(file), sheets, (2025, 7, 8, 2));
    }
    dir
}

/// Load one workbook (2025 TW1) of `sheets`.
pub fn one(name: &str, sheets: Vec<Sheet>) -> FkblkkData {
    load(&folder(name, &[(TW1, sheets)]))
}

/// (where, code, key) of every rejected unit, `where` without the TW1 file name.
pub fn rejected(data: &FkblkkData) -> Vec<(String, String, String)> {
    let at = |s: &str| s.replace(&format!("{TW1}!"), "");
    let key = |k: &Option<String>| k.clone().unwrap_or_default();
    data.rejected
        .iter()
        .map(|f| (at(&f.source), f.code.to_owned(), key(&f.key)))
        .collect()
}

/// (code, key) of every note.
pub fn noted(data: &FkblkkData) -> Vec<(String, String)> {
    let key = |k: &Option<String>| k.clone().unwrap_or_default();
    data.notices
        .iter()
        .map(|f| (f.code.to_owned(), key(&f.key)))
        .collect()
}

/// Whether a note with `code` and `key` was given.
pub fn has_note(data: &FkblkkData, code: &str, key: &str) -> bool {
    noted(data).contains(&(code.to_owned(), key.to_owned()))
}

/// The warnings with `code`.
pub fn warned<'a>(data: &'a FkblkkData, code: &str) -> Vec<&'a DataWarning> {
    data.warnings()
        .into_iter()
        .filter(|w| w.code == code)
        .collect()
}

/// No NIK, name or phone of these tests in any finding or warning.
pub fn no_personal_values(data: &FkblkkData) {
    let said = super::everything_said(data);
    for value in [
        NIK_A,
        NIK_B,
        NIK_C,
        "360305530390900",
        "089903199001",
        "Peserta Uji",
    ] {
        assert!(
            !said.contains(value),
            "a personal value in a finding:\n{said}"
        );
    }
}
