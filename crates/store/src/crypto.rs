//! Resident IDs and phone numbers at rest: AES-256-GCM ciphertext plus a keyed HMAC-SHA256
//! "blind index" for uniqueness and exact lookup. The key lives outside the database.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("加密密钥应为64位十六进制字符（32字节）")]
    Malformed,
    #[error("读写密钥文件 {path} 失败：{source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Clone)]
pub struct Cipher {
    aead: Aes256Gcm,
    index_key: [u8; 32],
    fingerprint_key: [u8; 32],
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher(..)")
    }
}

const NONCE_LEN: usize = 12;

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    // HMAC as a KDF: two independent keys from one master key.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).unwrap_or_else(|_| unreachable!());
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl Cipher {
    pub fn new(master: [u8; 32]) -> Self {
        let enc = derive(&master, b"tuanwu/aes-gcm/v1");
        Self {
            aead: Aes256Gcm::new(&enc.into()),
            index_key: derive(&master, b"tuanwu/blind-index/v1"),
            fingerprint_key: derive(&master, b"tuanwu/audit-fingerprint/v1"),
        }
    }

    pub fn from_hex(hex_key: &str) -> Result<Self, KeyError> {
        let bytes = hex::decode(hex_key.trim()).map_err(|_| KeyError::Malformed)?;
        let master: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self::new(master))
    }

    /// Reads `tuanwu.key` from the data directory, creating it (mode 0600) on first start.
    pub fn from_key_file(data_dir: &Path) -> Result<Self, KeyError> {
        let path = data_dir.join("tuanwu.key");
        let io = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        if path.exists() {
            let text = std::fs::read_to_string(&path).map_err(io)?;
            return Self::from_hex(&text);
        }
        std::fs::create_dir_all(data_dir).map_err(io)?;
        let mut master = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut master);
        write_private(&path, &hex::encode(master)).map_err(io)?;
        Ok(Self::new(master))
    }

    pub fn encrypt(&self, plaintext: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .aead
            .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(ciphertext);
        out
    }

    /// `None` when the ciphertext was not made with this key (or is damaged).
    pub fn decrypt(&self, data: &[u8]) -> Option<String> {
        if data.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = data.split_at(NONCE_LEN);
        let plain = self
            .aead
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .ok()?;
        String::from_utf8(plain).ok()
    }

    pub fn blind_index(&self, value: &str) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key)
            .unwrap_or_else(|_| unreachable!());
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

impl Cipher {
    /// A keyed fingerprint for the audit log: equal values give equal text, and without the
    /// key no digit of the value can be recovered or tested (a key of its own, so the log's
    /// fingerprints do not join against the members' blind index). `hmac:` and 96 bits in
    /// hex: plenty to tell a change apart.
    pub fn fingerprint(&self, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.fingerprint_key)
            .unwrap_or_else(|_| unreachable!());
        mac.update(value.as_bytes());
        format!("hmac:{}", hex::encode(&mac.finalize().into_bytes()[..12]))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_indexes_deterministically() {
        let c = Cipher::new([7; 32]);
        let a = c.encrypt("11010519491231002X");
        let b = c.encrypt("11010519491231002X");
        assert_ne!(a, b, "nonces differ");
        assert_eq!(c.decrypt(&a).as_deref(), Some("11010519491231002X"));
        assert_eq!(c.blind_index("x"), c.blind_index("x"));
        assert_ne!(c.blind_index("x"), Cipher::new([8; 32]).blind_index("x"));
        assert_eq!(Cipher::new([8; 32]).decrypt(&a), None);
    }
}
