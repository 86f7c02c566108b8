//! `unit_kompetensi`: SKKNI-shaped competency units (illustrative in the sample data), served
//! as a programme's and a credential's `competencies` (framework from `sumber_standar`).

use sea_orm::entity::prelude::*;

/// One competency unit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_kompetensi")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_unit: i32,
    /// Unit code (`C.251100.001.01`).
    #[sea_orm(unique)]
    pub kode_unit: String,
    /// Title.
    pub judul_unit: String,
    /// `SKKNI`, `Internasional` or `Khusus`.
    pub sumber_standar: String,
}

/// Relations of `unit_kompetensi`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Programmes that include it.
    #[sea_orm(has_many = "super::program_unit::Entity")]
    ProgramUnit,
}

impl ActiveModelBehavior for ActiveModel {}
