//! TRF-13: letter numbers per committee per year, without gaps.

use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};

use crate::entity::letter_counter;

/// The next number of `org` in `year`, taken inside the caller's transaction: one upsert that
/// locks the counter row until commit, so concurrent issues queue and a rolled-back issue gives
/// its number back.
pub async fn next_number<C: ConnectionTrait>(c: &C, org: i64, year: i32) -> Result<i64, DbErr> {
    use letter_counter::Column as Col;
    let stmt = Query::insert()
        .into_table(letter_counter::Entity)
        .columns([Col::OrgId, Col::Year, Col::Next])
        .values([org.into(), year.into(), 1i64.into()])
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

/// The letter issued for a transfer, if any: its id and number.
pub async fn of_transfer<C: ConnectionTrait>(
    c: &C,
    transfer: tuanwu_domain::TransferId,
) -> Result<Option<(tuanwu_domain::LetterId, String)>, DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Ok(crate::entity::letter::Entity::find()
        .filter(crate::entity::letter::Column::TransferId.eq(transfer.0))
        .one(c)
        .await?
        .map(|l| (tuanwu_domain::LetterId(l.id), l.number)))
}
