use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::org::UnitCategory;
use tuanwu_store::entity::{account, org, role};
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
}

pub fn kind_of(r: &role::Model) -> RoleKind {
    if r.kind == "admin" {
        RoleKind::Admin
    } else {
        RoleKind::Member
    }
}

fn is_school(o: &org::Model) -> bool {
    UnitCategory::parse(&o.category).is_ok_and(UnitCategory::is_school)
}

pub async fn role_view<C: ConnectionTrait>(c: &C, r: &role::Model) -> AppResult<Option<RoleView>> {
    // A role bound to a deleted org is dormant until the org is restored.
    let Some(o) = queries::org::find(c, r.org_id)
        .await?
        .filter(|o| o.deleted_at.is_none())
    else {
        return Ok(None);
    };
    let parent_is_school = match o.parent_id {
        Some(p) => queries::org::find(c, p)
            .await?
            .is_some_and(|p| is_school(&p)),
        None => false,
    };
    let code = role_name(
        kind_of(r),
        &o.kind,
        o.depth,
        is_school(&o),
        parent_is_school,
    );
    Ok(Some(RoleView {
        id: r.id,
        role: code.into(),
        role_label: role_label(code).into(),
        org_id: o.id,
        org_name: o.name,
        org_path: o.path,
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
