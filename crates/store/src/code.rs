//! One-time codes (ACC-5, ACC-6): found by their keyed hash, consumed once.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use tuanwu_domain::account::CodePurpose;

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

/// Issue 15 item 3: keeps a code issued from a page (encrypted) for its one showing to the
/// issuing session. Called in the issuing transaction.
pub async fn hold_for_display<C: ConnectionTrait>(
    c: &C,
    id: i64,
    encrypted: Vec<u8>,
    session: &str,
) -> Result<(), DbErr> {
    code::Entity::update_many()
        .col_expr(code::Column::DisplayEnc, Expr::value(Some(encrypted)))
        .col_expr(
            code::Column::DisplaySession,
            Expr::value(Some(session.to_string())),
        )
        .filter(code::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

/// What the page after issuing finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Showing {
    /// The first showing: the code's ciphertext, now cleared from the row.
    Code(Vec<u8>),
    /// A refresh: the code was shown already and is not kept.
    AlreadyShown,
}

/// Takes a page-issued code for its one showing. Only the issuing session finds it (scoped by
/// session, so no other actor check is needed); any other session, another purpose or no such
/// code is `None`. Two requests racing: one clears the row and shows the code, the other sees
/// it shown.
pub async fn take_display<C: ConnectionTrait>(
    c: &C,
    id: i64,
    purpose: CodePurpose,
    session: &str,
) -> Result<Option<Showing>, DbErr> {
    let Some(row) = code::Entity::find_by_id(id)
        .filter(code::Column::Purpose.eq(purpose.key()))
        .filter(code::Column::DisplaySession.eq(session))
        .one(c)
        .await?
    else {
        return Ok(None);
    };
    let Some(encrypted) = row.display_enc else {
        return Ok(Some(Showing::AlreadyShown));
    };
    let cleared = code::Entity::update_many()
        .col_expr(
            code::Column::DisplayEnc,
            Expr::value(Option::<Vec<u8>>::None),
        )
        .filter(code::Column::Id.eq(id))
        .filter(code::Column::DisplayEnc.is_not_null())
        .exec(c)
        .await?;
    Ok(Some(if cleared.rows_affected == 1 {
        Showing::Code(encrypted)
    } else {
        Showing::AlreadyShown
    }))
}
