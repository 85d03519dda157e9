use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::account::{Account, Role, RoleKind, RoleName, RolePlace};
use tuanwu_domain::AccountId;
use utoipa::ToSchema;

use crate::error::AppResult;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub login_name: Option<String>,
    pub display_name: String,
    pub member_id: Option<i64>,
    pub must_change_password: bool,
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> Self {
        Self {
            id: a.id.0,
            login_name: a.login_name.clone(),
            display_name: a.display_name.clone(),
            member_id: a.member_id.map(|m| m.0),
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
    /// The role's name as a type, for the actor built from this view.
    #[serde(skip)]
    pub name: RoleName,
}

fn is_school(o: &tuanwu_domain::org::Org) -> bool {
    o.category.is_school()
}

pub async fn role_view<C: ConnectionTrait>(c: &C, r: &Role) -> AppResult<Option<RoleView>> {
    // A role bound to a deleted org is dormant until the org is restored.
    let Some(o) = tuanwu_store::org::get(c, r.org_id)
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
    let name = RoleName::of(
        r.kind,
        r.permissions.is_some(),
        RolePlace {
            org_kind: o.kind,
            depth: o.depth,
            is_school: is_school(&o),
            parent_is_school,
        },
    );
    Ok(Some(RoleView {
        id: r.id.0,
        role: name.key().into(),
        role_label: name.label().into(),
        org_id: o.id.0,
        org_name: o.name,
        org_path: o.path,
        permissions: r
            .permissions
            .as_ref()
            .map(|p| p.iter().map(|p| p.key().to_string()).collect()),
        name,
    }))
}

/// Every role of an account whose org still exists, admin roles first.
pub async fn role_views<C: ConnectionTrait>(
    c: &C,
    account_id: AccountId,
) -> AppResult<Vec<RoleView>> {
    let mut roles = tuanwu_store::account::role::of_account(c, account_id).await?;
    roles.sort_by_key(|r| (r.kind == RoleKind::Member, r.id));
    let mut out = Vec::with_capacity(roles.len());
    for r in &roles {
        if let Some(v) = role_view(c, r).await? {
            out.push(v);
        }
    }
    Ok(out)
}
