//! argon2id password hashes, and the password rules.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use rand::Rng;
use tuanwu_domain::DomainError;

use crate::AppError;

pub fn hash(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password, made once: verifying against it costs what a real check
/// costs, for logins that name nobody (or nobody with a password).
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&generate()).unwrap_or_default())
}

/// Runs the (deliberately slow) hash off the async workers.
pub async fn verify_blocking(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &phc))
        .await
        .unwrap_or(false)
}

pub async fn hash_blocking(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

/// At least 8 characters with both letters and digits.
pub fn check_strength(password: &str, field: &'static str) -> Result<(), DomainError> {
    let long = password.chars().count() >= 8 && password.chars().count() <= 128;
    let letters = password.chars().any(|c| c.is_ascii_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if long && letters && digits {
        Ok(())
    } else {
        Err(DomainError::new(
            "weak_password",
            "密码至少8位，且须同时包含字母和数字：请重新设置",
        )
        .field(field))
    }
}

/// Issue 5: a password must not contain the person's resident ID, its last 8 characters, their
/// birth date (YYYYMMDD, as it stands in the ID) or their phone: those are the first guesses.
pub fn check_personal(
    password: &str,
    resident_id: Option<&str>,
    phone: Option<&str>,
    field: &'static str,
) -> Result<(), DomainError> {
    let upper = password.to_uppercase();
    let mut banned: Vec<(&str, &str)> = Vec::new();
    if let Some(rid) = resident_id.filter(|r| r.len() == 18 && r.is_ascii()) {
        banned.push((rid, "身份证号"));
        banned.push((&rid[10..], "身份证号后8位"));
        banned.push((&rid[6..14], "出生日期"));
    }
    if let Some(p) = phone.filter(|p| p.len() >= 6) {
        banned.push((p, "手机号码"));
    }
    for (value, what) in banned {
        if upper.contains(&value.to_uppercase()) {
            return Err(DomainError::new(
                "password_contains_personal_info",
                format!("密码不能包含您的{what}，这类信息容易被他人猜到：请换一个密码"),
            )
            .field(field));
        }
    }
    Ok(())
}

/// A random password that passes `check_strength` (for the root account on first start):
/// 16 characters without look-alikes (0/O, 1/l/I), drawn until letters and digits both occur.
pub fn generate() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    loop {
        let p: String = (0..16)
            .map(|_| char::from(CHARS[rng.gen_range(0..CHARS.len())]))
            .collect();
        if check_strength(&p, "password").is_ok() {
            return p;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_numbers_are_refused_inside_passwords() {
        let rid = Some("11010520050315002X");
        let phone = Some("13800138000");
        for bad in [
            "a11010520050315002x",
            "Pass0315002X",
            "ab20050315",
            "x13800138000y",
        ] {
            assert_eq!(
                check_personal(bad, rid, phone, "password")
                    .unwrap_err()
                    .code,
                "password_contains_personal_info",
                "{bad}"
            );
        }
        assert!(check_personal("Tuanwu2026", rid, phone, "password").is_ok());
        assert!(check_personal("Tuanwu2026", None, None, "password").is_ok());
    }

    #[test]
    fn hashes_verify_and_rules_hold() {
        let h = hash("Secret123").unwrap();
        assert!(verify("Secret123", &h));
        assert!(!verify("Secret124", &h));
        assert!(check_strength("abcdefgh", "password").is_err());
        assert!(check_strength("abc12", "password").is_err());
        assert!(check_strength(&generate(), "password").is_ok());
    }
}
