//! The raw rows the query plans return, one struct per collection. Field names are the column
//! aliases the plans project ([`crate::query::plans`]); types are what both PostgreSQL and
//! SQLite can return for those projections (dates and timestamps as text, `SMALLINT` as
//! `BIGINT`, `NUMERIC` as double). Every row carries `total_count`, the `COUNT(*) OVER ()` of
//! its statement.
//!
//! Columns the contract declares `NOT NULL` that the mapping needs verbatim (business keys,
//! names) are plain `String`s; everything the adapter validates itself is an `Option`.

use sea_orm::FromQueryResult;

use crate::query::sqlite_pages::FromSqliteRow;

/// Declares the row structs, each with one list of fields for both ways rows arrive: sea-orm's
/// results (PostgreSQL, [`FromQueryResult`]) and SQLite rows stepped on the connection's own
/// handle ([`FromSqliteRow`], by column name).
macro_rules! rows {
    ($(
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)*
        }
    )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, FromQueryResult)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        impl FromSqliteRow for $name {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn from_row(row: &rusqlite::Row<'_>, at: &[usize]) -> rusqlite::Result<Self> {
                let mut at = at.iter().copied();
                let missing = || rusqlite::Error::InvalidColumnIndex(Self::COLUMNS.len());
                Ok(Self {
                    $($field: row.get(at.next().ok_or_else(missing)?)?,)*
                })
            }
        }
    )*};
}

rows! {
    /// `lembaga` with its supervisor's key and its fields (a JSON array of `[code, name]`).
    pub struct CenterRow {
        /// `lembaga.kode_lembaga`.
        pub kode_lembaga: String,
        /// `lembaga.nama_lembaga`.
        pub nama_lembaga: String,
        /// `lembaga.nama_alias`.
        pub nama_alias: Option<String>,
        /// `lembaga.jenis_lembaga`.
        pub jenis_lembaga: Option<String>,
        /// `lembaga.status_pengelola`.
        pub status_pengelola: Option<String>,
        /// `lembaga.id_lembaga_pembina`.
        pub id_lembaga_pembina: Option<i64>,
        /// The supervisor's `kode_lembaga`, when the supervisor exists.
        pub kode_pembina: Option<String>,
        /// `lembaga.alamat`.
        pub alamat: Option<String>,
        /// `lembaga.kode_wilayah`.
        pub kode_wilayah: Option<String>,
        /// `lembaga.telepon`.
        pub telepon: Option<String>,
        /// `lembaga.email`.
        pub email: Option<String>,
        /// `lembaga.tahun_berdiri`.
        pub tahun_berdiri: Option<i64>,
        /// `lembaga.aktif`.
        pub aktif: Option<bool>,
        /// `[[kode_kejuruan, nama_kejuruan], …]` from `lembaga_kejuruan` + `kejuruan`.
        pub kejuruan: Option<String>,
        /// The columns whose value is of another type than the column's (see
        /// [`crate::query::dialect::Dialect::mistyped`]), space-separated.
        pub mistyped: Option<String>,
        /// Matching rows before paging.
        pub total_count: i64,
    }

    /// A distinct (`lembaga`, `program_pelatihan`) pair of `angkatan`, with its field.
    pub struct CourseRow {
        /// `lembaga.kode_lembaga`.
        pub kode_lembaga: String,
        /// `program_pelatihan.kode_program`.
        pub kode_program: String,
        /// `program_pelatihan.nama_program`.
        pub nama_program: String,
        /// `program_pelatihan.kode_kbji`.
        pub kode_kbji: Option<String>,
        /// `kejuruan.kode_kejuruan`.
        pub kode_kejuruan: Option<String>,
        /// `kejuruan.nama_kejuruan`.
        pub nama_kejuruan: Option<String>,
        /// Matching rows before paging.
        pub total_count: i64,
    }

    /// `angkatan` with its programme's keys and hours and its institution's region.
    pub struct RunRow {
        /// `angkatan.kode_angkatan`.
        pub kode_angkatan: String,
        /// `lembaga.kode_lembaga`.
        pub kode_lembaga: String,
        /// `program_pelatihan.kode_program`.
        pub kode_program: String,
        /// `angkatan.tgl_mulai`, as text.
        pub tgl_mulai: Option<String>,
        /// `angkatan.tgl_selesai`, as text.
        pub tgl_selesai: Option<String>,
        /// `angkatan.status_angkatan`.
        pub status_angkatan: Option<String>,
        /// `angkatan.moda`.
        pub moda: Option<String>,
        /// `angkatan.skema_pembiayaan`.
        pub skema_pembiayaan: Option<String>,
        /// `lembaga.kode_wilayah`.
        pub kode_wilayah: Option<String>,
        /// `angkatan.kuota`.
        pub kuota: Option<i64>,
        /// `program_pelatihan.durasi_jp`.
        pub durasi_jp: Option<i64>,
        /// `angkatan.tahun_anggaran`.
        pub tahun_anggaran: Option<i64>,
        /// `angkatan.gelombang`.
        pub gelombang: Option<i64>,
        /// `angkatan.instruktur`.
        pub instruktur: Option<String>,
        /// `angkatan.catatan`.
        pub catatan: Option<String>,
        /// The columns whose value is of another type than the column's (see
        /// [`crate::query::dialect::Dialect::mistyped`]), space-separated.
        pub mistyped: Option<String>,
        /// Matching rows before paging.
        pub total_count: i64,
    }

    /// `peserta`. The clear-text personal columns are NULL unless the request asked for them.
    pub struct ParticipantRow {
        /// `peserta.id_peserta`.
        pub id_peserta: i64,
        /// `peserta.nik` (personal data; validated and masked, in clear only on request).
        pub nik: Option<String>,
        /// `peserta.jenis_kelamin`.
        pub jenis_kelamin: Option<String>,
        /// `peserta.tanggal_lahir`, as text.
        pub tanggal_lahir: Option<String>,
        /// `peserta.pendidikan_terakhir`.
        pub pendidikan_terakhir: Option<String>,
        /// `peserta.kode_wilayah`.
        pub kode_wilayah: Option<String>,
        /// `peserta.no_kpj`.
        pub no_kpj: Option<String>,
        /// `peserta.status_pekerjaan`.
        pub status_pekerjaan: Option<String>,
        /// `peserta.no_hp` (read to validate it; in clear only on request).
        pub no_hp: Option<String>,
        /// The earliest `pendaftaran.tgl_daftar` of this row, as text.
        pub first_registration: Option<String>,
        /// `peserta.nama_lengkap` (on request only).
        pub nama_lengkap: Option<String>,
        /// `peserta.tempat_lahir` (on request only).
        pub tempat_lahir: Option<String>,
        /// `peserta.alamat` (on request only).
        pub alamat: Option<String>,
        /// `peserta.email` (on request only).
        pub email: Option<String>,
        /// `peserta.ragam_disabilitas` (on request only).
        pub ragam_disabilitas: Option<String>,
        /// Matching rows before paging.
        pub total_count: i64,
    }

    /// `pendaftaran` (the kept row of its (batch, trainee) pair) with its batch.
    pub struct EnrollmentRow {
        /// `pendaftaran.id_pendaftaran`.
        pub id_pendaftaran: i64,
        /// `pendaftaran.id_peserta`.
        pub id_peserta: i64,
        /// `angkatan.kode_angkatan`.
        pub kode_angkatan: String,
        /// `pendaftaran.tgl_daftar`, as text.
        pub tgl_daftar: Option<String>,
        /// `pendaftaran.jalur`.
        pub jalur: Option<String>,
        /// `pendaftaran.status_seleksi`.
        pub status_seleksi: Option<String>,
        /// `pendaftaran.status_akhir`.
        pub status_akhir: Option<String>,
        /// `angkatan.status_angkatan`.
        pub status_angkatan: Option<String>,
        /// `pendaftaran.nilai_akhir`.
        pub nilai_akhir: Option<f64>,
        /// `pendaftaran.persen_kehadiran`.
        pub persen_kehadiran: Option<f64>,
        /// Whether later rows of the same (batch, trainee) pair were merged into this one.
        pub has_duplicates: Option<bool>,
        /// The columns whose value is of another type than the column's (see
        /// [`crate::query::dialect::Dialect::mistyped`]), space-separated.
        pub mistyped: Option<String>,
        /// Matching rows before paging.
        pub total_count: i64,
    }

    /// `penempatan` (the latest report of its enrolment).
    pub struct OutcomeRow {
        /// `penempatan.id_penempatan`.
        pub id_penempatan: i64,
        /// The kept `id_pendaftaran` of the report's (batch, trainee) pair.
        pub id_enrollment: i64,
        /// Whether the report was filed against a duplicate registration.
        pub merged: Option<bool>,
        /// `penempatan.status_penempatan`.
        pub status_penempatan: Option<String>,
        /// `penempatan.nama_perusahaan`.
        pub nama_perusahaan: Option<String>,
        /// `penempatan.jabatan`.
        pub jabatan: Option<String>,
        /// `penempatan.kode_wilayah_kerja`.
        pub kode_wilayah_kerja: Option<String>,
        /// `penempatan.tgl_mulai_kerja`, as text.
        pub tgl_mulai_kerja: Option<String>,
        /// `penempatan.tgl_lapor`, as text (a date, or a timestamp).
        pub tgl_lapor: Option<String>,
        /// `penempatan.sumber_info`.
        pub sumber_info: Option<String>,
        /// Matching rows before paging.
        pub total_count: i64,
    }

    /// `kemitraan` with its institution.
    pub struct PartnershipRow {
        /// `kemitraan.id_kemitraan`.
        pub id_kemitraan: i64,
        /// `lembaga.kode_lembaga`.
        pub kode_lembaga: String,
        /// `lembaga.nama_lembaga`.
        pub nama_lembaga: String,
        /// `lembaga.jenis_lembaga`.
        pub jenis_lembaga: Option<String>,
        /// `kemitraan.nama_mitra`.
        pub nama_mitra: String,
        /// `kemitraan.jenis_mitra`.
        pub jenis_mitra: Option<String>,
        /// `kemitraan.bentuk`.
        pub bentuk: Option<String>,
        /// `kemitraan.nomor_dokumen`.
        pub nomor_dokumen: Option<String>,
        /// `kemitraan.tgl_mulai`, as text.
        pub tgl_mulai: Option<String>,
        /// `kemitraan.tgl_berakhir`, as text.
        pub tgl_berakhir: Option<String>,
        /// `kemitraan.keterangan`.
        pub keterangan: Option<String>,
        /// Matching rows before paging.
        pub total_count: i64,
    }

    /// `sertifikasi` with its enrolment's centre and programme and its LSP. The certificate and
    /// registration numbers are NULL unless the request asked for personal data.
    pub struct AwardRow {
        /// `sertifikasi.id_sertifikasi`.
        pub id_sertifikasi: i64,
        /// The kept `id_pendaftaran` of the certificate's (batch, trainee) pair.
        pub id_enrollment: i64,
        /// Whether the certificate was filed against a duplicate registration.
        pub merged: Option<bool>,
        /// `Credential.sourceId`, computed by the plan (the expression filters see).
        pub credential_id: String,
        /// `sertifikasi.jenis_sertifikat`.
        pub jenis_sertifikat: Option<String>,
        /// `sertifikasi.id_lsp`.
        pub id_lsp: Option<i64>,
        /// `lsp.kode_lsp`, when the LSP exists.
        pub kode_lsp: Option<String>,
        /// `lsp.nama_lsp`, when the LSP exists.
        pub nama_lsp: Option<String>,
        /// `sertifikasi.skema_sertifikasi`.
        pub skema_sertifikasi: Option<String>,
        /// `sertifikasi.tgl_uji`, as text.
        pub tgl_uji: Option<String>,
        /// `sertifikasi.rekomendasi`.
        pub rekomendasi: Option<String>,
        /// Whether `nomor_sertifikat` is filled (read whatever the request).
        pub has_number: Option<bool>,
        /// `sertifikasi.nomor_sertifikat` (personal data; on request only).
        pub nomor_sertifikat: Option<String>,
        /// `sertifikasi.nomor_registrasi` (personal data; on request only).
        pub nomor_registrasi: Option<String>,
        /// `sertifikasi.tgl_terbit`, as text.
        pub tgl_terbit: Option<String>,
        /// `sertifikasi.berlaku_sampai`, as text.
        pub berlaku_sampai: Option<String>,
        /// `lembaga.kode_lembaga` of the enrolment's batch.
        pub kode_lembaga: String,
        /// `lembaga.nama_lembaga`.
        pub nama_lembaga: String,
        /// `program_pelatihan.nama_program` of the batch.
        pub nama_program: String,
        /// `program_pelatihan.kode_kbji`.
        pub kode_kbji: Option<String>,
        /// The programme's units, `[[urutan, kode_unit, judul_unit, sumber_standar], …]`.
        pub units: Option<String>,
        /// Matching rows before paging.
        pub total_count: i64,
    }

    /// `program_pelatihan` with its field, its units and the LSPs its scheme's awards name.
    pub struct ProgramRow {
        /// `program_pelatihan.kode_program`.
        pub kode_program: String,
        /// `program_pelatihan.nama_program`.
        pub nama_program: String,
        /// `program_pelatihan.id_kejuruan`.
        pub id_kejuruan: Option<i64>,
        /// `kejuruan.kode_kejuruan`, when the field exists.
        pub kode_kejuruan: Option<String>,
        /// `kejuruan.nama_kejuruan`, when the field exists.
        pub nama_kejuruan: Option<String>,
        /// `program_pelatihan.kode_kbji`.
        pub kode_kbji: Option<String>,
        /// `program_pelatihan.jenjang_kkni`.
        pub jenjang_kkni: Option<i64>,
        /// `program_pelatihan.durasi_jp`.
        pub durasi_jp: Option<i64>,
        /// `program_pelatihan.metode`.
        pub metode: Option<String>,
        /// `program_pelatihan.skema_sertifikasi`.
        pub skema_sertifikasi: Option<String>,
        /// `program_pelatihan.deskripsi`.
        pub deskripsi: Option<String>,
        /// `program_pelatihan.aktif`.
        pub aktif: Option<bool>,
        /// The programme's units, `[[urutan, kode_unit, judul_unit, sumber_standar], …]`.
        pub units: Option<String>,
        /// How many of its `program_unit` rows name a unit that does not exist.
        pub missing_units: Option<i64>,
        /// The LSPs the served competency awards of its scheme name: `[how many, the lowest
        /// kode_lsp, the lowest nama_lsp]` (the code and name are that LSP's when there is one).
        pub scheme_lsps: Option<String>,
        /// The columns whose value is of another type than the column's (see
        /// [`crate::query::dialect::Dialect::mistyped`]), space-separated.
        pub mistyped: Option<String>,
        /// Matching rows before paging.
        pub total_count: i64,
    }
}
