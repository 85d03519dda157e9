//! EVT-2: events and trainings an org publishes to its subtree: who they are for, the sign-up
//! deadline and the capacity.

use time::OffsetDateTime;

use crate::org::labelled_enum;
use crate::{text, DomainError, EventId, OrgId};

labelled_enum!(
    /// Who in the subtree may sign up.
    Audience, "invalid_audience", "参加对象" {
        All => "all", "全体团员",
        Cadres => "cadres", "团干部",
        Secretaries => "secretaries", "团支部书记",
    }
);

pub const TITLE_MAX: usize = 100;
pub const PLACE_MAX: usize = 100;
/// More seats than this is a typing slip, not an event.
pub const CAPACITY_MAX: i32 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: EventId,
    pub org: OrgId,
    pub title: String,
    pub starts_at: OffsetDateTime,
    pub place: String,
    /// No limit when absent.
    pub capacity: Option<i32>,
    pub taken: i32,
    pub signup_deadline: OffsetDateTime,
    pub audience: Audience,
}

/// An event checked by the use case before the store writes it.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub org: OrgId,
    pub title: String,
    pub starts_at: OffsetDateTime,
    pub place: String,
    pub capacity: Option<i32>,
    pub signup_deadline: OffsetDateTime,
    pub audience: Audience,
}

pub fn title(raw: &str) -> Result<String, DomainError> {
    text::required_name(raw, "title", "活动名称", TITLE_MAX).map_err(|e| e.rule("EVT-2"))
}

pub fn place(raw: &str) -> Result<String, DomainError> {
    text::required_name(raw, "place", "活动地点", PLACE_MAX).map_err(|e| e.rule("EVT-2"))
}

pub fn capacity(n: Option<i32>) -> Result<Option<i32>, DomainError> {
    match n {
        Some(n) if !(1..=CAPACITY_MAX).contains(&n) => Err(DomainError::new(
            "invalid_capacity",
            format!("名额应在1至{CAPACITY_MAX}之间；不限名额请留空"),
        )
        .rule("EVT-2")
        .field("capacity")),
        n => Ok(n),
    }
}

/// A local (Beijing) date and time as typed: `2026-12-10T19:00`, `2026-12-10 19:00`, with or
/// without seconds; full-width digits from an input method accepted.
pub fn parse_local(
    value: &str,
    field: &'static str,
    label: &str,
) -> Result<time::PrimitiveDateTime, DomainError> {
    let v: String = value
        .trim()
        .chars()
        .map(text::half_width)
        .map(|c| if c == ' ' { 'T' } else { c })
        .collect();
    if v.is_empty() {
        return Err(DomainError::new("required", format!("请填写{label}")).field(field));
    }
    let long = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let short = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    time::PrimitiveDateTime::parse(&v, short)
        .or_else(|_| time::PrimitiveDateTime::parse(&v, long))
        .map_err(|_| {
            DomainError::new(
                "invalid_datetime",
                format!("“{v}”不是有效的{label}：请按 年-月-日 时:分 填写，如 2026-12-10 19:00"),
            )
            .rule("EVT-2")
            .field(field)
        })
}

/// The deadline is in the future and not after the start.
pub fn check_times(
    starts_at: OffsetDateTime,
    deadline: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    if deadline <= now {
        return Err(
            DomainError::new("deadline_passed", "报名截止时间已过：请填写今后的时间")
                .rule("EVT-2")
                .field("signup_deadline"),
        );
    }
    if deadline > starts_at {
        return Err(DomainError::new(
            "deadline_after_start",
            "报名截止时间不能晚于活动开始时间：请调整后再发布",
        )
        .rule("EVT-2")
        .field("signup_deadline"));
    }
    Ok(())
}

impl Event {
    /// Sign-ups and cancellations are open until the deadline.
    pub fn open_at(&self, now: OffsetDateTime) -> bool {
        now <= self.signup_deadline
    }

    pub fn is_full(&self) -> bool {
        self.capacity.is_some_and(|c| self.taken >= c)
    }

    /// What a member reads when the last seat has gone.
    pub fn full_error(&self) -> DomainError {
        DomainError::new(
            "event_full",
            format!(
                "“{}”名额已满（共{}个名额）：请关注其他活动",
                self.title,
                self.capacity.unwrap_or_default()
            ),
        )
        .rule("EVT-2")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn capacity_and_deadline() {
        let now = datetime!(2026-11-29 2:00 UTC);
        let start = datetime!(2026-12-05 2:00 UTC);
        assert!(check_times(start, datetime!(2026-12-01 2:00 UTC), now).is_ok());
        assert_eq!(
            check_times(start, datetime!(2026-11-28 2:00 UTC), now)
                .unwrap_err()
                .code,
            "deadline_passed"
        );
        assert_eq!(
            check_times(start, datetime!(2026-12-06 2:00 UTC), now)
                .unwrap_err()
                .code,
            "deadline_after_start"
        );
        assert_eq!(capacity(Some(0)).unwrap_err().code, "invalid_capacity");
        let e = Event {
            id: EventId(1),
            org: OrgId(1),
            title: "团课培训".into(),
            starts_at: start,
            place: "礼堂".into(),
            capacity: Some(2),
            taken: 2,
            signup_deadline: datetime!(2026-12-01 2:00 UTC),
            audience: Audience::All,
        };
        assert!(e.is_full() && e.full_error().message.contains("共2个名额"));
        assert!(e.open_at(now) && !e.open_at(start));
    }
}
