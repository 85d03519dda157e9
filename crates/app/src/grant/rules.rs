//! Who may grant what, where, decided once: the use cases call these before acting and the
//! views carry the same answers as `actions`.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::account::Permission;
use tuanwu_domain::{DomainError, OrgId};
use utoipa::ToSchema;

use super::needs::{self, Write};
use crate::{Actor, AppError};

fn is_school(o: &tuanwu_domain::org::Org) -> bool {
    o.category.is_school()
}

/// A college-level org (院系团委 / 团总支): marked as its own college (ORG-4), or, as
/// `role_name` sees it, a school-category org that is not a branch under a school org.
pub(crate) async fn is_college<C: ConnectionTrait>(
    c: &C,
    o: &tuanwu_domain::org::Org,
) -> Result<bool, AppError> {
    if o.is_branch() {
        return Ok(false);
    }
    if o.college_id == Some(o.id) {
        return Ok(true);
    }
    if !is_school(o) {
        return Ok(false);
    }
    Ok(match o.parent_id {
        Some(p) => tuanwu_store::org::get(c, p)
            .await?
            .is_some_and(|p| is_school(&p)),
        None => false,
    })
}

/// A live college-level org (grants are made there), the org as read.
pub(crate) async fn live_college<C: ConnectionTrait>(
    c: &C,
    o: &tuanwu_domain::org::Org,
) -> Result<bool, AppError> {
    Ok(!o.is_deleted() && is_college(c, o).await?)
}

/// The college a grant is for: in the actor's scope (else NotFound), granted by a full admin,
/// a live college-level org.
pub(crate) async fn target_college<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: OrgId,
) -> Result<tuanwu_domain::org::Org, AppError> {
    actor.ensure_in_scope(c, id).await?;
    needs::require(actor, Write::Grant)?;
    let o = tuanwu_store::org::get(c, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.is_deleted() {
        return Err(DomainError::new(
            "org_deleted",
            format!("“{}”已被删除，不能授权：请先由上级组织恢复", o.name),
        )
        .rule("ORG-6")
        .field("college_id")
        .into());
    }
    if !is_college(c, &o).await? {
        return Err(DomainError::new(
            "not_a_college",
            format!(
                "“{}”不是院级组织：权限只能按学院（院系团委、分团委、团总支）授予，请选择学院",
                o.name
            ),
        )
        .rule("ACC-4")
        .field("college_id")
        .into());
    }
    Ok(o)
}

/// Parses the ticked permissions: known keys or names, at least one, in the canonical order.
pub fn parse_permissions(raw: &[String]) -> Result<Vec<Permission>, DomainError> {
    let mut picked = Vec::new();
    for r in raw.iter().filter(|r| !r.trim().is_empty()) {
        let p = Permission::parse(r).map_err(|e| e.rule("ACC-4").field("permissions"))?;
        picked.push(p);
    }
    let ordered: Vec<Permission> = Permission::ALL
        .iter()
        .copied()
        .filter(|p| picked.contains(p))
        .collect();
    if ordered.is_empty() {
        let all: Vec<&str> = Permission::ALL.iter().map(|p| p.label()).collect();
        return Err(DomainError::new(
            "permissions_required",
            format!("请至少勾选一项权限，可选：{}", all.join("、")),
        )
        .rule("ACC-4")
        .field("permissions"));
    }
    Ok(ordered)
}

/// The student number as typed (full-width digits accepted), required.
pub(crate) fn student_no_of(raw: &str) -> Result<String, DomainError> {
    let v: String = raw
        .trim()
        .chars()
        .map(tuanwu_domain::text::half_width)
        .collect();
    if v.is_empty() {
        return Err(DomainError::new("required", "请填写被授权团员的学号")
            .rule("ACC-4")
            .field("student_no"));
    }
    Ok(v)
}

/// What the viewer may do with a listed grant; each is what the use case checks before acting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct GrantActions {
    /// Revoke it at once (a full admin whose scope holds the college; grants are never
    /// delegated further).
    pub revoke: bool,
}

impl GrantActions {
    /// For a grant the actor read through its scope.
    pub fn of(actor: &Actor) -> GrantActions {
        GrantActions {
            revoke: needs::allows(actor, Write::RevokeGrant),
        }
    }
}

/// What the viewer may do on an org's grants page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct GrantsHere {
    /// The org is a live college, where grants are made.
    pub is_college: bool,
    /// Make a grant on it (a full admin whose scope holds it).
    pub grant: bool,
}
