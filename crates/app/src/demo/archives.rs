//! Demo e-archives: one small scanned form stored once, and approved 入团申请书 / 入团志愿书 for
//! verified members, so the demo's members can be transferred (TRF-7 needs ARC-4).

use tuanwu_domain::archive::{ArchiveKind, NewArchive};
use tuanwu_domain::file::{FileType, NewFile};
use tuanwu_domain::{AccountId, FileId, MemberId, OrgId};
use tuanwu_store::blobs;

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
    let f = tuanwu_store::file::insert(
        c,
        NewFile {
            sha256: sha,
            size: FORM_PDF.len() as i64,
            file_type: FileType::Pdf,
            original_name: "入团志愿书（演示扫描件）.pdf".into(),
            account: AccountId(account),
            org: OrgId(org),
            province: None,
            created_at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(DemoArchive {
        file_id: f.id.0,
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
    let now = ctx.clock.now();
    let uploads: Vec<NewArchive> = members
        .iter()
        .flat_map(|m| {
            ArchiveKind::ALL_PAIR.map(|kind| NewArchive {
                member: MemberId(*m),
                kind,
                file: FileId(form.file_id),
                uploaded_by: AccountId(form.uploaded_by),
                created_at: now,
            })
        })
        .collect();
    tuanwu_store::archive::insert_approved(c, &uploads, now).await?;
    Ok(())
}
