//! Free-text fields: trimmed, non-empty where required, of sane length, with nothing invisible
//! (control, zero-width, direction) that would make two texts look alike; name-like fields also
//! refuse emoji and pictographs.

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
    if v.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Err(DomainError::new(
            "invalid_characters",
            format!("{label}中含有不可见的控制字符或方向控制符，请删除后重新输入"),
        )
        .field(field));
    }
    if v.chars().next().is_some_and(is_combining) {
        return Err(DomainError::new(
            "invalid_characters",
            format!("{label}不能以组合符号开头，请重新输入"),
        )
        .field(field));
    }
    Ok(v.to_string())
}

/// A required name-like field (names of orgs, posts, places, majors): free text that must also
/// carry no emoji or pictographs, so two names that look alike are alike.
pub fn required_name(
    value: &str,
    field: &'static str,
    label: &str,
    max_chars: usize,
) -> Result<String, DomainError> {
    required(value, field, label, max_chars).and_then(|v| no_symbols(v, field, label))
}

/// An optional name-like field: blank becomes `None`.
pub fn optional_name(
    value: Option<&str>,
    field: &'static str,
    label: &str,
    max_chars: usize,
) -> Result<Option<String>, DomainError> {
    optional(value, field, label, max_chars)?
        .map(|v| no_symbols(v, field, label))
        .transpose()
}

fn no_symbols(v: String, field: &'static str, label: &str) -> Result<String, DomainError> {
    if v.chars().any(is_pictograph) {
        return Err(DomainError::new(
            "invalid_characters",
            format!("{label}中不能含有表情符号或图形符号，请删除后重新输入"),
        )
        .field(field));
    }
    Ok(v)
}

/// Characters that print nothing or turn the text's direction: they make two different strings
/// look the same (zero-width spaces and joiners, bidi marks, embeddings, overrides and isolates,
/// the byte order mark, the soft hyphen, invisible operators, tag characters).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}')
}

/// Combining marks: text may not start with one (nor consist of them alone).
pub fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{302A}'..='\u{302F}'
        | '\u{3099}' | '\u{309A}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Emoji, pictographs, dingbats, arrows and other symbol blocks, variation selectors and the
/// private use area: nothing a name on an ID card or an org's seal contains.
pub fn is_pictograph(c: char) -> bool {
    matches!(c,
        '\u{2190}'..='\u{21FF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{2460}'..='\u{24FF}'
        | '\u{25A0}'..='\u{27BF}'
        | '\u{2900}'..='\u{297F}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}'
        | '\u{E000}'..='\u{F8FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{1F000}'..='\u{1FAFF}'
        | '\u{F0000}'..='\u{10FFFF}')
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_direction_characters_are_refused_everywhere() {
        for bad in [
            "天津\u{202E}大学",
            "张\u{200B}三",
            "\u{FEFF}团支部",
            "a\u{0000}b",
            "\u{0301}\u{0301}",
            "\u{2066}x\u{2069}",
        ] {
            let e = required(bad, "name", "名称", 50).unwrap_err();
            assert_eq!(e.code, "invalid_characters", "{bad:?}");
        }
        assert_eq!(
            required(" 天津大学 ", "name", "名称", 50).unwrap(),
            "天津大学"
        );
    }

    #[test]
    fn name_like_fields_refuse_emoji_but_keep_punctuation_and_digits() {
        for bad in ["天津😀", "团支部🎉", "★先锋", "a\u{FE0F}"] {
            assert!(required_name(bad, "name", "名称", 50).is_err(), "{bad:?}");
        }
        for good in [
            "计算机学院2022级1班团支部",
            "天津市·和平区",
            "（筹）团总支",
            "Tianjin-1",
        ] {
            assert_eq!(required_name(good, "name", "名称", 50).unwrap(), good);
        }
        assert_eq!(optional_name(Some("  "), "p", "籍贯", 50).unwrap(), None);
        assert!(optional_name(Some("天津😀"), "p", "籍贯", 50).is_err());
    }

    #[test]
    fn free_notes_keep_emoji() {
        assert!(optional(Some("已联系👍"), "note", "说明", 50).is_ok());
    }
}
