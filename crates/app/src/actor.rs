//! Who is acting, in which role, and what they may see (ACC-1, ACC-2).

use sea_orm::ConnectionTrait;
use tuanwu_domain::account::Permission;
use tuanwu_domain::{AccountId, MemberId, OrgId, RoleId};

use crate::error::{AppError, AppResult};

pub use tuanwu_domain::account::{RoleKind, RoleName};

pub use tuanwu_store::Scope;

/// Who is acting. Built only from a session (`account::session`), the command-line operator
/// or a self-service step, never by a caller: its fields are private, and every read of user
/// data goes through `scope()`.
#[derive(Debug, Clone)]
pub struct Actor {
    account: AccountId,
    name: String,
    session_id: String,
    role_id: RoleId,
    role_kind: RoleKind,
    /// The role's name (`college_admin`, ...), for the audit log.
    role_name: RoleName,
    org_id: OrgId,
    member_id: Option<MemberId>,
    must_change_password: bool,
    /// ACC-4: a delegated role's permissions; `None` for a full role.
    permissions: Option<Vec<Permission>>,
}

/// What an actor is made of, for the few places in this crate that make one.
pub(crate) struct ActorParts {
    pub account: AccountId,
    pub name: String,
    pub session_id: String,
    pub role_id: RoleId,
    pub role_kind: RoleKind,
    pub role_name: RoleName,
    pub org_id: OrgId,
    pub member_id: Option<MemberId>,
    pub must_change_password: bool,
    pub permissions: Option<Vec<Permission>>,
}

impl Actor {
    pub(crate) fn new(p: ActorParts) -> Actor {
        Actor {
            account: p.account,
            name: p.name,
            session_id: p.session_id,
            role_id: p.role_id,
            role_kind: p.role_kind,
            role_name: p.role_name,
            org_id: p.org_id,
            member_id: p.member_id,
            must_change_password: p.must_change_password,
            permissions: p.permissions,
        }
    }

    /// The same session showing another of its roles as active (the answer to a role switch,
    /// before the next request loads it).
    pub(crate) fn with_role_id(&self, role: RoleId) -> Actor {
        Actor {
            role_id: role,
            ..self.clone()
        }
    }

    pub fn account(&self) -> AccountId {
        self.account
    }

    /// The name the audit log and histories show.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    pub fn role_id(&self) -> RoleId {
        self.role_id
    }

    pub fn role_kind(&self) -> RoleKind {
        self.role_kind
    }

    /// The role's display code (`college_admin`, …).
    pub fn role_name(&self) -> RoleName {
        self.role_name
    }

    /// The org the active role is bound to.
    pub fn org_id(&self) -> OrgId {
        self.org_id
    }

    /// The account's own member record, whichever role is active.
    pub fn member_id(&self) -> Option<MemberId> {
        self.member_id
    }

    /// Q29: a member must replace a password an admin set before doing anything else.
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }

    /// ACC-4: a delegated role's permissions; `None` for a full role.
    pub fn permissions(&self) -> Option<&[Permission]> {
        self.permissions.as_deref()
    }
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
        if tuanwu_store::org::contains(c, root, org).await? {
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

/// The Chinese name of a role as the audit log stored it (older rows included): an unknown
/// code reads as the generic 组织管理员.
pub fn role_label(code: &str) -> &'static str {
    RoleName::parse(code).map_or("组织管理员", RoleName::label)
}
