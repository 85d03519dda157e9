//! ARC-5: uploads (type by content, size limit, content-addressed) and permission-checked
//! downloads.

use serde::Serialize;
use tuanwu_domain::file::{check_upload, NewFile, StoredFile};
use tuanwu_domain::{text, FileId};
use tuanwu_store::blobs;
use tuanwu_store::file as store;
use utoipa::ToSchema;

use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: String,
}

impl From<StoredFile> for FileView {
    fn from(f: StoredFile) -> Self {
        Self {
            id: f.id.0,
            name: f.original_name,
            content_type: f.file_type.mime().into(),
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
    let file_type = check_upload(&bytes)?;
    let name =
        text::optional(Some(name), "file", "文件名", 255)?.unwrap_or_else(|| "未命名文件".into());
    let data_dir = ctx.data_dir.clone();
    let size = bytes.len() as i64;
    let sha = tokio::task::spawn_blocking(move || blobs::put(&data_dir, &bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(format!("保存文件失败：{e}")))?;
    let tx = ctx.db.write().await?;
    let province = tuanwu_store::org::get(&*tx, actor.org_id())
        .await?
        .and_then(|o| o.province_id);
    let f = store::insert(
        &*tx,
        NewFile {
            sha256: sha,
            size,
            file_type,
            original_name: name,
            account: actor.account(),
            org: actor.org_id(),
            province,
            created_at: ctx.clock.now(),
        },
    )
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::FileUpload, f.id.0)
            .org(actor.org_id().0)
            .after(serde_json::json!({ "name": f.original_name, "size": f.size, "content_type": f.file_type.mime() })),
    )
    .await?;
    tx.commit().await?;
    Ok(f.into())
}

/// The uploader, admins whose scope holds the uploader's org, admins who may see a request
/// the file is attached to, and whoever may see a meeting record it is attached to (MTG-1).
async fn may_read(ctx: &Context, actor: &Actor, f: &StoredFile) -> Result<bool, AppError> {
    if f.account == actor.account() {
        return Ok(true);
    }
    let c = ctx.db.conn();
    if actor.ensure_in_scope(c, f.org).await.is_ok() {
        return Ok(true);
    }
    // ARC-5: an archive file is readable wherever its member's record is.
    for a in tuanwu_store::archive::filed_as(c, f.id).await? {
        if crate::archive::archives_of(ctx, actor, a.member)
            .await
            .is_ok()
        {
            return Ok(true);
        }
    }
    if tuanwu_store::meeting::holds_file(c, actor.scope(), f.id).await? {
        return Ok(true);
    }
    for r in tuanwu_store::request::linked_to(c, f.id).await? {
        if crate::request::may_see(c, actor, &r).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

pub async fn download(
    ctx: &Context,
    actor: &Actor,
    id: FileId,
) -> Result<(FileView, Vec<u8>), AppError> {
    let f = store::find(ctx.db.conn(), id)
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
) -> Result<Vec<StoredFile>, AppError> {
    let wanted: Vec<FileId> = ids.iter().copied().map(FileId).collect();
    let files = store::own(ctx.db.conn(), actor.account(), &wanted).await?;
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
