//! `audit_log`: one operation that read personal data. Names and counts, never values.
//!
//! ```text
//! audit_log(id, key_id?, at, operation_hash, operation_name?, record_count, request_id?)
//!   1 ── * audit_log_field(audit_log_id, field)
//! ```

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The API key that asked; `None` for anonymous requests.
    pub key_id: Option<String>,
    pub at: DateTimeUtc,
    /// SHA-256 of the query text (the persisted-query id).
    pub operation_hash: String,
    pub operation_name: Option<String>,
    pub record_count: i64,
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::api_key::Entity",
        from = "Column::KeyId",
        to = "super::api_key::Column::Id"
    )]
    ApiKey,
    #[sea_orm(has_many = "super::audit_log_field::Entity")]
    Field,
}

impl Related<super::api_key::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApiKey.def()
    }
}

impl Related<super::audit_log_field::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Field.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
