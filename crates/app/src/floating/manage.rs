//! FLT-3 / FLT-4: extending a stay once, the contact log, and the obligation steps an admin
//! confirms.

use serde::Deserialize;
use time::Date;
use tuanwu_domain::account::Permission;
use tuanwu_domain::floating::{deadline, FloatingRecord, NewContact, Step};
use tuanwu_domain::member::MemberStatus;
use tuanwu_domain::{text, DomainError, FloatingId};
use tuanwu_store::floating as store;
use utoipa::ToSchema;

use super::read::get;
use super::rules::{may_confirm, may_extend, may_log_contact, refuse};
use super::view::FloatingView;
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtendInput {
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactInput {
    /// YYYY-MM-DD (not in the future).
    pub contacted_on: String,
    /// How and what: 电话联系，已在准备考研…
    pub note: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StepInput {
    /// `suspend` (停止团籍) | `remove` (除名): only the step the system proposes.
    pub step: String,
}

/// The record, for an admin whose scope holds its floating branch.
async fn load(ctx: &Context, actor: &Actor, id: FloatingId) -> Result<FloatingRecord, AppError> {
    store::find(ctx.db.conn(), actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// FLT-3: once, to a year from entry, with a reason.
pub async fn extend(
    ctx: &Context,
    actor: &Actor,
    id: FloatingId,
    input: ExtendInput,
) -> Result<FloatingView, AppError> {
    actor.require(Permission::Members)?;
    let reason =
        text::required(&input.reason, "reason", "延长理由", 500).map_err(|e| e.rule("FLT-3"))?;
    let r = load(ctx, actor, id).await?;
    let entered = may_extend(actor, &r)?;
    let tx = ctx.db.write().await?;
    if !store::extend(&*tx, r.id, reason.clone(), deadline(entered, true)).await? {
        return Err(refuse("already_extended", "保留期刚刚已被延长", "FLT-3"));
    }
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::FloatingExtend, r.id.0)
            .org(r.branch.0)
            .after(serde_json::json!({ "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// FLT-4: a contact with the member; the newest one restarts the year.
pub async fn add_contact(
    ctx: &Context,
    actor: &Actor,
    id: FloatingId,
    input: ContactInput,
) -> Result<FloatingView, AppError> {
    // ACC-4: the contact log is member work, like the extension beside it.
    actor.require(Permission::Members)?;
    let note = text::required(&input.note, "note", "联系情况", 500).map_err(|e| e.rule("FLT-4"))?;
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let on = Date::parse(input.contacted_on.trim(), &fmt).map_err(|_| {
        AppError::from(
            DomainError::new("invalid_date", "联系日期格式应为 2026-12-01")
                .rule("FLT-4")
                .field("contacted_on"),
        )
    })?;
    if on > ctx.clock.today() {
        return Err(
            DomainError::new("contact_in_future", "联系日期不能晚于今天")
                .rule("FLT-4")
                .field("contacted_on")
                .into(),
        );
    }
    let r = load(ctx, actor, id).await?;
    may_log_contact(actor, &r)?;
    let tx = ctx.db.write().await?;
    store::add_contact(
        &*tx,
        NewContact {
            record: r.id,
            contacted_on: on,
            note,
            recorded_by: actor.account(),
            created_at: ctx.clock.now(),
        },
    )
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::FloatingContact, r.id.0)
            .org(r.branch.0)
            .after(serde_json::json!({ "contacted_on": on.to_string() })),
    )
    .await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// FLT-4: an admin confirms the step the system proposes; nothing is applied otherwise.
pub async fn confirm_step(
    ctx: &Context,
    actor: &Actor,
    id: FloatingId,
    input: StepInput,
) -> Result<FloatingView, AppError> {
    actor.require_full()?;
    let r = load(ctx, actor, id).await?;
    let today = ctx.clock.today();
    let asked = Step::parse(&input.step)?;
    may_confirm(actor, &r, today, asked)?;
    let tx = ctx.db.write().await?;
    if !store::take_step(&*tx, r.id, r.status, asked, today).await? {
        return Err(refuse(
            "floating_changed",
            "该记录刚刚已被处理：请刷新页面",
            "FLT-4",
        ));
    }
    let touched = if asked == Step::Remove {
        let m = tuanwu_store::member::of_record(&*tx, r.member)
            .await?
            .ok_or(AppError::NotFound)?;
        crate::transfer::moves::leave(ctx, &*tx, &m, MemberStatus::Removed).await?
    } else {
        None
    };
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::floating(asked), r.id.0).org(r.branch.0),
    )
    .await?;
    tx.commit().await?;
    if let Some(a) = touched {
        ctx.actors.forget_account(a);
    }
    get(ctx, actor, id).await
}
