//! MTG-1 compliance: how many meetings of each kind a branch holds a quarter against the targets
//! its org or the nearest ancestor set (settings, since local rules differ).

use time::{Date, Duration, Month};

use super::MeetingKind;
use crate::DomainError;

/// A calendar quarter (1 = January … March).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    quarter: u8,
}

impl Quarter {
    pub fn new(year: i32, quarter: u8) -> Result<Self, DomainError> {
        if !(1900..=9999).contains(&year) {
            return Err(DomainError::new(
                "invalid_year",
                format!("年份“{year}”无效：请填写1900年以后的四位年份"),
            )
            .field("year"));
        }
        if !(1..=4).contains(&quarter) {
            return Err(DomainError::new(
                "invalid_quarter",
                format!("季度“{quarter}”无效：季度应为1到4"),
            )
            .field("quarter"));
        }
        Ok(Self { year, quarter })
    }

    pub fn of(date: Date) -> Self {
        Self {
            year: date.year(),
            quarter: (u8::from(date.month()) - 1) / 3 + 1,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.quarter
    }

    /// The first day of the quarter.
    pub fn first_day(self) -> Date {
        let month = Month::try_from((self.quarter - 1) * 3 + 1).unwrap_or(Month::January);
        Date::from_calendar_date(self.year, month, 1).unwrap_or(Date::MIN)
    }

    /// The first day after the quarter.
    pub fn end(self) -> Date {
        self.next().first_day()
    }

    pub fn next(self) -> Self {
        if self.quarter == 4 {
            Self {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Self {
                year: self.year,
                quarter: self.quarter + 1,
            }
        }
    }

    /// SYS-2: a branch behind target gets its to-do in the last two weeks of the quarter.
    pub fn in_last_two_weeks(self, today: Date) -> bool {
        Quarter::of(today) == self && self.end() - today <= Duration::days(14)
    }

    /// "2026年第4季度".
    pub fn label(self) -> String {
        format!("{}年第{}季度", self.year, self.quarter)
    }
}

/// Meetings of each kind a branch should hold a quarter. Kinds not listed have no target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    per_quarter: Vec<(MeetingKind, u32)>,
}

/// Largest target a setting accepts: more than one meeting of a kind a day is a typing error.
const MAX_PER_QUARTER: u32 = 92;

impl Default for Targets {
    /// 支部大会 ≥ 1 a quarter, 支委会 ≥ 1 a month, 团课 ≥ 1 a quarter.
    fn default() -> Self {
        Self {
            per_quarter: vec![
                (MeetingKind::Assembly, 1),
                (MeetingKind::Committee, 3),
                (MeetingKind::Lecture, 1),
            ],
        }
    }
}

impl Targets {
    /// Targets from settings; zeros are dropped, each kind once.
    pub fn new(per_quarter: &[(MeetingKind, u32)]) -> Result<Self, DomainError> {
        let mut out: Vec<(MeetingKind, u32)> = Vec::new();
        for (kind, n) in per_quarter {
            if out.iter().any(|(k, _)| k == kind) {
                return Err(DomainError::new(
                    "duplicate_target",
                    format!("“{}”的指标填写了两次：每种会议只填一个数", kind.label()),
                )
                .field("targets"));
            }
            if *n > MAX_PER_QUARTER {
                return Err(DomainError::new(
                    "invalid_target",
                    format!(
                        "“{}”每季度{}次超出范围：请填写0到{}之间的次数",
                        kind.label(),
                        n,
                        MAX_PER_QUARTER
                    ),
                )
                .field("targets"));
            }
            if *n > 0 {
                out.push((*kind, *n));
            }
        }
        out.sort_by_key(|(k, _)| MeetingKind::ALL.iter().position(|a| a == k));
        Ok(Self { per_quarter: out })
    }

    /// The target of one kind (0 when none).
    pub fn of(&self, kind: MeetingKind) -> u32 {
        self.per_quarter
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }

    /// The kinds with a target, in the kinds' order.
    pub fn entries(&self) -> &[(MeetingKind, u32)] {
        &self.per_quarter
    }

    /// The kinds a branch held fewer of than its target, given its counts this quarter.
    pub fn shortfalls(&self, held: &[(MeetingKind, u32)]) -> Vec<Shortfall> {
        self.per_quarter
            .iter()
            .filter_map(|(kind, target)| {
                let held = held.iter().find(|(k, _)| k == kind).map_or(0, |(_, n)| *n);
                (held < *target).then_some(Shortfall {
                    kind: *kind,
                    held,
                    target: *target,
                })
            })
            .collect()
    }
}

/// One kind a branch is behind on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    pub kind: MeetingKind,
    pub held: u32,
    pub target: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn quarters_have_their_bounds() {
        let q = Quarter::of(date!(2026 - 12 - 07));
        assert_eq!(q, Quarter::new(2026, 4).unwrap());
        assert_eq!(q.first_day(), date!(2026 - 10 - 01));
        assert_eq!(q.end(), date!(2027 - 01 - 01));
        assert!(!q.in_last_two_weeks(date!(2026 - 12 - 07)));
        assert!(q.in_last_two_weeks(date!(2026 - 12 - 18)));
        assert!(Quarter::new(2026, 5).is_err());
    }

    #[test]
    fn default_targets_find_what_is_missing() {
        let t = Targets::default();
        let s = t.shortfalls(&[(MeetingKind::Assembly, 1), (MeetingKind::Committee, 2)]);
        assert_eq!(
            s,
            vec![
                Shortfall {
                    kind: MeetingKind::Committee,
                    held: 2,
                    target: 3
                },
                Shortfall {
                    kind: MeetingKind::Lecture,
                    held: 0,
                    target: 1
                },
            ]
        );
        assert!(Targets::new(&[(MeetingKind::Lecture, 1), (MeetingKind::Lecture, 2)]).is_err());
    }
}
