//! Create `persisted_query`.
//!
//! ```sql
//! CREATE TABLE persisted_query (hash varchar(64) PRIMARY KEY, query text, created_at timestamptz)
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
                    .table(PersistedQuery::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(PersistedQuery::Hash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PersistedQuery::Query).text().not_null())
                    .col(
                        ColumnDef::new(PersistedQuery::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PersistedQuery::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PersistedQuery {
    Table,
    Hash,
    Query,
    CreatedAt,
}
