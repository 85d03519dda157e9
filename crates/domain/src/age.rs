//! MEM-2 (age at joining) and MEM-3 (age-out at 28).

use time::Date;

use crate::{DomainError, YearMonth};

/// Before this month, a member who joined under 14 may be kept as an offline-managed record.
const OFFLINE_BEFORE: (i32, u8) = (2017, 1);

/// How a record may be kept, given when its person joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoiningStatus {
    Regular,
    /// 线下管理: joined under 14 before 2017; kept with a note, managed offline (MEM-2).
    OfflineManaged,
}

/// Whole years of age on `on`.
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = on.year() - birth.year();
    if (u8::from(on.month()), on.day()) < (u8::from(birth.month()), birth.day()) {
        age -= 1;
    }
    age
}

/// MEM-2. A join date has only a month; we take its last day, so a person who turns 14 during
/// that month counts as 14 (the record cannot prove otherwise).
pub fn joining_status(
    birth: Date,
    joined_on: YearMonth,
    today: Date,
) -> Result<JoiningStatus, DomainError> {
    if joined_on > YearMonth::of(today) {
        return Err(DomainError::new(
            "joined_in_future",
            format!("入团时间{joined_on}晚于当前月份：请按入团志愿书填写实际入团时间"),
        )
        .rule("MEM-2")
        .field("joined_on"));
    }
    if joined_on < YearMonth::of(birth) {
        return Err(DomainError::new(
            "joined_before_birth",
            format!("入团时间{joined_on}早于出生日期：请核对入团时间和身份证号"),
        )
        .rule("MEM-2")
        .field("joined_on"));
    }
    let age = age_on(birth, joined_on.last_day());
    if age >= 28 {
        return Err(DomainError::new(
            "joined_over_age",
            format!("按此入团时间，入团时已满{age}周岁；团章规定入团年龄为十四周岁以上、二十八周岁以下：请核对入团时间和身份证号"),
        )
        .rule("MEM-2")
        .field("joined_on"));
    }
    if age >= 14 {
        return Ok(JoiningStatus::Regular);
    }
    if (joined_on.year(), joined_on.month()) < OFFLINE_BEFORE {
        Ok(JoiningStatus::OfflineManaged)
    } else {
        Err(DomainError::new(
            "joined_under_age",
            format!(
                "按此入团时间，入团时未满十四周岁（{age}周岁）。团章第一条规定：年龄在十四周岁以上，二十八周岁以下的中国青年可以申请入团；2017年1月1日以后未满十四周岁入团的不能录入系统，请核对入团时间和身份证号"
            ),
        )
        .rule("MEM-2")
        .field("joined_on"))
    }
}

/// MEM-3: the month in which a person turns 28; they leave the league at its end.
pub fn age_out_month(birth: Date) -> YearMonth {
    YearMonth::of(birth).add_years(28)
}

/// MEM-3: aged out once the month of the 28th birthday is over, unless they hold a league post.
pub fn is_aged_out(birth: Date, today: Date, holds_league_post: bool) -> bool {
    !holds_league_post && YearMonth::of(today) > age_out_month(birth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 29);

    fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    #[test]
    fn turning_14_in_the_join_month_counts_as_14() {
        let birth = date!(2004 - 05 - 31);
        assert_eq!(
            joining_status(birth, ym("2018-05"), TODAY).unwrap(),
            JoiningStatus::Regular
        );
        let err = joining_status(birth, ym("2018-04"), TODAY).unwrap_err();
        assert_eq!((err.code, err.rule), ("joined_under_age", Some("MEM-2")));
    }

    #[test]
    fn under_14_before_2017_is_offline_managed() {
        let birth = date!(2003 - 01 - 15);
        assert_eq!(
            joining_status(birth, ym("2016-12"), TODAY).unwrap(),
            JoiningStatus::OfflineManaged
        );
        assert!(joining_status(birth, ym("2017-01"), TODAY).is_ok());
        let young = date!(2004 - 01 - 15);
        assert_eq!(
            joining_status(young, ym("2016-12"), TODAY).unwrap(),
            JoiningStatus::OfflineManaged
        );
        assert!(joining_status(young, ym("2017-01"), TODAY).is_err());
    }

    #[test]
    fn future_birth_order_and_over_age_join_dates_are_refused() {
        let birth = date!(2005 - 03 - 01);
        assert_eq!(
            joining_status(birth, ym("2026-12"), TODAY)
                .unwrap_err()
                .code,
            "joined_in_future"
        );
        assert_eq!(
            joining_status(birth, ym("2005-02"), TODAY)
                .unwrap_err()
                .code,
            "joined_before_birth"
        );
        assert_eq!(
            joining_status(date!(1990 - 01 - 01), ym("2018-02"), TODAY)
                .unwrap_err()
                .code,
            "joined_over_age"
        );
    }

    #[test]
    fn ages_out_at_the_end_of_the_28th_birthday_month() {
        let birth = date!(1998 - 11 - 03);
        assert!(!is_aged_out(birth, date!(2026 - 11 - 30), false));
        assert!(is_aged_out(birth, date!(2026 - 12 - 01), false));
        assert!(!is_aged_out(birth, date!(2026 - 12 - 01), true));
        assert_eq!(age_on(birth, date!(2026 - 11 - 02)), 27);
        assert_eq!(age_on(birth, date!(2026 - 11 - 03)), 28);
    }
}
