//! `kejuruan`: vocational fields (workshop groups), local codes (`TPD`, `LAS`).

use sea_orm::entity::prelude::*;

/// One vocational field.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kejuruan")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_kejuruan: i32,
    /// Local code.
    #[sea_orm(unique)]
    pub kode_kejuruan: String,
    /// Name.
    pub nama_kejuruan: String,
}

/// Relations of `kejuruan`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Catalogue programmes in this field.
    #[sea_orm(has_many = "super::program_pelatihan::Entity")]
    ProgramPelatihan,
}

impl Related<super::program_pelatihan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProgramPelatihan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
