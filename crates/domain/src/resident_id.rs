//! 身份证号 per GB 11643-1999: six-digit region code, eight-digit birth date, three-digit
//! sequence (odd for men), and an ISO 7064 MOD 11-2 check character.

use std::fmt;

use time::{Date, Month};

use crate::member::Gender;
use crate::DomainError;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// Province prefixes of GB/T 2260, plus 81/82/83 used by residence permits of Hong Kong, Macao
/// and Taiwan residents. County codes are not checked against a table here: an ID keeps the code
/// of the place and year it was issued, and codes change; the identity check decides (ACC-8).
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

fn invalid(message: String) -> DomainError {
    DomainError::new("invalid_resident_id", message)
        .rule("MEM-1")
        .field("resident_id")
}

/// The check character for the first seventeen digits.
pub fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

impl ResidentId {
    /// Parses a resident ID as a person types it: surrounding spaces are ignored and a lowercase
    /// x is read as X. `today` bounds the birth date.
    pub fn parse(input: &str, today: Date) -> Result<Self, DomainError> {
        let s: String = input.trim().to_uppercase();
        let bytes = s.as_bytes();
        if bytes.len() != 18 {
            return Err(invalid(format!(
                "身份证号应为18位，您填写的是{}位：请对照身份证重新填写",
                s.chars().count()
            )));
        }
        if !bytes[..17].iter().all(u8::is_ascii_digit) {
            return Err(invalid(
                "身份证号前17位只能是数字：请对照身份证重新填写".into(),
            ));
        }
        if !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
            return Err(invalid(
                "身份证号最后一位只能是数字或字母X：请对照身份证重新填写".into(),
            ));
        }
        let province = (bytes[0] - b'0') * 10 + (bytes[1] - b'0');
        if !PROVINCES.contains(&province) {
            return Err(invalid(format!(
                "身份证号开头的“{}”不是有效的省级行政区划代码：请对照身份证重新填写",
                &s[..2]
            )));
        }
        let birth = birth_date_of(&s).ok_or_else(|| {
            invalid(format!(
                "身份证号中的出生日期“{}”不是有效日期：请对照身份证重新填写",
                &s[6..14]
            ))
        })?;
        if birth > today || birth.year() < 1900 {
            return Err(invalid(format!(
                "身份证号中的出生日期“{}”不可能：请对照身份证重新填写",
                &s[6..14]
            )));
        }
        if check_char(&bytes[..17]) != bytes[17] {
            return Err(invalid(
                "身份证号校验位不正确，可能有数字录错或顺序颠倒：请对照身份证逐位核对".into(),
            ));
        }
        Ok(Self(s))
    }

    /// Builds a valid ID from its parts (used by the demo generator and tests): `region` six
    /// digits, `sequence` 0..=999.
    pub fn compose(region: u32, birth: Date, sequence: u16) -> Self {
        let mut s = format!(
            "{:06}{:04}{:02}{:02}{:03}",
            region % 1_000_000,
            birth.year(),
            u8::from(birth.month()),
            birth.day(),
            sequence % 1000
        );
        let check = check_char(s.as_bytes());
        s.push(char::from(check));
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> Date {
        birth_date_of(&self.0).unwrap_or(Date::MIN)
    }

    pub fn gender(&self) -> Gender {
        let seq = self.0.as_bytes()[16] - b'0';
        if seq % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    pub fn masked(&self) -> String {
        crate::mask::mask_resident_id(&self.0)
    }
}

fn birth_date_of(s: &str) -> Option<Date> {
    let year: i32 = s.get(6..10)?.parse().ok()?;
    let month: u8 = s.get(10..12)?.parse().ok()?;
    let day: u8 = s.get(12..14)?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Debug output never shows the full number: logs must not leak it.
impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 29);

    #[test]
    fn accepts_a_known_valid_id_and_lowercase_x() {
        // 11010519491231002X is the standard's own example.
        let id = ResidentId::parse("11010519491231002x", TODAY).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), date!(1949 - 12 - 31));
        assert_eq!(id.gender(), Gender::Female);
        assert_eq!(id.masked(), "1101**********002X");
    }

    #[test]
    fn refuses_wrong_length_region_date_and_future_birth() {
        assert!(ResidentId::parse("1101051949123100", TODAY).is_err());
        assert!(ResidentId::parse("99010519491231002X", TODAY).is_err());
        let feb30 = ResidentId::compose(110105, date!(2000 - 02 - 28), 1);
        let bad = feb30.as_str().replace("20000228", "20000230");
        assert!(ResidentId::parse(&bad, TODAY).is_err());
        let future = ResidentId::compose(110105, date!(2027 - 01 - 01), 1);
        let err = ResidentId::parse(future.as_str(), TODAY).unwrap_err();
        assert_eq!(err.field, Some("resident_id"));
    }

    fn valid_id() -> impl Strategy<Value = ResidentId> {
        (
            prop::sample::select(PROVINCES.to_vec()),
            0u32..10_000,
            0i32..38_000,
            0u16..1000,
        )
            .prop_map(|(p, county, days, seq)| {
                let birth = date!(1920 - 01 - 01) + time::Duration::days(i64::from(days));
                ResidentId::compose(u32::from(p) * 10_000 + county, birth, seq)
            })
    }

    proptest! {
        #[test]
        fn composed_ids_parse(id in valid_id()) {
            prop_assert_eq!(ResidentId::parse(id.as_str(), TODAY).unwrap(), id);
        }

        #[test]
        fn every_single_character_change_is_refused(id in valid_id(), pos in 0usize..18, c in prop::sample::select(b"0123456789X".to_vec())) {
            let mut bytes = id.as_str().as_bytes().to_vec();
            prop_assume!(bytes[pos] != c);
            bytes[pos] = c;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(ResidentId::parse(&changed, TODAY).is_err(), "{} accepted", changed);
        }

        #[test]
        fn every_adjacent_swap_is_refused(id in valid_id(), pos in 0usize..17) {
            let mut bytes = id.as_str().as_bytes().to_vec();
            prop_assume!(bytes[pos] != bytes[pos + 1]);
            bytes.swap(pos, pos + 1);
            let swapped = String::from_utf8(bytes).unwrap();
            prop_assert!(ResidentId::parse(&swapped, TODAY).is_err(), "{} accepted", swapped);
        }
    }
}
