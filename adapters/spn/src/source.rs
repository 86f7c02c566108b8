//! Reading the SPN export folder: the five `;`-separated CSV files as the contract (§1)
//! delivers them, through the adapter toolkit's CSV reader (BOM, RFC 4180 quoting, columns by
//! name, line numbers, malformed rows, unknown and missing optional columns, NFC), into
//! [`RawTable`]s. This module owns the contract's files and columns and what happens when a
//! whole file is missing or unusable. No interpretation of values happens here; that is
//! [`crate::mapping`]'s job.

use std::path::Path;
use std::time::SystemTime;

use simpul_schema::SourceIssue;

pub use simpul_adapter_toolkit::csv::{FileSpec, RawRow, RawTable};

use crate::error::SpnError;

/// `pusat_pelatihan.csv`: training centres (contract §2).
/// `pusat_pelatihan.csv`: training centres (contract §2).
pub const PUSAT_PELATIHAN: FileSpec = FileSpec {
    name: "pusat_pelatihan.csv",
    required: &["kode_pusat", "nama_pusat"],
    optional: &[
        "alamat",
        "desa_kelurahan",
        "kecamatan",
        "kab_kota",
        "provinsi",
        "kode_wilayah",
        "luas_lahan_ha",
        "tgl_diresmikan",
        "fasilitas",
        "telepon",
        "email",
    ],
    may_be_absent: false,
};

/// `pelatihan.csv`: course batches (contract §3).
pub const PELATIHAN: FileSpec = FileSpec {
    name: "pelatihan.csv",
    required: &[
        "kode_pelatihan",
        "kode_pusat",
        "nama_pelatihan",
        "tgl_mulai",
    ],
    optional: &[
        "jenis_pelatihan",
        "bidang",
        "sasaran",
        "tgl_selesai",
        "jumlah_jam",
        "kuota",
        "mitra",
        "sumber_dana",
        "instruktur",
        "kode_kbji",
        "keterangan",
    ],
    may_be_absent: false,
};

/// `peserta.csv`: one row per enrolment (contract §4).
pub const PESERTA: FileSpec = FileSpec {
    name: "peserta.csv",
    required: &[
        "id_peserta",
        "kode_pelatihan",
        "nama_lengkap",
        "nik",
        "jenis_kelamin",
    ],
    optional: &[
        "no",
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
    ],
    may_be_absent: false,
};

/// `hasil.csv`: follow-up outcomes (contract §5). May be absent.
pub const HASIL: FileSpec = FileSpec {
    name: "hasil.csv",
    required: &["id_peserta", "kode_pelatihan", "status_hasil"],
    optional: &[
        "tgl_pembaruan",
        "nama_perusahaan",
        "jabatan",
        "jenis_usaha",
        "omzet_per_bulan",
        "keterangan",
    ],
    may_be_absent: true,
};

/// `kerjasama.csv`: agreements (contract §6). May be absent.
pub const KERJASAMA: FileSpec = FileSpec {
    name: "kerjasama.csv",
    required: &["kode_kerjasama", "kode_pusat", "nama_mitra"],
    optional: &[
        "jenis_dokumen",
        "nomor_dokumen",
        "tgl_tandatangan",
        "tgl_berakhir",
        "lokasi_tandatangan",
        "ruang_lingkup",
        "dukungan_mitra",
    ],
    may_be_absent: true,
};

/// The five files, in the order they are read.
pub const FILES: [FileSpec; 5] = [PUSAT_PELATIHAN, PELATIHAN, PESERTA, HASIL, KERJASAMA];

/// The whole export folder.
#[derive(Debug, Clone, Default)]
pub struct SpnFiles {
    /// `pusat_pelatihan.csv`.
    pub pusat_pelatihan: RawTable,
    /// `pelatihan.csv`.
    pub pelatihan: RawTable,
    /// `peserta.csv`.
    pub peserta: RawTable,
    /// `hasil.csv` (empty when absent).
    pub hasil: RawTable,
    /// `kerjasama.csv` (empty when absent).
    pub kerjasama: RawTable,
    /// Files that could not be used at all (missing, unreadable, empty, no required column):
    /// each read as empty.
    pub issues: Vec<SourceIssue>,
    /// File-level notes (an optional file is absent).
    pub notices: Vec<SourceIssue>,
    /// Newest modification time among the files read.
    pub modified: Option<SystemTime>,
}

/// Parse one file's bytes (`;`-delimited).
///
/// # Errors
/// [`SpnError::EmptyFile`] when there is no header, [`SpnError::MissingColumn`] when the header
/// lacks a required column.
pub fn parse(spec: &FileSpec, bytes: &[u8]) -> Result<RawTable, SpnError> {
    Ok(simpul_adapter_toolkit::csv::parse(spec, b';', bytes)?)
}

/// Read the export folder. A file that cannot be used (a required one missing, one that is
/// unreadable, zero bytes, or lacks a required column) reads as empty, with a [`SourceIssue`]
/// carrying its code in [`SpnFiles::issues`]; the other files are still read. `hasil.csv` and
/// `kerjasama.csv` may be absent: they read as empty, noted in [`SpnFiles::notices`].
///
/// # Errors
/// The folder is missing or unreadable: nothing can be served.
pub fn read_folder(dir: &Path) -> Result<SpnFiles, SpnError> {
    let meta = std::fs::metadata(dir).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => SpnError::FolderMissing {
            path: dir.to_owned(),
        },
        _ => SpnError::FolderUnreadable {
            path: dir.to_owned(),
            source,
        },
    })?;
    if !meta.is_dir() {
        return Err(SpnError::FolderUnreadable {
            path: dir.to_owned(),
            source: std::io::Error::other("not a folder"),
        });
    }
    let names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|source| SpnError::FolderUnreadable {
            path: dir.to_owned(),
            source,
        })?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    let mut files = SpnFiles::default();
    for spec in FILES {
        let read = match find_file(&names, spec.name) {
            Some(name) => {
                let path = dir.join(name);
                std::fs::read(&path)
                    .map_err(|source| SpnError::FileUnreadable {
                        file: spec.name,
                        source,
                    })
                    .and_then(|bytes| {
                        if let Ok(modified) = std::fs::metadata(&path).and_then(|m| m.modified()) {
                            files.modified = files.modified.max(Some(modified));
                        }
                        parse(&spec, &bytes)
                    })
            }
            None if spec.may_be_absent => {
                files.notices.push(SourceIssue::new(
                    "OPTIONAL_FILE_ABSENT",
                    spec.name,
                    "file absent from the export; read as empty",
                ));
                Ok(RawTable::empty(spec.name))
            }
            None => Err(SpnError::FileMissing {
                dir: dir.to_owned(),
                file: spec.name,
            }),
        };
        let table = read.unwrap_or_else(|e| {
            let mut issue = SourceIssue::new(
                e.code(),
                spec.name,
                format!("{e}; the file is not served, the other files are"),
            );
            if let SpnError::MissingColumn { line, column, .. } = &e {
                issue = issue.at_line(*line).with_key(*column);
            }
            files.issues.push(issue);
            RawTable::empty(spec.name)
        });
        *match spec.name {
            "pusat_pelatihan.csv" => &mut files.pusat_pelatihan,
            "pelatihan.csv" => &mut files.pelatihan,
            "peserta.csv" => &mut files.peserta,
            "hasil.csv" => &mut files.hasil,
            _ => &mut files.kerjasama,
        } = table;
    }
    Ok(files)
}

/// The folder entry for `wanted`: the exact name, else the only case-insensitive match
/// (spreadsheet exports on Windows may capitalise file names).
fn find_file<'a>(names: &'a [String], wanted: &str) -> Option<&'a str> {
    if let Some(exact) = names.iter().find(|n| *n == wanted) {
        return Some(exact);
    }
    let mut matches = names.iter().filter(|n| n.eq_ignore_ascii_case(wanted));
    match (matches.next(), matches.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}
