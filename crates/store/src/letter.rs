//! TRF-13: the letters table and its per-committee yearly counter, typed. Reads that an actor
//! makes take their `Scope`; letter numbers are taken without gaps inside the issuing
//! transaction.

use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use time::OffsetDateTime;
use tuanwu_domain::transfer::{Letter, NewLetter};
use tuanwu_domain::{AccountId, LetterId, MemberId, OrgId, TransferId};

use crate::entity::{letter, letter_counter};
use crate::queries::in_subtree;
use crate::scope::Scope;

use letter::Column as L;

fn record(m: letter::Model) -> Letter {
    Letter {
        id: LetterId(m.id),
        org: OrgId(m.org_id),
        year: m.year,
        seq: m.seq,
        number: m.number,
        transfer: m.transfer_id.map(TransferId),
        member: MemberId(m.member_id),
        fields_enc: m.fields,
        issued_by: AccountId(m.issued_by),
        issued_at: m.issued_at,
        valid_until: m.valid_until,
        receipt_at: m.receipt_at,
        receipt_note: m.receipt_note,
    }
}

/// The next number of `org` in `year`, taken inside the caller's transaction: one upsert that
/// locks the counter row until commit, so concurrent issues queue and a rolled-back issue gives
/// its number back.
pub async fn next_number<C: ConnectionTrait>(c: &C, org: OrgId, year: i32) -> Result<i64, DbErr> {
    use letter_counter::Column as Col;
    let stmt = Query::insert()
        .into_table(letter_counter::Entity)
        .columns([Col::OrgId, Col::Year, Col::Next])
        .values([org.0.into(), year.into(), 1i64.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(
            OnConflict::columns([Col::OrgId, Col::Year])
                .value(
                    Col::Next,
                    Expr::col((letter_counter::Entity, Col::Next)).add(1),
                )
                .to_owned(),
        )
        .returning_col(Col::Next)
        .to_owned();
    let row = c
        .query_one(c.get_database_backend().build(&stmt))
        .await?
        .ok_or_else(|| DbErr::Custom("letter counter returned no row".into()))?;
    row.try_get("", "next")
}

/// The letter issued for a transfer, if any: its id and number. Safe without a `Scope`: the
/// caller has read the transfer through the viewer's scope (or locked it after checking).
pub async fn of_transfer<C: ConnectionTrait>(
    c: &C,
    transfer: TransferId,
) -> Result<Option<(LetterId, String)>, DbErr> {
    Ok(letter::Entity::find()
        .filter(L::TransferId.eq(transfer.0))
        .one(c)
        .await?
        .map(|l| (LetterId(l.id), l.number)))
}

/// A letter whose issuing committee the scope reaches (an admin's subtree); anything else is
/// `None`, like a missing one. A member acting as member reaches none.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: LetterId,
) -> Result<Option<Letter>, DbErr> {
    let Some(root) = scope.root() else {
        return Ok(None);
    };
    Ok(letter::Entity::find_by_id(id.0)
        .filter(in_subtree(L::OrgId, root.0))
        .one(c)
        .await?
        .map(record))
}

/// Writes an issued letter (numbered by `next_number` in the same transaction).
pub async fn insert<C: ConnectionTrait>(c: &C, l: NewLetter) -> Result<Letter, DbErr> {
    let row = letter::ActiveModel {
        org_id: Set(l.org.0),
        year: Set(l.year),
        seq: Set(l.seq),
        number: Set(l.number),
        transfer_id: Set(l.transfer.map(|t| t.0)),
        member_id: Set(l.member.0),
        fields: Set(l.fields_enc),
        issued_by: Set(l.issued_by.0),
        issued_at: Set(l.issued_at),
        valid_until: Set(l.valid_until),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(record(row))
}

/// Records the 回执 only if none is recorded yet: false when another recording won the race.
/// The caller has read the letter through its scope.
pub async fn record_receipt<C: ConnectionTrait>(
    c: &C,
    id: LetterId,
    at: OffsetDateTime,
    note: Option<String>,
) -> Result<bool, DbErr> {
    let done = letter::Entity::update_many()
        .col_expr(L::ReceiptAt, Expr::value(Some(at)))
        .col_expr(L::ReceiptNote, Expr::value(note))
        .filter(L::Id.eq(id.0))
        .filter(L::ReceiptAt.is_null())
        .exec(c)
        .await?;
    Ok(done.rows_affected == 1)
}
