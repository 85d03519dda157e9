//! What an actor may reach (ACC-1, ACC-2): an admin's subtree or a member's own record. Store
//! functions that read or list user data take it and add the closure-table condition
//! themselves, so a use case cannot forget it.

use sea_orm::{ConnectionTrait, DbErr};
use tuanwu_domain::{MemberId, OrgId};

/// The subtree the active role may act in, or a member's own record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Subtree(OrgId),
    OwnRecord { member: MemberId, branch: OrgId },
}

impl Scope {
    /// The admin's root; `None` for a member acting as member.
    pub fn root(self) -> Option<OrgId> {
        match self {
            Scope::Subtree(root) => Some(root),
            Scope::OwnRecord { .. } => None,
        }
    }

    /// The member's own record when acting as member.
    pub fn own_member(self) -> Option<MemberId> {
        match self {
            Scope::OwnRecord { member, .. } => Some(member),
            Scope::Subtree(_) => None,
        }
    }

    /// True when `org` is inside an admin's subtree (members reach no org).
    pub async fn contains<C: ConnectionTrait>(self, c: &C, org: OrgId) -> Result<bool, DbErr> {
        match self {
            Scope::Subtree(root) => crate::org::contains(c, root, org).await,
            Scope::OwnRecord { .. } => Ok(false),
        }
    }
}
