//! Issue 16, fuzzing: the resident ID parser takes anything a form or a sheet can hold. Any
//! string is either a valid ID or a Chinese refusal; none panics, and what parses is 18 ASCII
//! characters that parse again to themselves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use time::macros::date;
use tuanwu_domain::ResidentId;

fn check(input: &str) -> Result<(), TestCaseError> {
    let today = date!(2026 - 12 - 07);
    match ResidentId::parse(input, today) {
        Ok(id) => {
            prop_assert_eq!(id.as_str().len(), 18);
            prop_assert!(id.as_str().is_ascii());
            let again = ResidentId::parse(id.as_str(), today)
                .map(|i| i.as_str().to_string())
                .ok();
            prop_assert_eq!(again.as_deref(), Some(id.as_str()));
        }
        Err(e) => prop_assert!(
            e.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}",
            e.message
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn any_text_parses_or_is_refused_in_chinese(input in any::<String>()) {
        check(&input)?;
    }

    /// Close to real IDs: digits, X, full-width forms, spaces and dashes, 15 to 20 long.
    #[test]
    fn near_ids_parse_or_are_refused_in_chinese(input in "[0-9０-９xX－ -]{15,20}") {
        check(&input)?;
    }

    #[test]
    fn any_bytes_read_as_text_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        check(&String::from_utf8_lossy(&bytes))?;
    }
}
