//! Issue 15 item 3: a code issued from a page is shown by a GET after the POST that issued it
//! (POST-redirect-GET), once. The code waits for that GET encrypted in its own row, bound to
//! the issuing session, and is cleared when shown: a refresh never issues a new code.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Codes {
    Table,
    DisplayEnc,
    DisplaySession,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Codes::Table)
                .add_column(ColumnDef::new(Codes::DisplayEnc).binary().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Codes::Table)
                .add_column(ColumnDef::new(Codes::DisplaySession).string_len(64).null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [Codes::DisplayEnc, Codes::DisplaySession] {
            m.alter_table(
                Table::alter()
                    .table(Codes::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
