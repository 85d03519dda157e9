//! The decisions of an `archive_review` request, applied in the decider's transaction.

use sea_orm::ConnectionTrait;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use tuanwu_domain::archive::{Archive, UploadState};
use tuanwu_domain::ArchiveId;
use tuanwu_store::archive as store;

use crate::AppError;

fn archive_id(changes: &Map<String, Value>) -> Result<ArchiveId, AppError> {
    changes
        .get("archive_id")
        .and_then(Value::as_i64)
        .map(ArchiveId)
        .ok_or_else(|| AppError::Internal("archive review without archive_id".into()))
}

/// ARC-3: the approved archive becomes the one in force; the one it replaces is kept, marked
/// superseded.
pub(crate) async fn put_in_force<C: ConnectionTrait>(
    c: &C,
    a: &Archive,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    store::supersede(c, a.member, a.kind).await?;
    Ok(store::decide(c, a.id, UploadState::Approved, now).await?)
}

pub(crate) async fn approve<C: ConnectionTrait>(
    c: &C,
    changes: &Map<String, Value>,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let a = store::find(c, archive_id(changes)?)
        .await?
        .ok_or(AppError::NotFound)?;
    put_in_force(c, &a, now).await
}

/// Rejected (or withdrawn by the uploader): the approved original, if any, stays in force.
/// `status` is the request's own outcome (`rejected` | `withdrawn`), named as the upload's.
pub(crate) async fn close<C: ConnectionTrait>(
    c: &C,
    changes: &Map<String, Value>,
    status: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let to = match UploadState::parse(status)? {
        to @ (UploadState::Rejected | UploadState::Withdrawn) => to,
        other => {
            return Err(AppError::Internal(format!(
                "an archive review does not close as {}",
                other.key()
            )))
        }
    };
    Ok(store::decide(c, archive_id(changes)?, to, now).await?)
}
