//! ARC-5: the files table (uploads' metadata), typed. Who may read a file is decided in `app`
//! from the links these functions return; a stored type the domain does not accept is an error.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use tuanwu_domain::file::{FileType, NewFile, StoredFile};
use tuanwu_domain::{AccountId, FileId, OrgId};

use crate::entity::file;

pub(crate) fn record(m: file::Model) -> Result<StoredFile, DbErr> {
    Ok(StoredFile {
        id: FileId(m.id),
        file_type: FileType::from_mime(&m.content_type).ok_or_else(|| {
            DbErr::Type(format!(
                "files.content_type: “{}” is not accepted",
                m.content_type
            ))
        })?,
        sha256: m.sha256,
        size: m.size,
        original_name: m.original_name,
        account: AccountId(m.account_id),
        org: OrgId(m.org_id),
        province: m.province_id.map(OrgId),
        created_at: m.created_at,
    })
}

pub async fn insert<C: ConnectionTrait>(c: &C, f: NewFile) -> Result<StoredFile, DbErr> {
    let row = file::ActiveModel {
        sha256: Set(f.sha256),
        size: Set(f.size),
        content_type: Set(f.file_type.mime().into()),
        original_name: Set(f.original_name),
        account_id: Set(f.account.0),
        org_id: Set(f.org.0),
        province_id: Set(f.province.map(|p| p.0)),
        created_at: Set(f.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    record(row)
}

/// One file's metadata. Safe without a `Scope`: the caller answers `NotFound` unless the
/// viewer is the uploader, has the uploader's org in scope, or may see what the file is
/// attached to (`app::file::may_read`).
pub async fn find<C: ConnectionTrait>(c: &C, id: FileId) -> Result<Option<StoredFile>, DbErr> {
    file::Entity::find_by_id(id.0)
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// Of `ids`, the files `account` uploaded. Safe without a `Scope`: it matches only the
/// uploader's own.
pub async fn own<C: ConnectionTrait>(
    c: &C,
    account: AccountId,
    ids: &[FileId],
) -> Result<Vec<StoredFile>, DbErr> {
    file::Entity::find()
        .filter(file::Column::Id.is_in(ids.iter().map(|f| f.0)))
        .filter(file::Column::AccountId.eq(account.0))
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect()
}
