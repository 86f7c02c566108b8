//! `kemitraan`: an institution's partnerships and engagements → `Partnership`.

use sea_orm::entity::prelude::*;

/// One partnership.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kemitraan")]
pub struct Model {
    /// Surrogate key (`Partnership.sourceId`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_kemitraan: i32,
    /// The institution.
    pub id_lembaga: i32,
    /// The partner.
    pub nama_mitra: String,
    /// `Industri`, `Serikat Pekerja`, `Asosiasi Pengusaha`, `Pemerintah Daerah` or `Lainnya`.
    pub jenis_mitra: String,
    /// `MoU`, `PKS`, `Kunjungan` or `Pembinaan`.
    pub bentuk: String,
    /// Document number.
    pub nomor_dokumen: Option<String>,
    /// First day.
    pub tgl_mulai: Option<Date>,
    /// Last day.
    pub tgl_berakhir: Option<Date>,
    /// Notes.
    #[sea_orm(column_type = "Text")]
    pub keterangan: Option<String>,
}

/// Relations of `kemitraan`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The institution.
    #[sea_orm(
        belongs_to = "super::lembaga::Entity",
        from = "Column::IdLembaga",
        to = "super::lembaga::Column::IdLembaga"
    )]
    Lembaga,
}

impl Related<super::lembaga::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lembaga.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
