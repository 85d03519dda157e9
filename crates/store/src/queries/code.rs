//! One-time codes (ACC-5, ACC-6): found by their keyed hash, consumed once.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use crate::entity::code;

pub async fn find_by_hash<C: ConnectionTrait>(
    c: &C,
    hash: Vec<u8>,
) -> Result<Option<code::Model>, DbErr> {
    code::Entity::find()
        .filter(code::Column::CodeHash.eq(hash))
        .one(c)
        .await
}

/// The reset codes of an account that are neither used nor replaced (expired ones included, so
/// the answer can say a code has expired).
pub async fn open_reset_codes<C: ConnectionTrait>(
    c: &C,
    account_id: i64,
) -> Result<Vec<code::Model>, DbErr> {
    code::Entity::find()
        .filter(code::Column::AccountId.eq(account_id))
        .filter(code::Column::Purpose.eq("reset"))
        .filter(code::Column::UsedAt.is_null())
        .filter(code::Column::RevokedAt.is_null())
        .all(c)
        .await
}

/// ACC-6: regenerating invalidates the previous codes of the same person.
pub async fn revoke_reset_codes<C: ConnectionTrait>(
    c: &C,
    account_id: i64,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    code::Entity::update_many()
        .col_expr(code::Column::RevokedAt, Expr::value(now))
        .filter(code::Column::AccountId.eq(account_id))
        .filter(code::Column::Purpose.eq("reset"))
        .filter(code::Column::UsedAt.is_null())
        .filter(code::Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok(())
}

/// Marks a code used if nobody used it first; `false` means another request won.
pub async fn consume<C: ConnectionTrait>(
    c: &C,
    id: i64,
    now: OffsetDateTime,
) -> Result<bool, DbErr> {
    let done = code::Entity::update_many()
        .col_expr(code::Column::UsedAt, Expr::value(now))
        .filter(code::Column::Id.eq(id))
        .filter(code::Column::UsedAt.is_null())
        .filter(code::Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok(done.rows_affected == 1)
}
