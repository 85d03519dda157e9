//! DAT-1: a record of every import with its row-by-row report.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Imports {
    Table,
    Id,
    AccountId,
    OrgId,
    FileName,
    Mode,
    TotalRows,
    Added,
    Skipped,
    ErrorRows,
    Written,
    Report,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let big = |c: Imports| ColumnDef::new(c).big_integer().not_null().to_owned();
        m.create_table(
            Table::create()
                .table(Imports::Table)
                .col(
                    ColumnDef::new(Imports::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(big(Imports::AccountId))
                .col(big(Imports::OrgId))
                .col(ColumnDef::new(Imports::FileName).string_len(255).not_null())
                .col(ColumnDef::new(Imports::Mode).string_len(8).not_null())
                .col(big(Imports::TotalRows))
                .col(big(Imports::Added))
                .col(big(Imports::Skipped))
                .col(big(Imports::ErrorRows))
                .col(ColumnDef::new(Imports::Written).boolean().not_null())
                .col(ColumnDef::new(Imports::Report).text().not_null())
                .col(
                    ColumnDef::new(Imports::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_imports_org")
                .table(Imports::Table)
                .col(Imports::OrgId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Imports::Table).to_owned())
            .await
    }
}
