//! EVT-2: a member signs up for an event, or cancels, in the member role, until the deadline.

use sea_orm::ConnectionTrait;
use tuanwu_domain::event::Event;
use tuanwu_domain::{DomainError, EventId, MemberId};
use tuanwu_store::event as store;

use super::read::{local, view, EventView};
use crate::actor::RoleKind;
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

/// The member acting as member, and the event their scope reaches.
async fn load<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: EventId,
) -> Result<(MemberId, Event), AppError> {
    let member = match (actor.role_kind(), actor.member_id()) {
        (RoleKind::Member, Some(m)) => m,
        _ => {
            return Err(AppError::forbidden(
                "报名须以团员身份进行：请切换到团员角色后再报名或取消",
            ))
        }
    };
    let e = store::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((member, e))
}

fn closed(e: &Event) -> AppError {
    DomainError::new(
        "signup_closed",
        format!(
            "“{}”的报名已于{}截止：不能再报名或取消",
            e.title,
            local(e.signup_deadline)
        ),
    )
    .rule("EVT-2")
    .into()
}

pub async fn sign_up(ctx: &Context, actor: &Actor, id: EventId) -> Result<EventView, AppError> {
    let now = ctx.clock.now();
    let tx = ctx.db.write().await?;
    let (member, e) = load(&*tx, actor, id).await?;
    if !store::in_audience(&*tx, &e, member).await? {
        return Err(DomainError::new(
            "not_in_audience",
            format!(
                "“{}”只面向{}：您不在报名范围内",
                e.title,
                e.audience.label()
            ),
        )
        .rule("EVT-2")
        .into());
    }
    if !e.open_at(now) {
        return Err(closed(&e));
    }
    if !store::signed_up(&*tx, member, &[id]).await?.is_empty() {
        return Err(AppError::Conflict {
            code: "already_signed_up",
            message: format!("您已报名“{}”，无需重复报名", e.title),
            rule: Some("EVT-2"),
            field: None,
        });
    }
    if !store::take_seat(&*tx, id).await? {
        // Full (perhaps just now, by a sign-up that took the last seat first): a conflict.
        let full = e.full_error();
        return Err(AppError::Conflict {
            code: full.code,
            message: full.message,
            rule: full.rule,
            field: None,
        });
    }
    store::add_signup(&*tx, id, member, now).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::EventSignUp, id.0)
            .org(e.org.0)
            .after(serde_json::json!({ "title": e.title, "member_id": member.0 })),
    )
    .await?;
    let e = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let v = view(ctx, &*tx, actor, e, true).await?;
    tx.commit().await?;
    Ok(v)
}

pub async fn cancel(ctx: &Context, actor: &Actor, id: EventId) -> Result<EventView, AppError> {
    let now = ctx.clock.now();
    let tx = ctx.db.write().await?;
    let (member, e) = load(&*tx, actor, id).await?;
    if !e.open_at(now) {
        return Err(closed(&e));
    }
    if !store::remove_signup(&*tx, id, member).await? {
        return Err(DomainError::new(
            "not_signed_up",
            format!("您没有报名“{}”，无需取消", e.title),
        )
        .rule("EVT-2")
        .into());
    }
    store::free_seat(&*tx, id).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::EventCancelSignup, id.0)
            .org(e.org.0)
            .before(serde_json::json!({ "title": e.title, "member_id": member.0 })),
    )
    .await?;
    let e = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let v = view(ctx, &*tx, actor, e, false).await?;
    tx.commit().await?;
    Ok(v)
}
