//! `peserta`: trainees → `Participant`. **Personal data** (UU 27/2022); `ragam_disabilitas` is
//! health data.

use sea_orm::entity::prelude::*;

/// One trainee row (the same person may have several).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "peserta")]
pub struct Model {
    /// Surrogate key (`Participant.sourceId`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_peserta: i32,
    /// National id; `CHAR(16)`, so PostgreSQL pads short values: trim before validating.
    #[sea_orm(column_type = "Char(Some(16))")]
    pub nik: String,
    /// Full name, upper case as on the KTP.
    pub nama_lengkap: String,
    /// `L` or `P`.
    #[sea_orm(column_type = "Char(Some(1))")]
    pub jenis_kelamin: String,
    /// Place of birth.
    pub tempat_lahir: Option<String>,
    /// Date of birth.
    pub tanggal_lahir: Date,
    /// Highest education (`SD` … `S3`).
    pub pendidikan_terakhir: Option<String>,
    /// Address.
    pub alamat: Option<String>,
    /// Domicile village.
    pub kode_wilayah: Option<String>,
    /// Mobile number.
    pub no_hp: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Disability (health data).
    pub ragam_disabilitas: Option<String>,
    /// BPJS Ketenagakerjaan member number.
    pub no_kpj: Option<String>,
    /// Status at first registration.
    pub status_pekerjaan: Option<String>,
    /// Created (WIB, no offset).
    pub dibuat_pada: DateTime,
}

/// Relations of `peserta`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Domicile village.
    #[sea_orm(
        belongs_to = "super::ref_wilayah::Entity",
        from = "Column::KodeWilayah",
        to = "super::ref_wilayah::Column::KodeWilayah"
    )]
    Wilayah,
    /// Enrolments.
    #[sea_orm(has_many = "super::pendaftaran::Entity")]
    Pendaftaran,
}

impl Related<super::pendaftaran::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Pendaftaran.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
