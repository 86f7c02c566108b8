//! Create `partner`.
//!
//! ```sql
//! CREATE TABLE partner (id bigint PRIMARY KEY, name text, provider varchar(64),
//!   created_at timestamptz)
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
                    .table(Partner::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Partner::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Partner::Name).text().not_null())
                    .col(ColumnDef::new(Partner::Provider).string_len(64).not_null())
                    .col(
                        ColumnDef::new(Partner::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Partner::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Partner {
    Table,
    Id,
    Name,
    Provider,
    CreatedAt,
}
