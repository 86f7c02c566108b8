//! `penempatan`: tracer-study placement reports → `Outcome`.

use sea_orm::entity::prelude::*;

/// One placement report (the latest status of an enrolment).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "penempatan")]
pub struct Model {
    /// Surrogate key (`Outcome.sourceId`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_penempatan: i32,
    /// The enrolment.
    pub id_pendaftaran: i32,
    /// `Bekerja`, `Wirausaha` or `Belum Bekerja`.
    pub status_penempatan: String,
    /// Employer.
    pub nama_perusahaan: Option<String>,
    /// Job title, or `Usaha mandiri: <business>`.
    pub jabatan: Option<String>,
    /// Workplace region (regency level).
    pub kode_wilayah_kerja: Option<String>,
    /// First day of work.
    pub tgl_mulai_kerja: Option<Date>,
    /// When reported.
    pub tgl_lapor: Date,
    /// `Tracer study`, `Laporan peserta` or `Mitra industri`.
    pub sumber_info: Option<String>,
}

/// Relations of `penempatan`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The enrolment.
    #[sea_orm(
        belongs_to = "super::pendaftaran::Entity",
        from = "Column::IdPendaftaran",
        to = "super::pendaftaran::Column::IdPendaftaran"
    )]
    Pendaftaran,
}

impl Related<super::pendaftaran::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Pendaftaran.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
