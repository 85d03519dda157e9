//! Demo e-archives: one small scanned form stored once, and approved 入团申请书 / 入团志愿书 for
//! verified members, so the demo's members can be transferred (TRF-7 needs ARC-4).

use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use tuanwu_domain::archive::ArchiveKind;
use tuanwu_store::blobs;
use tuanwu_store::entity::{archive, file};

use crate::{AppError, Context};

/// The smallest PDF readers open: one empty page.
const FORM_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// The demo's scanned form, uploaded by `account` of `org`.
#[derive(Clone, Copy)]
pub(super) struct DemoArchive {
    pub file_id: i64,
    pub uploaded_by: i64,
}

pub(super) async fn stored_form<C: sea_orm::ConnectionTrait>(
    c: &C,
    ctx: &Context,
    account: i64,
    org: i64,
) -> Result<DemoArchive, AppError> {
    let sha = blobs::put(&ctx.data_dir, FORM_PDF)
        .map_err(|e| AppError::Internal(format!("保存演示档案失败：{e}")))?;
    let f = file::ActiveModel {
        sha256: Set(sha),
        size: Set(FORM_PDF.len() as i64),
        content_type: Set("application/pdf".into()),
        original_name: Set("入团志愿书（演示扫描件）.pdf".into()),
        account_id: Set(account),
        org_id: Set(org),
        created_at: Set(ctx.clock.now()),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(DemoArchive {
        file_id: f.id,
        uploaded_by: account,
    })
}

/// Both archives, approved, for each member.
pub(super) async fn approve_for<C: sea_orm::ConnectionTrait>(
    c: &C,
    ctx: &Context,
    form: DemoArchive,
    members: &[i64],
) -> Result<(), AppError> {
    if members.is_empty() {
        return Ok(());
    }
    let now = ctx.clock.now();
    let rows = members.iter().flat_map(|m| {
        ArchiveKind::ALL_PAIR.map(|k| archive::ActiveModel {
            member_id: Set(*m),
            kind: Set(k.key().into()),
            file_id: Set(form.file_id),
            status: Set("approved".into()),
            uploaded_by: Set(form.uploaded_by),
            created_at: Set(now),
            decided_at: Set(Some(now)),
            ..Default::default()
        })
    });
    archive::Entity::insert_many(rows).exec(c).await?;
    Ok(())
}
