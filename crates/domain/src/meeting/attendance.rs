//! 应到/实到/缺席, derived from who the record lists, never typed: each listed person must have
//! been on the branch roster at the meeting's date, each absentee has a reason.

use std::collections::{HashMap, HashSet};

use super::MeetingKind;
use crate::{DomainError, MemberId};

/// One person listed on a record, with the name kept so a member who later left still shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub member: MemberId,
    pub name: String,
    pub present: bool,
    pub absence_reason: Option<String>,
}

/// The counts a record states (MTG-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendance {
    /// 应到.
    pub due: u32,
    /// 实到.
    pub present: u32,
    /// 缺席.
    pub absent: u32,
    /// 支部大会: more than half of 应到 present; `None` for kinds without a quorum rule.
    pub quorate: Option<bool>,
}

impl Attendance {
    pub fn of(kind: MeetingKind, attendees: &[Attendee]) -> Self {
        let due = u32::try_from(attendees.len()).unwrap_or(u32::MAX);
        let present =
            u32::try_from(attendees.iter().filter(|a| a.present).count()).unwrap_or(u32::MAX);
        Self {
            due,
            present,
            absent: due - present,
            quorate: kind
                .whole_roster_due()
                .then_some(u64::from(present) * 2 > u64::from(due)),
        }
    }
}

/// What the user ticked: who was present, who was absent and why (each reason already passed
/// the text checks; `None` is a blank one).
#[derive(Debug, Clone, Default)]
pub struct Roll {
    pub present: Vec<MemberId>,
    pub absent: Vec<(MemberId, Option<String>)>,
}

/// Why a roll was refused. The use case names the person (it may look up a name the roster
/// does not have, for someone who was never in the branch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttendanceError {
    /// Not in the branch at the meeting's date.
    NotOnRoster(MemberId),
    /// Ticked present and listed absent, or listed twice.
    Twice(MemberId),
    /// An absentee without a reason.
    NoReason(MemberId),
    /// 支部大会: roster members neither ticked nor listed absent.
    Unlisted(Vec<MemberId>),
    /// Nobody present.
    Empty,
}

impl Roll {
    /// Checks the roll against the roster at the meeting's date (`(member, name)` pairs) and
    /// returns the record's attendee rows in roster order.
    pub fn check(
        &self,
        kind: MeetingKind,
        roster: &[(MemberId, String)],
    ) -> Result<Vec<Attendee>, AttendanceError> {
        let on_roster: HashSet<MemberId> = roster.iter().map(|(m, _)| *m).collect();
        let mut listed: HashMap<MemberId, Option<String>> = HashMap::new();
        for m in &self.present {
            if !on_roster.contains(m) {
                return Err(AttendanceError::NotOnRoster(*m));
            }
            if listed.insert(*m, None).is_some() {
                return Err(AttendanceError::Twice(*m));
            }
        }
        for (m, reason) in &self.absent {
            if !on_roster.contains(m) {
                return Err(AttendanceError::NotOnRoster(*m));
            }
            let Some(reason) = reason else {
                return Err(AttendanceError::NoReason(*m));
            };
            if listed.insert(*m, Some(reason.clone())).is_some() {
                return Err(AttendanceError::Twice(*m));
            }
        }
        if self.present.is_empty() {
            return Err(AttendanceError::Empty);
        }
        if kind.whole_roster_due() {
            let unlisted: Vec<MemberId> = roster
                .iter()
                .map(|(m, _)| *m)
                .filter(|m| !listed.contains_key(m))
                .collect();
            if !unlisted.is_empty() {
                return Err(AttendanceError::Unlisted(unlisted));
            }
        }
        Ok(roster
            .iter()
            .filter_map(|(m, name)| {
                listed.remove(m).map(|reason| Attendee {
                    member: *m,
                    name: name.clone(),
                    present: reason.is_none(),
                    absence_reason: reason,
                })
            })
            .collect())
    }
}

impl AttendanceError {
    /// The Chinese sentence, given a way to name a member.
    pub fn into_domain(self, name: impl Fn(MemberId) -> String) -> DomainError {
        let (code, msg, field) = match self {
            AttendanceError::NotOnRoster(m) => (
                "attendee_not_on_roster",
                format!(
                    "{}在会议当天不在本支部名册上：请只从当天的名册中选择参会人员",
                    name(m)
                ),
                "attendee_ids",
            ),
            AttendanceError::Twice(m) => (
                "attendee_listed_twice",
                format!(
                    "{}被重复登记（既出席又缺席，或出现两次）：每人只登记一次",
                    name(m)
                ),
                "attendee_ids",
            ),
            AttendanceError::NoReason(m) => (
                "absence_reason_required",
                format!("请填写{}的缺席原因", name(m)),
                "absentees",
            ),
            AttendanceError::Unlisted(ms) => {
                let names: Vec<String> = ms.iter().take(5).map(|m| name(*m)).collect();
                let more = if ms.len() > 5 {
                    format!("等{}人", ms.len())
                } else {
                    String::new()
                };
                (
                    "attendee_unlisted",
                    format!(
                        "支部大会应到全体团员，{}{}既未勾选出席也未登记缺席：请勾选出席或填写缺席原因",
                        names.join("、"),
                        more
                    ),
                    "absentees",
                )
            }
            AttendanceError::Empty => (
                "no_attendee",
                "没有勾选任何出席人员：请至少勾选一名出席的团员".to_string(),
                "attendee_ids",
            ),
        };
        DomainError::new(code, msg).rule("MTG-1").field(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster() -> Vec<(MemberId, String)> {
        (1..=4).map(|i| (MemberId(i), format!("团员{i}"))).collect()
    }

    #[test]
    fn assembly_counts_everyone_and_needs_more_than_half() {
        let roll = Roll {
            present: vec![MemberId(1), MemberId(2)],
            absent: vec![
                (MemberId(3), Some("病假".into())),
                (MemberId(4), Some("实习".into())),
            ],
        };
        let a = roll.check(MeetingKind::Assembly, &roster()).unwrap();
        let counts = Attendance::of(MeetingKind::Assembly, &a);
        assert_eq!((counts.due, counts.present, counts.absent), (4, 2, 2));
        assert_eq!(counts.quorate, Some(false), "exactly half is not a quorum");
        assert_eq!(Attendance::of(MeetingKind::Lecture, &a).quorate, None);
    }

    #[test]
    fn refuses_what_the_roster_does_not_hold() {
        let r = roster();
        let outsider = Roll {
            present: vec![MemberId(9)],
            absent: vec![],
        };
        assert_eq!(
            outsider.check(MeetingKind::Lecture, &r),
            Err(AttendanceError::NotOnRoster(MemberId(9)))
        );
        let no_reason = Roll {
            present: vec![MemberId(1)],
            absent: vec![(MemberId(2), None)],
        };
        assert_eq!(
            no_reason.check(MeetingKind::Lecture, &r),
            Err(AttendanceError::NoReason(MemberId(2)))
        );
        let partial = Roll {
            present: vec![MemberId(1)],
            absent: vec![],
        };
        assert_eq!(
            partial.check(MeetingKind::Assembly, &r),
            Err(AttendanceError::Unlisted(vec![
                MemberId(2),
                MemberId(3),
                MemberId(4)
            ]))
        );
        assert_eq!(
            partial.check(MeetingKind::Committee, &r).map(|a| a.len()),
            Ok(1)
        );
    }
}
