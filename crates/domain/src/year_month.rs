use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use crate::DomainError;

/// A calendar month, as the league's forms record join dates (入团时间: "2019-05").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    pub fn new(year: i32, month: u8) -> Result<Self, DomainError> {
        if !(1900..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(DomainError::new(
                "invalid_year_month",
                format!("年月“{year}-{month}”无效：年份应在1900年以后，月份应为1到12"),
            ));
        }
        Ok(Self { year, month })
    }

    pub fn of(date: Date) -> Self {
        Self {
            year: date.year(),
            month: u8::from(date.month()),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn first_day(self) -> Date {
        let month = Month::try_from(self.month).unwrap_or(Month::January);
        Date::from_calendar_date(self.year, month, 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        let month = Month::try_from(self.month).unwrap_or(Month::January);
        let days = month.length(self.year);
        Date::from_calendar_date(self.year, month, days).unwrap_or(Date::MAX)
    }

    pub fn add_years(self, years: i32) -> Self {
        Self {
            year: self.year + years,
            month: self.month,
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = DomainError;

    /// Accepts "2019-05" and "2019-5"; anything else is refused with the expected format.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            DomainError::new(
                "invalid_year_month",
                format!("“{s}”不是有效的年月：请按“年-月”填写，例如 2019-05"),
            )
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        Self::new(year, month).map_err(|_| bad())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let ym: YearMonth = "2019-5".parse().unwrap();
        assert_eq!(ym.to_string(), "2019-05");
        assert!("2019-13".parse::<YearMonth>().is_err());
        assert!("2019/05".parse::<YearMonth>().is_err());
        assert!("19-05".parse::<YearMonth>().is_err());
    }

    #[test]
    fn last_day_knows_leap_years() {
        let feb: YearMonth = "2024-02".parse().unwrap();
        assert_eq!(feb.last_day().day(), 29);
        let feb: YearMonth = "2023-02".parse().unwrap();
        assert_eq!(feb.last_day().day(), 28);
    }
}
