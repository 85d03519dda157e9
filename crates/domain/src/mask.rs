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

/// What replaces a masked personal number found in a row written before issue 16 item 10: it
/// says a number was there and nothing about its digits.
pub const SCRUBBED: &str = "〔号码已隐去〕";

/// Rewrites masked personal numbers (`1101**********0023`, `138****5678`, `********1234`: a run
/// of 7 or more digits, `*` and `X`, with at least one digit and one `*`) in the texts of one
/// stored row. Equal masked values get equal markers and different ones different markers
/// (`〔号码已隐去〕`, `〔号码已隐去2〕`, …), so an audit entry still tells "changed" from
/// "unchanged". `None` when no text held one.
pub fn scrub_masked_numbers(texts: &[Option<&str>]) -> Option<Vec<Option<String>>> {
    let mut seen: Vec<String> = Vec::new();
    let mut changed = false;
    let out = texts
        .iter()
        .map(|t| {
            t.map(|t| {
                let mut out = String::with_capacity(t.len());
                let mut run = String::new();
                for ch in t.chars().map(Some).chain(std::iter::once(None)) {
                    if let Some(c) =
                        ch.filter(|c| c.is_ascii_digit() || matches!(c, '*' | 'X' | 'x'))
                    {
                        run.push(c);
                        continue;
                    }
                    if is_masked(&run) {
                        changed = true;
                        let n = match seen.iter().position(|s| *s == run) {
                            Some(i) => i + 1,
                            None => {
                                seen.push(run.clone());
                                seen.len()
                            }
                        };
                        out.push_str(&marker(n));
                    } else {
                        out.push_str(&run);
                    }
                    run.clear();
                    if let Some(c) = ch {
                        out.push(c);
                    }
                }
                out
            })
        })
        .collect();
    changed.then_some(out)
}

fn is_masked(run: &str) -> bool {
    run.len() >= 7 && run.contains('*') && run.chars().any(|c| c.is_ascii_digit())
}

fn marker(n: usize) -> String {
    if n == 1 {
        SCRUBBED.to_string()
    } else {
        SCRUBBED.replace('〕', &format!("{n}〕"))
    }
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

    #[test]
    fn masked_numbers_are_scrubbed_keeping_equal_and_different_apart() {
        let before = r#"{"resident_id":"1201**********1234","phone":"138****5678","name":"张三"}"#;
        let after = r#"{"resident_id":"1201**********9876","phone":"138****5678","name":"张三"}"#;
        let out = scrub_masked_numbers(&[Some(before), Some(after), None]).unwrap();
        assert_eq!(
            out[0].as_deref(),
            Some(r#"{"resident_id":"〔号码已隐去〕","phone":"〔号码已隐去2〕","name":"张三"}"#)
        );
        assert_eq!(
            out[1].as_deref(),
            Some(r#"{"resident_id":"〔号码已隐去3〕","phone":"〔号码已隐去2〕","name":"张三"}"#)
        );
        assert_eq!(out[2], None);
    }

    #[test]
    fn text_without_masked_numbers_is_left_alone() {
        let plain =
            r#"{"count":12345678,"note":"第2*3题","sealed":"sealed:00ab12","fp":"hmac:1f2e"}"#;
        assert_eq!(scrub_masked_numbers(&[Some(plain), None]), None);
        let quoted = "身份证号 1101**********002X 已存在";
        assert_eq!(
            scrub_masked_numbers(&[Some(quoted)]).unwrap()[0].as_deref(),
            Some("身份证号 〔号码已隐去〕 已存在")
        );
    }
}
