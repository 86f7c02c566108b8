//! `angkatan`: batches, one scheduled run of a programme at one institution → `CourseRun`.

use sea_orm::entity::prelude::*;

/// One batch.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "angkatan")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_angkatan: i32,
    /// Business key (`CourseRun.sourceId`).
    #[sea_orm(unique)]
    pub kode_angkatan: String,
    /// The catalogue programme.
    pub id_program: i32,
    /// The institution.
    pub id_lembaga: i32,
    /// Fiscal year.
    pub tahun_anggaran: i16,
    /// Intake number within the year.
    pub gelombang: Option<i16>,
    /// First day.
    pub tgl_mulai: Date,
    /// Last day; NULL while running; `>= tgl_mulai` expected, not enforced.
    pub tgl_selesai: Option<Date>,
    /// Places; > 0 expected, not enforced.
    pub kuota: i16,
    /// `Luring`, `Daring` or `Hybrid`.
    pub moda: String,
    /// `APBN-PBK`, `JKP`, `PNBP` or `Mitra`.
    pub skema_pembiayaan: String,
    /// `Direncanakan`, `Pendaftaran`, `Berjalan`, `Selesai` or `Dibatalkan`.
    pub status_angkatan: String,
    /// Instructor.
    pub instruktur: Option<String>,
    /// Notes.
    #[sea_orm(column_type = "Text")]
    pub catatan: Option<String>,
}

/// Relations of `angkatan`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The catalogue programme.
    #[sea_orm(
        belongs_to = "super::program_pelatihan::Entity",
        from = "Column::IdProgram",
        to = "super::program_pelatihan::Column::IdProgram"
    )]
    ProgramPelatihan,
    /// The institution.
    #[sea_orm(
        belongs_to = "super::lembaga::Entity",
        from = "Column::IdLembaga",
        to = "super::lembaga::Column::IdLembaga"
    )]
    Lembaga,
    /// Its enrolments.
    #[sea_orm(has_many = "super::pendaftaran::Entity")]
    Pendaftaran,
}

impl Related<super::program_pelatihan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProgramPelatihan.def()
    }
}

impl Related<super::lembaga::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lembaga.def()
    }
}

impl Related<super::pendaftaran::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Pendaftaran.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
