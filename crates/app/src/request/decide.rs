//! Approving (which applies the change in the same transaction), rejecting with a reason, and
//! cancelling. Each moves the request only from 待审批: a second decision gets 409.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use serde_json::{json, Value};
use tuanwu_domain::request::{RequestKind, RequestStatus};
use tuanwu_domain::DomainError;
use tuanwu_store::db::unique_violation;
use tuanwu_store::entity::{account, member, request, role, session};
use tuanwu_store::queries;
use utoipa::ToSchema;

use super::view::{request_view, RequestView};
use crate::audit::{self, Change};
use crate::history::{self, Step};
use crate::member::view::MemberAudit;
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct RejectInput {
    pub reason: String,
}

fn conflict(e: DomainError) -> AppError {
    AppError::Conflict {
        code: e.code,
        message: e.message,
        rule: e.rule,
    }
}

/// Moves `pending` → `to` only if it is still pending; the row count tells who won a race.
async fn transition<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    r: &request::Model,
    to: RequestStatus,
    note: Option<String>,
) -> Result<(), AppError> {
    let now = ctx.clock.now();
    let mut q = request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(to.key()))
        .filter(request::Column::Id.eq(r.id))
        .filter(request::Column::Status.eq(RequestStatus::Pending.key()));
    if to != RequestStatus::Cancelled {
        q = q
            .col_expr(request::Column::DecidedAt, Expr::value(now))
            .col_expr(request::Column::DecidedBy, Expr::value(actor.account().0))
            .col_expr(request::Column::DecisionReason, Expr::value(note.clone()));
    }
    let done = q.exec(c).await?;
    if done.rows_affected != 1 {
        return Err(conflict(
            DomainError::new(
                "request_not_pending",
                "该申请刚刚已被处理，不能再次处理：请刷新页面查看最新状态",
            )
            .rule("SYS-3"),
        ));
    }
    let action = match to {
        RequestStatus::Approved => "approve",
        RequestStatus::Rejected => "reject",
        _ => "cancel",
    };
    history::record(
        ctx,
        c,
        Some(actor),
        Step::new(
            history::Subject::Request(tuanwu_domain::RequestId(r.id)),
            action,
            r.org_id,
        )
        .note(note),
    )
    .await
}

async fn load_for_decision<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: i64,
) -> Result<request::Model, AppError> {
    actor.require(tuanwu_domain::account::Permission::Requests)?;
    let r = request::Entity::find_by_id(id)
        .one(c)
        .await?
        .ok_or(AppError::NotFound)?;
    if !super::may_decide(c, actor, &r).await? {
        let may_see_as_requester = r.requester_account_id == Some(actor.account().0);
        return Err(if may_see_as_requester {
            AppError::forbidden("不能审批自己提交的申请：须由上级组织审批")
        } else {
            AppError::NotFound
        });
    }
    RequestStatus::parse(&r.status)?
        .approve()
        .map_err(conflict)?;
    Ok(r)
}

fn changes(ctx: &Context, r: &request::Model) -> Result<serde_json::Map<String, Value>, AppError> {
    ctx.cipher
        .decrypt(&r.changes_enc)
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .and_then(|v| v.as_object().cloned())
        .ok_or_else(|| AppError::Internal(format!("request {} changes unreadable", r.id)))
}

fn taken(e: sea_orm::DbErr) -> AppError {
    match unique_violation(&e) {
        Some(_) => AppError::Conflict {
            code: "value_taken",
            message: "申请中的身份证号或发展团员编号在提交后已被其他记录使用：请驳回此申请并核实"
                .into(),
            rule: Some("SYS-3"),
        },
        None => e.into(),
    }
}

/// Applies an approved request to the member record, in the caller's transaction.
async fn apply<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    r: &request::Model,
) -> Result<(), AppError> {
    let kind = RequestKind::parse(&r.kind)?;
    let ch = changes(ctx, r)?;
    match kind {
        RequestKind::MemberRegistration => {
            return crate::member::register::approve(ctx, c, actor, &ch).await
        }
        RequestKind::ArchiveReview => {
            return crate::archive::review::approve(c, &ch, ctx.clock.now()).await
        }
        RequestKind::GraduationChange => {
            return crate::graduation::change::apply_change(ctx, c, actor, r, &ch).await
        }
        _ => {}
    }
    let member_id = r.member_id.ok_or(AppError::NotFound)?;
    let m = queries::member::find(c, member_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if m.status != "active" {
        return Err(AppError::Conflict {
            code: "member_not_active",
            message: format!("“{}”的团员记录已被删除，此申请不能再生效：请驳回", m.name),
            rule: Some("SYS-3"),
        });
    }
    let before = MemberAudit::of(&m, &ctx.cipher);
    let mut a: member::ActiveModel = m.clone().into();
    let s = |k: &str| ch.get(k).and_then(Value::as_str).map(str::to_string);
    match kind {
        RequestKind::MemberCorrection => {
            if let Some(name) = s("name") {
                a.name = Set(name.clone());
                account::Entity::update_many()
                    .col_expr(account::Column::DisplayName, Expr::value(name))
                    .filter(account::Column::MemberId.eq(m.id))
                    .exec(c)
                    .await?;
            }
            if let Some(rid) = s("resident_id") {
                let parsed = tuanwu_domain::ResidentId::parse(&rid, ctx.clock.today())?;
                a.resident_id_enc = Set(ctx.cipher.encrypt(parsed.as_str()));
                a.resident_id_index = Set(ctx.cipher.blind_index(parsed.as_str()));
                a.gender = Set(parsed.gender().key().into());
                a.birth_date = Set(parsed.birth_date());
            }
            if ch.contains_key("name") || ch.contains_key("resident_id") {
                // ACC-9: a changed identity must be verified again.
                a.identity_check = Set("pending".into());
                a.identity_note = Set(None);
                a.identity_checked_at = Set(None);
            }
            if let Some(j) = s("joined_on") {
                a.joined_on = Set(j);
            }
            if ch.contains_key("development_no") {
                a.development_no = Set(s("development_no"));
            }
        }
        RequestKind::MemberDeletion => {
            a.status = Set("deleted".into());
            crate::transfer::decide::close_for_deleted(ctx, c, actor, m.id).await?;
            if let Some(acct) = queries::account::find_by_member(c, m.id).await? {
                role::Entity::delete_many()
                    .filter(role::Column::AccountId.eq(acct.id))
                    .exec(c)
                    .await?;
                session::Entity::delete_many()
                    .filter(session::Column::AccountId.eq(acct.id))
                    .exec(c)
                    .await?;
            }
        }
        RequestKind::DevelopmentNoConflict => {
            let number = s("development_no").unwrap_or_default();
            if let Some(holder) = queries::member::find_by_development_no(c, &number).await? {
                if holder.id != m.id {
                    let holder_before = MemberAudit::of(&holder, &ctx.cipher);
                    let mut h: member::ActiveModel = holder.clone().into();
                    h.development_no = Set(None);
                    h.updated_at = Set(ctx.clock.now());
                    let h = h.update(c).await?;
                    audit::record(
                        ctx,
                        c,
                        actor,
                        Change::new("member", holder.id, "update")
                            .org(holder.org_id)
                            .before(holder_before)
                            .after(MemberAudit::of(&h, &ctx.cipher)),
                    )
                    .await?;
                }
            }
            a.development_no = Set(Some(number));
        }
        // Applied above: they do not change an existing member record.
        RequestKind::MemberRegistration
        | RequestKind::ArchiveReview
        | RequestKind::GraduationChange => return Ok(()),
    }
    a.updated_at = Set(ctx.clock.now());
    let updated = a.update(c).await.map_err(taken)?;
    let action = if kind == RequestKind::MemberDeletion {
        "delete"
    } else {
        "update"
    };
    audit::record(
        ctx,
        c,
        actor,
        Change::new("member", m.id, action)
            .org(m.org_id)
            .before(before)
            .after(json!({ "request_id": r.id, "record": MemberAudit::of(&updated, &ctx.cipher) })),
    )
    .await
}

/// ARC-3: a rejected or withdrawn archive review leaves the approved original in force.
async fn close_archive<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    r: &request::Model,
    status: &str,
) -> Result<(), AppError> {
    if r.kind != RequestKind::ArchiveReview.key() {
        return Ok(());
    }
    crate::archive::review::close(c, &changes(ctx, r)?, status, ctx.clock.now()).await
}

pub async fn approve(ctx: &Context, actor: &Actor, id: i64) -> Result<RequestView, AppError> {
    let tx = ctx.db.write().await?;
    let r = load_for_decision(&*tx, actor, id).await?;
    transition(ctx, &*tx, actor, &r, RequestStatus::Approved, None).await?;
    apply(ctx, &*tx, actor, &r).await?;
    tx.commit().await?;
    // A deleted member's sessions are gone; a corrected name shows at once.
    if let Some(member_id) = r.member_id {
        if let Some(a) = queries::account::find_by_member(ctx.db.conn(), member_id).await? {
            ctx.actors.forget_account(a.id);
        }
    }
    let r = request::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    request_view(ctx, actor, r).await
}

pub async fn reject(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    input: RejectInput,
) -> Result<RequestView, AppError> {
    let tx = ctx.db.write().await?;
    let r = load_for_decision(&*tx, actor, id).await?;
    let (_, reason) = RequestStatus::parse(&r.status)?.reject(&input.reason)?;
    transition(ctx, &*tx, actor, &r, RequestStatus::Rejected, Some(reason)).await?;
    close_archive(ctx, &*tx, &r, "rejected").await?;
    tx.commit().await?;
    let r = request::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    request_view(ctx, actor, r).await
}

pub async fn cancel(ctx: &Context, actor: &Actor, id: i64) -> Result<RequestView, AppError> {
    let tx = ctx.db.write().await?;
    let r = request::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.requester_account_id != Some(actor.account().0) {
        return Err(if super::may_see(ctx, actor, &r).await? {
            AppError::forbidden("只有提交人可以撤销申请")
        } else {
            AppError::NotFound
        });
    }
    RequestStatus::parse(&r.status)?
        .cancel()
        .map_err(conflict)?;
    transition(ctx, &*tx, actor, &r, RequestStatus::Cancelled, None).await?;
    close_archive(ctx, &*tx, &r, "withdrawn").await?;
    tx.commit().await?;
    let r = request::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    request_view(ctx, actor, r).await
}
