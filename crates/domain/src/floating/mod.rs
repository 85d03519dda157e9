//! FLT-1 … FLT-5: graduates who keep their league relationship at school for a while — the
//! retention deadline, and the obligations steps the system proposes (never applies) when
//! contact lapses.

mod record;

use time::Date;

use crate::graduation::Destination;
use crate::org::labelled_enum;
use crate::{DomainError, YearMonth};

pub use record::{Contact, FloatingRecord, NewContact, NewFloating};

labelled_enum!(
    FloatingStatus, "invalid_floating_status", "流动团员状态" {
        Pending => "pending", "转入待审批",
        Active => "active", "保留中",
        Suspended => "suspended", "已停止团籍",
        Removed => "removed", "已除名",
        Left => "left", "已转出",
        Cancelled => "cancelled", "未转入",
    }
);

impl FloatingStatus {
    /// Still kept at school (FLT-3, FLT-4): contacts are logged, steps may come due.
    pub fn is_kept(self) -> bool {
        matches!(self, FloatingStatus::Active | FloatingStatus::Suspended)
    }
}

/// FLT-2: the destinations a floating entry may give.
pub fn floating_destination(d: Destination) -> Result<Destination, DomainError> {
    match d {
        Destination::PreparingStudy | Destination::PreparingJob | Destination::Other => Ok(d),
        other => Err(DomainError::new(
            "floating_destination",
            format!(
                "毕业去向为“{}”的毕业生不转入流动团员团支部：请直接转往升学学校或工作单位所在地的团组织；流动团员的去向只能是继续准备升学、继续准备就业或其他",
                other.label()
            ),
        )
        .rule("FLT-2")
        .field("floating")),
    }
}

fn add_months(d: Date, months: i32) -> Date {
    let ym = YearMonth::of(d);
    let total = ym.year() * 12 + i32::from(ym.month()) - 1 + months;
    let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let target = YearMonth::new(y, m).map(|t| t.first_day()).unwrap_or(d);
    let last = YearMonth::of(target).last_day().day();
    target.replace_day(d.day().min(last)).unwrap_or(target)
}

/// FLT-3: six months from entry; once extended, a year from entry.
pub fn deadline(entered: Date, extended: bool) -> Date {
    add_months(entered, if extended { 12 } else { 6 })
}

/// Where a retention deadline stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineState {
    Ok,
    /// Within 30 days.
    Approaching,
    Overdue,
}

impl DeadlineState {
    pub fn of(deadline: Date, today: Date) -> DeadlineState {
        if today > deadline {
            DeadlineState::Overdue
        } else if (deadline - today).whole_days() <= 30 {
            DeadlineState::Approaching
        } else {
            DeadlineState::Ok
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            DeadlineState::Ok => "ok",
            DeadlineState::Approaching => "approaching",
            DeadlineState::Overdue => "overdue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeadlineState::Ok => "保留期内",
            DeadlineState::Approaching => "即将到期",
            DeadlineState::Overdue => "已超期",
        }
    }
}

/// FLT-4: a step the system proposes; an admin confirms it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// No contact for a year: 停止团籍.
    Suspend,
    /// Suspended and unreachable for two more years: 除名.
    Remove,
}

impl Step {
    pub fn key(self) -> &'static str {
        match self {
            Step::Suspend => "suspend",
            Step::Remove => "remove",
        }
    }

    /// Parses the code or the Chinese word of a step.
    pub fn parse(s: &str) -> Result<Step, DomainError> {
        match s.trim() {
            "suspend" | "停止团籍" => Ok(Step::Suspend),
            "remove" | "除名" => Ok(Step::Remove),
            other => Err(DomainError::new(
                "invalid_step",
                format!("“{other}”不是有效的处理步骤：可选 suspend（停止团籍）或 remove（除名）"),
            )
            .field("step")),
        }
    }

    /// The state a confirmed step leads to.
    pub fn leads_to(self) -> FloatingStatus {
        match self {
            Step::Suspend => FloatingStatus::Suspended,
            Step::Remove => FloatingStatus::Removed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Suspend => "停止团籍（一年未与团组织联系）",
            Step::Remove => "除名（停止团籍后两年仍无法联系）",
        }
    }
}

/// FLT-4 from the dates on record: the last contact (or the entry when none), and the day
/// the membership was suspended.
pub fn due_step(
    status: FloatingStatus,
    entered: Date,
    last_contact: Option<Date>,
    suspended_on: Option<Date>,
    today: Date,
) -> Option<Step> {
    let last = last_contact.unwrap_or(entered).max(entered);
    match status {
        FloatingStatus::Active if add_months(last, 12) <= today => Some(Step::Suspend),
        FloatingStatus::Suspended => {
            let since = suspended_on.unwrap_or(last);
            let silent_since = last.max(since);
            (add_months(silent_since, 24) <= today).then_some(Step::Remove)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn deadlines_are_six_months_or_a_year() {
        assert_eq!(
            deadline(date!(2026 - 07 - 01), false),
            date!(2027 - 01 - 01)
        );
        assert_eq!(
            deadline(date!(2026 - 08 - 31), false),
            date!(2027 - 02 - 28)
        );
        assert_eq!(deadline(date!(2026 - 07 - 01), true), date!(2027 - 07 - 01));
        let d = date!(2027 - 01 - 01);
        assert_eq!(
            DeadlineState::of(d, date!(2026 - 11 - 01)),
            DeadlineState::Ok
        );
        assert_eq!(
            DeadlineState::of(d, date!(2026 - 12 - 15)),
            DeadlineState::Approaching
        );
        assert_eq!(
            DeadlineState::of(d, date!(2027 - 01 - 02)),
            DeadlineState::Overdue
        );
    }

    #[test]
    fn steps_are_proposed_only_when_due() {
        let entered = date!(2026 - 07 - 01);
        use FloatingStatus::*;
        assert_eq!(
            due_step(Active, entered, None, None, date!(2027 - 06 - 30)),
            None
        );
        assert_eq!(
            due_step(Active, entered, None, None, date!(2027 - 07 - 01)),
            Some(Step::Suspend)
        );
        // A contact restarts the year.
        assert_eq!(
            due_step(
                Active,
                entered,
                Some(date!(2027 - 03 - 01)),
                None,
                date!(2027 - 07 - 01)
            ),
            None
        );
        let suspended = Some(date!(2027 - 07 - 05));
        assert_eq!(
            due_step(Suspended, entered, None, suspended, date!(2029 - 07 - 04)),
            None
        );
        assert_eq!(
            due_step(Suspended, entered, None, suspended, date!(2029 - 07 - 05)),
            Some(Step::Remove)
        );
        assert_eq!(
            due_step(Removed, entered, None, suspended, date!(2035 - 01 - 01)),
            None
        );
        assert!(floating_destination(Destination::Employed).is_err());
        assert!(floating_destination(Destination::PreparingJob).is_ok());
    }
}
