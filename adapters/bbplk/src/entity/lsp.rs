//! `lsp`: professional certification bodies (Lembaga Sertifikasi Profesi): the issuers of
//! competency certificates (`Credential.issuerName`, and `kode_lsp` in the credential's key;
//! a programme's credential takes the LSP its scheme's awards name).

use sea_orm::entity::prelude::*;

/// One certification body.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lsp")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_lsp: i32,
    /// Business key.
    #[sea_orm(unique)]
    pub kode_lsp: String,
    /// Name.
    pub nama_lsp: String,
    /// BNSP licence number.
    pub nomor_lisensi: Option<String>,
}

/// Relations of `lsp`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Certificates it issued.
    #[sea_orm(has_many = "super::sertifikasi::Entity")]
    Sertifikasi,
}

impl ActiveModelBehavior for ActiveModel {}
