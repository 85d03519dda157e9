//! Approving (which applies the change in the same transaction), rejecting with a reason, and
//! cancelling. Each moves the request only from 待审批: a second decision gets 409.

use sea_orm::ConnectionTrait;
use serde::Deserialize;
use serde_json::json;
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::account::Permission;
use tuanwu_domain::member::{DevelopmentNo, MemberChanges, MemberStatus, PersonName};
use tuanwu_domain::request::{
    Decision, Request, RequestChanges, RequestKind, RequestStatus, RequestStep,
};
use tuanwu_domain::{DomainError, RequestId, ResidentId, YearMonth};
use tuanwu_store::db::unique_violation;

use tuanwu_store::member as members;

use tuanwu_store::request as store;
use utoipa::ToSchema;

use super::rules::{may_cancel, may_decide, visible};
use super::view::{request_view, RequestView};
use crate::audit::{self, AuditAction, Change};
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
        field: None,
    }
}

/// Moves `pending` → `to` only if it is still pending; the row count tells who won a race.
async fn transition<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    r: &Request,
    to: RequestStatus,
    note: Option<String>,
) -> Result<(), AppError> {
    let decision = (to != RequestStatus::Cancelled).then(|| Decision {
        by: actor.account(),
        at: ctx.clock.now(),
        reason: note.clone(),
    });
    if !store::transition(c, r.id, RequestStatus::Pending, to, decision).await? {
        return Err(conflict(
            DomainError::new(
                "request_not_pending",
                "该申请刚刚已被处理，不能再次处理：请刷新页面查看最新状态",
            )
            .rule("SYS-3"),
        ));
    }
    let step = RequestStep::into_status(to)
        .ok_or_else(|| AppError::Internal("a request never moves back to pending".into()))?;
    history::record(
        ctx,
        c,
        Some(actor),
        Step::new(history::Subject::Request(r.id), step.key(), r.org.0).note(note),
    )
    .await
}

async fn load_for_decision<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: RequestId,
) -> Result<Request, AppError> {
    actor.require(Permission::Requests)?;
    let r = visible(c, actor, id).await?;
    if !may_decide(c, actor, &r).await? {
        return Err(if r.is_own(actor.account()) {
            AppError::forbidden("不能审批自己提交的申请：须由上级组织审批")
        } else {
            AppError::NotFound
        });
    }
    r.status.approve().map_err(conflict)?;
    Ok(r)
}

fn taken(e: sea_orm::DbErr) -> AppError {
    match unique_violation(&e) {
        Some(_) => AppError::Conflict {
            code: "value_taken",
            message: "申请中的身份证号或发展团员编号在提交后已被其他记录使用：请驳回此申请并核实"
                .into(),
            rule: Some("SYS-3"),
            field: None,
        },
        None => e.into(),
    }
}

/// Applies an approved request to the member record, in the caller's transaction.
async fn apply<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    r: &Request,
) -> Result<(), AppError> {
    let changes_of_request = store::changes(c, &ctx.cipher, r).await?;
    // These areas still read their change as a JSON object (the stored content, unchanged).
    let ch = changes_of_request.content();
    match &changes_of_request {
        RequestChanges::MemberRegistration(_) => {
            return crate::member::register::approve(ctx, c, actor, &ch).await
        }
        RequestChanges::ArchiveReview(_) => {
            return crate::archive::review::approve(c, &ch, ctx.clock.now()).await
        }
        RequestChanges::GraduationChange(_) => {
            return crate::graduation::change::apply_change(ctx, c, actor, r, &ch).await
        }
        _ => {}
    }
    let member_id = r.member.ok_or(AppError::NotFound)?;
    let m = members::of_record(c, member_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !m.is_active() {
        return Err(AppError::Conflict {
            code: "member_not_active",
            message: format!("“{}”的团员记录已被删除，此申请不能再生效：请驳回", m.name),
            rule: Some("SYS-3"),
            field: None,
        });
    }
    let before = MemberAudit::of(&m, &ctx.cipher);
    let mut changes = MemberChanges::default();
    let deleted = matches!(changes_of_request, RequestChanges::MemberDeletion(_));
    match changes_of_request {
        RequestChanges::MemberCorrection(ch) => {
            if let Some(name) = &ch.name {
                let name = PersonName::parse(name)?;
                tuanwu_store::account::rename_of_member(c, m.id, name.as_str()).await?;
                changes.name = Some(name);
            }
            if let Some(rid) = &ch.resident_id {
                changes.resident_id = Some(ResidentId::parse(rid, ctx.clock.today())?);
            }
            if ch.changes_identity() {
                // ACC-9: a changed identity must be verified again.
                changes.identity = Some((IdentityCheck::Pending, None, None));
            }
            if let Some(j) = &ch.joined_on {
                changes.joined_on = Some(j.parse::<YearMonth>()?);
            }
            if let Some(no) = &ch.development_no {
                changes.development_no = Some(no.as_deref().map(DevelopmentNo::parse).transpose()?);
            }
        }
        RequestChanges::MemberDeletion(_) => {
            changes.status = Some(MemberStatus::Deleted);
            crate::group::leave_branch(c, m.id, ctx.clock.today()).await?;
            crate::transfer::decide::close_for_deleted(ctx, c, actor, m.id.0).await?;
            tuanwu_store::account::role::end_access_of_member(c, m.id).await?;
        }
        RequestChanges::DevelopmentNoConflict(claim) => {
            let number = DevelopmentNo::parse(&claim.development_no)?;
            if let Some(holder) = members::by_development_no(c, number.as_str()).await? {
                if holder.id != m.id {
                    let holder_before = MemberAudit::of(&holder, &ctx.cipher);
                    let release = MemberChanges {
                        development_no: Some(None),
                        ..MemberChanges::default()
                    };
                    let h =
                        members::update(c, &ctx.cipher, holder.id, None, &release, ctx.clock.now())
                            .await?
                            .ok_or(AppError::NotFound)?;
                    audit::record(
                        ctx,
                        c,
                        actor,
                        Change::new(AuditAction::MemberUpdate, holder.id.0)
                            .org(holder.org_id.0)
                            .before(holder_before)
                            .after(MemberAudit::of(&h, &ctx.cipher)),
                    )
                    .await?;
                }
            }
            changes.development_no = Some(Some(number));
        }
        // Applied above: they do not change an existing member record.
        RequestChanges::MemberRegistration(_)
        | RequestChanges::ArchiveReview(_)
        | RequestChanges::GraduationChange(_) => return Ok(()),
    }
    let updated = members::update(c, &ctx.cipher, m.id, None, &changes, ctx.clock.now())
        .await
        .map_err(taken)?
        .ok_or(AppError::NotFound)?;
    let action = if deleted {
        AuditAction::MemberDelete
    } else {
        AuditAction::MemberUpdate
    };
    audit::record(
        ctx,
        c,
        actor,
        Change::new(action, m.id.0)
            .org(m.org_id.0)
            .before(before)
            .after(
                json!({ "request_id": r.id.0, "record": MemberAudit::of(&updated, &ctx.cipher) }),
            ),
    )
    .await
}

/// ARC-3: a rejected or withdrawn archive review leaves the approved original in force.
async fn close_archive<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    r: &Request,
    status: &str,
) -> Result<(), AppError> {
    if r.kind != RequestKind::ArchiveReview {
        return Ok(());
    }
    let changes = store::changes(c, &ctx.cipher, r).await?;
    crate::archive::review::close(c, &changes.content(), status, ctx.clock.now()).await
}

/// The request as it stands after a step the actor took (and may no longer see otherwise).
async fn reread(ctx: &Context, actor: &Actor, id: RequestId) -> Result<RequestView, AppError> {
    let r = visible(ctx.db.conn(), actor, id).await?;
    request_view(ctx, actor, r).await
}

pub async fn approve(ctx: &Context, actor: &Actor, id: RequestId) -> Result<RequestView, AppError> {
    let tx = ctx.db.write().await?;
    let r = load_for_decision(&*tx, actor, id).await?;
    transition(ctx, &*tx, actor, &r, RequestStatus::Approved, None).await?;
    apply(ctx, &*tx, actor, &r).await?;
    tx.commit().await?;
    // A deleted member's sessions are gone; a corrected name shows at once.
    if let Some(member_id) = r.member {
        if let Some(a) = tuanwu_store::account::find_by_member(ctx.db.conn(), member_id).await? {
            ctx.actors.forget_account(a.id);
        }
    }
    reread(ctx, actor, id).await
}

pub async fn reject(
    ctx: &Context,
    actor: &Actor,
    id: RequestId,
    input: RejectInput,
) -> Result<RequestView, AppError> {
    let tx = ctx.db.write().await?;
    let r = load_for_decision(&*tx, actor, id).await?;
    let (to, reason) = r.status.reject(&input.reason)?;
    transition(ctx, &*tx, actor, &r, to, Some(reason)).await?;
    close_archive(ctx, &*tx, &r, "rejected").await?;
    tx.commit().await?;
    reread(ctx, actor, id).await
}

pub async fn cancel(ctx: &Context, actor: &Actor, id: RequestId) -> Result<RequestView, AppError> {
    let tx = ctx.db.write().await?;
    let r = visible(&*tx, actor, id).await?;
    if !may_cancel(actor, &r) {
        return Err(AppError::forbidden("只有提交人可以撤销申请"));
    }
    let to = r.status.cancel().map_err(conflict)?;
    transition(ctx, &*tx, actor, &r, to, None).await?;
    close_archive(ctx, &*tx, &r, "withdrawn").await?;
    tx.commit().await?;
    reread(ctx, actor, id).await
}
