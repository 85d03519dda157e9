//! Change marks per process, replacing the one shared marker of 000008: every write transaction
//! moves its own process's row (`WriteTx`), and a process's watcher reads the others' rows. A
//! moved row is another process's committed write, exactly: the process's own writes are not
//! mistaken for another's (with one shared counter they were, so a server emptied its kept pages
//! on its own every write), and the row moves in the writing transaction, so when the watcher
//! sees it the data is visible too (the PostgreSQL sequence moved before its commit). Each
//! process writes only its own row, so writers of different processes never wait for each other.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let c = m.get_connection();
        c.execute_unprepared(
            "CREATE TABLE change_marks (process BIGINT PRIMARY KEY, n BIGINT NOT NULL, at BIGINT NOT NULL)",
        )
        .await?;
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                c.execute_unprepared("DROP SEQUENCE IF EXISTS data_changes_seq")
                    .await?
            }
            _ => {
                c.execute_unprepared("DROP TABLE IF EXISTS data_changes")
                    .await?
            }
        };
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let c = m.get_connection();
        c.execute_unprepared("DROP TABLE change_marks").await?;
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                c.execute_unprepared("CREATE SEQUENCE data_changes_seq")
                    .await?
            }
            _ => {
                c.execute_unprepared(
                    "CREATE TABLE data_changes (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
                )
                .await?;
                c.execute_unprepared("INSERT INTO data_changes (id, n) VALUES (1, 0)")
                    .await?
            }
        };
        Ok(())
    }
}
