//! Content-addressed file storage under `<data_dir>/files/ab/abcdef…` (SHA-256 of the bytes).

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn path_of(data_dir: &Path, sha: &str) -> PathBuf {
    data_dir
        .join("files")
        .join(&sha[..2.min(sha.len())])
        .join(sha)
}

/// Writes the bytes (once: same content, same file) and returns their hash. The write goes to a
/// temporary file first and is renamed into place, so a crash never leaves half a file.
pub fn put(data_dir: &Path, bytes: &[u8]) -> std::io::Result<String> {
    let sha = sha256_hex(bytes);
    let path = path_of(data_dir, &sha);
    if path.exists() {
        return Ok(sha);
    }
    let dir = path.parent().unwrap_or(data_dir);
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{sha}.{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    Ok(sha)
}

pub fn get(data_dir: &Path, sha: &str) -> std::io::Result<Vec<u8>> {
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "bad hash",
        ));
    }
    std::fs::read(path_of(data_dir, sha))
}
