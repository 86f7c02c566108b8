//! `lembaga_kejuruan`: which vocational fields (workshops) each institution runs.

use sea_orm::entity::prelude::*;

/// One (institution, field) pair.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lembaga_kejuruan")]
pub struct Model {
    /// The institution.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_lembaga: i32,
    /// The field.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_kejuruan: i32,
    /// Number of workshops.
    pub jumlah_workshop: Option<i16>,
}

/// Relations of `lembaga_kejuruan`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The institution.
    #[sea_orm(
        belongs_to = "super::lembaga::Entity",
        from = "Column::IdLembaga",
        to = "super::lembaga::Column::IdLembaga"
    )]
    Lembaga,
    /// The field.
    #[sea_orm(
        belongs_to = "super::kejuruan::Entity",
        from = "Column::IdKejuruan",
        to = "super::kejuruan::Column::IdKejuruan"
    )]
    Kejuruan,
}

impl Related<super::lembaga::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lembaga.def()
    }
}

impl Related<super::kejuruan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Kejuruan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
