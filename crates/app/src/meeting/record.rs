//! MTG-1, MTG-2: recording a held meeting, and editing it (the branch admin or above).

use sea_orm::ConnectionTrait;
use serde_json::json;
use tuanwu_domain::meeting::{Meeting, MeetingStep};
use tuanwu_domain::{MeetingId, OrgId};
use tuanwu_store::meeting as store;

use super::input::{checked, Fields, MeetingInput, MeetingPatch};
use super::rules::{branch_in_scope, visible, OrgInfo};
use super::view::{meeting_view, MeetingView};
use crate::grant::needs::{self, Write};
use crate::history::{self, Step, Subject};
use crate::{Actor, AppError, Context};

/// What the audit row records: the record's gist and its derived counts.
pub(crate) fn summary(m: &Meeting) -> serde_json::Value {
    let a = m.attendance();
    json!({
        "org_id": m.org.0,
        "kind": m.kind.key(),
        "started_at": crate::audit::format_time(m.started_at),
        "topic": m.topic,
        "due_count": a.due,
        "present_count": a.present,
        "absent_count": a.absent,
        "deleted": m.deleted,
    })
}

pub async fn create(
    ctx: &Context,
    actor: &Actor,
    branch: OrgId,
    input: MeetingInput,
) -> Result<MeetingView, AppError> {
    let tx = ctx.db.write().await?;
    let b = branch_in_scope(&*tx, actor, branch).await?;
    needs::require(actor, Write::RecordMeeting)?;
    let fields = Fields::of(input)?;
    let new = checked(ctx, &*tx, Some(actor), actor.account(), &b, fields, &[]).await?;
    let m = store::insert(&*tx, new).await?;
    history::record(
        ctx,
        &*tx,
        Some(actor),
        Step::new(Subject::Meeting(m.id), MeetingStep::Record.key(), m.org.0).after(summary(&m)),
    )
    .await?;
    tx.commit().await?;
    meeting_view(ctx, actor, m).await
}

fn merged(m: &Meeting, p: MeetingPatch) -> MeetingInput {
    let keep = |new: Option<String>, old: &Option<String>| new.or_else(|| old.clone());
    let roll_given = p.attendee_ids.is_some() || p.absentees.is_some();
    MeetingInput {
        kind: p.kind.unwrap_or_else(|| m.kind.key().into()),
        started_at: p
            .started_at
            .unwrap_or_else(|| crate::audit::format_time(m.started_at)),
        place: p.place.unwrap_or_else(|| m.place.clone()),
        topic: p.topic.unwrap_or_else(|| m.topic.clone()),
        content: p.content.unwrap_or_else(|| m.content.clone()),
        presenter: keep(p.presenter, &m.presenter),
        recorder: keep(p.recorder, &m.recorder),
        speaker: keep(p.speaker, &m.speaker),
        invitees: keep(p.invitees, &m.invitees),
        attendee_ids: if roll_given {
            p.attendee_ids.unwrap_or_default()
        } else {
            m.attendees
                .iter()
                .filter(|a| a.present)
                .map(|a| a.member.0)
                .collect()
        },
        absentees: if roll_given {
            p.absentees.unwrap_or_default()
        } else {
            m.attendees
                .iter()
                .filter(|a| !a.present)
                .map(|a| super::input::AbsenteeInput {
                    member_id: a.member.0,
                    reason: a.absence_reason.clone(),
                })
                .collect()
        },
        group_id: p.group_id.or(m.group_id),
        file_ids: Some(
            p.file_ids
                .unwrap_or_else(|| m.files.iter().map(|f| f.0).collect()),
        ),
    }
}

/// MTG-2: the branch admin corrects a record; every check is made again on the result.
pub async fn edit(
    ctx: &Context,
    actor: &Actor,
    id: MeetingId,
    patch: MeetingPatch,
) -> Result<MeetingView, AppError> {
    let tx = ctx.db.write().await?;
    let m = visible(&*tx, actor, id).await?;
    needs::require(actor, Write::RecordMeeting)?;
    if m.deleted {
        return Err(deleted_conflict());
    }
    let b = branch_in_scope(&*tx, actor, m.org).await?;
    let input = merged(&m, patch);
    let fields = Fields::of(input)?;
    let change = checked(ctx, &*tx, Some(actor), m.created_by, &b, fields, &m.files).await?;
    if !store::update(&*tx, id, change, ctx.clock.now()).await? {
        return Err(deleted_conflict());
    }
    let after = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    history::record(
        ctx,
        &*tx,
        Some(actor),
        Step::new(Subject::Meeting(id), MeetingStep::Edit.key(), m.org.0).after(summary(&after)),
    )
    .await?;
    tx.commit().await?;
    meeting_view(ctx, actor, after).await
}

/// Demo data: a record entered for `branch` by the account `by`, through every check a record
/// entered by hand passes, with its history step (no audit row: no one logged in made it).
pub(crate) async fn record_for_demo<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    branch: OrgInfo,
    by: tuanwu_domain::AccountId,
    input: MeetingInput,
) -> Result<Meeting, AppError> {
    let fields = Fields::of(input)?;
    let new = checked(ctx, c, None, by, &branch, fields, &[]).await?;
    let m = store::insert(c, new).await?;
    history::record(
        ctx,
        c,
        None,
        Step::new(Subject::Meeting(m.id), MeetingStep::Record.key(), m.org.0).shown_as("演示数据"),
    )
    .await?;
    Ok(m)
}

pub(crate) fn deleted_conflict() -> AppError {
    AppError::Conflict {
        code: "meeting_deleted",
        message: "这条会议记录已被删除：如需修改，请先请上级组织恢复".into(),
        rule: Some("MTG-2"),
        field: None,
    }
}

/// Restoring a live record: someone restored it first, or it was never deleted.
pub(crate) fn not_deleted() -> AppError {
    AppError::Conflict {
        code: "meeting_not_deleted",
        message: "这条会议记录没有被删除（可能已被他人恢复），无需恢复".into(),
        rule: Some("MTG-2"),
        field: None,
    }
}
