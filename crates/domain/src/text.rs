//! Free-text fields: trimmed, non-empty where required, of sane length, no control characters.

use crate::DomainError;

/// Validates a required text field and returns it trimmed.
pub fn required(
    value: &str,
    field: &'static str,
    label: &str,
    max_chars: usize,
) -> Result<String, DomainError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(DomainError::new("required", format!("请填写{label}")).field(field));
    }
    checked(v, field, label, max_chars)
}

/// Validates an optional text field: blank becomes `None`.
pub fn optional(
    value: Option<&str>,
    field: &'static str,
    label: &str,
    max_chars: usize,
) -> Result<Option<String>, DomainError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => checked(v, field, label, max_chars).map(Some),
    }
}

fn checked(
    v: &str,
    field: &'static str,
    label: &str,
    max_chars: usize,
) -> Result<String, DomainError> {
    if v.chars().count() > max_chars {
        return Err(DomainError::new(
            "too_long",
            format!("{label}不能超过{max_chars}个字，请缩短后再提交"),
        )
        .field(field));
    }
    if v.chars().any(char::is_control) {
        return Err(DomainError::new(
            "invalid_characters",
            format!("{label}中含有不可见的控制字符，请删除后再提交"),
        )
        .field(field));
    }
    Ok(v.to_string())
}

/// Full-width ASCII forms (what a Chinese input method types) as their half-width characters,
/// and the ideographic space as a plain space.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        other => other,
    }
}
