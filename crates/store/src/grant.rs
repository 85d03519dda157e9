//! ACC-4: grants — admin rows of `role_assignments` carrying permissions — typed. Reads an
//! actor makes take their `Scope`; a stored permission the domain does not know is an error,
//! never dropped or defaulted.

use std::collections::HashMap;
use tuanwu_domain::member::Member;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use tuanwu_domain::account::Permission;
use tuanwu_domain::grant::{AdminRole, Grant, NewGrant};
use tuanwu_domain::{AccountId, MemberId, OrgId, RoleId};

use crate::entity::{account, member, role, session};
use crate::queries::in_subtree;
use crate::scope::Scope;

use role::Column as R;

/// The role kind of every grant: a grant is an admin role with permissions.
const ADMIN: &str = "admin";

fn unknown(column: &str, what: impl std::fmt::Display) -> DbErr {
    DbErr::Type(format!("role_assignments.{column}: {what}"))
}

pub(crate) fn permissions(raw: &str) -> Result<Vec<Permission>, DbErr> {
    let keys: Vec<String> = serde_json::from_str(raw).map_err(|e| unknown("permissions", e))?;
    keys.iter()
        .map(|k| Permission::parse(k).map_err(|e| unknown("permissions", e.message)))
        .collect()
}

/// The stored form: a JSON array of keys.
fn keys(permissions: &[Permission]) -> String {
    serde_json::Value::from(
        permissions
            .iter()
            .map(|p| p.key().to_string())
            .collect::<Vec<_>>(),
    )
    .to_string()
}

/// A row already known to be a grant (an admin role with permissions).
fn record(m: role::Model, raw: &str) -> Result<Grant, DbErr> {
    Ok(Grant {
        id: RoleId(m.id),
        account: AccountId(m.account_id),
        college: OrgId(m.org_id),
        permissions: permissions(raw)?,
        granted_by: m.granted_by.map(AccountId),
        created_at: m.created_at,
    })
}

fn grant_of(m: role::Model) -> Result<Grant, DbErr> {
    match m.permissions.clone() {
        Some(raw) => record(m, &raw),
        None => Err(unknown("permissions", "a full role read as a grant")),
    }
}

fn grants() -> Select<role::Entity> {
    role::Entity::find()
        .filter(R::Kind.eq(ADMIN))
        .filter(R::Permissions.is_not_null())
}

/// Grants on orgs of the scope's subtree; a member's own record reaches none.
fn visible(scope: Scope) -> Option<Select<role::Entity>> {
    let root = scope.root()?;
    Some(grants().filter(in_subtree(R::OrgId, root.0)))
}

/// A grant the scope reaches; anything else (a full role too) is `None`, like a missing one.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: RoleId,
) -> Result<Option<Grant>, DbErr> {
    let Some(q) = visible(scope) else {
        return Ok(None);
    };
    q.filter(R::Id.eq(id.0))
        .one(c)
        .await?
        .map(grant_of)
        .transpose()
}

/// The grants on `within`'s subtree inside the scope, newest first.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    within: OrgId,
) -> Result<Vec<Grant>, DbErr> {
    let Some(q) = visible(scope) else {
        return Ok(Vec::new());
    };
    q.filter(in_subtree(R::OrgId, within.0))
        .order_by_desc(R::CreatedAt)
        .order_by_desc(R::Id)
        .all(c)
        .await?
        .into_iter()
        .map(grant_of)
        .collect()
}

/// The admin role the account holds on the college, if any. The caller has checked the
/// college is in scope; the account is the one about to receive the grant.
pub async fn admin_role<C: ConnectionTrait>(
    c: &C,
    account: AccountId,
    college: OrgId,
) -> Result<Option<AdminRole>, DbErr> {
    let found = role::Entity::find()
        .filter(R::AccountId.eq(account.0))
        .filter(R::OrgId.eq(college.0))
        .filter(R::Kind.eq(ADMIN))
        .one(c)
        .await?;
    Ok(match found {
        None => None,
        Some(m) => match m.permissions.clone() {
            None => Some(AdminRole::Full),
            Some(raw) => Some(AdminRole::Delegated(record(m, &raw)?)),
        },
    })
}

pub async fn insert<C: ConnectionTrait>(c: &C, g: NewGrant) -> Result<Grant, DbErr> {
    let row = role::ActiveModel {
        account_id: Set(g.account.0),
        kind: Set(ADMIN.into()),
        org_id: Set(g.college.0),
        province_id: Set(g.province.map(|p| p.0)),
        permissions: Set(Some(keys(&g.permissions))),
        granted_by: Set(Some(g.granted_by.0)),
        created_at: Set(g.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    grant_of(row)
}

/// Replaces the permissions of a grant the caller has read, recording who granted them.
pub async fn replace<C: ConnectionTrait>(
    c: &C,
    grant: Grant,
    permissions: Vec<Permission>,
    by: AccountId,
) -> Result<Grant, DbErr> {
    role::Entity::update_many()
        .col_expr(R::Permissions, Expr::value(keys(&permissions)))
        .col_expr(R::GrantedBy, Expr::value(by.0))
        .filter(R::Id.eq(grant.id.0))
        .exec(c)
        .await?;
    Ok(Grant {
        permissions,
        granted_by: Some(by),
        ..grant
    })
}

/// Revokes a grant the caller has read through its scope: the sessions acting in it end and
/// the role row goes.
pub async fn revoke<C: ConnectionTrait>(c: &C, id: RoleId) -> Result<(), DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::ActiveRoleId.eq(id.0))
        .exec(c)
        .await?;
    role::Entity::delete_many()
        .filter(R::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// The accounts behind grants the caller has read (holders and granters), by id.
pub async fn accounts<C: ConnectionTrait>(
    c: &C,
    ids: &[AccountId],
) -> Result<HashMap<AccountId, account::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids.iter().map(|a| a.0)))
        .all(c)
        .await?
        .into_iter()
        .map(|a| (AccountId(a.id), a))
        .collect())
}

/// Active members of the college's subtree, inside the scope, with this student number (at
/// most 20, oldest record first).
pub async fn members_by_student_no<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    college: OrgId,
    student_no: &str,
) -> Result<Vec<Member>, DbErr> {
    let Some(root) = scope.root() else {
        return Ok(Vec::new());
    };
    member::Entity::find()
        .filter(
            Condition::all()
                .add(member::Column::StudentNo.eq(student_no))
                .add(member::Column::Status.eq("active"))
                .add(in_subtree(member::Column::OrgId, root.0))
                .add(in_subtree(member::Column::OrgId, college.0)),
        )
        .order_by_asc(member::Column::Id)
        .limit(20)
        .all(c)
        .await?
        .into_iter()
        .map(crate::member::record)
        .collect()
}

/// The members of those accounts, by id.
pub async fn members<C: ConnectionTrait>(
    c: &C,
    ids: &[MemberId],
) -> Result<HashMap<MemberId, Member>, DbErr> {
    crate::cadre::members(c, ids).await
}
