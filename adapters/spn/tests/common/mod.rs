//! Test helpers: throw-away export folders under the system temp dir (std only), a minimal valid
//! export, and a `peserta.csv` row builder with defaults. All people here are synthetic.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use simpul_adapter_spn::{SpnConfig, SpnData, SpnError};
use simpul_schema::{Collection, QueryRequest, QueryResponse};

/// A synthetic, valid NIK: registered in Maja (360213), woman born 15/03/1990 (55 = 15 + 40).
pub const NIK_A: &str = "3602135503909401";
/// Another: man registered in Rangkasbitung (360214), born 02/11/1985.
pub const NIK_B: &str = "3602140211859402";

pub const PUSAT: &str = "kode_pusat;nama_pusat;kode_wilayah\nSPN-TC-01;Pusat Uji;36.02.13.2007\n";
pub const PELATIHAN: &str = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai;tgl_selesai\n\
    SPN-PL-2023-01;SPN-TC-01;Kursus Uji;03/04/2023;07/04/2023\n";
pub const HASIL: &str =
    "id_peserta;kode_pelatihan;status_hasil\nSPN-P-0001;SPN-PL-2023-01;Wirausaha\n";
pub const KERJASAMA: &str =
    "kode_kerjasama;kode_pusat;nama_mitra\nKS-2023-001;SPN-TC-01;Mitra Uji (fiktif)\n";

pub const PESERTA_COLUMNS: [&str; 21] = [
    "no",
    "id_peserta",
    "kode_pelatihan",
    "nama_lengkap",
    "nik",
    "jenis_kelamin",
    "tempat_lahir",
    "tgl_lahir",
    "no_hp",
    "alamat",
    "desa_kelurahan",
    "kecamatan",
    "kab_kota",
    "pendidikan_terakhir",
    "status_anggota",
    "no_kta",
    "perusahaan_terakhir",
    "status_kerja",
    "tgl_phk",
    "tgl_daftar",
    "status_kelulusan",
];

/// Quote a cell the RFC 4180 way when needed.
pub fn cell(v: &str) -> String {
    if v.contains([';', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// One `peserta.csv` line in [`PESERTA_COLUMNS`] order: defaults for person SPN-P-0001 in
/// SPN-PL-2023-01, with `overrides`.
pub fn peserta_row(overrides: &[(&str, &str)]) -> String {
    let defaults = [
        ("id_peserta", "SPN-P-0001"),
        ("kode_pelatihan", "SPN-PL-2023-01"),
        ("nama_lengkap", "Nama Uji"),
        ("nik", NIK_A),
        ("jenis_kelamin", "P"),
        ("tgl_lahir", "15/03/1990"),
        ("tgl_daftar", "01/03/2023"),
        ("status_kelulusan", "Lulus"),
    ];
    PESERTA_COLUMNS
        .iter()
        .map(|c| {
            let v = overrides
                .iter()
                .chain(defaults.iter())
                .find(|(k, _)| k == c)
                .map_or("", |(_, v)| *v);
            cell(v)
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// A `peserta.csv` text with the full header and these lines.
pub fn peserta(rows: &[String]) -> String {
    let mut s = PESERTA_COLUMNS.join(";");
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}

/// A temporary export folder, removed on drop.
pub struct Folder {
    pub path: PathBuf,
}

impl Folder {
    /// An empty folder with a unique name.
    pub fn empty(name: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "simpul-spn-test-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp folder");
        Self { path }
    }

    /// The minimal valid export, with some files replaced (`None` = file absent).
    pub fn with(name: &str, files: &[(&str, Option<&[u8]>)]) -> Self {
        let folder = Self::empty(name);
        let default_peserta = peserta(&[peserta_row(&[])]);
        let base: [(&str, &[u8]); 5] = [
            ("pusat_pelatihan.csv", PUSAT.as_bytes()),
            ("pelatihan.csv", PELATIHAN.as_bytes()),
            ("peserta.csv", default_peserta.as_bytes()),
            ("hasil.csv", HASIL.as_bytes()),
            ("kerjasama.csv", KERJASAMA.as_bytes()),
        ];
        for (file, content) in base {
            let content = match files.iter().find(|(f, _)| *f == file) {
                Some((_, replacement)) => *replacement,
                None => Some(content),
            };
            if let Some(content) = content {
                folder.write(file, content);
            }
        }
        folder
    }

    /// [`Folder::with`] for text files.
    pub fn with_text(name: &str, files: &[(&str, &str)]) -> Self {
        let files: Vec<(&str, Option<&[u8]>)> = files
            .iter()
            .map(|(f, c)| (*f, Some(c.as_bytes())))
            .collect();
        Self::with(name, &files)
    }

    pub fn write(&self, file: &str, content: impl AsRef<[u8]>) {
        std::fs::write(self.path.join(file), content).expect("write fixture");
    }

    pub fn load(&self) -> Result<SpnData, SpnError> {
        SpnData::load(&SpnConfig::new(&self.path))
    }

    /// Load, panicking on a file-level error (the test expects none).
    pub fn data(&self) -> SpnData {
        match self.load() {
            Ok(d) => d,
            Err(e) => panic!("load failed: {e}"),
        }
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Whether any warning on any record of `data` has `code`.
pub fn codes(warnings: &[simpul_schema::DataWarning]) -> Vec<&str> {
    warnings.iter().map(|w| w.code.as_str()).collect()
}

/// Run a query, panicking on a filter error.
pub fn query(data: &SpnData, collection: Collection, include_pii: bool) -> QueryResponse {
    let mut request = QueryRequest::all(collection);
    request.include_pii = include_pii;
    data.query(&request).expect("query")
}
