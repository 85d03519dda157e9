//! Stored text that officers read but a dump must not. A request's summary and an import's
//! report are plain JSON (lists and reports read them), so the masked personal numbers and
//! quoted cells in them are stored sealed — encrypted with the data key — and opened when read
//! (issue 16 item 10: a masked ID plus the plaintext birth date leaves a handful of candidates;
//! a dump without the key must leave none).

use serde_json::Value;
use tuanwu_store::crypto::Cipher;

const PREFIX: &str = "sealed:";

/// `shown` (already masked for display) as stored in a summary.
pub(crate) fn seal(cipher: &Cipher, shown: &str) -> Value {
    Value::String(sealed(cipher, shown))
}

pub(crate) fn sealed(cipher: &Cipher, shown: &str) -> String {
    format!("{PREFIX}{}", hex::encode(cipher.encrypt(shown)))
}

/// The summary with every sealed value opened (one the key cannot open reads as empty).
pub(crate) fn open(cipher: &Cipher, v: &mut Value) {
    match v {
        Value::String(s) => {
            if let Some(text) = s.strip_prefix(PREFIX) {
                *s = hex::decode(text)
                    .ok()
                    .and_then(|bytes| cipher.decrypt(&bytes))
                    .unwrap_or_default();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| open(cipher, i)),
        Value::Object(m) => m.values_mut().for_each(|i| open(cipher, i)),
        _ => {}
    }
}

/// Whether a stored value is sealed (the audit page says only that a number was given).
pub fn is_sealed(v: &str) -> bool {
    v.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_the_key_only() {
        let c = Cipher::new([3; 32]);
        let mut v = serde_json::json!({"rows": [{"new": seal(&c, "1201**********1234")}]});
        assert!(!v.to_string().contains("1234"));
        let mut other = v.clone();
        open(&c, &mut v);
        assert_eq!(v["rows"][0]["new"], "1201**********1234");
        open(&Cipher::new([4; 32]), &mut other);
        assert_eq!(other["rows"][0]["new"], "");
    }
}
