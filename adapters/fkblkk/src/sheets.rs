//! The five data sheets and their columns, as contract §2–3 lists them: sheet names, the key
//! column that finds the header, each column's name and whether it is required (`*`), the
//! header aliases, and how header texts are compared. Pure data; [`crate::workbook`] applies it.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The name as contract §3 writes it (also the key suffix in findings).
    pub name: &'static str,
    /// Required (`ROW_SKIPPED_INVALID_REQUIRED` without it).
    pub required: bool,
}

/// (sheet, key column, columns with `*` marking the required ones), contract §3.1–3.5.
const SHEETS: [(&str, &str, &str); 5] = [
    ("Profil BLKK", "Kode BLKK", "No|*Kode BLKK|*Nama BLKK|Lembaga Pengelola|Jenis Lembaga|Alamat|\
        Desa/Kelurahan|*Kecamatan|Tahun Berdiri|Kejuruan|Sarana Utama|Nama Pengelola|No. HP Pengelola|\
        Email|Jumlah Instruktur|Status"),
    ("Pelatihan", "Kode Pelatihan", "No|*Kode Pelatihan|*Kode BLKK|Nama BLKK|Kejuruan|\
        *Program Pelatihan|Angkatan|*Tanggal Mulai|Tanggal Selesai|Jumlah JP|Jumlah Peserta L|\
        Jumlah Peserta P|Jumlah Peserta Jml|Sumber Dana|Status|Instruktur|Keterangan"),
    ("Peserta", "Kode Pelatihan", "No|*Kode Pelatihan|*Nama Peserta|NIK|L/P|Tempat Lahir|\
        Tanggal Lahir|Pendidikan|Alamat|Desa/Kelurahan|Kecamatan|Kab/Kota|No. HP|Status Pekerjaan|\
        Status Peserta|No. Sertifikat|Keterangan"),
    ("Alumni", "Kode Pelatihan", "No|*Kode Pelatihan|Nama Alumni|*NIK|*Status Alumni|\
        Nama Usaha / Tempat Kerja|Jenis Usaha / Jabatan|Omzet per Bulan (Rp)|Tanggal Pendataan|\
        Keterangan"),
    ("Kemitraan", "Kode BLKK", "No|*Kode BLKK|*Nama Mitra|Jenis Mitra|Bentuk Kerja Sama|\
        Nomor Dokumen|Tanggal|Ruang Lingkup|Bentuk Dukungan|Status"),
];

/// Header aliases (contract §2): alias → contract name.
const ALIASES: [(&str, &str); 8] = [
    ("Nama Lengkap", "Nama Peserta"),
    ("Jenis Kelamin", "L/P"),
    ("JK", "L/P"),
    ("No. HP/WA", "No. HP"),
    ("No. WA", "No. HP"),
    ("No. Telp", "No. HP"),
    ("No. KTP", "NIK"),
    ("Tgl Lahir", "Tanggal Lahir"),
];

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
        SHEETS[self as usize].0
    }

    /// The column whose header, with `No`, marks the header row.
    pub fn key_column(self) -> &'static str {
        SHEETS[self as usize].1
    }

    /// The sheet's columns (contract §3).
    pub fn columns(self) -> impl Iterator<Item = Column> {
        SHEETS[self as usize]
            .2
            .split('|')
            .map(|c| match c.strip_prefix('*') {
                Some(name) => Column {
                    name,
                    required: true,
                },
                None => Column {
                    name: c,
                    required: false,
                },
            })
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
    pub fn column(self, header: &str) -> Option<Column> {
        let key = header_key(header);
        let key = ALIASES
            .iter()
            .find(|(alias, _)| header_key(alias) == key)
            .map_or(key, |(_, name)| header_key(name));
        self.columns().find(|c| header_key(c.name) == key)
    }
}

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
    fn required_columns() {
        let required: Vec<&str> = SheetKind::Alumni
            .columns()
            .filter(|c| c.required)
            .map(|c| c.name)
            .collect();
        assert_eq!(required, ["Kode Pelatihan", "NIK", "Status Alumni"]);
        assert_eq!(SheetKind::Pelatihan.columns().count(), 17);
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
