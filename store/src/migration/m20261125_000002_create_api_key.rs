//! Create `api_key`, indexed by partner.
//!
//! ```sql
//! CREATE TABLE api_key (id varchar(8) PRIMARY KEY, partner_id bigint REFERENCES partner,
//!   role varchar(16), scopes text, label text, secret_hash varchar(64), created_at timestamptz,
//!   expires_at timestamptz, revoked_at timestamptz, last_used_at timestamptz)
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
                    .table(ApiKey::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ApiKey::Id)
                            .string_len(8)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ApiKey::PartnerId).big_integer().null())
                    .col(ColumnDef::new(ApiKey::Role).string_len(16).not_null())
                    .col(ColumnDef::new(ApiKey::Scopes).text().not_null())
                    .col(ColumnDef::new(ApiKey::Label).text().not_null())
                    .col(ColumnDef::new(ApiKey::SecretHash).string_len(64).not_null())
                    .col(
                        ColumnDef::new(ApiKey::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::ExpiresAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::LastUsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_key_partner")
                            .from(ApiKey::Table, ApiKey::PartnerId)
                            .to(Partner::Table, Partner::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_key_partner")
                    .table(ApiKey::Table)
                    .col(ApiKey::PartnerId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiKey::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
    PartnerId,
    Role,
    Scopes,
    Label,
    SecretHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum Partner {
    Table,
    Id,
}
