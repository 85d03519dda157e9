//! The file store (`<data_dir>/files/ab/abcdef…`) and the key file, copied in and out of a backup.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::manifest::{Part, FILES_DIR};

/// Every stored file under `root` (`ab/abcdef…`), as `/`-separated relative paths. Half-written
/// files (named `.sha.pid` while `blobs::put` writes them) are left out.
pub fn list(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let Ok(shards) = std::fs::read_dir(root) else {
        return Ok(out);
    };
    for shard in shards {
        let shard = shard.with_context(|| format!("无法读取 {}", root.display()))?;
        if !shard.file_type()?.is_dir() {
            continue;
        }
        let shard_name = shard.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(shard.path())? {
            let file = file?;
            let name = file.file_name().to_string_lossy().into_owned();
            if file.file_type()?.is_file() && !name.starts_with('.') {
                out.push(format!("{shard_name}/{name}"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Copies the data directory's files into `backup/files/` and returns their parts. Called after
/// the database snapshot, so every file the snapshot references was already written; `referenced`
/// is checked against what was copied.
pub fn save(data_dir: &Path, backup: &Path, referenced: &[String]) -> anyhow::Result<Vec<Part>> {
    let from = data_dir.join(FILES_DIR);
    let mut parts = Vec::new();
    let mut names = BTreeSet::new();
    for rel in list(&from)? {
        let target = backup.join(FILES_DIR).join(&rel);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::copy(from.join(&rel), &target)
            .with_context(|| format!("无法复制上传的文件 {rel}"))?;
        parts.push(Part::of(backup, &format!("{FILES_DIR}/{rel}"))?);
        if let Some(name) = rel.rsplit('/').next() {
            names.insert(name.to_string());
        }
    }
    let missing: Vec<&String> = referenced.iter().filter(|s| !names.contains(*s)).collect();
    if !missing.is_empty() {
        anyhow::bail!(
            "数据库引用的 {} 个文件在 {} 中不存在（如 {}）：文件目录不完整，请先查明原因；这份备份不可用",
            missing.len(),
            from.display(),
            missing[0]
        );
    }
    Ok(parts)
}

/// Copies the backup's files into the data directory (emptied first when `replace`).
pub fn put_back(
    backup: &Path,
    parts: &[Part],
    data_dir: &Path,
    replace: bool,
) -> anyhow::Result<()> {
    let files = data_dir.join(FILES_DIR);
    if replace && files.exists() {
        std::fs::remove_dir_all(&files).with_context(|| format!("无法清空 {}", files.display()))?;
    }
    for part in parts {
        let target = data_dir.join(&part.path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::copy(backup.join(&part.path), &target)
            .with_context(|| format!("无法写入 {}", target.display()))?;
    }
    Ok(())
}

/// The key the data is encrypted with: the configured one, else `tuanwu.key` in the data dir.
pub fn current_key(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<String> {
    let text = match configured {
        Some(k) => k.trim().to_string(),
        None => {
            let path = data_dir.join("tuanwu.key");
            std::fs::read_to_string(&path)
                .with_context(|| {
                    format!(
                        "找不到加密密钥 {}：请用 --data-dir 指向服务器的数据目录，或设置 TUANWU_ENCRYPTION_KEY",
                        path.display()
                    )
                })?
                .trim()
                .to_string()
        }
    };
    tuanwu_store::Cipher::from_hex(&text).map_err(|_| {
        anyhow::anyhow!("加密密钥格式不对（应为 64 个十六进制字符）：请检查密钥文件")
    })?;
    Ok(text)
}

/// Writes a key file readable by its owner only.
pub fn write_key(path: &PathBuf, key: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("无法写入密钥文件 {}", path.display()))?;
    std::io::Write::write_all(&mut file, key.as_bytes())?;
    file.sync_all()?;
    Ok(())
}
