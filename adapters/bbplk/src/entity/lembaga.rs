//! `lembaga`: training institutions (UPTP, UPTD, BLKK, LPK) → unified `TrainingCenter`.

use sea_orm::entity::prelude::*;

/// One institution.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lembaga")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_lembaga: i32,
    /// Stable business key (`TrainingCenter.sourceId`).
    #[sea_orm(unique)]
    pub kode_lembaga: String,
    /// Official name.
    pub nama_lembaga: String,
    /// Other names, separated by `|`.
    pub nama_alias: Option<String>,
    /// `UPTP`, `UPTD`, `BLKK` or `LPK`.
    pub jenis_lembaga: String,
    /// `Pemerintah Pusat`, `Pemerintah Daerah`, `Masyarakat` or `Swasta`.
    pub status_pengelola: String,
    /// The supervising UPTP (*binaan*).
    pub id_lembaga_pembina: Option<i32>,
    /// Street address.
    pub alamat: Option<String>,
    /// Region at level 2–4.
    pub kode_wilayah: String,
    /// Telephone.
    pub telepon: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Year founded.
    pub tahun_berdiri: Option<i16>,
    /// Operating.
    pub aktif: bool,
    /// Created (WIB, no offset).
    pub dibuat_pada: DateTime,
    /// Last changed (WIB, no offset).
    pub diubah_pada: Option<DateTime>,
}

/// Relations of `lembaga`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The supervising institution.
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::IdLembagaPembina",
        to = "Column::IdLembaga"
    )]
    Pembina,
    /// Where it is.
    #[sea_orm(
        belongs_to = "super::ref_wilayah::Entity",
        from = "Column::KodeWilayah",
        to = "super::ref_wilayah::Column::KodeWilayah"
    )]
    Wilayah,
    /// Its batches.
    #[sea_orm(has_many = "super::angkatan::Entity")]
    Angkatan,
    /// Its partnerships.
    #[sea_orm(has_many = "super::kemitraan::Entity")]
    Kemitraan,
    /// Which fields it runs.
    #[sea_orm(has_many = "super::lembaga_kejuruan::Entity")]
    LembagaKejuruan,
}

impl Related<super::angkatan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Angkatan.def()
    }
}

impl Related<super::kemitraan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Kemitraan.def()
    }
}

impl Related<super::kejuruan::Entity> for Entity {
    fn to() -> RelationDef {
        super::lembaga_kejuruan::Relation::Kejuruan.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::lembaga_kejuruan::Relation::Lembaga.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
