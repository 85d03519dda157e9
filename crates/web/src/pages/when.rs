//! SYS-4: one way every page writes a time — China Standard Time, to the minute
//! (`2026-12-04 11:26`). Views carry RFC 3339 text (the API's format); templates pass it here.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `2026-12-04T03:26:52.250920318Z` → `2026-12-04 11:26`. Text that is not an RFC 3339 time (a
/// plain date, an empty value) is shown as it is.
pub fn minutes(at: impl AsRef<str>) -> String {
    let at = at.as_ref();
    match OffsetDateTime::parse(at, &Rfc3339) {
        Ok(t) => of(t),
        Err(_) => at.to_string(),
    }
}

/// A stored time as a page shows it.
pub fn of(t: OffsetDateTime) -> String {
    tuanwu_app::clock::minutes(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_in_china_standard_time() {
        assert_eq!(
            minutes("2026-12-04T03:26:52.250920318Z"),
            "2026-12-04 11:26"
        );
        assert_eq!(minutes("2026-12-04T11:26:52.25+08:00"), "2026-12-04 11:26");
        assert_eq!(minutes("2026-12-04"), "2026-12-04");
    }
}
