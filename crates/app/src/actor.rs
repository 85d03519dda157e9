//! Who is acting, in which role, and what they may see (ACC-1, ACC-2).

use sea_orm::ConnectionTrait;
use tuanwu_domain::account::Permission;
use tuanwu_domain::{AccountId, MemberId, OrgId, RoleId};
use tuanwu_store::queries;

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    Member,
    Admin,
}

pub use tuanwu_store::Scope;

#[derive(Debug, Clone)]
pub struct Actor {
    pub account: AccountId,
    pub name: String,
    pub session_id: String,
    pub role_id: RoleId,
    pub role_kind: RoleKind,
    /// The role's display code (`college_admin`, ...), for the audit log.
    pub role_name: String,
    pub org_id: OrgId,
    pub member_id: Option<MemberId>,
    pub must_change_password: bool,
    /// ACC-4: a delegated role's permissions; `None` for a full role.
    pub permissions: Option<Vec<Permission>>,
}

impl Actor {
    pub fn scope(&self) -> Scope {
        match (self.role_kind, self.member_id) {
            (RoleKind::Member, Some(member)) => Scope::OwnRecord {
                member,
                branch: self.org_id,
            },
            _ => Scope::Subtree(self.org_id),
        }
    }

    /// The member's own record, whichever role the account acts in (a member withdraws their
    /// own transfer as admin too).
    pub fn own_record_scope(&self) -> Option<Scope> {
        self.member_id.map(|member| Scope::OwnRecord {
            member,
            branch: self.org_id,
        })
    }

    /// The root of the admin's subtree; members acting as members are refused.
    pub fn admin_root(&self) -> AppResult<OrgId> {
        match self.role_kind {
            RoleKind::Admin => Ok(self.org_id),
            RoleKind::Member => Err(AppError::forbidden(
                "此操作需要管理员角色：如果您同时是管理员，请先切换到管理员角色",
            )),
        }
    }

    /// ACC-4: a write a delegated role may do only when granted. Full admin roles pass.
    pub fn require(&self, permission: Permission) -> AppResult<()> {
        self.admin_root()?;
        match &self.permissions {
            Some(granted) if !granted.contains(&permission) => Err(AppError::forbidden(format!(
                "您的授权不包括“{}”：请联系授权给您的院级管理员",
                permission.label()
            ))),
            _ => Ok(()),
        }
    }

    /// ACC-4: actions never delegated (organisations, admins, codes, grants) need a full role.
    pub fn require_full(&self) -> AppResult<()> {
        self.admin_root()?;
        if self.permissions.is_some() {
            return Err(AppError::forbidden(
                "此操作只能由正式任命的管理员办理，授权管理员不能操作：请联系院级管理员",
            ));
        }
        Ok(())
    }

    /// An org the actor may see: inside the admin's subtree. Anything else answers exactly
    /// like a missing record.
    pub async fn ensure_in_scope<C: ConnectionTrait>(&self, c: &C, org: OrgId) -> AppResult<()> {
        let root = self.admin_root().map_err(|_| AppError::NotFound)?;
        if queries::org::contains(c, root.0, org.0).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Actions reserved to the level above (delete, restore, appoint admins): the org must be
    /// strictly below the admin's own org.
    pub async fn ensure_above<C: ConnectionTrait>(
        &self,
        c: &C,
        org: OrgId,
        what: &str,
    ) -> AppResult<()> {
        self.ensure_in_scope(c, org).await?;
        if org == self.org_id {
            return Err(AppError::forbidden(format!(
                "{what}须由上级组织的管理员操作：请联系上级团组织"
            )));
        }
        Ok(())
    }
}

/// The display code of a role (ACC-1): levels are data, so the name comes from where the org
/// sits — a branch, a school (an org of a school category under a non-school parent), inside a
/// school (a college), or the depth outside schools.
pub fn role_name(
    kind: RoleKind,
    delegated: bool,
    org_kind: &str,
    depth: i32,
    is_school: bool,
    parent_is_school: bool,
) -> &'static str {
    match kind {
        RoleKind::Member => "member",
        RoleKind::Admin if delegated => "delegated_admin",
        RoleKind::Admin if org_kind == "branch" => "branch_admin",
        RoleKind::Admin if is_school && parent_is_school => "college_admin",
        RoleKind::Admin if is_school => "school_admin",
        RoleKind::Admin => match depth {
            0 => "central_admin",
            1 => "province_admin",
            2 => "city_admin",
            _ => "org_admin",
        },
    }
}

/// The Chinese name of a role code.
pub fn role_label(code: &str) -> &'static str {
    match code {
        "member" => "团员",
        "branch_admin" => "团支部管理员",
        "college_admin" => "院级管理员",
        "school_admin" => "校级管理员",
        "central_admin" => "团中央管理员",
        "province_admin" => "省级管理员",
        "city_admin" => "市级管理员",
        "delegated_admin" => "授权管理员",
        "system" => "系统",
        _ => "组织管理员",
    }
}
