//! Login sessions: the token itself is never stored, only its hash (the session id).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use time::OffsetDateTime;
use tuanwu_domain::account::Session;
use tuanwu_domain::{AccountId, RoleId};

use crate::entity::session;

fn record(m: session::Model) -> Session {
    Session {
        id: m.id,
        account_id: AccountId(m.account_id),
        active_role_id: m.active_role_id.map(RoleId),
        created_at: m.created_at,
        last_seen_at: m.last_seen_at,
    }
}

/// The session of a token's hash. Unscoped: the hash is the proof of who is asking.
pub async fn find<C: ConnectionTrait>(c: &C, id: &str) -> Result<Option<Session>, DbErr> {
    Ok(session::Entity::find_by_id(id.to_string())
        .one(c)
        .await?
        .map(record))
}

/// A new session of `account` under the hash `id`, acting in `role`.
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    id: String,
    account: AccountId,
    role: Option<RoleId>,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    session::ActiveModel {
        id: Set(id),
        account_id: Set(account.0),
        active_role_id: Set(role.map(|r| r.0)),
        created_at: Set(now),
        last_seen_at: Set(now),
    }
    .insert(c)
    .await
    .map(|_| ())
}

/// Marks a session seen now and acting in `role` (a switch of role, or the fallback when the
/// active role was revoked).
pub async fn touch<C: ConnectionTrait>(
    c: &C,
    id: &str,
    role: RoleId,
    seen: Option<OffsetDateTime>,
) -> Result<(), DbErr> {
    let mut q = session::Entity::update_many()
        .col_expr(session::Column::ActiveRoleId, Expr::value(Some(role.0)));
    if let Some(now) = seen {
        q = q.col_expr(session::Column::LastSeenAt, Expr::value(now));
    }
    q.filter(session::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

/// Ends one session (logout; an expired one found at login).
pub async fn delete<C: ConnectionTrait>(c: &C, id: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id.to_string())
        .exec(c)
        .await
        .map(|_| ())
}

/// Ends every session of an account except `keep` (after a password change).
pub async fn delete_others<C: ConnectionTrait>(
    c: &C,
    account: AccountId,
    keep: Option<&str>,
) -> Result<(), DbErr> {
    let mut q = session::Entity::delete_many().filter(session::Column::AccountId.eq(account.0));
    if let Some(k) = keep {
        q = q.filter(session::Column::Id.ne(k));
    }
    q.exec(c).await.map(|_| ())
}
