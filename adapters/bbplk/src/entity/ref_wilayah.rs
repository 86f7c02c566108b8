//! `ref_wilayah`: Kemendagri region codes (dotted), with their parent.

use sea_orm::entity::prelude::*;

/// One region: `tingkat` 1 province, 2 regency/city, 3 district, 4 village.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ref_wilayah")]
pub struct Model {
    /// Dotted code (`36.02.13.2007`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub kode_wilayah: String,
    /// Official name.
    pub nama: String,
    /// Level, 1–4.
    pub tingkat: i16,
    /// Code of the enclosing region.
    pub kode_induk: Option<String>,
}

/// Relations of `ref_wilayah`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The enclosing region.
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::KodeInduk",
        to = "Column::KodeWilayah"
    )]
    Induk,
}

impl ActiveModelBehavior for ActiveModel {}
