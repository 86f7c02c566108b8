//! `api_key`: one issued key. The key itself is not here, only its SHA-256.
//!
//! ```text
//! api_key(id, partner_id?, role, scopes, label, secret_hash, created_at,
//!         expires_at?, revoked_at?, last_used_at?)
//! ```

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    /// The 8-character public id (the `<id>` in `smp_<id>_<secret>`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub partner_id: Option<i64>,
    /// [`crate::Role`] name.
    pub role: String,
    /// [`crate::Scopes`], space-separated.
    pub scopes: String,
    pub label: String,
    /// SHA-256 of the whole key, lowercase hex.
    pub secret_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    /// Updated at most once a minute.
    pub last_used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::partner::Entity",
        from = "Column::PartnerId",
        to = "super::partner::Column::Id"
    )]
    Partner,
    #[sea_orm(has_many = "super::audit_log::Entity")]
    AuditLog,
}

impl Related<super::partner::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Partner.def()
    }
}

impl Related<super::audit_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AuditLog.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
