//! ACC-1: the roles accounts hold (`role_assignments`). A role's kind is `RoleKind`; a stored
//! kind the domain does not know is an error. Delegated grants are the same rows, written and
//! listed by `crate::grant`.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use time::OffsetDateTime;
use tuanwu_domain::account::{Account, NewRole, Role, RoleKind};
use tuanwu_domain::{AccountId, MemberId, OrgId, RoleId};

use crate::entity::{account, role, session};

use role::Column as R;

pub(crate) fn record(m: role::Model) -> Result<Role, DbErr> {
    let kind = RoleKind::parse(&m.kind)
        .map_err(|e| DbErr::Type(format!("role_assignments.kind: {}", e.message)))?;
    let permissions = m
        .permissions
        .as_deref()
        .map(crate::grant::permissions)
        .transpose()?;
    Ok(Role {
        id: RoleId(m.id),
        account_id: AccountId(m.account_id),
        kind,
        org_id: OrgId(m.org_id),
        province_id: m.province_id.map(OrgId),
        permissions,
        granted_by: m.granted_by.map(AccountId),
        created_at: m.created_at,
    })
}

fn records(rows: Vec<role::Model>) -> Result<Vec<Role>, DbErr> {
    rows.into_iter().map(record).collect()
}

/// Every role of an account, oldest first. Unscoped: an account's own roles (its session, or
/// an account the caller found in scope).
pub async fn of_account<C: ConnectionTrait>(c: &C, account: AccountId) -> Result<Vec<Role>, DbErr> {
    records(
        role::Entity::find()
            .filter(R::AccountId.eq(account.0))
            .order_by_asc(R::Id)
            .all(c)
            .await?,
    )
}

/// One role of an account; another account's role is `None`.
pub async fn find_of_account<C: ConnectionTrait>(
    c: &C,
    account: AccountId,
    id: RoleId,
) -> Result<Option<Role>, DbErr> {
    role::Entity::find_by_id(id.0)
        .filter(R::AccountId.eq(account.0))
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// The admin roles bound to exactly this org, with their accounts. Unscoped: the caller has
/// found the org in scope (or is naming the admins a transfer waits for).
pub async fn admins_of<C: ConnectionTrait>(
    c: &C,
    org: OrgId,
) -> Result<Vec<(Role, Account)>, DbErr> {
    let roles = role::Entity::find()
        .filter(R::OrgId.eq(org.0))
        .filter(R::Kind.eq(RoleKind::Admin.key()))
        .order_by_asc(R::Id)
        .all(c)
        .await?;
    let accounts: HashMap<i64, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(roles.iter().map(|r| r.account_id)))
        .all(c)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut out = Vec::with_capacity(roles.len());
    for r in roles {
        let a = accounts.get(&r.account_id).cloned();
        if let Some(a) = a {
            out.push((record(r)?, super::record(a)));
        }
    }
    Ok(out)
}

/// The admin role an account holds at exactly this org.
pub async fn admin_at<C: ConnectionTrait>(
    c: &C,
    org: OrgId,
    account: AccountId,
) -> Result<Option<Role>, DbErr> {
    role::Entity::find()
        .filter(R::OrgId.eq(org.0))
        .filter(R::AccountId.eq(account.0))
        .filter(R::Kind.eq(RoleKind::Admin.key()))
        .one(c)
        .await?
        .map(record)
        .transpose()
}

pub async fn insert<C: ConnectionTrait>(
    c: &C,
    r: NewRole,
    now: OffsetDateTime,
) -> Result<Role, DbErr> {
    record(
        role::ActiveModel {
            account_id: Set(r.account_id.0),
            kind: Set(r.kind.key().into()),
            org_id: Set(r.org_id.0),
            province_id: Set(r.province_id.map(|p| p.0)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(c)
        .await?,
    )
}

pub async fn delete<C: ConnectionTrait>(c: &C, id: RoleId) -> Result<(), DbErr> {
    role::Entity::delete_by_id(id.0).exec(c).await.map(|_| ())
}

/// A member who leaves tuanwu's tree or is deleted keeps no roles and no sessions; the
/// account itself stays with the record. Returns the account, if the member had one.
pub async fn end_access_of_member<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
) -> Result<Option<AccountId>, DbErr> {
    let Some(a) = super::find_by_member(c, member).await? else {
        return Ok(None);
    };
    role::Entity::delete_many()
        .filter(R::AccountId.eq(a.id.0))
        .exec(c)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(a.id.0))
        .exec(c)
        .await?;
    Ok(Some(a.id))
}

/// A member moving from `left` to `branch`: the member role follows, an admin role at the
/// branch left ends (TRF-12 made sure another admin stays). Returns the account, if any.
pub async fn follow_member<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    left: OrgId,
    branch: OrgId,
    province: Option<OrgId>,
) -> Result<Option<AccountId>, DbErr> {
    let Some(a) = super::find_by_member(c, member).await? else {
        return Ok(None);
    };
    role::Entity::update_many()
        .col_expr(R::OrgId, Expr::value(branch.0))
        .col_expr(R::ProvinceId, Expr::value(province.map(|p| p.0)))
        .filter(R::AccountId.eq(a.id.0))
        .filter(R::Kind.eq(RoleKind::Member.key()))
        .exec(c)
        .await?;
    role::Entity::delete_many()
        .filter(R::AccountId.eq(a.id.0))
        .filter(R::Kind.eq(RoleKind::Admin.key()))
        .filter(R::OrgId.eq(left.0))
        .exec(c)
        .await?;
    Ok(Some(a.id))
}

/// The admin role an account holds at `org`, given now if it has none there yet (ACC-3: one
/// account, any number of roles).
pub async fn ensure_admin<C: ConnectionTrait>(
    c: &C,
    account: AccountId,
    org: OrgId,
    province: Option<OrgId>,
    now: OffsetDateTime,
) -> Result<Role, DbErr> {
    if let Some(r) = admin_at(c, org, account).await? {
        return Ok(r);
    }
    insert(
        c,
        NewRole {
            account_id: account,
            kind: RoleKind::Admin,
            org_id: org,
            province_id: province,
        },
        now,
    )
    .await
}
