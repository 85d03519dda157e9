//! MTG-2: a record entered by mistake is deleted directly by the branch admin (soft, audited;
//! no more moving its date into the future), and restored by the level above.

use tuanwu_domain::meeting::MeetingStep;
use tuanwu_domain::MeetingId;
use tuanwu_store::meeting as store;

use super::record::{deleted_conflict, not_deleted, summary};
use super::rules::{above, visible};
use super::view::{meeting_view, MeetingView};
use crate::grant::needs::{self, Write};
use crate::history::{self, Step, Subject};
use crate::{Actor, AppError, Context};

pub async fn delete(
    ctx: &Context,
    actor: &Actor,
    id: MeetingId,
    reason: Option<String>,
) -> Result<MeetingView, AppError> {
    let reason = tuanwu_domain::text::optional(reason.as_deref(), "reason", "删除原因", 500)?;
    let tx = ctx.db.write().await?;
    let m = visible(&*tx, actor, id).await?;
    needs::require(actor, Write::RecordMeeting)?;
    if m.deleted || !store::set_deleted(&*tx, id, true, ctx.clock.now()).await? {
        return Err(deleted_conflict());
    }
    let after = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The audit row carries the reason too: the log is where the level above reads why.
    let mut written = summary(&after);
    if let (Some(r), Some(o)) = (&reason, written.as_object_mut()) {
        o.insert("reason".into(), r.clone().into());
    }
    history::record(
        ctx,
        &*tx,
        Some(actor),
        Step::new(Subject::Meeting(id), MeetingStep::Delete.key(), m.org.0)
            .note(reason)
            .after(written),
    )
    .await?;
    tx.commit().await?;
    meeting_view(ctx, actor, after).await
}

pub async fn restore(ctx: &Context, actor: &Actor, id: MeetingId) -> Result<MeetingView, AppError> {
    let tx = ctx.db.write().await?;
    let m = visible(&*tx, actor, id).await?;
    needs::require(actor, Write::RestoreMeeting)?;
    if !above(&*tx, actor, m.org).await? {
        return Err(AppError::forbidden(
            "恢复会议记录须由上级组织的管理员操作：请联系上级团组织",
        ));
    }
    if !m.deleted || !store::set_deleted(&*tx, id, false, ctx.clock.now()).await? {
        return Err(not_deleted());
    }
    let after = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    history::record(
        ctx,
        &*tx,
        Some(actor),
        Step::new(Subject::Meeting(id), MeetingStep::Restore.key(), m.org.0).after(summary(&after)),
    )
    .await?;
    tx.commit().await?;
    meeting_view(ctx, actor, after).await
}
