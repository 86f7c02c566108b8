//! The folder as contract §1–3 describes it: workbook names and their order, the five data
//! sheets with their key column, columns (`*` required) and header aliases. Pure data; the
//! toolkit's XLSX reader applies it.

use chrono::NaiveDate;
use simpul_adapter_toolkit::xlsx::quarterly_workbook;
use simpul_adapter_toolkit::Layout;

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

const fn sheet(name: &'static str, key_column: &'static str, columns: &'static str) -> Layout {
    Layout {
        name,
        key_column,
        columns,
        aliases: ALIASES,
    }
}

/// `Profil BLKK`: training centres (§3.1).
pub const PROFIL: &str = "Profil BLKK";
/// `Pelatihan`: batches (§3.2).
pub const PELATIHAN: &str = "Pelatihan";
/// `Peserta`: participants per batch (§3.3).
pub const PESERTA: &str = "Peserta";
/// `Alumni`: follow-up of alumni (§3.4).
pub const ALUMNI: &str = "Alumni";
/// `Kemitraan`: partnerships (§3.5).
pub const KEMITRAAN: &str = "Kemitraan";

/// The data sheets, in mapping order.
pub const SHEETS: &[Layout] = &[
    sheet(
        PROFIL,
        "Kode BLKK",
        "No|*Kode BLKK|*Nama BLKK|Lembaga Pengelola|Jenis Lembaga|\
        Alamat|Desa/Kelurahan|*Kecamatan|Tahun Berdiri|Kejuruan|Sarana Utama|Nama Pengelola|\
        No. HP Pengelola|Email|Jumlah Instruktur|Status",
    ),
    sheet(
        PELATIHAN,
        "Kode Pelatihan",
        "No|*Kode Pelatihan|*Kode BLKK|Nama BLKK|Kejuruan|\
        *Program Pelatihan|Angkatan|*Tanggal Mulai|Tanggal Selesai|Jumlah JP|Jumlah Peserta L|\
        Jumlah Peserta P|Jumlah Peserta Jml|Sumber Dana|Status|Instruktur|Keterangan",
    ),
    sheet(
        PESERTA,
        "Kode Pelatihan",
        "No|*Kode Pelatihan|*Nama Peserta|NIK|L/P|Tempat Lahir|\
        Tanggal Lahir|Pendidikan|Alamat|Desa/Kelurahan|Kecamatan|Kab/Kota|No. HP|\
        Status Pekerjaan|Status Peserta|No. Sertifikat|Keterangan",
    ),
    sheet(
        ALUMNI,
        "Kode Pelatihan",
        "No|*Kode Pelatihan|Nama Alumni|*NIK|*Status Alumni|\
        Nama Usaha / Tempat Kerja|Jenis Usaha / Jabatan|Omzet per Bulan (Rp)|Tanggal Pendataan|\
        Keterangan",
    ),
    sheet(
        KEMITRAAN,
        "Kode BLKK",
        "No|*Kode BLKK|*Nama Mitra|Jenis Mitra|Bentuk Kerja Sama|\
        Nomor Dokumen|Tanggal|Ruang Lingkup|Bentuk Dukungan|Status",
    ),
];

/// The template's sheets that are not data (ignored silently).
pub const SILENT: &[&str] = &["Petunjuk", "Ref"];

/// A workbook's (year, quarter, revision) and its quarter's last day, or `None` when the name
/// is not `Rekap_BLKK_KabTangerang_<yyyy>_TW<q>[_revisi[<n>]].xlsx` (any case).
pub fn workbook(name: &str) -> Option<((i32, u32, u32), NaiveDate)> {
    quarterly_workbook(name, "Rekap_BLKK_KabTangerang_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpul_adapter_toolkit::layout::sheet_layout;

    #[test]
    fn names_and_order() {
        let order = |n| workbook(n).map(|w| w.0);
        assert_eq!(
            order("Rekap_BLKK_KabTangerang_2024_TW1.xlsx"),
            Some((2024, 1, 0))
        );
        assert_eq!(
            order("rekap_blkk_kabtangerang_2024_tw2_REVISI.XLSX"),
            Some((2024, 2, 1))
        );
        assert_eq!(
            order("Rekap_BLKK_KabTangerang_2024_TW2_revisi2.xlsx"),
            Some((2024, 2, 2))
        );
        for junk in [
            "~$Rekap_BLKK_KabTangerang_2024_TW1.xlsx",
            "Rekap_BLKK_KabTangerang_2024_TW1 (1).xlsx",
            "Rekap_BLKK_KabTangerang_2024_TW1.xls",
            "Rekap_BLKK_KabTangerang_2024_TW5.xlsx",
            "Rekap_BLKK_KabTangerang_2024_TW1_revisiX.xlsx",
            "Rekap_BLKK_KabTangerang_24_TW1.xlsx",
        ] {
            assert_eq!(workbook(junk), None, "{junk}");
        }
        let end = |n| workbook(n).map(|w| w.1.to_string());
        let q4 = end("Rekap_BLKK_KabTangerang_2024_TW4.xlsx");
        assert_eq!(q4.as_deref(), Some("2024-12-31"));
    }

    #[test]
    fn the_contract_sheets() {
        let find = |s| sheet_layout(SHEETS, SILENT, s).map(|l| l.name);
        assert_eq!(find(" data  peserta "), Ok(PESERTA));
        assert_eq!(find("PROFIL BLKK"), Ok(PROFIL));
        assert_eq!(find("Ref"), Err(true));
        let pelatihan = find("Pelatihan").map(|_| SHEETS[1].columns().count());
        assert_eq!(pelatihan, Ok(17));
        let peserta = SHEETS[2].column("No. HP / WA").map(|c| c.name);
        assert_eq!(peserta, Some("No. HP"));
    }
}
