//! MTG-1, MTG-2: 三会一课 records — their kinds, the attendance derived from the roster at the
//! meeting's date, and the quarterly compliance against per-org targets.

mod attendance;
mod compliance;
mod record;

use crate::org::labelled_enum;

pub use attendance::{Attendance, AttendanceError, Attendee, Roll};
pub use compliance::{Quarter, Shortfall, Targets};
pub use record::{Meeting, MeetingChange, MeetingStep, NewMeeting};

labelled_enum!(
    /// MTG-1: 三会一课 and the two other regular forms of a branch's organisational life.
    MeetingKind, "invalid_meeting_kind", "会议类型" {
        Assembly => "assembly", "支部大会",
        Committee => "committee", "支委会",
        Group => "group", "团小组会",
        Lecture => "lecture", "团课",
        ThemeDay => "theme_day", "主题团日",
        OrgLife => "org_life", "组织生活会",
    }
);

impl MeetingKind {
    /// 支部大会 decides for the whole branch, so every member on the roster is due and it is
    /// quorate only with more than half of them present. The other kinds are due for whom the
    /// record lists (a 支委会 its committee, a 团小组会 its group).
    pub fn whole_roster_due(self) -> bool {
        matches!(self, MeetingKind::Assembly)
    }
}
