//! Noticing data changes made by other processes on the same database (`tuanwu import` beside
//! a running server, a second server on PostgreSQL): every `WriteTx` moves a marker
//! (migration 000008) before it commits; a watcher polls it and bumps this process's data
//! generation when it moves. It stops when the `Db` is dropped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Weak;
use std::time::Duration;

use sea_orm::DbErr;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgPool, SqliteConnection};

use super::Backend;

/// How long another process's change can stay unseen here.
pub const EVERY: Duration = Duration::from_millis(200);

/// The statement a write transaction runs just before it commits.
pub(super) fn bump_marker(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "UPDATE data_changes SET n = n + 1 WHERE id = 1",
        Backend::Postgres => "SELECT nextval('data_changes_seq')",
    }
}

/// Follows one marker. `settle`: bump again one period after a move, for markers that move
/// just before their commit becomes visible (a PostgreSQL sequence is not transactional).
async fn follow<F, Fut>(changes: Weak<AtomicU64>, settle: bool, mut read: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<i64>>,
{
    let mut last = read().await;
    let mut pending = false;
    loop {
        tokio::time::sleep(EVERY).await;
        let Some(changes) = changes.upgrade() else {
            break;
        };
        let now = read().await;
        // Unreadable counts as moved: a re-read costs less than a stale page.
        let moved = now.is_none() || now != last;
        if moved || pending {
            changes.fetch_add(1, Ordering::AcqRel);
        }
        pending = moved && settle;
        last = now;
    }
}

/// SQLite: its own connection, outside the pool; each read sees the last commit.
pub(super) async fn sqlite(
    options: SqliteConnectOptions,
    changes: Weak<AtomicU64>,
) -> Result<(), DbErr> {
    let conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)))?;
    let conn = std::sync::Arc::new(tokio::sync::Mutex::new(conn));
    tokio::spawn(follow(changes, false, move || {
        let conn = conn.clone();
        async move {
            let mut c = conn.lock().await;
            sqlx::query_scalar::<_, i64>("SELECT n FROM data_changes WHERE id = 1")
                .fetch_one(&mut *c)
                .await
                .ok()
        }
    }));
    Ok(())
}

pub(super) fn postgres(pool: PgPool, changes: Weak<AtomicU64>) {
    tokio::spawn(follow(changes, true, move || {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT last_value FROM data_changes_seq")
                .fetch_one(&pool)
                .await
                .ok()
        }
    }));
}
