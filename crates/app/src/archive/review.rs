//! The decisions of an `archive_review` request, applied in the decider's transaction.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use tuanwu_store::entity::archive;

use crate::AppError;

fn archive_id(changes: &Map<String, Value>) -> Result<i64, AppError> {
    changes
        .get("archive_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| AppError::Internal("archive review without archive_id".into()))
}

async fn set_status<C: ConnectionTrait>(
    c: &C,
    id: i64,
    status: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    archive::Entity::update_many()
        .col_expr(archive::Column::Status, Expr::value(status))
        .col_expr(archive::Column::DecidedAt, Expr::value(now))
        .filter(archive::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

/// ARC-3: the approved archive becomes the one in force; the one it replaces is kept, marked
/// superseded.
pub(crate) async fn put_in_force<C: ConnectionTrait>(
    c: &C,
    a: &archive::Model,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    archive::Entity::update_many()
        .col_expr(archive::Column::Status, Expr::value("superseded"))
        .filter(archive::Column::MemberId.eq(a.member_id))
        .filter(archive::Column::Kind.eq(a.kind.clone()))
        .filter(archive::Column::Status.eq("approved"))
        .exec(c)
        .await?;
    set_status(c, a.id, "approved", now).await
}

pub(crate) async fn approve<C: ConnectionTrait>(
    c: &C,
    changes: &Map<String, Value>,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let a = archive::Entity::find_by_id(archive_id(changes)?)
        .one(c)
        .await?
        .ok_or(AppError::NotFound)?;
    put_in_force(c, &a, now).await
}

/// Rejected (or withdrawn by the uploader): the approved original, if any, stays in force.
pub(crate) async fn close<C: ConnectionTrait>(
    c: &C,
    changes: &Map<String, Value>,
    status: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    set_status(c, archive_id(changes)?, status, now).await
}
