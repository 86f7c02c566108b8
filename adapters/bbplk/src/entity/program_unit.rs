//! `program_unit`: the competency units of each catalogue programme, in order (`urutan`): a
//! programme's `competencies`, and the units its credentials list. A row naming a programme or
//! unit that does not exist is a rejected row.

use sea_orm::entity::prelude::*;

/// One (programme, unit) pair.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "program_unit")]
pub struct Model {
    /// The programme.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_program: i32,
    /// The unit.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_unit: i32,
    /// Position in the programme.
    pub urutan: i16,
}

/// Relations of `program_unit`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The programme.
    #[sea_orm(
        belongs_to = "super::program_pelatihan::Entity",
        from = "Column::IdProgram",
        to = "super::program_pelatihan::Column::IdProgram"
    )]
    ProgramPelatihan,
    /// The unit.
    #[sea_orm(
        belongs_to = "super::unit_kompetensi::Entity",
        from = "Column::IdUnit",
        to = "super::unit_kompetensi::Column::IdUnit"
    )]
    UnitKompetensi,
}

impl Related<super::program_pelatihan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProgramPelatihan.def()
    }
}

impl Related<super::unit_kompetensi::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UnitKompetensi.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
