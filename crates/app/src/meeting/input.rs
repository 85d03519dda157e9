//! What a user enters for a meeting record and the checks both recording and editing make:
//! the kind, a start that has already happened, the texts, the roll against the roster at
//! that date, the group of a 团小组会 and the attachments.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};
use tuanwu_domain::meeting::{MeetingKind, NewMeeting, Roll};
use tuanwu_domain::{text, DomainError, FileId, MemberId};
use tuanwu_store::meeting as store;
use utoipa::ToSchema;

use super::rules::OrgInfo;
use crate::clock::CST;
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AbsenteeInput {
    pub member_id: i64,
    /// 缺席原因 (required).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MeetingInput {
    /// `assembly` | `committee` | `group` | `lecture` | `theme_day` | `org_life` (or the
    /// Chinese words).
    pub kind: String,
    /// Beijing time, `2026-11-20T19:00` (or RFC 3339); not in the future.
    pub started_at: String,
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
    /// Present members, from the branch roster at the meeting's date.
    #[serde(default)]
    pub attendee_ids: Vec<i64>,
    /// Absent members with a reason each.
    #[serde(default)]
    pub absentees: Vec<AbsenteeInput>,
    /// 团小组会: the group (required with that kind).
    pub group_id: Option<i64>,
    /// Photos or minutes uploaded through `POST /api/v1/files`.
    pub file_ids: Option<Vec<i64>>,
}

/// An edit: the fields given replace the record's; the roll is replaced when either list is
/// given.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MeetingPatch {
    pub kind: Option<String>,
    pub started_at: Option<String>,
    pub place: Option<String>,
    pub topic: Option<String>,
    pub content: Option<String>,
    pub presenter: Option<String>,
    pub recorder: Option<String>,
    pub speaker: Option<String>,
    pub invitees: Option<String>,
    pub attendee_ids: Option<Vec<i64>>,
    pub absentees: Option<Vec<AbsenteeInput>>,
    pub group_id: Option<i64>,
    pub file_ids: Option<Vec<i64>>,
}

/// Parses a start time given in Beijing time (or with an explicit offset).
pub fn parse_start(s: &str) -> Result<OffsetDateTime, DomainError> {
    let s = s.trim();
    let bad = || {
        DomainError::new(
            "invalid_started_at",
            format!("“{s}”不是有效的开始时间：请按 2026-11-20T19:00 的格式填写（北京时间）"),
        )
        .field("started_at")
    };
    if s.is_empty() {
        return Err(DomainError::new("required", "请填写会议开始时间").field("started_at"));
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t);
    }
    let s2 = s.replacen(' ', "T", 1);
    for fmt in [
        format_description!("[year]-[month]-[day]T[hour]:[minute]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
    ] {
        if let Ok(t) = PrimitiveDateTime::parse(&s2, &fmt) {
            return Ok(t.assume_offset(CST));
        }
    }
    Err(bad())
}

/// The checked fields of one record, before the roll is taken against the roster.
pub(crate) struct Fields {
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
    pub present: Vec<i64>,
    pub absent: Vec<AbsenteeInput>,
    pub files: Vec<i64>,
}

impl Fields {
    pub fn of(input: MeetingInput) -> Result<Self, DomainError> {
        Ok(Fields {
            kind: MeetingKind::parse(&input.kind).map_err(|e| e.rule("MTG-1").field("kind"))?,
            started_at: parse_start(&input.started_at)?,
            place: text::required_name(&input.place, "place", "会议地点", 200)?,
            topic: text::required(&input.topic, "topic", "会议主题", 200)?,
            content: text::required(&input.content, "content", "会议内容与决议", 20000)?,
            presenter: text::optional_name(input.presenter.as_deref(), "presenter", "主持人", 100)?,
            recorder: text::optional_name(input.recorder.as_deref(), "recorder", "记录人", 100)?,
            speaker: text::optional_name(input.speaker.as_deref(), "speaker", "主讲人", 100)?,
            invitees: text::optional(input.invitees.as_deref(), "invitees", "列席人员", 500)?,
            group_id: input.group_id,
            present: input.attendee_ids,
            absent: input.absentees,
            files: input.file_ids.unwrap_or_default(),
        })
    }
}

/// Names a member in a refusal: the roster's name, else the member's if the actor's scope
/// holds them or they left this branch, else the id alone (an outsider is not named).
async fn namer<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    branch: &OrgInfo,
    roster: &[(MemberId, String)],
    ids: &[MemberId],
) -> Result<HashMap<MemberId, String>, AppError> {
    let mut names: HashMap<MemberId, String> =
        roster.iter().map(|(m, n)| (*m, format!("“{n}”"))).collect();
    for id in ids {
        if names.contains_key(id) {
            continue;
        }
        // Unscoped: named only when the actor's scope reaches them or they left this branch.
        let name = match tuanwu_store::member::of_record(c, *id).await? {
            Some(m)
                if actor.scope().contains(c, m.org_id).await?
                    || store::left(c, *id, branch.id).await? =>
            {
                format!("“{}”（编号{}）", m.name, id.0)
            }
            _ => format!("编号为{}的团员", id.0),
        };
        names.insert(*id, name);
    }
    Ok(names)
}

/// Every check of MTG-1 on one record of `branch`, in the caller's transaction; returns what
/// the store writes. `kept_files` are attachments already on the record (an edit keeps them
/// whoever uploaded them).
/// `actor` is `None` for the demo's records (the same checks, no one to name outsiders to and
/// no uploads); `created_by` is who the record says entered it.
pub(crate) async fn checked<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: Option<&Actor>,
    created_by: tuanwu_domain::AccountId,
    branch: &OrgInfo,
    f: Fields,
    kept_files: &[FileId],
) -> Result<NewMeeting, AppError> {
    if f.started_at > ctx.clock.now() {
        return Err(DomainError::new(
            "meeting_in_future",
            "会议开始时间在将来：只能登记已经召开的会议，请在会后再登记",
        )
        .rule("MTG-1")
        .field("started_at")
        .into());
    }
    match (f.kind, f.group_id) {
        (MeetingKind::Group, None) => {
            return Err(
                DomainError::new("group_required", "团小组会请选择召开会议的团小组")
                    .rule("MTG-1")
                    .field("group_id")
                    .into(),
            )
        }
        (k, Some(_)) if k != MeetingKind::Group => {
            return Err(DomainError::new(
                "group_not_applicable",
                format!(
                    "“{}”不属于某个团小组：只有团小组会需要选择团小组",
                    k.label()
                ),
            )
            .rule("MTG-1")
            .field("group_id")
            .into())
        }
        (_, Some(g)) => {
            // The group must be a live group of this very branch (GRP-1).
            let group = tuanwu_store::group::find(
                c,
                tuanwu_store::Scope::Subtree(branch.id),
                tuanwu_domain::GroupId(g),
            )
            .await?;
            if group.is_none_or(|g| g.branch != branch.id) {
                return Err(DomainError::new(
                    "group_not_in_branch",
                    format!(
                        "“{}”没有编号为{g}的团小组：请从本团支部的团小组中选择",
                        branch.name
                    ),
                )
                .rule("MTG-1")
                .field("group_id")
                .into());
            }
        }
        _ => {}
    }
    let mut absent = Vec::with_capacity(f.absent.len());
    for a in &f.absent {
        let reason = text::optional(a.reason.as_deref(), "absentees", "缺席原因", 200)?;
        absent.push((MemberId(a.member_id), reason));
    }
    let roll = Roll {
        present: f.present.iter().copied().map(MemberId).collect(),
        absent,
    };
    let roster = store::roster(c, branch.id, f.started_at).await?;
    let attendees = match roll.check(f.kind, &roster) {
        Ok(a) => a,
        Err(e) => {
            let mut ids: Vec<MemberId> = roll.present.clone();
            ids.extend(roll.absent.iter().map(|(m, _)| *m));
            let names = match actor {
                Some(actor) => namer(c, actor, branch, &roster, &ids).await?,
                None => roster.iter().map(|(m, n)| (*m, format!("“{n}”"))).collect(),
            };
            return Err(e
                .into_domain(|m| {
                    names
                        .get(&m)
                        .cloned()
                        .unwrap_or_else(|| format!("编号为{m}的团员"))
                })
                .into());
        }
    };
    let new_files: Vec<i64> = f
        .files
        .iter()
        .copied()
        .filter(|id| !kept_files.contains(&FileId(*id)))
        .collect();
    if !new_files.is_empty() {
        let Some(actor) = actor else {
            return Err(DomainError::new("unknown_file", "附件须由登记人本人上传")
                .field("file_ids")
                .into());
        };
        crate::file::own_files(ctx, actor, &new_files).await?;
    }
    let mut files: Vec<FileId> = Vec::new();
    for id in f.files {
        if !files.contains(&FileId(id)) {
            files.push(FileId(id));
        }
    }
    Ok(NewMeeting {
        org: branch.id,
        kind: f.kind,
        started_at: f.started_at,
        place: f.place,
        topic: f.topic,
        content: f.content,
        presenter: f.presenter,
        recorder: f.recorder,
        speaker: f.speaker,
        invitees: f.invitees,
        group_id: f.group_id,
        attendees,
        files,
        created_by,
        created_at: ctx.clock.now(),
    })
}
