//! `tuanwu backup DIR` and `tuanwu restore DIR`: the database (a consistent snapshot taken while
//! the server keeps writing, see `tuanwu_store::backup`), then the uploaded files, the key as a
//! separate file, and a manifest with the SHA-256 of every part.

mod files;
mod manifest;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tuanwu_store::Backend;

use crate::config::Settings;
use manifest::{Manifest, Part, KEY_FILE, README};

fn db_part_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "database.sqlite",
        Backend::Postgres => "database.pgdump",
    }
}

fn backend_key(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true)
}

/// `tuanwu backup DIR`.
pub async fn create(settings: &Settings, dir: &Path) -> anyhow::Result<()> {
    if !is_empty_dir(dir) {
        anyhow::bail!(
            "备份目录 {} 不是空的：请指定一个新的或空的目录，以免覆盖已有的备份",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建备份目录 {}", dir.display()))?;
    let key = files::current_key(settings.key.as_deref(), &settings.data_dir)?;
    let url = &settings.database_url;
    let backend = tuanwu_store::backup::backend_of(url)?;
    let created_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .context("无法读取当前时间")?;
    // The database first: every file its rows reference was written before the snapshot.
    let db_name = db_part_name(backend);
    let snapshot = tuanwu_store::backup::dump(url, &dir.join(db_name)).await?;
    let files = files::save(&settings.data_dir, dir, &snapshot.blobs)?;
    files::write_key(&dir.join(KEY_FILE), &key)?;
    let manifest = Manifest {
        format: manifest::FORMAT,
        created_at,
        tuanwu_version: env!("CARGO_PKG_VERSION").to_string(),
        backend: backend_key(backend).to_string(),
        schema: snapshot.schema,
        counts: snapshot.counts,
        database: Part::of(dir, db_name)?,
        files,
        key: Part::of(dir, KEY_FILE)?,
    };
    std::fs::write(dir.join(README), manifest::readme(&manifest)).context("无法写入 README.txt")?;
    manifest.write(dir)?;
    println!(
        "已备份到 {}：数据库（结构 {}，{}），{} 个上传文件。",
        dir.display(),
        manifest.schema,
        counts_text(&manifest),
        manifest.files.len()
    );
    println!(
        "请立即把 {} 移到别处单独保管：它和数据库放在一起，备份就等于明文。",
        dir.join(KEY_FILE).display()
    );
    Ok(())
}

fn counts_text(m: &Manifest) -> String {
    m.counts
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join("，")
}

/// `tuanwu restore DIR [--key FILE] [--force]`.
pub async fn restore(
    settings: &Settings,
    dir: &Path,
    key_path: Option<PathBuf>,
    force: bool,
) -> anyhow::Result<()> {
    let m = Manifest::read(dir)?;
    let known = tuanwu_store::backup::known_schemas();
    if !known.contains(&m.schema) {
        anyhow::bail!(
            "这份备份来自更新的 tuanwu（数据库结构 {}），本程序只认识到 {}：请用不低于 {} 的版本恢复",
            m.schema,
            known.last().map(String::as_str).unwrap_or("?"),
            m.tuanwu_version
        );
    }
    let url = &settings.database_url;
    let backend = tuanwu_store::backup::backend_of(url)?;
    if m.backend != backend_key(backend) {
        anyhow::bail!(
            "这是 {} 数据库的备份，目标却是 {}：请用 --db 指定同一种数据库",
            m.backend,
            backend_key(backend)
        );
    }
    // Every part is checked before anything is written.
    m.database.check(&dir.join(&m.database.path))?;
    for part in &m.files {
        part.check(&dir.join(&part.path))?;
    }
    let key_path = key_path.unwrap_or_else(|| dir.join(KEY_FILE));
    m.key.check(&key_path).map_err(|_| {
        anyhow::anyhow!(
            "密钥文件 {} 不存在或不是这份备份的密钥：请用 --key 指向备份时生成的 {KEY_FILE}",
            key_path.display()
        )
    })?;
    let key = std::fs::read_to_string(&key_path)?.trim().to_string();
    if let Some(configured) = settings.key.as_deref() {
        if configured.trim() != key {
            anyhow::bail!(
                "配置中的加密密钥（TUANWU_ENCRYPTION_KEY 或 tuanwu.toml）与备份的密钥不同：恢复后数据将无法解密。请去掉该配置或改成备份的密钥"
            );
        }
    }
    let data_dir = &settings.data_dir;
    let key_file = data_dir.join("tuanwu.key");
    let occupied = !tuanwu_store::backup::is_empty(url).await?
        || !is_empty_dir(&data_dir.join(manifest::FILES_DIR))
        || (key_file.exists() && std::fs::read_to_string(&key_file)?.trim() != key);
    if occupied && !force {
        anyhow::bail!(
            "目标不是空的（数据库 {} 或数据目录 {} 里已有数据）：恢复会覆盖它们。确认要覆盖，请先停止服务器，再加 --force",
            settings.database_url_for_display(),
            data_dir.display()
        );
    }
    tuanwu_store::backup::restore(url, &dir.join(&m.database.path)).await?;
    files::put_back(dir, &m.files, data_dir, force)?;
    if settings.key.is_none() {
        files::write_key(&key_file, &key)?;
    }
    // Opening applies the migrations newer than the backup; then the rows are counted again.
    let db = tuanwu_store::Db::connect(url)
        .await
        .map_err(|e| anyhow::anyhow!("恢复后的数据库无法打开：{e}"))?;
    let counts = tuanwu_store::backup::counts(db.conn()).await?;
    if counts != m.counts {
        anyhow::bail!(
            "恢复后的行数与备份时不同（备份 {:?}，现在 {:?}）：请检查目标数据库后重试",
            m.counts,
            counts
        );
    }
    println!(
        "已从 {} 恢复 {} 的备份：数据库（{}），{} 个上传文件，密钥。",
        dir.display(),
        m.created_at,
        counts_text(&m),
        m.files.len()
    );
    Ok(())
}
