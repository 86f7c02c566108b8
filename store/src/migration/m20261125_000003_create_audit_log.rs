//! Create `audit_log` and `audit_log_field`, indexed for "newest first", "by key" and "by
//! field".
//!
//! ```sql
//! CREATE TABLE audit_log (id bigint PRIMARY KEY, key_id varchar(8) REFERENCES api_key,
//!   at timestamptz, operation_hash varchar(64), operation_name text, record_count bigint,
//!   request_id text);
//! CREATE TABLE audit_log_field (audit_log_id bigint REFERENCES audit_log ON DELETE CASCADE,
//!   field varchar(128), PRIMARY KEY (audit_log_id, field));
//! ```

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(super) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AuditLog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AuditLog::KeyId).string_len(8).null())
                    .col(
                        ColumnDef::new(AuditLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditLog::OperationHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::OperationName).text().null())
                    .col(
                        ColumnDef::new(AuditLog::RecordCount)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::RequestId).text().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_log_api_key")
                            .from(AuditLog::Table, AuditLog::KeyId)
                            .to(ApiKey::Table, ApiKey::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLogField::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AuditLogField::AuditLogId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditLogField::Field)
                            .string_len(128)
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(AuditLogField::AuditLogId)
                            .col(AuditLogField::Field),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_log_field_audit_log")
                            .from(AuditLogField::Table, AuditLogField::AuditLogId)
                            .to(AuditLog::Table, AuditLog::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::At)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_key_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::KeyId)
                    .col(AuditLog::At)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_field_field")
                    .table(AuditLogField::Table)
                    .col(AuditLogField::Field)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLogField::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    KeyId,
    At,
    OperationHash,
    OperationName,
    RecordCount,
    RequestId,
}

#[derive(DeriveIden)]
enum AuditLogField {
    Table,
    AuditLogId,
    Field,
}

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
}
