//! `manifest.json` of a backup: when, which schema, how many rows, and the SHA-256 of every part.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

/// The manifest's own format; a restore refuses one it does not know.
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
/// The key, named so nobody mistakes it for part of the data: it must be kept elsewhere.
pub const KEY_FILE: &str = "KEY-keep-apart.key";
pub const README: &str = "README.txt";
pub const FILES_DIR: &str = "files";

#[derive(Debug, Serialize, Deserialize)]
pub struct Part {
    /// Path inside the backup directory (`/`-separated).
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

impl Part {
    /// Hashes the file at `dir/path`.
    pub fn of(dir: &Path, path: &str) -> anyhow::Result<Part> {
        let (sha256, bytes) = tuanwu_store::backup::sha256_file(&dir.join(path))
            .with_context(|| format!("无法读取备份中的 {path}"))?;
        Ok(Part {
            path: path.to_string(),
            sha256,
            bytes,
        })
    }

    /// Refuses when the file at `file` is not what the manifest says.
    pub fn check(&self, file: &Path) -> anyhow::Result<()> {
        let (sha, bytes) = tuanwu_store::backup::sha256_file(file).with_context(|| {
            format!(
                "备份不完整：缺少 {}（{}）。请使用完整的备份目录",
                self.path,
                file.display()
            )
        })?;
        if sha != self.sha256 || bytes != self.bytes {
            anyhow::bail!(
                "备份已损坏：{} 的校验值与 manifest.json 记录的不一致。请换一份备份，不要恢复这一份",
                self.path
            );
        }
        Ok(())
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// RFC 3339, UTC: when the database snapshot was taken.
    pub created_at: String,
    pub tuanwu_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The last migration applied to the copied database.
    pub schema: String,
    pub counts: BTreeMap<String, i64>,
    pub database: Part,
    pub files: Vec<Part>,
    /// The key file's hash, so a restore can tell the right key from another one.
    pub key: Part,
}

impl Manifest {
    pub fn read(dir: &Path) -> anyhow::Result<Manifest> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{} 里没有 manifest.json：这不是 tuanwu backup 生成的备份目录",
                dir.display()
            )
        })?;
        let manifest: Manifest = serde_json::from_str(&text)
            .context("manifest.json 无法读取（已损坏或被改动）：请换一份备份")?;
        if manifest.format != FORMAT {
            anyhow::bail!(
                "这份备份的格式（{}）本程序不认识：请用生成它的 tuanwu 版本或更新的版本恢复",
                manifest.format
            );
        }
        Ok(manifest)
    }

    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(self).context("无法生成 manifest.json")?;
        std::fs::write(dir.join(MANIFEST), text).context("无法写入 manifest.json")
    }
}

/// README.txt of a backup directory.
pub fn readme(m: &Manifest) -> String {
    format!(
        "tuanwu 备份（{created}，数据库结构 {schema}）\n\
         \n\
         本目录中：\n\
         - {db}：数据库（{backend}）\n\
         - files/：上传的文件（证明材料、档案），按内容的 SHA-256 命名\n\
         - manifest.json：时间、结构版本、各表行数、每个文件的 SHA-256\n\
         - {key}：加密密钥\n\
         \n\
         重要：请立即把 {key} 移到另一个地方单独保管（另一块盘、保险柜里的 U 盘、\n\
         密码管理器），不要和数据库放在一起，也不要随数据库一起复制、上传或发送。\n\
         数据库中的身份证号、手机号是加密的；谁同时拿到数据库和这个密钥，谁就能读出全部号码。\n\
         丢了密钥，这些号码就再也读不出来了。\n\
         \n\
         恢复（先停止 tuanwu serve）：\n\
           tuanwu restore 本目录 --key 密钥文件的位置 [--data-dir …] [--db …]\n\
         目标数据库和数据目录须为空，否则加 --force 覆盖。\n",
        created = m.created_at,
        schema = m.schema,
        db = m.database.path,
        backend = m.backend,
        key = KEY_FILE,
    )
}
