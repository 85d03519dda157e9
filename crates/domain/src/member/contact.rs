//! MEM-1: a member's name and contact details, each valid by construction: the only way to
//! get one is its `parse`, which is the rule the entry form, the import and the API share.

use std::fmt;

use crate::{text, DomainError};

/// Defines a newtype over a checked `String` with the accessors every one of them has.
macro_rules! checked_text {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    };
}

checked_text!(
    /// 姓名 (MEM-1): as on the ID card — Chinese characters, the middle dot of some ethnic
    /// groups' names (·, •, ‧ and ・ are all typed for it), and Latin letters with spaces,
    /// hyphens, apostrophes and full stops for foreign names. Nothing else: no digits, emoji or
    /// symbols.
    PersonName
);

checked_text!(
    /// 手机号码 or a landline with area code.
    Phone
);

checked_text!(
    /// 电子邮箱.
    Email
);

impl PersonName {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let v = text::required(s, "name", "姓名", 50)?;
        let allowed = |c: char| {
            is_han(c)
                || c.is_ascii_alphabetic()
                || (('\u{00C0}'..='\u{024F}').contains(&c) && c != '×' && c != '÷')
                || matches!(c, '·' | '•' | '‧' | '・' | ' ' | '-' | '\'' | '.')
        };
        if !v.chars().all(allowed) || !v.chars().any(|c| is_han(c) || c.is_alphabetic()) {
            return Err(DomainError::new(
                "invalid_name",
                "姓名只能包含汉字、间隔号“·”或外文字母（不能有数字、表情或其他符号）：请按身份证上的姓名填写",
            )
            .field("name"));
        }
        Ok(Self(v))
    }
}

impl Phone {
    /// A member's phone, reported against the `phone` field.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        parse_phone(s, "phone").map(Self)
    }
}

/// The phone rule for any field that holds one (a member's phone, an org's contact phone).
pub fn parse_phone(s: &str, field: &'static str) -> Result<String, DomainError> {
    let v: String = s.trim().chars().filter(|c| *c != ' ').collect();
    let digits = v.replace('-', "");
    let mobile = digits.len() == 11 && digits.starts_with('1') && !v.contains('-');
    let landline =
        v.starts_with('0') && (10..=12).contains(&digits.len()) && v.matches('-').count() <= 1;
    if digits.bytes().all(|b| b.is_ascii_digit()) && (mobile || landline) {
        Ok(v)
    } else {
        Err(DomainError::new(
            "invalid_phone",
            format!(
                "“{}”不是有效的电话号码：请填写11位手机号，或带区号的座机号（如 022-27401234）",
                s.trim()
            ),
        )
        .field(field))
    }
}

impl Email {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let v = s.trim();
        let ok = v.len() <= 254
            && v.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty()
                    && host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
            })
            && !v.contains(char::is_whitespace);
        if ok {
            Ok(Self(v.to_string()))
        } else {
            Err(DomainError::new(
                "invalid_email",
                format!("“{v}”不是有效的电子邮箱地址，请重新填写"),
            )
            .field("email"))
        }
    }
}

/// CJK unified ideographs, their extensions and compatibility forms.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{323AF}'
        | '\u{3007}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_names_and_emails() {
        assert!(Phone::parse("13812345678").is_ok());
        assert!(Phone::parse("022-27401234").is_ok());
        assert!(Phone::parse("1381234567").is_err());
        assert!(Phone::parse("abc").is_err());
        assert_eq!(
            parse_phone("abc", "contact_phone").unwrap_err().field,
            Some("contact_phone")
        );
        assert!(PersonName::parse("买买提·艾力").is_ok());
        assert!(PersonName::parse("  ").is_err());
        assert!(PersonName::parse("张3").is_err());
        assert!(PersonName::parse("张三😀").is_err());
        assert!(PersonName::parse("张\u{200B}三").is_err());
        assert!(PersonName::parse("···").is_err());
        assert!(PersonName::parse("John O'Neil-Smith").is_ok());
        assert!(PersonName::parse("阿依古丽•买买提").is_ok());
        assert_eq!(PersonName::parse(" 张三 ").unwrap().as_str(), "张三");
        assert!(Email::parse("a@b.cn").is_ok());
        assert!(Email::parse("a@b").is_err());
    }
}
