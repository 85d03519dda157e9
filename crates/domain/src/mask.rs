//! SYS-5: how personal numbers appear in lists and search results.

/// "120101200001011234" → "1201**********1234".
pub fn mask_resident_id(id: &str) -> String {
    mask_middle(id, 4, 4)
}

/// "13812345678" → "138****5678"; short or landline numbers keep only their last four digits.
pub fn mask_phone(phone: &str) -> String {
    if phone.chars().count() == 11 {
        mask_middle(phone, 3, 4)
    } else {
        mask_middle(phone, 0, 4)
    }
}

fn mask_middle(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_as_the_spec_shows() {
        assert_eq!(mask_resident_id("120101200001011234"), "1201**********1234");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("022-27401234"), "********1234");
        assert_eq!(mask_phone("123"), "***");
    }
}
