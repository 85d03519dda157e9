//! Who may do what to a request, decided once: the use cases call these before acting, and
//! every view carries the same answers as `actions` so pages and clients only show them.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::account::Permission;
use tuanwu_domain::request::{Request, RequestStatus};
use tuanwu_domain::RequestId;
use tuanwu_store::request as store;
use utoipa::ToSchema;

use crate::{Actor, AppError};

/// Requesters' side (the record is in scope), deciders' side (the deciding org is in scope), or
/// the requester themself.
pub async fn may_see<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    r: &Request,
) -> Result<bool, AppError> {
    if r.is_own(actor.account()) {
        return Ok(true);
    }
    let scope = actor.scope();
    Ok(scope.contains(c, r.org).await? || scope.contains(c, r.decider_org).await?)
}

/// A request the actor may see (`may_see`): through the scope, or as the one who asked.
pub(crate) async fn visible<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: RequestId,
) -> Result<Request, AppError> {
    if let Some(r) = store::find(c, actor.scope(), id).await? {
        return Ok(r);
    }
    store::find_own(c, actor.account(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Any admin at or above the deciding org, except the one who asked.
pub(crate) async fn may_decide<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    r: &Request,
) -> Result<bool, AppError> {
    Ok(!r.is_own(actor.account()) && actor.scope().contains(c, r.decider_org).await?)
}

/// SYS-3: only the one who asked withdraws a request.
pub(crate) fn may_cancel(actor: &Actor, r: &Request) -> bool {
    r.is_own(actor.account())
}

/// What the viewer may do with a request now; each is what the use case checks before acting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct RequestActions {
    /// SYS-3: approve (applies the change at once): an admin with 审批申请 at or above the
    /// deciding org, not the requester, while pending.
    pub approve: bool,
    /// SYS-3: reject with a reason (who may approve may reject).
    pub reject: bool,
    /// SYS-3: withdraw (the requester, while pending).
    pub cancel: bool,
}

impl RequestActions {
    pub async fn of<C: ConnectionTrait>(
        c: &C,
        actor: &Actor,
        r: &Request,
    ) -> Result<RequestActions, AppError> {
        let pending = r.status == RequestStatus::Pending;
        let decides = pending
            && actor.require(Permission::Requests).is_ok()
            && may_decide(c, actor, r).await?;
        Ok(RequestActions {
            approve: decides,
            reject: decides,
            cancel: pending && may_cancel(actor, r),
        })
    }
}
