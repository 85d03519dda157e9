use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::account::Permission;
use tuanwu_store::entity::{account, role};
use tuanwu_store::queries;
use utoipa::ToSchema;

use crate::actor::{role_label, role_name, RoleKind};
use crate::error::AppResult;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub login_name: Option<String>,
    pub display_name: String,
    pub member_id: Option<i64>,
    pub must_change_password: bool,
}

impl From<&account::Model> for AccountView {
    fn from(a: &account::Model) -> Self {
        Self {
            id: a.id,
            login_name: a.login_name.clone(),
            display_name: a.display_name.clone(),
            member_id: a.member_id,
            must_change_password: a.must_change_password,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleView {
    pub id: i64,
    /// `member`, `branch_admin`, `college_admin`, `school_admin`, `city_admin`, ...
    pub role: String,
    /// The Chinese name of the role.
    pub role_label: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    /// ACC-4: the permission keys of a delegated role; absent for a full role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
}

/// ACC-4: a delegated role's permissions as stored (a JSON array of keys); unknown keys are
/// dropped, so a permission removed from the code is never granted by an old row.
pub fn permissions_of(r: &role::Model) -> Option<Vec<Permission>> {
    let raw = r.permissions.as_deref()?;
    let keys: Vec<String> = serde_json::from_str(raw).unwrap_or_default();
    Some(
        keys.iter()
            .filter_map(|k| Permission::parse(k).ok())
            .collect(),
    )
}

pub fn kind_of(r: &role::Model) -> RoleKind {
    if r.kind == "admin" {
        RoleKind::Admin
    } else {
        RoleKind::Member
    }
}

fn is_school(o: &tuanwu_domain::org::Org) -> bool {
    o.category.is_school()
}

pub async fn role_view<C: ConnectionTrait>(c: &C, r: &role::Model) -> AppResult<Option<RoleView>> {
    // A role bound to a deleted org is dormant until the org is restored.
    let Some(o) = tuanwu_store::org::get(c, tuanwu_domain::OrgId(r.org_id))
        .await?
        .filter(|o| !o.is_deleted())
    else {
        return Ok(None);
    };
    let parent_is_school = match o.parent_id {
        Some(p) => tuanwu_store::org::get(c, p)
            .await?
            .is_some_and(|p| is_school(&p)),
        None => false,
    };
    let permissions = permissions_of(r);
    let code = role_name(
        kind_of(r),
        permissions.is_some(),
        o.kind,
        o.depth,
        is_school(&o),
        parent_is_school,
    );
    Ok(Some(RoleView {
        id: r.id,
        role: code.into(),
        role_label: role_label(code).into(),
        org_id: o.id.0,
        org_name: o.name,
        org_path: o.path,
        permissions: permissions.map(|p| p.iter().map(|p| p.key().to_string()).collect()),
    }))
}

/// Every role of an account whose org still exists, admin roles first.
pub async fn role_views<C: ConnectionTrait>(c: &C, account_id: i64) -> AppResult<Vec<RoleView>> {
    let mut roles = queries::account::roles_of(c, account_id).await?;
    roles.sort_by_key(|r| (kind_of(r) == RoleKind::Member, r.id));
    let mut out = Vec::with_capacity(roles.len());
    for r in &roles {
        if let Some(v) = role_view(c, r).await? {
            out.push(v);
        }
    }
    Ok(out)
}
