//! The BPJAMSOSTEK simulator's record shapes, exactly as in the contract's `data/*.json` and
//! `openapi.yaml` (camelCase, every optional field present as `null`, ISO-8601 with `+07:00`).
//! The same types read the files back in tests (`deny_unknown_fields`).

use serde::{Deserialize, Serialize};

/// `lembaga_mitra.json`: a partner institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LembagaMitra {
    /// `LM-0001`.
    pub lembaga_id: String,
    /// Name (fictional ones end in `(fiktif)`).
    pub nama_lembaga: String,
    /// `LPK`, `LKP`, `LSP`, `BLK`, `LAINNYA`.
    pub jenis_lembaga: String,
    /// Address.
    pub alamat: Alamat,
    /// Disnaker licence.
    pub izin_disnaker: IzinDisnaker,
    /// Whole years of operation at the PKS (≥ 1).
    pub pengalaman_tahun: u32,
    /// PKS number.
    pub nomor_pks: Option<String>,
    /// PKS date.
    pub tanggal_pks: Option<String>,
    /// `AKTIF`, `NONAKTIF`, `DITANGGUHKAN`.
    pub status_kemitraan: String,
    /// Contact, or `null`.
    pub kontak: Option<Kontak>,
    /// Created.
    pub dibuat_pada: String,
    /// Last updated.
    pub diperbarui_pada: Option<String>,
}

/// A partner's address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Alamat {
    /// Street.
    pub jalan: Option<String>,
    /// Kemendagri code at any level.
    pub kode_wilayah: String,
    /// `Kota Cilegon`.
    pub kab_kota: Option<String>,
    /// `Banten`.
    pub provinsi: Option<String>,
}

/// A Disnaker operating licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IzinDisnaker {
    /// Number.
    pub nomor_izin: String,
    /// Issued on.
    pub tanggal_terbit: String,
    /// Issuing office.
    pub penerbit: String,
    /// Valid until.
    pub berlaku_sampai: Option<String>,
}

/// A contact point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kontak {
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub telepon: Option<String>,
}

/// `program_vokasi.json`: one programme (= one offering and one run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgramVokasi {
    /// `PV-2019-0001`.
    pub program_id: String,
    /// The partner.
    pub lembaga_id: String,
    /// Name.
    pub nama_program: String,
    /// Field.
    pub bidang: Option<String>,
    /// Description.
    pub deskripsi: Option<String>,
    /// KBJI 2014 code.
    pub kode_kbji: Option<String>,
    /// `VOKASI_2019`, `VOKASI_INDONESIA_PEKERJA`.
    pub skema_program: String,
    /// Budget year.
    pub tahun_anggaran: i32,
    /// `LURING`, `DARING`, `CAMPURAN`.
    pub metode_pelatihan: String,
    /// Location.
    pub lokasi: Option<Lokasi>,
    /// Start.
    pub tanggal_mulai: String,
    /// End.
    pub tanggal_selesai: Option<String>,
    /// Hours.
    pub jumlah_jam_pelajaran: Option<u32>,
    /// Places.
    pub kuota: Option<u32>,
    /// Cost per participant.
    pub biaya_per_peserta: Option<Biaya>,
    /// Certificate.
    pub sertifikat: Option<Sertifikat>,
    /// Target groups.
    pub sasaran: Vec<String>,
    /// `DIBUKA`, `BERJALAN`, `SELESAI`, `DIBATALKAN`.
    pub status: String,
    /// Created.
    pub dibuat_pada: String,
    /// Last updated.
    pub diperbarui_pada: Option<String>,
}

/// Where a programme runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lokasi {
    /// Kemendagri code.
    pub kode_wilayah: String,
    /// Name.
    pub nama_lokasi: String,
}

/// Money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Biaya {
    /// Whole rupiah.
    pub jumlah: u64,
    /// `IDR`.
    pub mata_uang: String,
}

/// A programme's certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sertifikat {
    /// `SERTIFIKAT_PELATIHAN`, `SERTIFIKAT_KOMPETENSI`.
    pub jenis: String,
    /// Issuer.
    pub penerbit: String,
}

/// `peserta_program.json`: one enrolment with the person's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PesertaProgram {
    /// `PP-2019-00001`.
    pub peserta_program_id: String,
    /// The programme.
    pub program_id: String,
    /// KPJ.
    pub kpj: String,
    /// NIK.
    pub nik: String,
    /// Title Case name.
    pub nama_lengkap: String,
    /// `L`/`P`.
    pub jenis_kelamin: String,
    /// Birth date.
    pub tanggal_lahir: Option<String>,
    /// Domicile village code.
    pub kode_wilayah_domisili: Option<String>,
    /// `+62…`.
    pub no_hp: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// `KORBAN_PHK`, `PEKERJA_AKTIF`, `PEKERJA_INFORMAL`, `PEKERJA_MIGRAN`.
    pub status_pekerjaan_saat_daftar: String,
    /// `TERDAFTAR`, `BERLANGSUNG`, `LULUS`, `TIDAK_LULUS`, `MENGUNDURKAN_DIRI`.
    pub status_pelatihan: String,
    /// Only when `LULUS`.
    pub nomor_sertifikat: Option<String>,
    /// Registered.
    pub tanggal_daftar: String,
    /// Last updated.
    pub diperbarui_pada: Option<String>,
}

/// `kepesertaan.json`: membership and eligibility of one KPJ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kepesertaan {
    /// KPJ.
    pub kpj: String,
    /// NIK.
    pub nik: String,
    /// Title Case name.
    pub nama_peserta: String,
    /// `PU`, `BPU`, `JAKON`, `PMI`.
    pub segmen_kepesertaan: String,
    /// `AKTIF`, `NONAKTIF`.
    pub status_kepesertaan: String,
    /// Member since.
    pub tanggal_kepesertaan: String,
    /// Months paid in total.
    pub bulan_iuran: u32,
    /// Last month paid, `YYYY-MM`.
    pub iuran_terakhir: String,
    /// `bulanIuran >= 12`.
    pub eligible_vokasi: bool,
    /// `KURANG_MASA_IUR`.
    pub alasan_tidak_eligible: Vec<String>,
    /// The simplified JKP view.
    pub jkp: Option<Jkp>,
    /// Checked at.
    pub diperiksa_pada: String,
}

/// The simplified JKP view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jkp {
    /// PU segment only.
    pub terdaftar: bool,
    /// Months paid in the last 24.
    #[serde(rename = "masaIur24Bulan")]
    pub masa_iur_24_bulan: u32,
    /// `masaIur24Bulan >= 12`.
    #[serde(rename = "memenuhiSyaratMasaIur")]
    pub memenuhi_syarat_masa_iur: bool,
}

/// `penempatan.json`: the latest placement status of one enrolment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Penempatan {
    /// `PN-00001`.
    pub penempatan_id: String,
    /// The enrolment.
    pub peserta_program_id: String,
    /// The programme.
    pub program_id: String,
    /// KPJ.
    pub kpj: String,
    /// `BEKERJA_KEMBALI`, `PROSES_INTERVIEW`, `WIRAUSAHA`, `BELUM_BEKERJA`.
    pub status_penempatan: String,
    /// Employer.
    pub nama_perusahaan: Option<String>,
    /// Job title.
    pub jabatan: Option<String>,
    /// Business type.
    pub jenis_usaha: Option<String>,
    /// Started work.
    pub tanggal_mulai_kerja: Option<String>,
    /// Observed.
    pub tanggal_update: String,
    /// `LEMBAGA_MITRA`, `KANTOR_CABANG`, `SURVEI`.
    pub sumber_data: String,
}

/// `api_keys.json`: a simulator key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKey {
    /// The key (synthetic).
    pub api_key: String,
    /// Label.
    pub label: String,
    /// Scopes.
    pub scopes: Vec<String>,
    /// Active.
    pub aktif: bool,
}

/// The simulator's four synthetic keys, as in the contract.
pub fn api_keys() -> Vec<ApiKey> {
    let key = |k: &str, label: &str, scopes: &[&str], aktif| ApiKey {
        api_key: k.to_owned(),
        label: label.to_owned(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        aktif,
    };
    let all = [
        "lembaga:read",
        "program:read",
        "peserta:read",
        "penempatan:read",
        "kepesertaan:read",
        "pii:read",
    ];
    vec![
        key(
            "sim-full-0000000000000001",
            "gateway (full, synthetic)",
            &all,
            true,
        ),
        key(
            "sim-limited-000000000002",
            "gateway (no PII, synthetic)",
            &all[..5],
            true,
        ),
        key(
            "sim-catalog-000000000003",
            "catalog only (synthetic)",
            &all[..2],
            true,
        ),
        key(
            "sim-revoked-000000000004",
            "revoked key (synthetic)",
            &all[..1],
            false,
        ),
    ]
}
