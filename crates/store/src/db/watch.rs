//! Noticing data changes made by other processes on the same database (`tuanwu import` beside
//! a running server, a second server on PostgreSQL): every `WriteTx` moves its own process's
//! row in `change_marks` (migration 000015) inside the transaction; a watcher polls the other
//! processes' rows and moves this process's generation of everything when one of them moved.
//! It stops when the `Db` is dropped.

use std::collections::HashMap;
use std::sync::Weak;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sea_orm::{DbErr, Statement, Value};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgPool, SqliteConnection};

use super::changes::Changes;
use super::Backend;

/// How long another process's change can stay unseen here.
pub const EVERY: Duration = Duration::from_millis(200);

/// Marks of processes not heard from for this long are forgotten at start-up. A process that was
/// only idle re-creates its row with its next write, which the others see as a move.
const FORGET_AFTER_SECS: i64 = 7 * 24 * 3600;

const READ: &str = "SELECT process, n FROM change_marks";

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A token no other process on the database holds (64 random bits).
pub(super) fn new_process_token() -> i64 {
    rand::random::<i64>()
}

/// The statement a write transaction runs just before it commits: its process's mark moves.
pub(super) fn mark(backend: Backend, process: i64) -> Statement {
    let sql = "INSERT INTO change_marks (process, n, at) VALUES ($1, 1, $2) \
               ON CONFLICT (process) DO UPDATE SET n = change_marks.n + 1, at = excluded.at";
    let values: Vec<Value> = vec![process.into(), unix_now().into()];
    match backend {
        Backend::Postgres => {
            Statement::from_sql_and_values(sea_orm::DatabaseBackend::Postgres, sql, values)
        }
        Backend::Sqlite => Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Sqlite,
            sql.replace("$1", "?").replace("$2", "?"),
            values,
        ),
    }
}

/// At start-up: drops the marks of processes long gone, so the watchers' reads stay small.
pub(super) fn forget_old(backend: Backend) -> Statement {
    let sql = "DELETE FROM change_marks WHERE at < $1";
    let values: Vec<Value> = vec![(unix_now() - FORGET_AFTER_SECS).into()];
    match backend {
        Backend::Postgres => {
            Statement::from_sql_and_values(sea_orm::DatabaseBackend::Postgres, sql, values)
        }
        Backend::Sqlite => Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Sqlite,
            sql.replace("$1", "?"),
            values,
        ),
    }
}

type Marks = HashMap<i64, i64>;

/// Whether a process other than `me` committed between the two reads. Unreadable counts as
/// moved: a re-read costs less than a stale page.
fn others_moved(me: i64, last: &Option<Marks>, now: &Option<Marks>) -> bool {
    match (last, now) {
        (Some(last), Some(now)) => now
            .iter()
            .any(|(process, n)| *process != me && last.get(process) != Some(n)),
        _ => true,
    }
}

async fn follow<F, Fut>(changes: Weak<Changes>, me: i64, mut read: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<Marks>>,
{
    let mut last = read().await;
    loop {
        tokio::time::sleep(EVERY).await;
        let Some(changes) = changes.upgrade() else {
            break;
        };
        let now = read().await;
        if others_moved(me, &last, &now) {
            changes.everything();
        }
        last = now;
    }
}

/// SQLite: its own connection, outside the pool; each read sees the last commit.
pub(super) async fn sqlite(
    options: SqliteConnectOptions,
    changes: Weak<Changes>,
    me: i64,
) -> Result<(), DbErr> {
    let conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)))?;
    let conn = std::sync::Arc::new(tokio::sync::Mutex::new(conn));
    tokio::spawn(follow(changes, me, move || {
        let conn = conn.clone();
        async move {
            let mut c = conn.lock().await;
            sqlx::query_as::<_, (i64, i64)>(READ)
                .fetch_all(&mut *c)
                .await
                .ok()
                .map(|rows| rows.into_iter().collect())
        }
    }));
    Ok(())
}

pub(super) fn postgres(pool: PgPool, changes: Weak<Changes>, me: i64) {
    tokio::spawn(follow(changes, me, move || {
        let pool = pool.clone();
        async move {
            sqlx::query_as::<_, (i64, i64)>(READ)
                .fetch_all(&pool)
                .await
                .ok()
                .map(|rows| rows.into_iter().collect())
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_other_processes_marks_count_as_their_changes() {
        let me = 1;
        let last = Some(Marks::from([(1, 5), (2, 3)]));
        assert!(!others_moved(
            me,
            &last,
            &Some(Marks::from([(1, 9), (2, 3)]))
        ));
        assert!(others_moved(
            me,
            &last,
            &Some(Marks::from([(1, 5), (2, 4)]))
        ));
        assert!(
            others_moved(me, &last, &Some(Marks::from([(1, 5), (2, 3), (3, 1)]))),
            "a process's first write"
        );
        assert!(
            !others_moved(me, &last, &Some(Marks::from([(1, 5)]))),
            "a forgotten process"
        );
        assert!(others_moved(me, &last, &None), "unreadable");
    }
}
