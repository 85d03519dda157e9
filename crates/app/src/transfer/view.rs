//! A transfer as both sides see it (TRF-8): who started it, whose move it is, how long it has
//! waited, and what the viewer may do now.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use tuanwu_domain::mask::mask_resident_id;
use tuanwu_domain::org::ExternalSystem;
use tuanwu_domain::transfer::{days_waiting, TransferReason};
use tuanwu_store::entity::{letter, member, transfer, transfer_event};
use tuanwu_store::queries;
use utoipa::ToSchema;

use super::{may_act, parts, pending_org};
use crate::audit::format_time;
use crate::clock::CST;
use crate::member::view::decrypt_resident_id;
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransferEventView {
    pub at: String,
    pub actor_name: String,
    /// `start` | `approve` | `reject` | `cancel` | `report`.
    pub action: String,
    pub action_label: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransferView {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub student_no: Option<String>,
    /// Masked.
    pub resident_id: String,
    /// `internal` | `special_unit` | `external`.
    pub kind: String,
    pub kind_label: String,
    /// `pending` | `awaiting_report` | `completed` | `rejected` | `cancelled`.
    pub status: String,
    pub status_label: String,
    /// `member` | `source` | `target` (TRF-1).
    pub initiator: String,
    pub initiator_label: String,
    pub initiator_name: String,
    pub source_org: Option<OrgRef>,
    pub target_org: Option<OrgRef>,
    /// The branch the member was placed in (TRF-4).
    pub assigned_branch: Option<OrgRef>,
    pub external_system: Option<String>,
    pub external_system_label: Option<String>,
    /// TRF-6: 去向单位名称.
    pub special_destination: Option<String>,
    pub reason: String,
    pub reason_label: String,
    pub note: Option<String>,
    pub decision_reason: Option<String>,
    pub archives_checked: bool,
    pub created_at: String,
    pub decided_at: Option<String>,
    /// Days since it started (for active ones, how long it has waited).
    pub days_waiting: i64,
    /// Whose move it is while active: `target` | `source` | `province` | `external_report`.
    pub pending_party: Option<String>,
    pub pending_party_label: Option<String>,
    pub pending_org: Option<OrgRef>,
    /// Active longer than the configured limit (default 10 days).
    pub overdue: bool,
    /// The viewer may approve / reject (or record the external report) now.
    pub can_decide: bool,
    pub can_cancel: bool,
    pub proof_file_id: Option<i64>,
    /// TRF-13: the transfer letter issued for it, if any.
    pub letter_id: Option<i64>,
    pub letter_number: Option<String>,
    pub history: Vec<TransferEventView>,
}

fn action_label(a: &str) -> &'static str {
    match a {
        "start" => "发起转接",
        "approve" => "审批通过",
        "reject" => "驳回",
        "cancel" => "撤销申请",
        "report" => "登记外部系统报到",
        _ => "处理",
    }
}

async fn org_ref<C: sea_orm::ConnectionTrait>(
    c: &C,
    id: Option<i64>,
) -> Result<Option<OrgRef>, AppError> {
    let Some(id) = id else { return Ok(None) };
    Ok(queries::org::find(c, id).await?.map(|o| OrgRef {
        id: o.id,
        name: o.name,
        path: o.path,
    }))
}

pub async fn transfer_view(
    ctx: &Context,
    actor: &Actor,
    t: transfer::Model,
) -> Result<TransferView, AppError> {
    let c = ctx.db.conn();
    let (kind, status, initiator) = parts(&t)?;
    let m: Option<member::Model> = queries::member::find(c, t.member_id).await?;
    let history = transfer_event::Entity::find()
        .filter(transfer_event::Column::TransferId.eq(t.id))
        .order_by_asc(transfer_event::Column::Id)
        .all(c)
        .await?;
    let pending = pending_org(c, &t).await?;
    let issued = letter::Entity::find()
        .filter(letter::Column::TransferId.eq(t.id))
        .one(c)
        .await?;
    let started = t.created_at.to_offset(CST).date();
    let until = match t.decided_at {
        Some(d) if !status.is_active() => d.to_offset(CST).date(),
        _ => ctx.clock.today(),
    };
    let waited = days_waiting(started, until);
    let can_decide = may_act(c, actor, &t).await?;
    let can_cancel = status.is_active()
        && (t.initiator_account_id == Some(actor.account.0)
            || actor.member_id.is_some_and(|id| id.0 == t.member_id));
    let external = t
        .external_system
        .as_deref()
        .and_then(|e| ExternalSystem::parse(e).ok());
    Ok(TransferView {
        id: t.id,
        member_id: t.member_id,
        member_name: m.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
        student_no: m.as_ref().and_then(|m| m.student_no.clone()),
        resident_id: m
            .as_ref()
            .map(|m| mask_resident_id(&decrypt_resident_id(&ctx.cipher, m)))
            .unwrap_or_default(),
        kind: kind.key().into(),
        kind_label: kind.label().into(),
        status: status.key().into(),
        status_label: status.label().into(),
        initiator: initiator.key().into(),
        initiator_label: initiator.label().into(),
        initiator_name: t.initiator_name.clone(),
        source_org: org_ref(c, Some(t.source_org_id)).await?,
        target_org: org_ref(c, t.target_org_id).await?,
        assigned_branch: org_ref(c, t.assigned_branch_id).await?,
        external_system: external.map(|e| e.key().into()),
        external_system_label: external.map(|e| e.label().into()),
        special_destination: t.special_destination.clone(),
        reason_label: TransferReason::parse(&t.reason)
            .map(|r| r.label())
            .unwrap_or_default()
            .into(),
        reason: t.reason.clone(),
        note: t.note.clone(),
        decision_reason: t.decision_reason.clone(),
        archives_checked: t.archives_checked,
        created_at: format_time(t.created_at),
        decided_at: t.decided_at.map(format_time),
        days_waiting: waited,
        pending_party: pending.map(|(p, _)| p.key().into()),
        pending_party_label: pending.map(|(p, _)| p.label().into()),
        pending_org: org_ref(c, pending.map(|(_, o)| o)).await?,
        overdue: status.is_active() && waited > ctx.policy.transfer_overdue_days,
        can_decide,
        can_cancel,
        proof_file_id: t.proof_file_id,
        letter_id: issued.as_ref().map(|l| l.id),
        letter_number: issued.map(|l| l.number),
        history: history
            .into_iter()
            .map(|e| TransferEventView {
                at: format_time(e.at),
                action_label: action_label(&e.action).into(),
                actor_name: e.actor_name,
                action: e.action,
                note: e.note,
            })
            .collect(),
    })
}
