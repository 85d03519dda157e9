//! TRF-1 … TRF-13: organisation relationship transfers (组织关系转接). A transfer moves a member
//! from their branch to another org in one transaction on approval; scope follows at once
//! because scope is the closure table of where the member's record now sits.

pub mod batch;
pub mod checks;
pub mod decide;
pub mod letter;
pub mod lookup;
pub mod moves;
pub mod read;
pub mod report;
pub mod start;
pub mod view;

pub use decide::{approve, cancel, external_report, reject, ApproveInput, ExternalReportInput};
pub use read::{for_member, get, list, todos, ListTransfersQuery};
pub use start::{start, SpecialUnitInput, StartTransferInput};
pub use view::TransferView;

use sea_orm::ConnectionTrait;
use tuanwu_domain::transfer::{Initiator, PendingParty, TransferKind, TransferStatus};
use tuanwu_store::entity::transfer;
use tuanwu_store::queries;

use crate::actor::RoleKind;
use crate::{Actor, AppError};

pub(crate) fn parts(
    t: &transfer::Model,
) -> Result<(TransferKind, TransferStatus, Initiator), AppError> {
    Ok((
        TransferKind::parse(&t.kind)?,
        TransferStatus::parse(&t.status)?,
        Initiator::parse(&t.initiator)?,
    ))
}

/// The province-level org (depth 1) above an org, or the org itself at depth ≤ 1.
pub(crate) async fn province_of<C: ConnectionTrait>(c: &C, org: i64) -> Result<i64, AppError> {
    for id in queries::org::ancestors(c, org).await? {
        if let Some(o) = queries::org::find(c, id).await? {
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
    t: &transfer::Model,
) -> Result<Option<(PendingParty, i64)>, AppError> {
    let (kind, status, initiator) = parts(t)?;
    if !status.is_active() {
        return Ok(None);
    }
    let party = PendingParty::of(kind, initiator);
    let org = match party {
        PendingParty::Target => t.target_org_id.unwrap_or(t.source_org_id),
        PendingParty::Source | PendingParty::ExternalReport => t.source_org_id,
        PendingParty::Province => province_of(c, t.source_org_id).await?,
    };
    Ok(Some((party, org)))
}

/// An admin at or above the org that moves next.
pub(crate) async fn may_act<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t: &transfer::Model,
) -> Result<bool, AppError> {
    if actor.role_kind != RoleKind::Admin {
        return Ok(false);
    }
    Ok(match pending_org(c, t).await? {
        Some((_, org)) => queries::org::contains(c, actor.org_id.0, org).await?,
        None => false,
    })
}

/// The member, or an admin whose subtree holds the source, the target or the assigned branch
/// (TRF-8: both sides see it), or the province deciding a special-unit transfer.
pub(crate) async fn may_see<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t: &transfer::Model,
) -> Result<bool, AppError> {
    if actor.member_id.is_some_and(|m| m.0 == t.member_id) && actor.role_kind == RoleKind::Member {
        return Ok(true);
    }
    if actor.role_kind != RoleKind::Admin {
        return Ok(false);
    }
    for org in [Some(t.source_org_id), t.target_org_id, t.assigned_branch_id]
        .into_iter()
        .flatten()
    {
        if queries::org::contains(c, actor.org_id.0, org).await? {
            return Ok(true);
        }
    }
    Ok(false)
}
