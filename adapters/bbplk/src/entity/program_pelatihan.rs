//! `program_pelatihan`: the national catalogue of competency-based programmes (PBK), served as
//! `programs`, one per row (the plan is `crate::query::plans::programs`, the mapping
//! [`crate::mapping::programs`]); `kode_program` is also its courses' `programId`.

use sea_orm::entity::prelude::*;

/// One catalogue programme.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "program_pelatihan")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_program: i32,
    /// Business key.
    #[sea_orm(unique)]
    pub kode_program: String,
    /// Its vocational field.
    pub id_kejuruan: i32,
    /// Name (`Course.name`).
    pub nama_program: String,
    /// KBJI 2014 / ISCO-08 unit group, 4 digits.
    #[sea_orm(column_type = "Char(Some(4))")]
    pub kode_kbji: Option<String>,
    /// KKNI level 1–9.
    pub jenjang_kkni: Option<i16>,
    /// Hours (*jam pelajaran*); > 0 expected, not enforced.
    pub durasi_jp: i16,
    /// `PBK`.
    pub metode: String,
    /// LSP scheme it prepares for.
    pub skema_sertifikasi: Option<String>,
    /// Description.
    #[sea_orm(column_type = "Text")]
    pub deskripsi: Option<String>,
    /// In the catalogue (an inactive programme is served with `PROGRAM_INACTIVE`).
    pub aktif: bool,
}

/// Relations of `program_pelatihan`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Its vocational field.
    #[sea_orm(
        belongs_to = "super::kejuruan::Entity",
        from = "Column::IdKejuruan",
        to = "super::kejuruan::Column::IdKejuruan"
    )]
    Kejuruan,
    /// Its batches.
    #[sea_orm(has_many = "super::angkatan::Entity")]
    Angkatan,
    /// Its competency units.
    #[sea_orm(has_many = "super::program_unit::Entity")]
    ProgramUnit,
}

impl Related<super::kejuruan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Kejuruan.def()
    }
}

impl Related<super::angkatan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Angkatan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
