//! Who may do what to a transfer, decided once: the use cases call these before acting, and
//! every view carries the same answers as `actions` so pages and clients only show them.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::transfer::{PendingParty, Transfer, TransferKind, TransferStatus};
use tuanwu_domain::{OrgId, TransferId};
use tuanwu_store::transfer as store;
use utoipa::ToSchema;

use crate::grant::needs::{self, Write};
use crate::{Actor, AppError};

/// The province-level org (depth 1) above an org, or the org itself at depth ≤ 1.
pub(crate) async fn province_of<C: ConnectionTrait>(c: &C, org: OrgId) -> Result<OrgId, AppError> {
    for id in tuanwu_store::org::ancestors(c, org).await? {
        if let Some(o) = tuanwu_store::org::get(c, id).await? {
            if o.depth == 1 {
                return Ok(o.id);
            }
        }
    }
    Ok(org)
}

/// The org whose admins (or any admin above it) make the next move of an active transfer.
pub(crate) async fn pending_org<C: ConnectionTrait>(
    c: &C,
    t: &Transfer,
) -> Result<Option<(PendingParty, OrgId)>, AppError> {
    let Some(party) = t.pending_party() else {
        return Ok(None);
    };
    let org = match party {
        PendingParty::Target => t.target_org.unwrap_or(t.source_org),
        PendingParty::Source | PendingParty::ExternalReport => t.source_org,
        PendingParty::Province => province_of(c, t.source_org).await?,
    };
    Ok(Some((party, org)))
}

/// An admin at or above the org that moves next.
pub(crate) async fn may_act<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t: &Transfer,
) -> Result<bool, AppError> {
    let Some(root) = actor.scope().root() else {
        return Ok(false);
    };
    Ok(match pending_org(c, t).await? {
        Some((_, org)) => tuanwu_store::org::contains(c, root, org).await?,
        None => false,
    })
}

/// A transfer the actor may see: through the active role's scope, or as the member it moves
/// (TRF-2: a member withdraws their own transfer whichever role they act in).
pub(crate) async fn visible<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: TransferId,
) -> Result<Transfer, AppError> {
    if let Some(t) = store::find(c, actor.scope(), id).await? {
        return Ok(t);
    }
    match actor.own_record_scope() {
        Some(own) => store::find(c, own, id).await?.ok_or(AppError::NotFound),
        None => Err(AppError::NotFound),
    }
}

/// ACC-4: deciding a transfer is a decision like any request's.
pub(crate) fn may_decide(actor: &Actor) -> bool {
    needs::allows(actor, Write::DecideTransfer)
}

/// What the viewer may do with a transfer now; each is what the use case checks before acting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct TransferActions {
    /// TRF-4: approve (an internal or special-unit transfer waiting for the viewer's side).
    pub approve: bool,
    /// TRF-4: reject with a reason.
    pub reject: bool,
    /// TRF-9: record the member's report to the external system.
    pub external_report: bool,
    /// TRF-2: withdraw (the initiator or the member, while active).
    pub cancel: bool,
    /// TRF-13: issue the transfer letter (an admin over the source side, a finished or offline
    /// transfer, none issued yet).
    pub issue_letter: bool,
}

impl TransferActions {
    pub async fn of<C: ConnectionTrait>(
        c: &C,
        actor: &Actor,
        t: &Transfer,
        has_letter: bool,
    ) -> Result<TransferActions, AppError> {
        let decides = may_decide(actor) && may_act(c, actor, t).await?;
        let issue_letter = !has_letter
            && t.takes_letter()
            && needs::allows(actor, Write::IssueTransferLetter)
            && actor.scope().contains(c, t.source_org).await?;
        let pending = t.status == TransferStatus::Pending;
        Ok(TransferActions {
            approve: decides && pending && t.kind != TransferKind::External,
            reject: decides && pending,
            external_report: decides && t.status == TransferStatus::AwaitingReport,
            cancel: t.status.is_active() && t.is_own(actor.account(), actor.member_id()),
            issue_letter,
        })
    }
}
