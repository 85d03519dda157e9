//! ACC-10: an org's cadres (团干部) — a member holding a post from a start date until an end
//! date — as stored, and the rules on their dates and posts.

use std::cmp::Ordering;

use time::{Date, OffsetDateTime};

use crate::{text, CadreId, DomainError, MemberId, OrgId};

/// The longest post name (the column's width).
pub const POST_MAX: usize = 64;

/// One entry of an org's cadre list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cadre {
    pub id: CadreId,
    pub org: OrgId,
    pub member: MemberId,
    /// 职务, e.g. 团委书记.
    pub post: String,
    pub started_on: Date,
    /// Absent while in post.
    pub ended_on: Option<Date>,
    pub created_at: OffsetDateTime,
}

/// An entry checked by the use case before the store writes it.
#[derive(Debug, Clone)]
pub struct NewCadre {
    pub org: OrgId,
    pub member: MemberId,
    pub post: String,
    pub started_on: Date,
    pub created_at: OffsetDateTime,
}

impl Cadre {
    /// In post now.
    pub fn is_current(&self) -> bool {
        self.ended_on.is_none()
    }

    /// The same post held over a period that reaches `from` (still open, or ended on or after
    /// it): a new entry starting then would hold the post twice at once.
    pub fn reaches(&self, from: Date) -> bool {
        self.ended_on.is_none_or(|e| e >= from)
    }

    /// The end date recorded (or corrected): not before the start, not in the future.
    pub fn end_on(&self, ended_on: Date, today: Date) -> Result<Date, DomainError> {
        if ended_on < self.started_on {
            return Err(DomainError::new(
                "ended_before_start",
                format!(
                    "离任日期不能早于任职日期（{}）：请检查后重新填写",
                    self.started_on
                ),
            )
            .rule("ACC-10")
            .field("ended_on"));
        }
        not_in_future(ended_on, today, "ended_on", "离任日期")?;
        Ok(ended_on)
    }
}

/// The list's order: those in post first (longest-serving first, as the store reads them),
/// then former ones, latest end first.
pub fn list_order(a: &Cadre, b: &Cadre) -> Ordering {
    match (a.ended_on, b.ended_on) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => y.cmp(&x),
    }
}

/// 职务: required, at most `POST_MAX` characters.
pub fn post(raw: &str) -> Result<String, DomainError> {
    text::required_name(raw, "post", "职务", POST_MAX).map_err(|e| e.rule("ACC-10"))
}

/// A date as typed (`2025-09-01`; full-width digits from an input method accepted).
pub fn parse_date(value: &str, field: &'static str, label: &str) -> Result<Date, DomainError> {
    let v: String = value.trim().chars().map(text::half_width).collect();
    if v.is_empty() {
        return Err(DomainError::new("required", format!("请填写{label}")).field(field));
    }
    Date::parse(
        &v,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        DomainError::new(
            "invalid_date",
            format!("“{v}”不是有效的{label}：请按 年-月-日 填写，如 2025-09-01"),
        )
        .field(field)
    })
}

/// A post's dates are what happened: never after today.
pub fn not_in_future(
    d: Date,
    today: Date,
    field: &'static str,
    label: &str,
) -> Result<(), DomainError> {
    if d > today {
        return Err(DomainError::new(
            "date_in_future",
            format!("{label}不能晚于今天（{today}）：请填写实际日期"),
        )
        .rule("ACC-10")
        .field(field));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn entry(started_on: Date, ended_on: Option<Date>) -> Cadre {
        Cadre {
            id: CadreId(1),
            org: OrgId(1),
            member: MemberId(1),
            post: "组织委员".into(),
            started_on,
            ended_on,
            created_at: datetime!(2025-09-01 0:00 UTC),
        }
    }

    #[test]
    fn periods_and_end_dates() {
        let open = entry(date!(2025 - 09 - 01), None);
        assert!(open.is_current() && open.reaches(date!(2030 - 01 - 01)));
        let ended = entry(date!(2024 - 09 - 01), Some(date!(2025 - 06 - 30)));
        assert!(ended.reaches(date!(2025 - 06 - 30)));
        assert!(!ended.reaches(date!(2025 - 07 - 01)));
        let today = date!(2026 - 01 - 01);
        assert_eq!(
            open.end_on(date!(2025 - 08 - 31), today).unwrap_err().code,
            "ended_before_start"
        );
        assert_eq!(
            open.end_on(date!(2026 - 01 - 02), today).unwrap_err().code,
            "date_in_future"
        );
        assert!(open.end_on(today, today).is_ok());
        assert_eq!(list_order(&open, &ended), Ordering::Less);
        assert_eq!(
            parse_date("２０２５-09-01", "d", "任职日期").unwrap(),
            date!(2025 - 09 - 01)
        );
        assert_eq!(post(" ").unwrap_err().field, Some("post"));
    }
}
