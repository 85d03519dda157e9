//! ACC-4: a grant — a member's account given college-level admin rights for chosen
//! permissions — as stored. It is an admin role row carrying its permissions; a full admin role
//! on the same college has none.

use time::OffsetDateTime;

use crate::account::Permission;
use crate::{AccountId, OrgId, RoleId};

/// One delegated admin role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The role's id: the id to revoke, and the role a session acts in.
    pub id: RoleId,
    pub account: AccountId,
    pub college: OrgId,
    /// In the canonical order (`Permission::ALL`), at least one.
    pub permissions: Vec<Permission>,
    pub granted_by: Option<AccountId>,
    pub created_at: OffsetDateTime,
}

/// A grant checked by the use case before the store writes it.
#[derive(Debug, Clone)]
pub struct NewGrant {
    pub account: AccountId,
    pub college: OrgId,
    pub province: Option<OrgId>,
    pub permissions: Vec<Permission>,
    pub granted_by: AccountId,
    pub created_at: OffsetDateTime,
}

/// The admin role an account already holds on a college, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminRole {
    /// A full admin: everything, so nothing to grant.
    Full,
    /// An earlier grant, which a new one replaces.
    Delegated(Grant),
}
