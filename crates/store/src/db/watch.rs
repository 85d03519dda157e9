//! Noticing commits made outside this process's write transactions: another process on the
//! same SQLite file (`tuanwu import` beside a running server), another server on the same
//! PostgreSQL database, or a statement of ours that wrote without a `WriteTx`. Each watcher
//! polls a marker the database moves on every commit and bumps the generation when it moves;
//! it stops when the `Db` is dropped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Weak;
use std::time::Duration;

use sea_orm::DbErr;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgPool, SqliteConnection};

/// How stale a cached answer can be after a commit this process did not make through a
/// `WriteTx`.
pub const EVERY: Duration = Duration::from_millis(200);

fn bump_while_alive(changes: &Weak<AtomicU64>) -> bool {
    match changes.upgrade() {
        Some(c) => {
            c.fetch_add(1, Ordering::AcqRel);
            true
        }
        None => false,
    }
}

/// `PRAGMA data_version` changes when any other connection (of any process) commits. Its own
/// connection, outside the pool, so every commit through the pool counts as "other".
pub(super) async fn sqlite(options: SqliteConnectOptions, changes: Weak<AtomicU64>) -> Result<(), DbErr> {
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)))?;
    tokio::spawn(async move {
        let mut last: Option<i64> = None;
        loop {
            tokio::time::sleep(EVERY).await;
            if changes.strong_count() == 0 {
                break;
            }
            let now = sqlx::query_scalar::<_, i64>("PRAGMA data_version")
                .fetch_one(&mut conn)
                .await
                .ok();
            if now.is_none() || (last.is_some() && now != last) {
                // Unreadable counts as changed: staleness is worse than a re-read.
                if !bump_while_alive(&changes) {
                    break;
                }
            }
            last = now;
        }
        let _ = conn.close().await;
    });
    Ok(())
}

/// The WAL insert position moves with every write to the cluster: more often than this
/// database changes, never less.
pub(super) fn postgres(pool: PgPool, changes: Weak<AtomicU64>) {
    tokio::spawn(async move {
        let mut last: Option<String> = None;
        loop {
            tokio::time::sleep(EVERY).await;
            if changes.strong_count() == 0 {
                break;
            }
            let now = sqlx::query_scalar::<_, String>("SELECT pg_current_wal_insert_lsn()::text")
                .fetch_one(&pool)
                .await
                .ok();
            if now.is_none() || (last.is_some() && now != last) {
                if !bump_while_alive(&changes) {
                    break;
                }
            }
            last = now;
        }
    });
}
