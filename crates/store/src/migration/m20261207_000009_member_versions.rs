//! Issue 15 item 2: a version on each member record, moved by every write, so that an edit
//! made from an older version is refused instead of silently overwriting a newer one. Existing
//! records start at 1.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Members {
    Table,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Members::Table)
                .add_column(
                    ColumnDef::new(Members::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Members::Table)
                .drop_column(Members::Version)
                .to_owned(),
        )
        .await
    }
}
