//! One-time codes (ACC-5, ACC-6): found by their keyed hash, consumed once.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use time::OffsetDateTime;

use tuanwu_domain::account::{Code, CodePurpose, NewCode};
use tuanwu_domain::{AccountId, CodeId, OrgId};

use crate::entity::code;

fn record(m: code::Model) -> Result<Code, DbErr> {
    Ok(Code {
        id: CodeId(m.id),
        purpose: CodePurpose::parse(&m.purpose)
            .map_err(|e| DbErr::Type(format!("codes.purpose: {}", e.message)))?,
        code_hash: m.code_hash,
        org_id: OrgId(m.org_id),
        account_id: m.account_id.map(AccountId),
        issued_by: AccountId(m.issued_by),
        created_at: m.created_at,
        expires_at: m.expires_at,
        used_at: m.used_at,
        revoked_at: m.revoked_at,
    })
}

/// A code by its keyed hash. Unscoped: only someone holding the code knows the hash.
pub async fn find_by_hash<C: ConnectionTrait>(c: &C, hash: Vec<u8>) -> Result<Option<Code>, DbErr> {
    code::Entity::find()
        .filter(code::Column::CodeHash.eq(hash))
        .one(c)
        .await?
        .map(record)
        .transpose()
}

pub async fn insert<C: ConnectionTrait>(
    c: &C,
    k: NewCode,
    now: OffsetDateTime,
) -> Result<Code, DbErr> {
    record(
        code::ActiveModel {
            purpose: Set(k.purpose.key().into()),
            code_hash: Set(k.code_hash),
            org_id: Set(k.org_id.0),
            account_id: Set(k.account_id.map(|a| a.0)),
            issued_by: Set(k.issued_by.0),
            created_at: Set(now),
            expires_at: Set(k.expires_at),
            ..Default::default()
        }
        .insert(c)
        .await?,
    )
}

/// The reset codes of an account that are neither used nor replaced (expired ones included, so
/// the answer can say a code has expired).
pub async fn open_reset_codes<C: ConnectionTrait>(
    c: &C,
    account: AccountId,
) -> Result<Vec<Code>, DbErr> {
    code::Entity::find()
        .filter(code::Column::AccountId.eq(account.0))
        .filter(code::Column::Purpose.eq(CodePurpose::Reset.key()))
        .filter(code::Column::UsedAt.is_null())
        .filter(code::Column::RevokedAt.is_null())
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// ACC-6: regenerating invalidates the previous codes of the same person.
pub async fn revoke_reset_codes<C: ConnectionTrait>(
    c: &C,
    account: AccountId,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    code::Entity::update_many()
        .col_expr(code::Column::RevokedAt, Expr::value(now))
        .filter(code::Column::AccountId.eq(account.0))
        .filter(code::Column::Purpose.eq(CodePurpose::Reset.key()))
        .filter(code::Column::UsedAt.is_null())
        .filter(code::Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok(())
}

/// Marks a code used if nobody used it first; `false` means another request won.
pub async fn consume<C: ConnectionTrait>(
    c: &C,
    id: CodeId,
    now: OffsetDateTime,
) -> Result<bool, DbErr> {
    let done = code::Entity::update_many()
        .col_expr(code::Column::UsedAt, Expr::value(now))
        .filter(code::Column::Id.eq(id.0))
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
    id: CodeId,
    encrypted: Vec<u8>,
    session: &str,
) -> Result<(), DbErr> {
    code::Entity::update_many()
        .col_expr(code::Column::DisplayEnc, Expr::value(Some(encrypted)))
        .col_expr(
            code::Column::DisplaySession,
            Expr::value(Some(session.to_string())),
        )
        .filter(code::Column::Id.eq(id.0))
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
    id: CodeId,
    purpose: CodePurpose,
    session: &str,
) -> Result<Option<Showing>, DbErr> {
    let Some(row) = code::Entity::find_by_id(id.0)
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
        .filter(code::Column::Id.eq(id.0))
        .filter(code::Column::DisplayEnc.is_not_null())
        .exec(c)
        .await?;
    Ok(Some(if cleared.rows_affected == 1 {
        Showing::Code(encrypted)
    } else {
        Showing::AlreadyShown
    }))
}
