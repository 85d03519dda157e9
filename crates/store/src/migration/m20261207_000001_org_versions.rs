//! Issue 15 item 2: an org's edit version, so that two admins editing the same org never
//! silently overwrite each other. Every org write moves it; a save naming an older one is
//! refused.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orgs {
    Table,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Orgs::Table)
                .add_column(
                    ColumnDef::new(Orgs::Version)
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
                .table(Orgs::Table)
                .drop_column(Orgs::Version)
                .to_owned(),
        )
        .await
    }
}
