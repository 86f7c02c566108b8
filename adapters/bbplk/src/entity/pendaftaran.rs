//! `pendaftaran`: a trainee's registration in a batch → `Enrollment`.

use sea_orm::entity::prelude::*;

/// One registration. (`id_angkatan`, `id_peserta`) is expected to be unique (not enforced).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pendaftaran")]
pub struct Model {
    /// Surrogate key (`Enrollment.sourceId`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_pendaftaran: i32,
    /// The batch.
    pub id_angkatan: i32,
    /// The trainee.
    pub id_peserta: i32,
    /// Registration date.
    pub tgl_daftar: Date,
    /// `Umum`, `JKP`, `Serikat Pekerja` or `Disabilitas`.
    pub jalur: String,
    /// `Diterima`, `Cadangan` or `Ditolak`.
    pub status_seleksi: String,
    /// `Lulus`, `Tidak Lulus`, `Mengundurkan Diri`; NULL until the batch ends.
    pub status_akhir: Option<String>,
    /// Final score, `NUMERIC(5,2)`, 0–100 expected (not enforced).
    #[sea_orm(column_type = "Decimal(Some((5, 2)))")]
    pub nilai_akhir: Option<f64>,
    /// Attendance, `NUMERIC(5,2)`, 0–100 expected (not enforced); 0 is valid.
    #[sea_orm(column_type = "Decimal(Some((5, 2)))")]
    pub persen_kehadiran: Option<f64>,
}

/// Relations of `pendaftaran`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The batch.
    #[sea_orm(
        belongs_to = "super::angkatan::Entity",
        from = "Column::IdAngkatan",
        to = "super::angkatan::Column::IdAngkatan"
    )]
    Angkatan,
    /// The trainee.
    #[sea_orm(
        belongs_to = "super::peserta::Entity",
        from = "Column::IdPeserta",
        to = "super::peserta::Column::IdPeserta"
    )]
    Peserta,
    /// Its placement report.
    #[sea_orm(has_many = "super::penempatan::Entity")]
    Penempatan,
    /// Its certificates.
    #[sea_orm(has_many = "super::sertifikasi::Entity")]
    Sertifikasi,
}

impl Related<super::angkatan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Angkatan.def()
    }
}

impl Related<super::peserta::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Peserta.def()
    }
}

impl Related<super::penempatan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Penempatan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
