//! The API's JSON shapes (openapi.yaml `components.schemas`), as served: camelCase fields,
//! enumerations and dates kept as the provider's text so that the mapping decides what an
//! unknown value or a non-ISO date becomes. `null` and absent fields are the same (`Option` +
//! `#[serde(default)]`); unknown fields are ignored.

use serde::Deserialize;

/// `PageMeta`: the paging numbers of a [`crate::page::Page`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageMeta {
    /// 1-based page number.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
    /// Records matching the filter, all pages.
    pub total: u64,
    /// Number of pages.
    pub total_pages: u64,
}

/// `{ "error": { "kode", "pesan", "traceId" } }`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorBody {
    /// The error.
    #[serde(default)]
    pub error: ErrorDetail,
}

/// The inside of [`ErrorBody`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// `PARAMETER_TIDAK_VALID`, `TIDAK_TERAUTENTIKASI`, ...
    #[serde(default)]
    pub kode: Option<String>,
    /// The provider's message.
    #[serde(default)]
    pub pesan: Option<String>,
    /// The provider's trace id (quoted in errors to help support).
    #[serde(default)]
    pub trace_id: Option<String>,
}

/// `LembagaMitra`: a partner institution.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LembagaMitra {
    /// Optional fields the API sent with the wrong JSON type, nulled when decoding (see
    /// [`crate::source::decode`]); each becomes a `FIELD_TYPE_INVALID` warning on the record.
    #[serde(skip)]
    pub nulled: Vec<String>,
    /// `LM-0001`.
    pub lembaga_id: String,
    /// Name.
    #[serde(default)]
    pub nama_lembaga: Option<String>,
    /// `LPK`, `LKP`, `LSP`, `BLK`, `LAINNYA`.
    #[serde(default)]
    pub jenis_lembaga: Option<String>,
    /// Address.
    #[serde(default)]
    pub alamat: Option<Alamat>,
    /// Disnaker operating licence.
    #[serde(default)]
    pub izin_disnaker: Option<IzinDisnaker>,
    /// Whole years of operation when the PKS was signed.
    #[serde(default)]
    pub pengalaman_tahun: Option<i64>,
    /// PKS number.
    #[serde(default)]
    pub nomor_pks: Option<String>,
    /// PKS date.
    #[serde(default)]
    pub tanggal_pks: Option<String>,
    /// `AKTIF`, `NONAKTIF`, `DITANGGUHKAN`.
    #[serde(default)]
    pub status_kemitraan: Option<String>,
    /// Contact.
    #[serde(default)]
    pub kontak: Option<Kontak>,
    /// Created.
    #[serde(default)]
    pub dibuat_pada: Option<String>,
    /// Last updated.
    #[serde(default)]
    pub diperbarui_pada: Option<String>,
}

/// `LembagaMitra.alamat`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alamat {
    /// Street line.
    #[serde(default)]
    pub jalan: Option<String>,
    /// Kemendagri code at any level.
    #[serde(default)]
    pub kode_wilayah: Option<String>,
}

/// `LembagaMitra.izinDisnaker`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IzinDisnaker {
    /// Licence number.
    #[serde(default)]
    pub nomor_izin: Option<String>,
    /// Issue date.
    #[serde(default)]
    pub tanggal_terbit: Option<String>,
    /// Issuer.
    #[serde(default)]
    pub penerbit: Option<String>,
    /// Expiry date.
    #[serde(default)]
    pub berlaku_sampai: Option<String>,
}

/// `LembagaMitra.kontak`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kontak {
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone.
    #[serde(default)]
    pub telepon: Option<String>,
}

/// `ProgramVokasi`: one programme, which is one course and its single run.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgramVokasi {
    /// Optional fields the API sent with the wrong JSON type, nulled when decoding (see
    /// [`crate::source::decode`]); each becomes a `FIELD_TYPE_INVALID` warning on the record.
    #[serde(skip)]
    pub nulled: Vec<String>,
    /// `PV-2019-0001`.
    pub program_id: String,
    /// The partner institution.
    #[serde(default)]
    pub lembaga_id: Option<String>,
    /// Title.
    #[serde(default)]
    pub nama_program: Option<String>,
    /// Training field.
    #[serde(default)]
    pub bidang: Option<String>,
    /// Description.
    #[serde(default)]
    pub deskripsi: Option<String>,
    /// KBJI 2014 unit group.
    #[serde(default)]
    pub kode_kbji: Option<String>,
    /// `VOKASI_2019`, `VOKASI_INDONESIA_PEKERJA`.
    #[serde(default)]
    pub skema_program: Option<String>,
    /// Budget year.
    #[serde(default)]
    pub tahun_anggaran: Option<i64>,
    /// `LURING`, `DARING`, `CAMPURAN`.
    #[serde(default)]
    pub metode_pelatihan: Option<String>,
    /// Where it runs.
    #[serde(default)]
    pub lokasi: Option<Lokasi>,
    /// First day.
    #[serde(default)]
    pub tanggal_mulai: Option<String>,
    /// Last day.
    #[serde(default)]
    pub tanggal_selesai: Option<String>,
    /// Training hours.
    #[serde(default)]
    pub jumlah_jam_pelajaran: Option<i64>,
    /// Places.
    #[serde(default)]
    pub kuota: Option<i64>,
    /// Cost per participant.
    #[serde(default)]
    pub biaya_per_peserta: Option<Biaya>,
    /// Certificate awarded.
    #[serde(default)]
    pub sertifikat: Option<Sertifikat>,
    /// Target groups.
    #[serde(default)]
    pub sasaran: Option<Vec<String>>,
    /// `DIBUKA`, `BERJALAN`, `SELESAI`, `DIBATALKAN`.
    #[serde(default)]
    pub status: Option<String>,
    /// Created.
    #[serde(default)]
    pub dibuat_pada: Option<String>,
    /// Last updated.
    #[serde(default)]
    pub diperbarui_pada: Option<String>,
}

/// `ProgramVokasi.lokasi`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lokasi {
    /// Kemendagri code.
    #[serde(default)]
    pub kode_wilayah: Option<String>,
    /// Place name.
    #[serde(default)]
    pub nama_lokasi: Option<String>,
}

/// Money: `{ jumlah, mataUang }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Biaya {
    /// Whole rupiah.
    #[serde(default)]
    pub jumlah: Option<i64>,
    /// `IDR`.
    #[serde(default)]
    pub mata_uang: Option<String>,
}

/// `ProgramVokasi.sertifikat`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sertifikat {
    /// `SERTIFIKAT_PELATIHAN`, `SERTIFIKAT_KOMPETENSI`.
    #[serde(default)]
    pub jenis: Option<String>,
    /// Issuer.
    #[serde(default)]
    pub penerbit: Option<String>,
}

/// `PesertaProgram`: an enrolment with the person's data (personal data).
#[derive(Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PesertaProgram {
    /// Optional fields the API sent with the wrong JSON type, nulled when decoding (see
    /// [`crate::source::decode`]); each becomes a `FIELD_TYPE_INVALID` warning on the record.
    #[serde(skip)]
    pub nulled: Vec<String>,
    /// `PP-2019-00001`: the enrolment id.
    pub peserta_program_id: String,
    /// The programme.
    #[serde(default)]
    pub program_id: Option<String>,
    /// KPJ (masked without `pii:read`).
    #[serde(default)]
    pub kpj: Option<String>,
    /// NIK (masked without `pii:read`).
    #[serde(default)]
    pub nik: Option<String>,
    /// Full name.
    #[serde(default)]
    pub nama_lengkap: Option<String>,
    /// `L` / `P`.
    #[serde(default)]
    pub jenis_kelamin: Option<String>,
    /// Birth date (null without `pii:read`).
    #[serde(default)]
    pub tanggal_lahir: Option<String>,
    /// Domicile code (null without `pii:read`).
    #[serde(default)]
    pub kode_wilayah_domisili: Option<String>,
    /// Mobile number (null without `pii:read`).
    #[serde(default)]
    pub no_hp: Option<String>,
    /// E-mail (null without `pii:read`).
    #[serde(default)]
    pub email: Option<String>,
    /// Status at registration.
    #[serde(default)]
    pub status_pekerjaan_saat_daftar: Option<String>,
    /// Training status.
    #[serde(default)]
    pub status_pelatihan: Option<String>,
    /// Certificate number (only when `LULUS`).
    #[serde(default)]
    pub nomor_sertifikat: Option<String>,
    /// Registration time.
    #[serde(default)]
    pub tanggal_daftar: Option<String>,
    /// Last updated.
    #[serde(default)]
    pub diperbarui_pada: Option<String>,
}

impl std::fmt::Debug for PesertaProgram {
    /// Personal data stays out of debug output: the enrolment and programme ids only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PesertaProgram")
            .field("peserta_program_id", &self.peserta_program_id)
            .field("program_id", &self.program_id)
            .finish_non_exhaustive()
    }
}

/// `Kepesertaan`: membership and Vokasi eligibility of one KPJ (personal data).
#[derive(Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kepesertaan {
    /// KPJ (masked without `pii:read`).
    #[serde(default)]
    pub kpj: Option<String>,
    /// `PU`, `BPU`, `JAKON`, `PMI`.
    #[serde(default)]
    pub segmen_kepesertaan: Option<String>,
    /// `AKTIF`, `NONAKTIF`.
    #[serde(default)]
    pub status_kepesertaan: Option<String>,
    /// Member since.
    #[serde(default)]
    pub tanggal_kepesertaan: Option<String>,
    /// Months of contributions paid.
    #[serde(default)]
    pub bulan_iuran: Option<i64>,
    /// Last month paid, `YYYY-MM`.
    #[serde(default)]
    pub iuran_terakhir: Option<String>,
    /// `bulanIuran >= 12`.
    #[serde(default)]
    pub eligible_vokasi: Option<bool>,
    /// Why not eligible.
    #[serde(default)]
    pub alasan_tidak_eligible: Option<Vec<String>>,
    /// Simplified JKP view.
    #[serde(default)]
    pub jkp: Option<Jkp>,
    /// When the verdict was computed.
    #[serde(default)]
    pub diperiksa_pada: Option<String>,
}

impl std::fmt::Debug for Kepesertaan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kepesertaan").finish_non_exhaustive()
    }
}

/// `Kepesertaan.jkp`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Jkp {
    /// Registered for JKP.
    #[serde(default)]
    pub terdaftar: Option<bool>,
    /// Contribution months in the last 24.
    #[serde(default, rename = "masaIur24Bulan")]
    pub masa_iur_24_bulan: Option<i64>,
    /// At least 12 of the last 24 months.
    #[serde(default)]
    pub memenuhi_syarat_masa_iur: Option<bool>,
}

/// `Penempatan`: the latest placement status of one enrolment.
#[derive(Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Penempatan {
    /// Optional fields the API sent with the wrong JSON type, nulled when decoding (see
    /// [`crate::source::decode`]); each becomes a `FIELD_TYPE_INVALID` warning on the record.
    #[serde(skip)]
    pub nulled: Vec<String>,
    /// `PN-00001`.
    pub penempatan_id: String,
    /// The enrolment.
    #[serde(default)]
    pub peserta_program_id: Option<String>,
    /// The programme.
    #[serde(default)]
    pub program_id: Option<String>,
    /// KPJ (masked without `pii:read`).
    #[serde(default)]
    pub kpj: Option<String>,
    /// `BEKERJA_KEMBALI`, `PROSES_INTERVIEW`, `WIRAUSAHA`, `BELUM_BEKERJA`, or a future value.
    #[serde(default)]
    pub status_penempatan: Option<String>,
    /// Employer.
    #[serde(default)]
    pub nama_perusahaan: Option<String>,
    /// Job title.
    #[serde(default)]
    pub jabatan: Option<String>,
    /// Kind of business.
    #[serde(default)]
    pub jenis_usaha: Option<String>,
    /// First day of work.
    #[serde(default)]
    pub tanggal_mulai_kerja: Option<String>,
    /// When the status was recorded.
    #[serde(default)]
    pub tanggal_update: Option<String>,
    /// `LEMBAGA_MITRA`, `KANTOR_CABANG`, `SURVEI`.
    #[serde(default)]
    pub sumber_data: Option<String>,
}

impl std::fmt::Debug for Penempatan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Penempatan")
            .field("penempatan_id", &self.penempatan_id)
            .finish_non_exhaustive()
    }
}

/// An item decoded with optional fields of the wrong type nulled.
pub trait Nulled {
    /// The nulled fields' paths (`alamat.kodeWilayah`).
    fn nulled(&self) -> &[String];
    /// Record them.
    fn set_nulled(&mut self, paths: Vec<String>);
}

macro_rules! nulled {
    ($($t:ty),+) => {$(
        impl Nulled for $t {
            fn nulled(&self) -> &[String] {
                &self.nulled
            }
            fn set_nulled(&mut self, paths: Vec<String>) {
                self.nulled = paths;
            }
        }
    )+};
}

nulled!(LembagaMitra, ProgramVokasi, PesertaProgram, Penempatan);
