//! ACC-1..ACC-6 as stored: accounts, the roles they hold, login sessions and one-time codes.

use time::OffsetDateTime;

use super::{CodePurpose, Permission};
use crate::org::labelled_enum;
use crate::{AccountId, CodeId, MemberId, OrgId, RoleId};

labelled_enum!(
    /// ACC-1: a role is either a member's own (bound to the member's branch) or an admin role
    /// bound to one org, whose scope is that org's subtree.
    RoleKind, "invalid_role_kind", "角色类型" {
        Member => "member", "团员",
        Admin => "admin", "管理员",
    }
);

labelled_enum!(
    /// The name a role goes by (ACC-1). Levels are data, so it follows from where the role's
    /// org sits (`RoleName::of`), never from a stored string.
    RoleName, "invalid_role_name", "角色" {
        Member => "member", "团员",
        BranchAdmin => "branch_admin", "团支部管理员",
        CollegeAdmin => "college_admin", "院级管理员",
        SchoolAdmin => "school_admin", "校级管理员",
        CentralAdmin => "central_admin", "团中央管理员",
        ProvinceAdmin => "province_admin", "省级管理员",
        CityAdmin => "city_admin", "市级管理员",
        OrgAdmin => "org_admin", "组织管理员",
        DelegatedAdmin => "delegated_admin", "授权管理员",
        System => "system", "系统",
    }
);

/// Where a role's org sits, as `RoleName::of` needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RolePlace {
    pub org_kind: crate::org::OrgKind,
    pub depth: i32,
    pub is_school: bool,
    pub parent_is_school: bool,
}

impl RoleName {
    /// A branch, a school (an org of a school category under a non-school parent), inside a
    /// school (a college), or the depth outside schools.
    pub fn of(kind: RoleKind, delegated: bool, place: RolePlace) -> RoleName {
        match kind {
            RoleKind::Member => RoleName::Member,
            RoleKind::Admin if delegated => RoleName::DelegatedAdmin,
            RoleKind::Admin if place.org_kind == crate::org::OrgKind::Branch => {
                RoleName::BranchAdmin
            }
            RoleKind::Admin if place.is_school && place.parent_is_school => RoleName::CollegeAdmin,
            RoleKind::Admin if place.is_school => RoleName::SchoolAdmin,
            RoleKind::Admin => match place.depth {
                0 => RoleName::CentralAdmin,
                1 => RoleName::ProvinceAdmin,
                2 => RoleName::CityAdmin,
                _ => RoleName::OrgAdmin,
            },
        }
    }

    /// A branch's or a college's own admin: the levels that work a branch's records by hand
    /// (they may override a college column on import, pick 其他 as a deletion reason).
    pub fn works_branches(self) -> bool {
        matches!(self, RoleName::BranchAdmin | RoleName::CollegeAdmin)
    }
}

/// A login account (ACC-2): a member's own, or an admin-only account that logs in by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    /// Admin-only accounts log in by name; members by resident ID or student number.
    pub login_name: Option<String>,
    pub display_name: String,
    /// argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    pub member_id: Option<MemberId>,
    pub must_change_password: bool,
    pub created_at: OffsetDateTime,
    /// ACC-5: the keyed hash of an admin-only account's resident ID.
    pub resident_id_index: Option<Vec<u8>>,
    /// AES-GCM ciphertext of an admin-only account's phone.
    pub phone_enc: Option<Vec<u8>>,
}

/// An account about to be made.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewAccount {
    pub login_name: Option<String>,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub member_id: Option<MemberId>,
    pub must_change_password: bool,
    pub resident_id_index: Option<Vec<u8>>,
    pub phone_enc: Option<Vec<u8>>,
}

/// A role an account holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: RoleId,
    pub account_id: AccountId,
    pub kind: RoleKind,
    pub org_id: OrgId,
    pub province_id: Option<OrgId>,
    /// ACC-4: a delegated grant's permissions; `None` for a full role.
    pub permissions: Option<Vec<Permission>>,
    /// ACC-4: the account that made the grant.
    pub granted_by: Option<AccountId>,
    pub created_at: OffsetDateTime,
}

impl Role {
    pub fn is_admin(&self) -> bool {
        self.kind == RoleKind::Admin
    }
}

/// A full role about to be given (delegated grants are made by `store::grant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewRole {
    pub account_id: AccountId,
    pub kind: RoleKind,
    pub org_id: OrgId,
    pub province_id: Option<OrgId>,
}

/// A login session. The token itself is never stored: `id` is its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub account_id: AccountId,
    pub active_role_id: Option<RoleId>,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

/// A one-time code (ACC-5 registration, ACC-6 password reset). Only its keyed hash is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub id: CodeId,
    pub purpose: CodePurpose,
    pub code_hash: Vec<u8>,
    /// Registration: the org the code admits an admin to. Reset: the person's org (for scope).
    pub org_id: OrgId,
    /// Reset: the account whose password the code resets.
    pub account_id: Option<AccountId>,
    pub issued_by: AccountId,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    /// Set when a newer code for the same person replaced this one.
    pub revoked_at: Option<OffsetDateTime>,
}

/// A code about to be issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCode {
    pub purpose: CodePurpose,
    pub code_hash: Vec<u8>,
    pub org_id: OrgId,
    pub account_id: Option<AccountId>,
    pub issued_by: AccountId,
    pub expires_at: OffsetDateTime,
}
