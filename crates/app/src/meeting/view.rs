//! A meeting record as admins see it: the entered fields, 应到/实到/缺席 and quorum derived
//! from the attendee rows, the attachments, the history, and what the viewer may do now.

use serde::Serialize;
use tuanwu_domain::meeting::{Meeting, MeetingStep};
use tuanwu_store::history::{self, Subject};
use tuanwu_store::meeting as store;
use utoipa::ToSchema;

use super::rules::MeetingActions;
use crate::audit::format_time;
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendeeView {
    pub member_id: i64,
    /// The name on the day (a member who later left still shows).
    pub name: String,
    pub present: bool,
    pub absence_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingFileView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingEventView {
    pub at: String,
    pub actor_name: String,
    /// `record` | `edit` | `delete` | `restore`.
    pub action: String,
    pub action_label: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: i64,
    pub org_id: i64,
    /// `assembly` | `committee` | `group` | `lecture` | `theme_day` | `org_life`.
    pub kind: String,
    pub kind_label: String,
    /// RFC 3339, Beijing time.
    pub started_at: String,
    /// `2026年第4季度`: the page groups records by it.
    pub quarter_label: String,
    pub place: String,
    pub topic: String,
    pub content: String,
    pub presenter: Option<String>,
    pub recorder: Option<String>,
    pub speaker: Option<String>,
    pub invitees: Option<String>,
    pub group_id: Option<i64>,
    /// The 团小组会's group by name.
    pub group_name: Option<String>,
    /// 应到.
    pub due_count: u32,
    /// 实到.
    pub present_count: u32,
    /// 缺席.
    pub absent_count: u32,
    /// 支部大会: more than half of 应到 present; `null` for kinds without a quorum rule.
    pub quorate: Option<bool>,
    pub attendees: Vec<AttendeeView>,
    pub files: Vec<MeetingFileView>,
    pub deleted: bool,
    pub created_at: String,
    pub updated_at: String,
    pub history: Vec<MeetingEventView>,
    /// Everything the viewer may do now, each checked again by the action itself.
    pub actions: MeetingActions,
}

pub async fn meeting_view(
    ctx: &Context,
    actor: &Actor,
    m: Meeting,
) -> Result<MeetingView, AppError> {
    let c = ctx.db.conn();
    let actions = MeetingActions::of(c, actor, &m).await?;
    let files = store::files_of(c, m.id).await?;
    let history = history::of(c, Subject::Meeting(m.id)).await?;
    // The group of the record's own branch (MTG-1 checked it when the record was written).
    let group_name = match m.group_id {
        Some(g) => tuanwu_store::group::name_of(c, tuanwu_domain::GroupId(g)).await?,
        None => None,
    };
    let a = m.attendance();
    let quarter =
        tuanwu_domain::meeting::Quarter::of(m.started_at.to_offset(crate::clock::CST).date());
    Ok(MeetingView {
        id: m.id.0,
        org_id: m.org.0,
        kind: m.kind.key().into(),
        kind_label: m.kind.label().into(),
        started_at: format_time(m.started_at),
        quarter_label: quarter.label(),
        place: m.place,
        topic: m.topic,
        content: m.content,
        presenter: m.presenter,
        recorder: m.recorder,
        speaker: m.speaker,
        invitees: m.invitees,
        group_id: m.group_id,
        group_name,
        due_count: a.due,
        present_count: a.present,
        absent_count: a.absent,
        quorate: a.quorate,
        attendees: m
            .attendees
            .into_iter()
            .map(|a| AttendeeView {
                member_id: a.member.0,
                name: a.name,
                present: a.present,
                absence_reason: a.absence_reason,
            })
            .collect(),
        files: files
            .into_iter()
            .map(|f| MeetingFileView {
                id: f.id.0,
                name: f.original_name,
                content_type: f.file_type.mime().into(),
            })
            .collect(),
        deleted: m.deleted,
        created_at: format_time(m.created_at),
        updated_at: format_time(m.updated_at),
        history: history
            .into_iter()
            .map(|s| MeetingEventView {
                at: format_time(s.at),
                actor_name: s.actor_name,
                action_label: MeetingStep::parse(&s.action)
                    .map(|a| a.label().to_string())
                    .unwrap_or_else(|_| s.action.clone()),
                action: s.action,
                note: s.note,
            })
            .collect(),
        actions,
    })
}
