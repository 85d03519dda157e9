//! ARC-5: uploads (type by content, size limit, content-addressed) and permission-checked
//! downloads.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use tuanwu_domain::file::check_upload;
use tuanwu_domain::{text, OrgId};
use tuanwu_store::entity::{file, request, request_file};
use tuanwu_store::{blobs, queries};
use utoipa::ToSchema;

use crate::audit::{self, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: String,
}

impl From<file::Model> for FileView {
    fn from(f: file::Model) -> Self {
        Self {
            id: f.id,
            name: f.original_name,
            content_type: f.content_type,
            size: f.size,
            created_at: crate::audit::format_time(f.created_at),
        }
    }
}

pub async fn upload(
    ctx: &Context,
    actor: &Actor,
    name: &str,
    bytes: Vec<u8>,
) -> Result<FileView, AppError> {
    let kind = check_upload(&bytes)?;
    let name =
        text::optional(Some(name), "file", "文件名", 255)?.unwrap_or_else(|| "未命名文件".into());
    let data_dir = ctx.data_dir.clone();
    let size = bytes.len() as i64;
    let sha = tokio::task::spawn_blocking(move || blobs::put(&data_dir, &bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(format!("保存文件失败：{e}")))?;
    let tx = ctx.db.write().await?;
    let province_id = queries::org::find(&*tx, actor.org_id().0)
        .await?
        .and_then(|o| o.province_id);
    let f = file::ActiveModel {
        sha256: Set(sha),
        size: Set(size),
        content_type: Set(kind.mime().into()),
        original_name: Set(name),
        account_id: Set(actor.account().0),
        org_id: Set(actor.org_id().0),
        province_id: Set(province_id),
        created_at: Set(ctx.clock.now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("file", f.id, "upload")
            .org(actor.org_id().0)
            .after(serde_json::json!({ "name": f.original_name, "size": f.size, "content_type": f.content_type })),
    )
    .await?;
    tx.commit().await?;
    Ok(f.into())
}

/// The uploader, admins whose scope holds the uploader's org, and admins who may see a request
/// the file is attached to.
async fn may_read(ctx: &Context, actor: &Actor, f: &file::Model) -> Result<bool, AppError> {
    if f.account_id == actor.account().0 {
        return Ok(true);
    }
    let c = ctx.db.conn();
    if actor.ensure_in_scope(c, OrgId(f.org_id)).await.is_ok() {
        return Ok(true);
    }
    // ARC-5: an archive file is readable wherever its member's record is.
    let archived_for = tuanwu_store::archive::filed_as(c, tuanwu_domain::FileId(f.id)).await?;
    for a in archived_for {
        if crate::archive::archives_of(ctx, actor, a.member)
            .await
            .is_ok()
        {
            return Ok(true);
        }
    }
    let links = request_file::Entity::find()
        .filter(request_file::Column::FileId.eq(f.id))
        .all(c)
        .await?;
    for l in links {
        if let Some(r) = request::Entity::find_by_id(l.request_id).one(c).await? {
            if crate::request::may_see(ctx, actor, &r).await? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

pub async fn download(
    ctx: &Context,
    actor: &Actor,
    id: i64,
) -> Result<(FileView, Vec<u8>), AppError> {
    let f = file::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_read(ctx, actor, &f).await? {
        return Err(AppError::NotFound);
    }
    let data_dir = ctx.data_dir.clone();
    let sha = f.sha256.clone();
    let bytes = tokio::task::spawn_blocking(move || blobs::get(&data_dir, &sha))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(format!("读取文件失败：{e}")))?;
    Ok((f.into(), bytes))
}

/// Files the actor may attach: their own uploads.
pub async fn own_files(
    ctx: &Context,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<file::Model>, AppError> {
    let files = file::Entity::find()
        .filter(file::Column::Id.is_in(ids.iter().copied()))
        .filter(file::Column::AccountId.eq(actor.account().0))
        .all(ctx.db.conn())
        .await?;
    if files.len() != ids.len() {
        return Err(tuanwu_domain::DomainError::new(
            "unknown_file",
            "附件不存在或不是您上传的：请重新上传证明材料",
        )
        .field("file_ids")
        .into());
    }
    Ok(files)
}
