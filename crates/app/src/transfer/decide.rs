//! TRF-4, TRF-6, TRF-9: approving (the member moves in the same transaction), rejecting with a
//! reason, cancelling by the initiator or the member, and recording an external report. Each
//! step moves the transfer only from the state it expects: a second decision gets 409.

use sea_orm::ConnectionTrait;
use serde::Deserialize;
use tuanwu_domain::member::MemberStatus;
use tuanwu_domain::transfer::{Decision, Transfer, TransferKind, TransferStatus, TransferStep};
use tuanwu_domain::{DomainError, FileId, MemberId, TransferId};
use tuanwu_store::transfer as store;
use utoipa::ToSchema;

use super::moves::{branch_for, leave, move_member};
use super::rules;
use super::view::{transfer_view, TransferView};
use crate::audit::{self, AuditAction, Change};
use crate::grant::needs::{self, Write};
use crate::history::{self, Step, Subject};
use crate::{Actor, AppError, Context};

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ApproveInput {
    /// Required when the target is not a branch: one of its branches (TRF-4).
    pub branch_id: Option<i64>,
    /// TRF-4: the approver checked the member's archives. Defaults to true; `false` refuses.
    pub archives_checked: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExternalReportInput {
    /// Proof of the member's report to the external system (`POST /api/v1/files`).
    pub file_id: i64,
}

fn conflict(e: DomainError) -> AppError {
    AppError::Conflict {
        code: e.code,
        message: e.message,
        rule: e.rule,
        field: None,
    }
}

/// Loads the transfer for the org that moves next; others get 404 (or 403 when they can see it).
async fn load_for_action<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: TransferId,
) -> Result<Transfer, AppError> {
    let t = store::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !t.status.is_active() {
        return Err(match t.status.approve() {
            Err(e) => conflict(e),
            Ok(_) => AppError::NotFound,
        });
    }
    if !rules::may_act(c, actor, &t).await? {
        return Err(AppError::forbidden(
            "这一步须由对方组织办理：请在进度中查看当前待哪一方处理，并联系对方",
        ));
    }
    needs::require(actor, Write::DecideTransfer)?;
    Ok(t)
}

/// Moves the transfer to `to` only if it is still in the state it was read in; the row count
/// tells who won a race. Then the step goes into its history and the audit log.
async fn transition<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    t: &Transfer,
    to: TransferStatus,
    step: TransferStep,
    note: Option<String>,
) -> Result<(), AppError> {
    let decision = (step != TransferStep::Cancel).then(|| Decision {
        by: actor.account(),
        at: ctx.clock.now(),
        reason: (step == TransferStep::Reject)
            .then(|| note.clone())
            .flatten(),
    });
    if !store::transition(c, t.id, t.status, to, decision).await? {
        return Err(conflict(
            DomainError::new(
                "transfer_not_pending",
                "该转接刚刚已被处理，不能再次处理：请刷新页面查看最新状态",
            )
            .rule("TRF-2"),
        ));
    }
    // FLT-2/3: a stay in a floating branch follows the transfer that starts or ends it.
    match to {
        TransferStatus::Completed => crate::floating::enter::on_completed(ctx, c, t).await?,
        TransferStatus::Rejected | TransferStatus::Cancelled => {
            crate::floating::enter::on_closed(c, t).await?
        }
        _ => {}
    }
    history::record(
        ctx,
        c,
        Some(actor),
        Step::new(Subject::Transfer(t.id), step.key(), t.source_org.0).note(note),
    )
    .await
}

pub(crate) fn refuse(code: &'static str, message: String, field: &'static str) -> AppError {
    DomainError::new(code, message)
        .rule("TRF-4")
        .field(field)
        .into()
}

async fn reload(ctx: &Context, actor: &Actor, id: TransferId) -> Result<TransferView, AppError> {
    let t = rules::visible(ctx.db.conn(), actor, id).await?;
    transfer_view(ctx, actor, t).await
}

pub async fn approve(
    ctx: &Context,
    actor: &Actor,
    id: TransferId,
    input: ApproveInput,
) -> Result<TransferView, AppError> {
    if input.archives_checked == Some(false) {
        return Err(refuse(
            "archives_not_checked",
            "审批前须确认已核对团员档案；档案缺失的，须有转出方的说明和团员登记表，否则请驳回"
                .into(),
            "archives_checked",
        ));
    }
    let tx = ctx.db.write().await?;
    let t = load_for_action(&*tx, actor, id).await?;
    if t.kind == TransferKind::External {
        return Err(conflict(
            DomainError::new(
                "external_needs_report",
                "转往北京/广东/福建的转接不经审批：团员在对方系统报到后，请登记报到证明完成转接",
            )
            .rule("TRF-9"),
        ));
    }
    let m = tuanwu_store::member::of_record(&*tx, t.member)
        .await?
        .ok_or(AppError::NotFound)?;
    if !m.is_active() || m.org_id != t.source_org {
        return Err(AppError::Conflict {
            code: "member_moved",
            message: format!("“{}”的组织关系在发起后已发生变化（已转到其他组织或已删除），此转接不能再通过：请驳回后按现状重新办理", m.name),
            rule: Some("TRF-2"),
            field: None,
        });
    }
    let now_status = t.status.approve().map_err(conflict)?;
    super::checks::handover_guard(&*tx, &m).await?;
    let touched = match t.kind {
        TransferKind::Internal => {
            let target =
                tuanwu_store::org::get(&*tx, tuanwu_domain::OrgId(t.target_org.map_or(0, |o| o.0)))
                    .await?
                    .ok_or(AppError::NotFound)?;
            let branch = branch_for(&*tx, &target, input.branch_id).await?;
            transition(
                ctx,
                &*tx,
                actor,
                &t,
                now_status,
                TransferStep::Approve,
                None,
            )
            .await?;
            store::place(&*tx, t.id, branch.id).await?;
            move_member(ctx, &*tx, &m, &branch).await?
        }
        _ => {
            transition(
                ctx,
                &*tx,
                actor,
                &t,
                now_status,
                TransferStep::Approve,
                None,
            )
            .await?;
            leave(ctx, &*tx, &m, MemberStatus::TransferredOut).await?
        }
    };
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::MemberTransfer, m.id.0)
            .org(m.org_id.0)
            .after(serde_json::json!({ "transfer_id": t.id.0 })),
    )
    .await?;
    tx.commit().await?;
    if let Some(a) = touched {
        ctx.actors.forget_account(a);
    }
    reload(ctx, actor, id).await
}

pub async fn reject(
    ctx: &Context,
    actor: &Actor,
    id: TransferId,
    reason: &str,
) -> Result<TransferView, AppError> {
    let tx = ctx.db.write().await?;
    let t = load_for_action(&*tx, actor, id).await?;
    let (to, reason) = t.status.reject(reason).map_err(|e| match e.code {
        "transfer_not_pending" => conflict(e),
        _ => e.into(),
    })?;
    transition(ctx, &*tx, actor, &t, to, TransferStep::Reject, Some(reason)).await?;
    tx.commit().await?;
    reload(ctx, actor, id).await
}

/// TRF-2: the initiator, or the member, withdraws an active transfer.
pub async fn cancel(
    ctx: &Context,
    actor: &Actor,
    id: TransferId,
) -> Result<TransferView, AppError> {
    let tx = ctx.db.write().await?;
    let t = rules::visible(&*tx, actor, id).await?;
    if !t.is_own(actor.account(), actor.member_id()) {
        return Err(AppError::forbidden("只有发起人或团员本人可以撤销转接申请"));
    }
    let to = t.status.cancel().map_err(conflict)?;
    transition(ctx, &*tx, actor, &t, to, TransferStep::Cancel, None).await?;
    tx.commit().await?;
    reload(ctx, actor, id).await
}

/// TRF-9: the member reported to the external system; an admin on the source side records the
/// proof and the transfer completes.
pub async fn external_report(
    ctx: &Context,
    actor: &Actor,
    id: TransferId,
    input: ExternalReportInput,
) -> Result<TransferView, AppError> {
    crate::file::own_files(ctx, actor, &[input.file_id]).await?;
    let tx = ctx.db.write().await?;
    let t = load_for_action(&*tx, actor, id).await?;
    let to = t.status.report().map_err(|_| {
        conflict(
            DomainError::new(
                "not_external",
                "只有转往北京/广东/福建的转接需要登记报到证明",
            )
            .rule("TRF-9"),
        )
    })?;
    let m = tuanwu_store::member::of_record(&*tx, t.member)
        .await?
        .ok_or(AppError::NotFound)?;
    if m.is_active() {
        super::checks::handover_guard(&*tx, &m).await?;
    }
    transition(ctx, &*tx, actor, &t, to, TransferStep::Report, None).await?;
    store::attach_proof(&*tx, t.id, FileId(input.file_id)).await?;
    let touched = if m.is_active() {
        leave(ctx, &*tx, &m, MemberStatus::TransferredOut).await?
    } else {
        None
    };
    tx.commit().await?;
    if let Some(a) = touched {
        ctx.actors.forget_account(a);
    }
    reload(ctx, actor, id).await
}

/// MEM-7: a deleted record's active transfer ends with it, withdrawn with the reason on record.
pub(crate) async fn close_for_deleted<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    member_id: i64,
) -> Result<(), AppError> {
    if let Some(t) = store::active_of(c, MemberId(member_id)).await? {
        let to = t.status.cancel().map_err(conflict)?;
        transition(
            ctx,
            c,
            actor,
            &t,
            to,
            TransferStep::Cancel,
            Some("团员记录已被删除，转接随之撤销".into()),
        )
        .await?;
    }
    Ok(())
}
