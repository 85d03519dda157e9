//! Who may do what to a meeting record, decided once: the use cases call these before acting,
//! and every view carries the same answers as `actions` so pages and clients only show them.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::meeting::Meeting;
use tuanwu_domain::{DomainError, OrgId};
use utoipa::ToSchema;

use crate::grant::needs::{self, Write};
use crate::{Actor, AppError};

/// An org as the meeting area needs it. The one place this area reads orgs, so that moving
/// orgs to typed records touches one function.
#[derive(Debug, Clone)]
pub struct OrgInfo {
    pub id: OrgId,
    pub name: String,
    pub path: String,
    pub is_branch: bool,
}

/// An org the actor's scope reaches (live); anything else is `NotFound`, like a missing one.
pub(crate) async fn org_in_scope<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: OrgId,
) -> Result<OrgInfo, AppError> {
    let o = tuanwu_store::org::find(c, actor.scope(), id)
        .await?
        .filter(|o| o.status == tuanwu_domain::org::OrgStatus::Active)
        .ok_or(AppError::NotFound)?;
    Ok(OrgInfo {
        id: o.id,
        name: o.name,
        path: o.path,
        is_branch: o.kind == tuanwu_domain::org::OrgKind::Branch,
    })
}

/// MTG-1: records belong to a 团支部.
pub(crate) async fn branch_in_scope<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: OrgId,
) -> Result<OrgInfo, AppError> {
    let o = org_in_scope(c, actor, id).await?;
    if !o.is_branch {
        return Err(DomainError::new(
            "not_a_branch",
            format!(
                "“{}”不是团支部：会议记录登记在团支部下，请进入具体团支部后再登记",
                o.name
            ),
        )
        .rule("MTG-1")
        .into());
    }
    Ok(o)
}

/// A meeting record the actor's scope reaches (deleted ones too), else `NotFound`.
pub(crate) async fn visible<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: tuanwu_domain::MeetingId,
) -> Result<Meeting, AppError> {
    tuanwu_store::meeting::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The level above the branch restores (MTG-2): an admin whose org is strictly above it.
pub(crate) async fn above<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    org: OrgId,
) -> Result<bool, AppError> {
    Ok(actor.scope().contains(c, org).await? && actor.org_id() != org)
}

/// What the viewer may do with a meeting record now; each is what the use case checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct MeetingActions {
    /// MTG-2: edit a live record (an admin of the branch or above).
    pub edit: bool,
    /// MTG-2: delete a live record (soft, audited).
    pub delete: bool,
    /// MTG-2: restore a deleted record (the level above the branch).
    pub restore: bool,
}

impl MeetingActions {
    pub async fn of<C: ConnectionTrait>(
        c: &C,
        actor: &Actor,
        m: &Meeting,
    ) -> Result<MeetingActions, AppError> {
        let records =
            needs::allows(actor, Write::RecordMeeting) && actor.scope().contains(c, m.org).await?;
        let restores = m.deleted
            && needs::allows(actor, Write::RestoreMeeting)
            && above(c, actor, m.org).await?;
        Ok(MeetingActions {
            edit: records && !m.deleted,
            delete: records && !m.deleted,
            restore: restores,
        })
    }
}

/// What the viewer may do on an org's 组织生活 pages (the records list and the compliance view).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct OrgMeetingActions {
    /// 新建记录: a branch in scope, with a role that records meetings.
    pub record: bool,
    /// The level above a branch sees its deleted records to restore them.
    pub see_deleted: bool,
    /// The compliance view of the subtree (colleges, schools: an org that is not a branch).
    pub compliance: bool,
    /// Set the org's own quarterly targets.
    pub set_targets: bool,
}

/// The org (in scope) and what the viewer may do on its 组织生活 pages.
pub async fn org_actions<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    org: OrgId,
) -> Result<(OrgInfo, OrgMeetingActions), AppError> {
    let o = org_in_scope(c, actor, org).await?;
    let actions = OrgMeetingActions {
        record: o.is_branch && needs::allows(actor, Write::RecordMeeting),
        see_deleted: o.is_branch
            && needs::allows(actor, Write::RestoreMeeting)
            && above(c, actor, o.id).await?,
        compliance: !o.is_branch,
        set_targets: needs::allows(actor, Write::SetMeetingTargets),
    };
    Ok((o, actions))
}
