//! The five data sheets and their columns, as contract §2–3 lists them: sheet names, the key
//! column that finds the header, each column's name and whether it is required, the header
//! aliases, and how header texts are compared. Pure data; [`crate::workbook`] applies it.

/// One of the data sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SheetKind {
    /// `Profil BLKK`: training centres.
    Profil,
    /// `Pelatihan`: batches.
    Pelatihan,
    /// `Peserta`: participants per batch.
    Peserta,
    /// `Alumni`: follow-up of alumni.
    Alumni,
    /// `Kemitraan`: partnerships.
    Kemitraan,
}

/// A column: its contract name and whether a data row needs it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The name as contract §3 writes it (also the key suffix in findings).
    pub name: &'static str,
    /// Required (`ROW_SKIPPED_INVALID_REQUIRED` without it).
    pub required: bool,
}

const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}
const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

impl SheetKind {
    /// Every data sheet, in mapping order.
    pub const ALL: [SheetKind; 5] = [
        SheetKind::Profil,
        SheetKind::Pelatihan,
        SheetKind::Peserta,
        SheetKind::Alumni,
        SheetKind::Kemitraan,
    ];

    /// The sheet's name in the template.
    pub fn name(self) -> &'static str {
        match self {
            SheetKind::Profil => "Profil BLKK",
            SheetKind::Pelatihan => "Pelatihan",
            SheetKind::Peserta => "Peserta",
            SheetKind::Alumni => "Alumni",
            SheetKind::Kemitraan => "Kemitraan",
        }
    }

    /// The column whose header, with `No`, marks the header row.
    pub fn key_column(self) -> &'static str {
        match self {
            SheetKind::Profil | SheetKind::Kemitraan => "Kode BLKK",
            _ => "Kode Pelatihan",
        }
    }

    /// The sheet's columns (contract §3).
    pub fn columns(self) -> &'static [Column] {
        match self {
            SheetKind::Profil => PROFIL,
            SheetKind::Pelatihan => PELATIHAN,
            SheetKind::Peserta => PESERTA,
            SheetKind::Alumni => ALUMNI,
            SheetKind::Kemitraan => KEMITRAAN,
        }
    }

    /// Which data sheet a workbook sheet name is (trimmed, spaces collapsed, any case, an
    /// optional `Data ` prefix); `Err(true)` for the template's `Petunjuk` and `Ref` (ignored
    /// silently), `Err(false)` for any other sheet.
    pub fn from_sheet_name(name: &str) -> Result<SheetKind, bool> {
        let folded = crate::cells::fold(name);
        let bare = folded.strip_prefix("data ").unwrap_or(&folded);
        if matches!(folded.as_str(), "petunjuk" | "ref") {
            return Err(true);
        }
        SheetKind::ALL
            .into_iter()
            .find(|k| k.name().to_lowercase() == bare)
            .ok_or(false)
    }

    /// The contract column a header text names (after [`header_key`] and the aliases).
    pub fn column(self, header: &str) -> Option<&'static Column> {
        let key = header_key(header);
        let key = ALIASES
            .iter()
            .find(|(alias, _)| header_key(alias) == key)
            .map_or(key, |(_, name)| header_key(name));
        self.columns().iter().find(|c| header_key(c.name) == key)
    }
}

const PROFIL: &[Column] = &[
    opt("No"),
    req("Kode BLKK"),
    req("Nama BLKK"),
    opt("Lembaga Pengelola"),
    opt("Jenis Lembaga"),
    opt("Alamat"),
    opt("Desa/Kelurahan"),
    req("Kecamatan"),
    opt("Tahun Berdiri"),
    opt("Kejuruan"),
    opt("Sarana Utama"),
    opt("Nama Pengelola"),
    opt("No. HP Pengelola"),
    opt("Email"),
    opt("Jumlah Instruktur"),
    opt("Status"),
];

const PELATIHAN: &[Column] = &[
    opt("No"),
    req("Kode Pelatihan"),
    req("Kode BLKK"),
    opt("Nama BLKK"),
    opt("Kejuruan"),
    req("Program Pelatihan"),
    opt("Angkatan"),
    req("Tanggal Mulai"),
    opt("Tanggal Selesai"),
    opt("Jumlah JP"),
    opt("Jumlah Peserta L"),
    opt("Jumlah Peserta P"),
    opt("Jumlah Peserta Jml"),
    opt("Sumber Dana"),
    opt("Status"),
    opt("Instruktur"),
    opt("Keterangan"),
];

const PESERTA: &[Column] = &[
    opt("No"),
    req("Kode Pelatihan"),
    req("Nama Peserta"),
    opt("NIK"),
    opt("L/P"),
    opt("Tempat Lahir"),
    opt("Tanggal Lahir"),
    opt("Pendidikan"),
    opt("Alamat"),
    opt("Desa/Kelurahan"),
    opt("Kecamatan"),
    opt("Kab/Kota"),
    opt("No. HP"),
    opt("Status Pekerjaan"),
    opt("Status Peserta"),
    opt("No. Sertifikat"),
    opt("Keterangan"),
];

const ALUMNI: &[Column] = &[
    opt("No"),
    req("Kode Pelatihan"),
    opt("Nama Alumni"),
    req("NIK"),
    req("Status Alumni"),
    opt("Nama Usaha / Tempat Kerja"),
    opt("Jenis Usaha / Jabatan"),
    opt("Omzet per Bulan (Rp)"),
    opt("Tanggal Pendataan"),
    opt("Keterangan"),
];

const KEMITRAAN: &[Column] = &[
    opt("No"),
    req("Kode BLKK"),
    req("Nama Mitra"),
    opt("Jenis Mitra"),
    opt("Bentuk Kerja Sama"),
    opt("Nomor Dokumen"),
    opt("Tanggal"),
    opt("Ruang Lingkup"),
    opt("Bentuk Dukungan"),
    opt("Status"),
];

/// Header aliases (contract §2): alias → contract name.
const ALIASES: &[(&str, &str)] = &[
    ("Nama Lengkap", "Nama Peserta"),
    ("Jenis Kelamin", "L/P"),
    ("JK", "L/P"),
    ("No. HP/WA", "No. HP"),
    ("No. WA", "No. HP"),
    ("No. Telp", "No. HP"),
    ("No. KTP", "NIK"),
    ("Tgl Lahir", "Tanggal Lahir"),
];

/// A header text for comparison: line breaks, tabs and NBSPs as spaces, `.` removed, spaces
/// collapsed, lower case, no spaces around `/`.
pub fn header_key(text: &str) -> String {
    let spaced: String = text
        .chars()
        .filter(|c| *c != '.')
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    crate::cells::fold(&spaced)
        .replace(" / ", "/")
        .replace(" /", "/")
        .replace("/ ", "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_compare_without_noise_and_with_aliases() {
        assert_eq!(header_key("No. HP\nPengelola"), "no hp pengelola");
        assert_eq!(
            header_key("Nama Usaha /\nTempat Kerja"),
            "nama usaha/tempat kerja"
        );
        let peserta = SheetKind::Peserta;
        assert_eq!(
            peserta.column("Nama  Lengkap").unwrap().name,
            "Nama Peserta"
        );
        assert_eq!(peserta.column("JK").unwrap().name, "L/P");
        assert_eq!(peserta.column("No. HP / WA").unwrap().name, "No. HP");
        assert_eq!(peserta.column("No. KTP").unwrap().name, "NIK");
        assert_eq!(
            peserta.column("Tgl\u{a0}Lahir").unwrap().name,
            "Tanggal Lahir"
        );
        assert!(peserta.column("Golongan Darah").is_none());
        let alumni = SheetKind::Alumni;
        assert!(alumni.column("Nama Usaha/Tempat Kerja").is_some());
    }

    #[test]
    fn sheets_by_name() {
        assert_eq!(
            SheetKind::from_sheet_name(" data  peserta "),
            Ok(SheetKind::Peserta)
        );
        assert_eq!(
            SheetKind::from_sheet_name("PROFIL BLKK"),
            Ok(SheetKind::Profil)
        );
        assert_eq!(SheetKind::from_sheet_name("Ref"), Err(true));
        assert_eq!(SheetKind::from_sheet_name("Petunjuk"), Err(true));
        assert_eq!(SheetKind::from_sheet_name("Sheet1"), Err(false));
    }
}
