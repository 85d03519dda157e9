//! Login sessions: the token itself is never stored, only its hash (the session id).

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::entity::session;

/// The session of a token's hash. Unscoped: the hash is the proof of who is asking.
pub async fn find<C: ConnectionTrait>(c: &C, id: &str) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id.to_string()).one(c).await
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
    account_id: i64,
    keep: Option<&str>,
) -> Result<(), DbErr> {
    let mut q = session::Entity::delete_many().filter(session::Column::AccountId.eq(account_id));
    if let Some(k) = keep {
        q = q.filter(session::Column::Id.ne(k));
    }
    q.exec(c).await.map(|_| ())
}
