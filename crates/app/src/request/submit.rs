//! Opening a request: a correction or deletion by an admin in scope, or a development-number
//! conflict opened by the system when a held number is entered.

use sea_orm::ConnectionTrait;
use serde::Deserialize;
use serde_json::{json, Value};
use tuanwu_domain::account::Permission;
use tuanwu_domain::mask::mask_resident_id;
use tuanwu_domain::member::Member;
use tuanwu_domain::request::{
    Deletion, DeletionReason, NewRequest, NumberClaim, Request, RequestChanges, RequestKind,
    RequestStep,
};
use tuanwu_domain::{text, DomainError, FileId, MemberId, OrgId};
use tuanwu_store::request as store;
use utoipa::ToSchema;

use super::correction::correction;
use super::view::{request_view, RequestView};
use crate::history::{self, Step};
use crate::sealed::seal;

use crate::member::view::decrypt_resident_id;
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitInput {
    /// `member_correction` | `member_deletion` | `graduation_change`.
    pub kind: String,
    /// The member a member-level request is about (correction, deletion).
    pub member_id: Option<i64>,
    /// The org an org-level request is about (`graduation_change`: the branch, GRD-2).
    pub org_id: Option<i64>,
    /// Correction: any of `joined_on`, `development_no`, `name`, `resident_id` (name and
    /// resident ID never together). Deletion: `{"deletion_reason": "entered_in_error" | "death" | "other"}`.
    /// Graduation change: `{"year_month": "2027-06"}` or `{"mixed": true}`.
    #[schema(value_type = Object)]
    pub changes: Value,
    pub reason: String,
    /// Evidence files from `POST /api/v1/files` (a correction needs at least one).
    pub file_ids: Option<Vec<i64>>,
}

pub(super) fn bad(
    code: &'static str,
    message: impl Into<String>,
    rule: &'static str,
    field: &'static str,
) -> AppError {
    DomainError::new(code, message)
        .rule(rule)
        .field(field)
        .into()
}

/// What a request is about: a member record, or (MEM-4) a branch a person asks to join.
pub(crate) struct Subject {
    pub member_id: Option<i64>,
    pub org_id: i64,
    pub province_id: Option<i64>,
    /// Who asked when no one is logged in (a self-registration): their name for the history.
    pub anonymous_requester: Option<String>,
}

impl From<&Member> for Subject {
    fn from(m: &Member) -> Self {
        Subject {
            member_id: Some(m.id.0),
            org_id: m.org_id.0,
            province_id: m.province_id.map(|o| o.0),
            anonymous_requester: None,
        }
    }
}

/// Inserts the request, its first history step and its files, and audits it.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: Option<&Actor>,
    subject: Subject,
    decider_org: OrgId,
    changes: RequestChanges,
    summary: Value,
    reason: String,
    file_ids: &[i64],
) -> Result<Request, AppError> {
    let org = OrgId(subject.org_id);
    let r = store::insert(
        c,
        &ctx.cipher,
        NewRequest {
            changes,
            member: subject.member_id.map(MemberId),
            org,
            province: subject.province_id.map(OrgId),
            requester_account: actor.map(Actor::account),
            requester_org: actor.map_or(org, Actor::org_id),
            decider_org,
            summary: summary.clone(),
            reason: reason.clone(),
            created_at: ctx.clock.now(),
        },
    )
    .await?;
    let mut step = Step::new(
        history::Subject::Request(r.id),
        RequestStep::Submit.key(),
        org.0,
    )
    .note(Some(reason))
    .after(summary);
    if let (None, Some(name)) = (actor, subject.anonymous_requester) {
        step = step.shown_as(name);
    }
    history::record(ctx, c, actor, step).await?;
    let files: Vec<FileId> = file_ids.iter().copied().map(FileId).collect();
    store::attach(c, r.id, &files).await?;
    Ok(r)
}

pub async fn submit(
    ctx: &Context,
    actor: &Actor,
    input: SubmitInput,
) -> Result<RequestView, AppError> {
    actor.require(Permission::Requests)?;
    let kind = RequestKind::parse(&input.kind).map_err(|e| e.field("kind"))?;
    let reason = text::required(&input.reason, "reason", "申请理由", 500)?;
    let file_ids = input.file_ids.clone().unwrap_or_default();
    crate::file::own_files(ctx, actor, &file_ids).await?;
    let Some(changes) = input.changes.as_object() else {
        return Err(bad(
            "invalid_changes",
            "changes 应为对象，例如 {\"joined_on\": \"2019-06\"}",
            kind.rule(),
            "changes",
        ));
    };
    if kind == RequestKind::GraduationChange {
        return crate::graduation::change::submit_change(
            ctx,
            actor,
            input.org_id,
            changes,
            reason,
            &file_ids,
        )
        .await;
    }
    let Some(member_id) = input.member_id else {
        return Err(bad(
            "member_required",
            "请指明申请涉及的团员（member_id）",
            kind.rule(),
            "member_id",
        ));
    };
    let tx = ctx.db.write().await?;
    let m = tuanwu_store::member::of_record(&*tx, MemberId(member_id))
        .await?
        .ok_or(AppError::NotFound)?;
    actor.ensure_in_scope(&*tx, m.org_id).await?;
    if !m.is_active() {
        return Err(AppError::NotFound);
    }
    if store::pending_exists(&*tx, m.id, kind).await? {
        return Err(AppError::Conflict {
            code: "request_already_pending",
            message: format!(
                "“{}”已有一份待审批的{}申请：请等待审批结果，或撤销后重新提交",
                m.name,
                kind.label()
            ),
            rule: Some("SYS-3"),
            field: None,
        });
    }
    let branch = tuanwu_store::org::get(&*tx, m.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (changes, summary) = match kind {
        RequestKind::MemberCorrection => {
            if file_ids.is_empty() {
                return Err(bad(
                    "evidence_required",
                    "更正申请须附证明材料（如入团志愿书、身份证的扫描件）：请先上传",
                    "MEM-6",
                    "file_ids",
                ));
            }
            let (apply, rows) = correction(ctx, &*tx, &m, changes).await?;
            (
                RequestChanges::MemberCorrection(apply),
                json!({ "member_name": m.name, "branch": branch.path, "changes": rows }),
            )
        }
        RequestKind::MemberDeletion => {
            let why = changes
                .get("deletion_reason")
                .and_then(Value::as_str)
                .unwrap_or("");
            let why =
                DeletionReason::parse(why).map_err(|e| e.rule("MEM-7").field("deletion_reason"))?;
            match why {
                DeletionReason::Dropout => {
                    return Err(bad(
                        "dropout_not_deletable",
                        "退学的团员不能删除：请为其办理组织关系转接（转出到居住地或新单位的团组织）",
                        "MEM-7",
                        "deletion_reason",
                    ))
                }
                DeletionReason::Other if actor.role_name().works_branches() => {
                    return Err(bad(
                        "school_confirmation_required",
                        "除“录入错误”和“死亡”外，删除团员须先经学校团委确认：请联系校级管理员提交此申请",
                        "MEM-7",
                        "deletion_reason",
                    ))
                }
                _ => {}
            }
            let rid = decrypt_resident_id(&ctx.cipher, &m);
            let summary = json!({
                "member_name": m.name,
                "branch": branch.path,
                "branch_name": branch.name,
                "resident_id": seal(&ctx.cipher, &mask_resident_id(&rid)),
                "deletion_reason": why.key(),
                "deletion_reason_label": why.label(),
            });
            (
                RequestChanges::MemberDeletion(Deletion {
                    deletion_reason: why,
                    resident_id: rid,
                }),
                summary,
            )
        }
        RequestKind::DevelopmentNoConflict => {
            return Err(bad(
                "kind_not_submittable",
                "发展团员编号冲突由系统在录入时自动提交，无需手动申请",
                "MEM-10",
                "kind",
            ))
        }
        RequestKind::MemberRegistration => {
            return Err(bad(
                "kind_not_submittable",
                "团员自助注册由本人在注册页面提交（POST /api/v1/auth/register-member），管理员可直接录入团员",
                "MEM-4",
                "kind",
            ))
        }
        RequestKind::GraduationChange => {
            return Err(AppError::Internal("graduation_change handled above".into()))
        }
        RequestKind::ArchiveReview => {
            return Err(bad(
                "kind_not_submittable",
                "电子档案上传后自动提交审核：请在团员页面上传档案（POST /api/v1/members/{id}/archives）",
                "ARC-2",
                "kind",
            ))
        }
    };
    let decider = super::decider_org(&*tx, kind.decider_level(), actor, m.org_id).await?;
    let r = insert(
        ctx,
        &*tx,
        Some(actor),
        Subject::from(&m),
        decider,
        changes,
        summary,
        reason,
        &file_ids,
    )
    .await?;
    tx.commit().await?;
    request_view(ctx, actor, r).await
}

/// MEM-10: `claimant` was entered with a number `holder` already has. The number stays with the
/// holder; the province decides. Only names and org paths go into the case's summary.
pub async fn open_development_no_conflict<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    claimant: &Member,
    holder: &Member,
    number: &str,
) -> Result<i64, AppError> {
    let decider = super::decider_org(
        c,
        RequestKind::DevelopmentNoConflict.decider_level(),
        actor,
        claimant.org_id,
    )
    .await?;
    let branch = tuanwu_store::org::get(c, claimant.org_id)
        .await?
        .map(|o| o.path)
        .unwrap_or_default();
    let holder_branch = tuanwu_store::org::get(c, holder.org_id)
        .await?
        .map(|o| o.path)
        .unwrap_or_default();
    let summary = json!({
        "member_name": claimant.name,
        "branch": branch,
        "resident_id": seal(&ctx.cipher, &mask_resident_id(&decrypt_resident_id(&ctx.cipher, claimant))),
        "development_no": number,
        "holder_name": holder.name,
        "holder_branch": holder_branch,
        "holder_resident_id": seal(&ctx.cipher, &mask_resident_id(&decrypt_resident_id(&ctx.cipher, holder))),
    });
    let claim = RequestChanges::DevelopmentNoConflict(NumberClaim {
        development_no: number.to_string(),
        holder_member_id: holder.id,
    });
    let reason =
        format!("录入时填写的发展团员编号{number}已被其他团员占用，提请省级团委核实编号归属");
    let r = insert(
        ctx,
        c,
        Some(actor),
        Subject::from(claimant),
        decider,
        claim,
        summary,
        reason,
        &[],
    )
    .await?;
    Ok(r.id.0)
}
