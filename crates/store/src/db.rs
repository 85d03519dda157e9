//! Opening the database, SQLite pragmas, and write transactions.

use std::ops::Deref;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, SqlxPostgresConnector,
    SqlxSqliteConnector, Statement, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::migration::Migrator;

mod watch;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The connection pool. On SQLite, write transactions are serialised in-process: SQLite has one
/// writer anyway, and a deferred `BEGIN` that later upgrades to a write can fail with
/// SQLITE_BUSY instead of waiting; taking the lock first gives `BEGIN IMMEDIATE` semantics.
#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    backend: Backend,
    write_lock: Option<Arc<Mutex<()>>>,
    changes: Arc<AtomicU64>,
    /// SQLite: how to open the marker watcher's own connection.
    watch: Option<SqliteConnectOptions>,
}

/// A write transaction; dropping it without `commit` rolls back.
pub struct WriteTx {
    tx: DatabaseTransaction,
    _guard: Option<OwnedMutexGuard<()>>,
    changes: Arc<AtomicU64>,
    backend: Backend,
}

impl Deref for WriteTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), DbErr> {
        // Other processes' watchers see the marker move (on SQLite exactly when this commits).
        self.tx
            .execute_unprepared(watch::bump_marker(self.backend))
            .await?;
        self.tx.commit().await?;
        // After the commit, so a reader that sees the new generation also sees the new data.
        self.changes.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// Rolls back now and releases the write lock (dropping would roll back too, but later).
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.tx.rollback().await
    }
}

fn config_err(e: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("数据库地址无效：{e}"))
}

impl Db {
    /// Connects and applies pending migrations. `sqlite://path?mode=rwc` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self, DbErr> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(config_err)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // 32 MB of page cache per connection: index inserts of bulk imports stay in
                // memory instead of re-reading pages (measured: the main cost at 1M rows).
                .pragma("cache_size", "-32768")
                .pragma("temp_store", "memory");
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                // An embedded connection cannot go stale; the default ping before every
                // acquire doubled the round trips to SQLite's worker thread of every query.
                .test_before_acquire(false)
                .connect_with(options.clone())
                .await
                .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)))?;
            Db {
                conn: SqlxSqliteConnector::from_sqlx_sqlite_pool(pool),
                backend: Backend::Sqlite,
                write_lock: Some(Arc::new(Mutex::new(()))),
                changes: Arc::new(AtomicU64::new(0)),
                watch: Some(options),
            }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url).map_err(config_err)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .connect_with(options)
                .await
                .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)))?;
            Db {
                conn: SqlxPostgresConnector::from_sqlx_postgres_pool(pool),
                backend: Backend::Postgres,
                write_lock: None,
                changes: Arc::new(AtomicU64::new(0)),
                watch: None,
            }
        } else {
            return Err(config_err("只支持 sqlite:// 或 postgres:// 开头的地址"));
        };
        if db.backend == Backend::Sqlite {
            db.assert_sqlite_pragmas().await?;
        }
        Migrator::up(&db.conn, None).await?;
        match (&db.watch, db.backend) {
            (Some(options), _) => {
                watch::sqlite(options.clone(), Arc::downgrade(&db.changes)).await?
            }
            (None, Backend::Postgres) => watch::postgres(
                db.conn.get_postgres_connection_pool().clone(),
                Arc::downgrade(&db.changes),
            ),
            (None, Backend::Sqlite) => {}
        }
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Grows whenever committed data may have changed: at once after every `WriteTx` of this
    /// process, and within `watch::EVERY` after a `WriteTx` of another process or server on
    /// the same database. Answers cached under one value are current while it holds. Writes
    /// outside a `WriteTx` (session bookkeeping) do not count: data changes go through one.
    pub fn data_generation(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    pub async fn write(&self) -> Result<WriteTx, DbErr> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        Ok(WriteTx {
            tx: self.conn.begin().await?,
            _guard: guard,
            changes: self.changes.clone(),
            backend: self.backend,
        })
    }

    /// Durability depends on these; refuse to start if the driver did not apply them.
    async fn assert_sqlite_pragmas(&self) -> Result<(), DbErr> {
        let expect = [
            ("journal_mode", "wal"),
            ("foreign_keys", "1"),
            ("synchronous", "2"),
            ("busy_timeout", "10000"),
        ];
        for (pragma, want) in expect {
            let row = self
                .conn
                .query_one(Statement::from_string(
                    self.conn.get_database_backend(),
                    format!("PRAGMA {pragma}"),
                ))
                .await?
                .ok_or_else(|| DbErr::Custom(format!("PRAGMA {pragma} 无结果")))?;
            let got: String = row
                .try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string()))?;
            if !got.eq_ignore_ascii_case(want) {
                return Err(DbErr::Custom(format!(
                    "SQLite PRAGMA {pragma} 为 {got}，应为 {want}：拒绝启动以免数据丢失"
                )));
            }
        }
        Ok(())
    }
}

/// `Some(constraint text)` when the error is a unique-constraint violation.
pub fn unique_violation(err: &DbErr) -> Option<String> {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) => Some(detail),
        _ => None,
    }
}
