//! Who may do what to a branch's groups: the use cases call `may_manage` before acting, and the
//! views carry the same answer as `actions`.

use serde::Serialize;
use utoipa::ToSchema;

use crate::grant::needs::{self, Write};
use crate::Actor;

/// Any admin whose subtree holds the branch (delegated ones with `members`).
pub(crate) fn may_manage(actor: &Actor) -> bool {
    needs::allows(actor, Write::ManageGroups)
}

/// What the viewer may do with a group; each is what the use case checks before acting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct GroupActions {
    /// Rename it or set its leader.
    pub update: bool,
    pub delete: bool,
    /// Add a member of the branch who is in no group.
    pub add_member: bool,
    pub remove_member: bool,
    /// Move a member to another group of the branch (there is one).
    pub move_member: bool,
}

impl GroupActions {
    pub(crate) fn of(actor: &Actor, other_groups: usize) -> GroupActions {
        let m = may_manage(actor);
        GroupActions {
            update: m,
            delete: m,
            add_member: m,
            remove_member: m,
            move_member: m && other_groups > 0,
        }
    }
}

/// What the viewer may do on a branch's groups page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct GroupsHere {
    pub create: bool,
}
