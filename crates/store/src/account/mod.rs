//! ACC-1, ACC-2, ACC-5: accounts. Accounts are not user data of an org (an admin-only account
//! belongs to no subtree), so these look-ups are unscoped; each says why it is safe. The roles
//! an account holds are in `role`.

pub mod role;

use std::collections::HashSet;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use time::OffsetDateTime;
use tuanwu_domain::account::{Account, NewAccount, RoleKind};
use tuanwu_domain::{AccountId, MemberId};

use crate::entity::{account, cadre, role as role_row};

pub(crate) fn record(m: account::Model) -> Account {
    Account {
        id: AccountId(m.id),
        login_name: m.login_name,
        display_name: m.display_name,
        password_hash: m.password_hash,
        member_id: m.member_id.map(MemberId),
        must_change_password: m.must_change_password,
        created_at: m.created_at,
        resident_id_index: m.resident_id_index,
        phone_enc: m.phone_enc,
    }
}

/// An account by id. Unscoped: called with the account of a session (whose token hash is the
/// proof of who is asking) or of a record the caller has already found in scope.
pub async fn find<C: ConnectionTrait>(c: &C, id: AccountId) -> Result<Option<Account>, DbErr> {
    Ok(account::Entity::find_by_id(id.0).one(c).await?.map(record))
}

/// An admin-only account by its login name. Unscoped: logging in and the uniqueness check of a
/// new login name must see every account.
pub async fn find_by_login_name<C: ConnectionTrait>(
    c: &C,
    login: &str,
) -> Result<Option<Account>, DbErr> {
    Ok(account::Entity::find()
        .filter(account::Column::LoginName.eq(login))
        .one(c)
        .await?
        .map(record))
}

/// A member's own account. Unscoped: the caller has found the member in scope (or the member
/// is proving who they are at login or reset).
pub async fn find_by_member<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
) -> Result<Option<Account>, DbErr> {
    Ok(account::Entity::find()
        .filter(account::Column::MemberId.eq(member.0))
        .one(c)
        .await?
        .map(record))
}

/// ACC-5: an admin-only account by the keyed hash of its resident ID. Unscoped: the hash is
/// only known to someone who typed the number.
pub async fn find_by_resident_index<C: ConnectionTrait>(
    c: &C,
    index: Vec<u8>,
) -> Result<Option<Account>, DbErr> {
    Ok(account::Entity::find()
        .filter(account::Column::ResidentIdIndex.eq(index))
        .one(c)
        .await?
        .map(record))
}

pub async fn insert<C: ConnectionTrait>(
    c: &C,
    a: NewAccount,
    now: OffsetDateTime,
) -> Result<Account, DbErr> {
    let m = account::ActiveModel {
        login_name: Set(a.login_name),
        display_name: Set(a.display_name),
        password_hash: Set(a.password_hash),
        member_id: Set(a.member_id.map(|m| m.0)),
        must_change_password: Set(a.must_change_password),
        created_at: Set(now),
        resident_id_index: Set(a.resident_id_index),
        phone_enc: Set(a.phone_enc),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(record(m))
}

/// Sets a password hash; `must_change` asks for a new one at the next login (ACC-6: a
/// password an admin set is the member's only until they change it).
pub async fn set_password<C: ConnectionTrait>(
    c: &C,
    id: AccountId,
    hash: &str,
    must_change: bool,
) -> Result<(), DbErr> {
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(hash))
        .col_expr(
            account::Column::MustChangePassword,
            Expr::value(must_change),
        )
        .filter(account::Column::Id.eq(id.0))
        .exec(c)
        .await
        .map(|_| ())
}

/// ACC-6: a changed password ends every session of the account but `keep` (the one that
/// changed it).
pub async fn replace_password<C: ConnectionTrait>(
    c: &C,
    id: AccountId,
    hash: &str,
    must_change: bool,
    keep: Option<&str>,
) -> Result<(), DbErr> {
    set_password(c, id, hash, must_change).await?;
    crate::session::delete_others(c, id, keep).await
}

/// A member's account follows an approved change of the member's name.
pub async fn rename_of_member<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    name: &str,
) -> Result<(), DbErr> {
    account::Entity::update_many()
        .col_expr(account::Column::DisplayName, Expr::value(name))
        .filter(account::Column::MemberId.eq(member.0))
        .exec(c)
        .await
        .map(|_| ())
}

/// Of these members, the ones holding a league post (MEM-3): an admin role on their account or
/// a current cadre post (ACC-10). Unscoped: the caller passes members it found in scope.
pub async fn members_holding_post<C: ConnectionTrait>(
    c: &C,
    members: &[MemberId],
) -> Result<HashSet<MemberId>, DbErr> {
    if members.is_empty() {
        return Ok(HashSet::new());
    }
    let ids = || members.iter().map(|m| m.0);
    let stmt = Query::select()
        .distinct()
        .column((account::Entity, account::Column::MemberId))
        .from(account::Entity)
        .inner_join(
            role_row::Entity,
            Expr::col((role_row::Entity, role_row::Column::AccountId))
                .equals((account::Entity, account::Column::Id)),
        )
        .and_where(Expr::col((account::Entity, account::Column::MemberId)).is_in(ids()))
        .and_where(Expr::col((role_row::Entity, role_row::Column::Kind)).eq(RoleKind::Admin.key()))
        .to_owned();
    let mut holders: HashSet<MemberId> = c
        .query_all(c.get_database_backend().build(&stmt))
        .await?
        .into_iter()
        .map(|r| r.try_get_by_index::<i64>(0).map(MemberId))
        .collect::<Result<_, _>>()?;
    // ACC-10: a current cadre post is a league post too.
    holders.extend(
        cadre::Entity::find()
            .filter(cadre::Column::MemberId.is_in(ids()))
            .filter(cadre::Column::EndedOn.is_null())
            .all(c)
            .await?
            .into_iter()
            .map(|p| MemberId(p.member_id)),
    );
    Ok(holders)
}
