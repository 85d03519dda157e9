//! ARC-1 … ARC-4: e-archives per member. An upload goes to the level above for review (an
//! `archive_review` request); an approved archive stays in force until its replacement is
//! approved; league identity certification (ARC-4) is derived from the approved 入团志愿书.

pub mod review;
pub mod rules;
pub mod view;

pub use rules::ArchiveActions;
pub use view::{archives_of, status_summaries, ArchiveView, MemberArchivesView};

use serde::Deserialize;
use serde_json::json;
use tuanwu_domain::archive::{ArchiveKind, NewArchive, UploadState};
use tuanwu_domain::request::{ArchiveReview, RequestChanges};
use tuanwu_domain::{FileId, MemberId};
use tuanwu_store::archive as store;
use utoipa::ToSchema;

use crate::audit::{self, AuditAction, Change};
use crate::request::submit::{insert, Subject};
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct UploadArchiveInput {
    /// `application_letter` (入团申请书) | `admission_form` (入团志愿书).
    pub kind: String,
    /// A file from `POST /api/v1/files` (PDF, JPEG or PNG, ≤ 20 MB).
    pub file_id: i64,
}

fn conflict(code: &'static str, message: String) -> AppError {
    AppError::Conflict {
        code,
        message,
        rule: Some("ARC-3"),
        field: None,
    }
}

/// ARC-2: the branch (or an admin above it) uploads; the level above the uploader reviews. The
/// topmost body's own uploads need no review. ARC-3: replacing an approved archive is for the
/// level above the member's branch, and the original stays in force until the replacement is
/// approved.
pub async fn upload(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
    input: UploadArchiveInput,
) -> Result<MemberArchivesView, AppError> {
    rules::may_upload(actor)?;
    let kind = ArchiveKind::parse(&input.kind).map_err(|e| e.rule("ARC-1").field("kind"))?;
    let tx = ctx.db.write().await?;
    let m = tuanwu_store::member::of_record(&*tx, member)
        .await?
        .filter(|m| m.is_active())
        .ok_or(AppError::NotFound)?;
    actor.ensure_in_scope(&*tx, m.org_id).await?;
    let files = crate::file::own_files(ctx, actor, &[input.file_id])
        .await
        .map_err(|_| {
            AppError::from(
                tuanwu_domain::DomainError::new(
                    "unknown_file",
                    "档案文件不存在或不是您上传的：请先上传 PDF 或 JPEG 文件再提交",
                )
                .rule("ARC-5")
                .field("file_id"),
            )
        })?;
    let existing: Vec<_> = store::of_member(&*tx, actor.scope(), member)
        .await?
        .into_iter()
        .filter(|a| a.kind == kind)
        .collect();
    if existing.iter().any(|a| a.status == UploadState::Pending) {
        return Err(conflict(
            "archive_review_pending",
            format!(
                "“{}”的{}已有一份待审核：请等审核结果出来后再上传，或请提交人撤销该审核申请",
                m.name,
                kind.label()
            ),
        ));
    }
    let replacing = existing.iter().any(|a| a.status.in_force());
    if replacing {
        actor
            .ensure_above(&*tx, m.org_id, "替换已通过审核的电子档案")
            .await?;
    }
    let now = ctx.clock.now();
    let row = store::insert(
        &*tx,
        NewArchive {
            member,
            kind,
            file: FileId(input.file_id),
            uploaded_by: actor.account(),
            created_at: now,
        },
    )
    .await?;
    let parent = tuanwu_store::org::get(&*tx, actor.org_id())
        .await?
        .and_then(|o| o.parent_id);
    match parent {
        None => review::put_in_force(&*tx, &row, now).await?,
        Some(decider) => {
            let branch = tuanwu_store::org::get(&*tx, m.org_id)
                .await?
                .map(|o| o.path)
                .unwrap_or_default();
            let summary = json!({
                "member_name": m.name,
                "branch": branch,
                "archive_kind": kind.key(),
                "archive_kind_label": kind.label(),
                "replacement": replacing,
                "file_name": files.first().map(|f| f.original_name.clone()),
            });
            let reason = if replacing {
                format!(
                    "替换已通过审核的{}，请审核（审核通过前原档案继续有效）",
                    kind.label()
                )
            } else {
                format!("上传{}，请审核", kind.label())
            };
            let r = insert(
                ctx,
                &*tx,
                Some(actor),
                Subject::from(&m),
                decider,
                RequestChanges::ArchiveReview(ArchiveReview {
                    archive_id: row.id.0,
                }),
                summary,
                reason,
                &[input.file_id],
            )
            .await?;
            store::link_request(&*tx, row.id, r.id).await?;
        }
    }
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::MemberUploadArchive, m.id.0)
            .org(m.org_id.0)
            .after(json!({ "archive_id": row.id.0, "kind": kind.key(), "file_id": input.file_id, "replacement": replacing })),
    )
    .await?;
    tx.commit().await?;
    archives_of(ctx, actor, member).await
}
