//! ARC-1 … ARC-5: the e-archive uploads, typed. A stored kind or review state the domain does
//! not know is an error, never a default.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use time::OffsetDateTime;
use tuanwu_domain::archive::{Archive, ArchiveKind, NewArchive, UploadState};
use tuanwu_domain::file::StoredFile;
use tuanwu_domain::{AccountId, ArchiveId, DomainError, FileId, MemberId, RequestId};

use crate::entity::{archive, file, member};
use crate::queries::in_subtree;
use crate::scope::Scope;

use archive::Column as A;

/// A stored value the domain does not know: the row is refused, not guessed.
fn unknown(column: &str, e: DomainError) -> DbErr {
    DbErr::Type(format!("archives.{column}: {}", e.message))
}

fn record(m: archive::Model) -> Result<Archive, DbErr> {
    Ok(Archive {
        id: ArchiveId(m.id),
        member: MemberId(m.member_id),
        kind: ArchiveKind::parse(&m.kind).map_err(|e| unknown("kind", e))?,
        file: FileId(m.file_id),
        status: UploadState::parse(&m.status).map_err(|e| unknown("status", e))?,
        request: m.request_id.map(RequestId),
        uploaded_by: AccountId(m.uploaded_by),
        created_at: m.created_at,
        decided_at: m.decided_at,
    })
}

fn records(rows: Vec<archive::Model>) -> Result<Vec<Archive>, DbErr> {
    rows.into_iter().map(record).collect()
}

/// ARC-1: an admin sees the archives of members in the subtree; a member their own.
fn visible(scope: Scope) -> Condition {
    match scope {
        Scope::OwnRecord { member, .. } => Condition::all().add(A::MemberId.eq(member.0)),
        Scope::Subtree(root) => Condition::all().add(
            A::MemberId.in_subquery(
                Query::select()
                    .column(member::Column::Id)
                    .from(member::Entity)
                    .and_where(in_subtree(member::Column::OrgId, root.0))
                    .to_owned(),
            ),
        ),
    }
}

/// Every upload of a member the scope reaches, newest first (none for anyone else).
pub async fn of_member<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    member: MemberId,
) -> Result<Vec<Archive>, DbErr> {
    records(
        archive::Entity::find()
            .filter(A::MemberId.eq(member.0))
            .filter(visible(scope))
            .order_by_desc(A::Id)
            .all(c)
            .await?,
    )
}

/// The uploads of these members, for the per-kind status of a list page (ARC-1). The caller
/// lists members it has read through its scope.
pub async fn of_members<C: ConnectionTrait>(
    c: &C,
    members: &[MemberId],
) -> Result<Vec<Archive>, DbErr> {
    records(
        archive::Entity::find()
            .filter(A::MemberId.is_in(members.iter().map(|m| m.0)))
            .all(c)
            .await?,
    )
}

/// ARC-5: the uploads a file was filed as, so that it is readable wherever its member's record
/// is. The caller then reads each member's archives through its own scope.
pub async fn filed_as<C: ConnectionTrait>(c: &C, file: FileId) -> Result<Vec<Archive>, DbErr> {
    records(
        archive::Entity::find()
            .filter(A::FileId.eq(file.0))
            .all(c)
            .await?,
    )
}

/// The archive an `archive_review` request is about. The request's decider was checked by the
/// request mechanism.
pub async fn find<C: ConnectionTrait>(c: &C, id: ArchiveId) -> Result<Option<Archive>, DbErr> {
    archive::Entity::find_by_id(id.0)
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// ARC-2: a new upload, pending review.
pub async fn insert<C: ConnectionTrait>(c: &C, a: NewArchive) -> Result<Archive, DbErr> {
    let row = archive::ActiveModel {
        member_id: Set(a.member.0),
        kind: Set(a.kind.key().into()),
        file_id: Set(a.file.0),
        status: Set(UploadState::Pending.key().into()),
        uploaded_by: Set(a.uploaded_by.0),
        created_at: Set(a.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    record(row)
}

/// Uploads already reviewed and approved at `at` (the demo's members, whose forms were checked
/// on paper), written in one statement.
pub async fn insert_approved<C: ConnectionTrait>(
    c: &C,
    uploads: &[NewArchive],
    at: OffsetDateTime,
) -> Result<(), DbErr> {
    if uploads.is_empty() {
        return Ok(());
    }
    archive::Entity::insert_many(uploads.iter().map(|a| archive::ActiveModel {
        member_id: Set(a.member.0),
        kind: Set(a.kind.key().into()),
        file_id: Set(a.file.0),
        status: Set(UploadState::Approved.key().into()),
        uploaded_by: Set(a.uploaded_by.0),
        created_at: Set(a.created_at),
        decided_at: Set(Some(at)),
        ..Default::default()
    }))
    .exec(c)
    .await?;
    Ok(())
}

/// ARC-2: the review request the upload waits for.
pub async fn link_request<C: ConnectionTrait>(
    c: &C,
    id: ArchiveId,
    request: RequestId,
) -> Result<(), DbErr> {
    archive::Entity::update_many()
        .col_expr(A::RequestId, Expr::value(request.0))
        .filter(A::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// The review's outcome for an upload, decided `at`.
pub async fn decide<C: ConnectionTrait>(
    c: &C,
    id: ArchiveId,
    to: UploadState,
    at: OffsetDateTime,
) -> Result<(), DbErr> {
    archive::Entity::update_many()
        .col_expr(A::Status, Expr::value(to.key()))
        .col_expr(A::DecidedAt, Expr::value(at))
        .filter(A::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// ARC-3: the archive in force of this member and kind is kept, marked superseded.
pub async fn supersede<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    kind: ArchiveKind,
) -> Result<(), DbErr> {
    archive::Entity::update_many()
        .col_expr(A::Status, Expr::value(UploadState::Superseded.key()))
        .filter(A::MemberId.eq(member.0))
        .filter(A::Kind.eq(kind.key()))
        .filter(A::Status.eq(UploadState::Approved.key()))
        .exec(c)
        .await?;
    Ok(())
}

/// The stored files of these uploads. The caller read the uploads through its scope.
pub async fn files_of<C: ConnectionTrait>(
    c: &C,
    uploads: &[Archive],
) -> Result<Vec<StoredFile>, DbErr> {
    file::Entity::find()
        .filter(file::Column::Id.is_in(uploads.iter().map(|a| a.file.0)))
        .all(c)
        .await?
        .into_iter()
        .map(crate::file::record)
        .collect()
}
