//! `audit_log_field`: one personal-data field an audited operation resolved.
//!
//! ```text
//! audit_log_field(audit_log_id, field)   e.g. (42, "Participant.nik")
//! ```
//!
//! A table rather than a list column, so "who read `Participant.nik`" is an indexed query.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log_field")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub audit_log_id: i64,
    /// `<Type>.<field>`, e.g. `Participant.nik`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub field: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::audit_log::Entity",
        from = "Column::AuditLogId",
        to = "super::audit_log::Column::Id",
        on_delete = "Cascade"
    )]
    AuditLog,
}

impl Related<super::audit_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AuditLog.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
