//! `sertifikasi`: training and competency certificates, served as `credentialAwards`, one award
//! per row (the plan is `crate::query::plans::credentials`, the mapping
//! [`crate::mapping::credentials`]). `nomor_sertifikat` and `nomor_registrasi` identify a
//! person: they are projected only when a request asks for personal data.

use sea_orm::entity::prelude::*;

/// One certificate or competency test. Certificate numbers identify a person.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sertifikasi")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_sertifikasi: i32,
    /// The enrolment.
    pub id_pendaftaran: i32,
    /// `Sertifikat Pelatihan` or `Sertifikat Kompetensi`.
    pub jenis_sertifikat: String,
    /// The LSP (competency certificates).
    pub id_lsp: Option<i32>,
    /// Scheme.
    pub skema_sertifikasi: Option<String>,
    /// Test date.
    pub tgl_uji: Option<Date>,
    /// `K` (competent) or `BK` (not yet competent); `CHAR(2)`, so PostgreSQL pads `K`.
    #[sea_orm(column_type = "Char(Some(2))")]
    pub rekomendasi: Option<String>,
    /// Certificate number (personal data: `CredentialAward.number`, on request only).
    pub nomor_sertifikat: Option<String>,
    /// BNSP registration number (personal data: `CredentialAward.registrationNumber`, on
    /// request only).
    pub nomor_registrasi: Option<String>,
    /// Issued on.
    pub tgl_terbit: Option<Date>,
    /// Valid until.
    pub berlaku_sampai: Option<Date>,
}

/// Relations of `sertifikasi`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The enrolment.
    #[sea_orm(
        belongs_to = "super::pendaftaran::Entity",
        from = "Column::IdPendaftaran",
        to = "super::pendaftaran::Column::IdPendaftaran"
    )]
    Pendaftaran,
    /// The LSP.
    #[sea_orm(
        belongs_to = "super::lsp::Entity",
        from = "Column::IdLsp",
        to = "super::lsp::Column::IdLsp"
    )]
    Lsp,
}

impl Related<super::pendaftaran::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Pendaftaran.def()
    }
}

impl Related<super::lsp::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lsp.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
