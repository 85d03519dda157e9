//! Opening the database, SQLite pragmas, and write transactions.

use std::ops::Deref;
use std::str::FromStr;
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

mod changes;
mod watch;

use changes::Changes;
pub use changes::Generation;

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
    changes: Arc<Changes>,
    /// This process's row in `change_marks` (see `watch`).
    process: i64,
    /// SQLite: how to open the marker watcher's own connection.
    watch: Option<SqliteConnectOptions>,
}

/// A write transaction; dropping it without `commit` rolls back.
pub struct WriteTx {
    tx: DatabaseTransaction,
    _guard: Option<OwnedMutexGuard<()>>,
    changes: Arc<Changes>,
    process: i64,
    backend: Backend,
}

impl Deref for WriteTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

impl WriteTx {
    /// Commits a change that may touch anything: every kept answer is read again.
    pub async fn commit(self) -> Result<(), DbErr> {
        let changes = self.changes.clone();
        self.commit_then(|| changes.everything()).await
    }

    /// Commits a change whose whole effect on kept answers is the data of `orgs` (their members,
    /// their records): only answers about these orgs and the orgs above them are read again, so
    /// one branch's edit does not empty every other branch's kept pages. The caller vouches for
    /// the footprint; anything it cannot name goes through `commit`.
    pub async fn commit_touching(self, orgs: &[tuanwu_domain::OrgId]) -> Result<(), DbErr> {
        // Unknown footprint (the read failed): fall back to the safe, wide invalidation.
        let ids: Vec<i64> = orgs.iter().map(|o| o.0).collect();
        let above = changes::with_ancestors(&self.tx, &ids).await.ok();
        let changes = self.changes.clone();
        self.commit_then(move || match above {
            Some(ids) => changes.orgs(&ids),
            None => changes.everything(),
        })
        .await
    }

    async fn commit_then(self, after: impl FnOnce()) -> Result<(), DbErr> {
        // Other processes' watchers see this process's mark move, exactly when this commits.
        self.tx
            .execute(watch::mark(self.backend, self.process))
            .await?;
        self.tx.commit().await?;
        // After the commit, so a reader that sees the new generation also sees the new data.
        after();
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
                changes: Arc::new(Changes::default()),
                process: watch::new_process_token(),
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
                changes: Arc::new(Changes::default()),
                process: watch::new_process_token(),
                watch: None,
            }
        } else {
            return Err(config_err("只支持 sqlite:// 或 postgres:// 开头的地址"));
        };
        if db.backend == Backend::Sqlite {
            db.assert_sqlite_pragmas().await?;
        }
        Migrator::up(&db.conn, None).await?;
        db.conn.execute(watch::forget_old(db.backend)).await?;
        match (&db.watch, db.backend) {
            (Some(options), _) => {
                watch::sqlite(options.clone(), Arc::downgrade(&db.changes), db.process).await?
            }
            (None, Backend::Postgres) => watch::postgres(
                db.conn.get_postgres_connection_pool().clone(),
                Arc::downgrade(&db.changes),
                db.process,
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
        self.changes.global()
    }

    /// What an answer about `org` (its own data or its subtree's) was read under: it stays
    /// current while this holds. Moves on every change that may touch anything, on a change
    /// `commit_touching` this org or an org below it, and on any change by another process.
    /// Take it before reading: a commit during the read leaves the answer under an old value.
    pub fn generation_of(&self, org: tuanwu_domain::OrgId) -> Generation {
        self.changes.of(org.0)
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
            process: self.process,
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
