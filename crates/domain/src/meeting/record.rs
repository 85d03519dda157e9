//! A meeting record as it is stored, typed from the database up.

use time::OffsetDateTime;

use super::{Attendance, Attendee, MeetingKind};
use crate::org::labelled_enum;
use crate::{AccountId, FileId, MeetingId, OrgId};

/// MTG-1: one held meeting of a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: MeetingId,
    /// The branch that held it.
    pub org: OrgId,
    pub kind: MeetingKind,
    pub started_at: OffsetDateTime,
    pub place: String,
    pub topic: String,
    /// 内容与决议.
    pub content: String,
    /// 主持人.
    pub presenter: Option<String>,
    /// 记录人.
    pub recorder: Option<String>,
    /// 团课: a speaker from outside the roster.
    pub speaker: Option<String>,
    /// 列席人员 (free text).
    pub invitees: Option<String>,
    /// 团小组会: the group. That it belongs to the branch is checked where groups live.
    pub group_id: Option<i64>,
    /// Everyone due, in roster order, names kept.
    pub attendees: Vec<Attendee>,
    pub files: Vec<FileId>,
    pub created_by: AccountId,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// MTG-2: soft-deleted (restorable by the level above).
    pub deleted: bool,
}

impl Meeting {
    /// 应到/实到/缺席 and quorum, derived from the attendee rows.
    pub fn attendance(&self) -> Attendance {
        Attendance::of(self.kind, &self.attendees)
    }
}

/// The fields a user enters, checked by the use case before the store writes them.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub org: OrgId,
    pub kind: MeetingKind,
    pub started_at: OffsetDateTime,
    pub place: String,
    pub topic: String,
    pub content: String,
    pub presenter: Option<String>,
    pub recorder: Option<String>,
    pub speaker: Option<String>,
    pub invitees: Option<String>,
    pub group_id: Option<i64>,
    pub attendees: Vec<Attendee>,
    pub files: Vec<FileId>,
    pub created_by: AccountId,
    pub created_at: OffsetDateTime,
}

/// An edit: the whole record's entered fields again (the form shows them all).
pub type MeetingChange = NewMeeting;

labelled_enum!(
    /// One step of a meeting record's history (MTG-2: every change audited).
    MeetingStep, "invalid_meeting_step", "会议记录操作" {
        Record => "record", "登记会议记录",
        Edit => "edit", "修改会议记录",
        Delete => "delete", "删除会议记录",
        Restore => "restore", "恢复会议记录",
    }
);
