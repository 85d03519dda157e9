//! A marker every write transaction moves (`WriteTx::commit`), so each process that keeps answers
//! between requests sees when another process changed the data. On PostgreSQL a sequence: a
//! counter row would make every write transaction wait for the one before it to commit.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let c = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                c.execute_unprepared("CREATE SEQUENCE data_changes_seq")
                    .await?;
            }
            _ => {
                c.execute_unprepared(
                    "CREATE TABLE data_changes (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
                )
                .await?;
                c.execute_unprepared("INSERT INTO data_changes (id, n) VALUES (1, 0)")
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let c = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                c.execute_unprepared("DROP SEQUENCE data_changes_seq")
                    .await?
            }
            _ => c.execute_unprepared("DROP TABLE data_changes").await?,
        };
        Ok(())
    }
}
