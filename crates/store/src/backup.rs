//! The database part of `tuanwu backup` and `tuanwu restore`: a consistent copy taken while the
//! server keeps writing, and putting one back.
//!
//! - SQLite: `VACUUM INTO` on a connection to the live database. It reads inside one read
//!   transaction, so the copy is exactly the database as of one commit, whatever the server
//!   writes meanwhile (WAL lets both go on). A plain copy of the file would miss what is still in
//!   the `-wal` file and could tear pages.
//! - PostgreSQL: a repeatable-read transaction exports its snapshot and `pg_dump --snapshot`
//!   dumps exactly that snapshot, so the counts and the list of referenced files read in the same
//!   transaction describe the dump.
//!
//! What the copy references (the `files` rows' SHA-256 names) is returned, so the caller copies
//! the file store *after* the snapshot and can check that every referenced file is there.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sea_orm::{
    AccessMode, ConnectionTrait, Database, DatabaseConnection, DbErr, IsolationLevel, Statement,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait as _;
use sha2::{Digest, Sha256};

use crate::Backend;

/// Tables whose row counts go into the manifest and are compared after a restore.
pub const COUNTED: &[&str] = &["orgs", "members", "accounts", "files", "audit_log"];

/// What a copy holds: the last migration applied, row counts, and the files it references.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub schema: String,
    pub counts: BTreeMap<String, i64>,
    pub blobs: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("数据库操作失败：{0}")]
    Db(#[from] DbErr),
    #[error("读写文件失败：{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Refused(String),
}

fn refused(msg: impl Into<String>) -> BackupError {
    BackupError::Refused(msg.into())
}

/// The backend a database URL names.
pub fn backend_of(url: &str) -> Result<Backend, BackupError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Backend::Postgres)
    } else {
        Err(refused(
            "数据库地址只能以 sqlite:// 或 postgres:// 开头：请检查 --db 或 TUANWU_DATABASE_URL",
        ))
    }
}

/// The file of a `sqlite://PATH?…` URL.
pub fn sqlite_path(url: &str) -> PathBuf {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

/// The names of the migrations this program knows, oldest first.
pub fn known_schemas() -> Vec<String> {
    crate::migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect()
}

/// SHA-256 (hex) and size of a file, read in pieces.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Copies the live database at `url` into the new file `dest`, consistently.
pub async fn dump(url: &str, dest: &Path) -> Result<Snapshot, BackupError> {
    match backend_of(url)? {
        Backend::Sqlite => dump_sqlite(url, dest).await,
        Backend::Postgres => dump_postgres(url, dest).await,
    }
}

async fn dump_sqlite(url: &str, dest: &Path) -> Result<Snapshot, BackupError> {
    let live = sqlite_path(url);
    if !live.is_file() {
        return Err(refused(format!(
            "找不到数据库文件 {}：请用 --db 或 --data-dir 指向正在使用的数据",
            live.display()
        )));
    }
    // `rw`, never `rwc`: a wrong path must not create an empty database.
    let conn = Database::connect(format!("sqlite://{}?mode=rw", live.display())).await?;
    conn.execute(Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Sqlite,
        "VACUUM INTO ?",
        [dest.display().to_string().into()],
    ))
    .await?;
    conn.close().await?;
    let copy = Database::connect(format!("sqlite://{}?mode=rw", dest.display())).await?;
    let snapshot = describe(&copy).await;
    copy.close().await?;
    snapshot
}

async fn dump_postgres(url: &str, dest: &Path) -> Result<Snapshot, BackupError> {
    let conn = Database::connect(url).await?;
    let tx = conn
        .begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await?;
    let id = text(&tx, "SELECT pg_export_snapshot() AS v").await?;
    let snapshot = describe(&tx).await?;
    let args = vec![
        "--format=custom".to_string(),
        format!("--snapshot={id}"),
        "--no-owner".to_string(),
        "--no-privileges".to_string(),
        format!("--file={}", dest.display()),
        format!("--dbname={url}"),
    ];
    // The transaction stays open (and its snapshot valid) until pg_dump has finished.
    run_tool("pg_dump", args).await?;
    tx.commit().await?;
    Ok(snapshot)
}

/// Runs a PostgreSQL client tool, answering in Chinese when it is missing or fails.
async fn run_tool(tool: &'static str, args: Vec<String>) -> Result<(), BackupError> {
    let out = tokio::task::spawn_blocking(move || Command::new(tool).args(&args).output())
        .await
        .map_err(|e| refused(format!("{tool} 未能运行：{e}")))?
        .map_err(|e| {
            refused(format!(
                "无法运行 {tool}（{e}）：PostgreSQL 的备份与恢复需要安装 PostgreSQL 客户端工具（如 apt install postgresql-client），版本不低于服务器"
            ))
        })?;
    if out.status.success() {
        return Ok(());
    }
    Err(refused(format!(
        "{tool} 失败（{}）：{}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    )))
}

async fn text(c: &impl ConnectionTrait, sql: &str) -> Result<String, DbErr> {
    let row = c
        .query_one(Statement::from_string(c.get_database_backend(), sql))
        .await?
        .ok_or_else(|| DbErr::Custom(format!("查询没有结果：{sql}")))?;
    row.try_get::<Option<String>>("", "v")
        .map(Option::unwrap_or_default)
}

/// The schema version, counts and referenced files of a database, as one reader sees it.
pub async fn describe(c: &impl ConnectionTrait) -> Result<Snapshot, BackupError> {
    let schema = text(c, "SELECT max(version) AS v FROM seaql_migrations").await?;
    let counts = counts(c).await?;
    let backend = c.get_database_backend();
    let blobs = c
        .query_all(Statement::from_string(
            backend,
            "SELECT DISTINCT sha256 FROM files ORDER BY sha256",
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "sha256"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Snapshot {
        schema,
        counts,
        blobs,
    })
}

/// Row counts of the `COUNTED` tables.
pub async fn counts(c: &impl ConnectionTrait) -> Result<BTreeMap<String, i64>, DbErr> {
    let mut counts = BTreeMap::new();
    for table in COUNTED {
        let sql = format!("SELECT count(*) AS n FROM {table}");
        let row = c
            .query_one(Statement::from_string(c.get_database_backend(), sql))
            .await?
            .ok_or_else(|| DbErr::Custom(format!("无法统计 {table}")))?;
        counts.insert((*table).to_string(), row.try_get::<i64>("", "n")?);
    }
    Ok(counts)
}

/// Whether the database at `url` holds no table (a missing SQLite file is empty).
pub async fn is_empty(url: &str) -> Result<bool, BackupError> {
    let sql = match backend_of(url)? {
        Backend::Sqlite => {
            let path = sqlite_path(url);
            if !path.exists() {
                return Ok(true);
            }
            if std::fs::metadata(&path)?.len() == 0 {
                return Ok(true);
            }
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'"
        }
        Backend::Postgres => {
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"
        }
    };
    let conn = connect_existing(url).await?;
    let row = conn
        .query_one(Statement::from_string(conn.get_database_backend(), sql))
        .await?;
    conn.close().await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0)
        == 0)
}

async fn connect_existing(url: &str) -> Result<DatabaseConnection, DbErr> {
    match backend_of(url) {
        Ok(Backend::Sqlite) => {
            Database::connect(format!("sqlite://{}?mode=rw", sqlite_path(url).display())).await
        }
        _ => Database::connect(url).await,
    }
}

/// Puts the copy `src` (made by `dump`) in place of the database at `url`. The caller has
/// checked the copy's hash and that the target is empty (or was told to replace it).
pub async fn restore(url: &str, src: &Path) -> Result<(), BackupError> {
    match backend_of(url)? {
        Backend::Sqlite => {
            let path = sqlite_path(url);
            let src = src.to_path_buf();
            tokio::task::spawn_blocking(move || replace_sqlite(&src, &path))
                .await
                .map_err(|e| refused(format!("恢复数据库文件失败：{e}")))??;
            Ok(())
        }
        Backend::Postgres => {
            let conn = Database::connect(url).await?;
            conn.execute_unprepared("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                .await?;
            conn.close().await?;
            run_tool(
                "pg_restore",
                vec![
                    "--no-owner".into(),
                    "--no-privileges".into(),
                    "--exit-on-error".into(),
                    format!("--dbname={url}"),
                    src.display().to_string(),
                ],
            )
            .await
        }
    }
}

/// Writes the copy beside the target, makes it durable, removes the old WAL files and renames
/// it into place, so the target is either the old database or the whole copy.
fn replace_sqlite(src: &Path, target: &Path) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(".tuanwu-restore.db");
    std::fs::copy(src, &tmp)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    for suffix in ["-wal", "-shm"] {
        let mut side = target.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    std::fs::rename(&tmp, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_of_a_sqlite_url_drops_the_options() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/x/tuanwu.db?mode=rwc"),
            PathBuf::from("/tmp/x/tuanwu.db")
        );
        assert_eq!(
            sqlite_path("sqlite://data/tuanwu.db"),
            PathBuf::from("data/tuanwu.db")
        );
    }

    #[test]
    fn the_migrations_known_end_with_the_newest() {
        let known = known_schemas();
        let mut sorted = known.clone();
        sorted.sort();
        assert_eq!(known, sorted, "migrations are applied in name order");
    }
}
