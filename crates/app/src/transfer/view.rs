//! A transfer as both sides see it (TRF-8): who started it, whose move it is, how long it has
//! waited, and what the viewer may do now.

use serde::Serialize;
use tuanwu_domain::mask::mask_resident_id;
use tuanwu_domain::member::Member;
use tuanwu_domain::transfer::{days_waiting, Transfer, TransferKind, TransferStatus, TransferStep};
use tuanwu_domain::OrgId;
use tuanwu_store::history::{self, Subject};
use utoipa::ToSchema;

use super::rules::{pending_org, TransferActions};
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
    /// How the state reads at a glance (the page's tag colour).
    #[serde(skip)]
    pub tone: crate::tone::Tone,
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
    /// TRF-4: the transfer is a completed internal one, whose approval recorded whether the
    /// archives were checked (`archives_checked` is meaningful).
    pub archives_check_recorded: bool,
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
    /// Everything the viewer may do now, each checked again by the action itself.
    pub actions: TransferActions,
    pub proof_file_id: Option<i64>,
    /// TRF-13: the transfer letter issued for it, if any.
    pub letter_id: Option<i64>,
    pub letter_number: Option<String>,
    pub history: Vec<TransferEventView>,
}

async fn org_ref<C: sea_orm::ConnectionTrait>(
    c: &C,
    id: Option<OrgId>,
) -> Result<Option<OrgRef>, AppError> {
    let Some(id) = id else { return Ok(None) };
    Ok(tuanwu_store::org::get(c, id).await?.map(|o| OrgRef {
        id: o.id.0,
        name: o.name,
        path: o.path,
    }))
}

pub async fn transfer_view(
    ctx: &Context,
    actor: &Actor,
    t: Transfer,
) -> Result<TransferView, AppError> {
    let c = ctx.db.conn();
    let m: Option<Member> = tuanwu_store::member::of_record(c, t.member).await?;
    let history = history::of(c, Subject::Transfer(t.id)).await?;
    let pending = pending_org(c, &t).await?;
    let issued = tuanwu_store::letter::of_transfer(c, t.id).await?;
    let started = t.created_at.to_offset(CST).date();
    let until = match t.decided_at {
        Some(d) if !t.status.is_active() => d.to_offset(CST).date(),
        _ => ctx.clock.today(),
    };
    let waited = days_waiting(started, until);
    let actions = TransferActions::of(c, actor, &t, issued.is_some()).await?;
    Ok(TransferView {
        id: t.id.0,
        member_id: t.member.0,
        member_name: m.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
        student_no: m.as_ref().and_then(|m| m.student_no.clone()),
        resident_id: m
            .as_ref()
            .map(|m| mask_resident_id(&decrypt_resident_id(&ctx.cipher, m)))
            .unwrap_or_default(),
        kind: t.kind.key().into(),
        kind_label: t.kind.label().into(),
        status: t.status.key().into(),
        status_label: t.status.label().into(),
        tone: t.status.into(),
        initiator: t.initiator.key().into(),
        initiator_label: t.initiator.label().into(),
        initiator_name: t.initiator_name.clone(),
        source_org: org_ref(c, Some(t.source_org)).await?,
        target_org: org_ref(c, t.target_org).await?,
        assigned_branch: org_ref(c, t.assigned_branch).await?,
        external_system: t.external_system.map(|e| e.key().into()),
        external_system_label: t.external_system.map(|e| e.label().into()),
        special_destination: t.special_destination.clone(),
        reason: t.reason.key().into(),
        reason_label: t.reason.label().into(),
        note: t.note.clone(),
        decision_reason: t.decision_reason.clone(),
        archives_checked: t.archives_checked,
        archives_check_recorded: t.status == TransferStatus::Completed
            && t.kind == TransferKind::Internal,
        created_at: format_time(t.created_at),
        decided_at: t.decided_at.map(format_time),
        days_waiting: waited,
        pending_party: pending.map(|(p, _)| p.key().into()),
        pending_party_label: pending.map(|(p, _)| p.label().into()),
        pending_org: org_ref(c, pending.map(|(_, o)| o)).await?,
        overdue: t.status.is_active() && waited > ctx.policy.transfer_overdue_days,
        can_decide: actions.approve || actions.reject || actions.external_report,
        can_cancel: actions.cancel,
        actions,
        proof_file_id: t.proof_file.map(|f| f.0),
        letter_id: issued.as_ref().map(|(id, _)| id.0),
        letter_number: issued.map(|(_, number)| number),
        history: history
            .into_iter()
            .map(|e| TransferEventView {
                at: format_time(e.at),
                action_label: TransferStep::parse(&e.action)
                    .map(|s| s.label())
                    .unwrap_or("处理")
                    .into(),
                actor_name: e.actor_name,
                action: e.action,
                note: e.note,
            })
            .collect(),
    })
}
