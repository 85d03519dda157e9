//! ACC-8: an admin in scope records the outcome of an offline check — 线下通过 (they saw the ID
//! card) or 未通过 (with the reason).

use serde::{Deserialize, Serialize};
use tuanwu_domain::account::{IdentityCheck, Permission};
use tuanwu_domain::member::{Member, MemberChanges};
use tuanwu_domain::{DomainError, MemberId};
use utoipa::ToSchema;

use crate::audit::{self, AuditAction, Change};
use crate::clock::CST;
use crate::member::view::{member_view, MemberView};
use crate::{Actor, AppError, Context};

/// The longest failure reason or remark kept with the status.
pub const REASON_MAX_CHARS: usize = 200;

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ConfirmIdentityInput {
    /// `verified_offline` (线下通过: the admin saw the ID card) or `failed` (未通过).
    pub status: String,
    /// Required for `failed`: what does not match. Optional remark for `verified_offline`.
    pub reason: Option<String>,
}

/// What the audit log keeps of an identity check.
#[derive(Serialize)]
pub struct IdentityAudit<'a> {
    pub identity_check: &'a str,
    pub identity_note: Option<&'a str>,
}

impl<'a> IdentityAudit<'a> {
    pub fn of(m: &'a Member) -> Self {
        Self {
            identity_check: m.identity_check.key(),
            identity_note: m.identity_note.as_deref(),
        }
    }
}

fn invalid(code: &'static str, field: &'static str, message: impl Into<String>) -> AppError {
    DomainError::new(code, message)
        .rule("ACC-8")
        .field(field)
        .into()
}

/// The status an admin may set, and the note kept with it.
fn decide(
    actor: &Actor,
    input: &ConfirmIdentityInput,
    at: time::OffsetDateTime,
) -> Result<(IdentityCheck, String), AppError> {
    let status = IdentityCheck::parse(&input.status).map_err(|e| {
        invalid(
            "invalid_identity_check",
            "status",
            format!(
                "{}：请选择“线下通过”（verified_offline）或“未通过”（failed）",
                e.message
            ),
        )
    })?;
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(r) = reason {
        if r.chars().count() > REASON_MAX_CHARS {
            return Err(invalid(
                "identity_reason_too_long",
                "reason",
                format!("说明不能超过{REASON_MAX_CHARS}个字：请精简后再提交"),
            ));
        }
    }
    match status {
        IdentityCheck::VerifiedOffline => {
            let at = at.to_offset(CST);
            let mut note = format!(
                "{}（{}）于{}年{}月{}日{:02}:{:02}查验身份证原件，确认线下通过",
                actor.name(),
                actor.role_name().label(),
                at.year(),
                u8::from(at.month()),
                at.day(),
                at.hour(),
                at.minute()
            );
            if let Some(r) = reason {
                note.push_str("；备注：");
                note.push_str(r);
            }
            Ok((status, note))
        }
        IdentityCheck::Failed => match reason {
            Some(r) => Ok((status, r.to_string())),
            None => Err(invalid(
                "identity_reason_required",
                "reason",
                "标记“未通过”时须写明原因（如：姓名与身份证不一致）：请填写原因后再提交",
            )),
        },
        IdentityCheck::Verified => Err(invalid(
            "identity_status_not_allowed",
            "status",
            "“已认证”只能由身份核验服务自动给出：您查验过身份证原件的，请选择“线下通过”",
        )),
        IdentityCheck::Pending => Err(invalid(
            "identity_status_not_allowed",
            "status",
            "不能手动改回“待核验”：请选择“线下通过”或“未通过”；号码或姓名录错的，请先更正，系统会重新核验",
        )),
    }
}

/// Records 线下通过 or 未通过 for a member in the actor's scope; returns the updated record.
pub async fn confirm(
    ctx: &Context,
    actor: &Actor,
    id: MemberId,
    input: ConfirmIdentityInput,
) -> Result<MemberView, AppError> {
    actor.require(Permission::Identity)?;
    let now = ctx.clock.now();
    let tx = ctx.db.write().await?;
    let old = tuanwu_store::member::of_record(&*tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    actor.ensure_in_scope(&*tx, old.org_id).await?;
    let (status, note) = decide(actor, &input, now)?;
    if !old.is_active() {
        return Err(AppError::conflict(
            "member_not_active",
            "该团员记录已删除，不能再核验身份：如删除有误，请联系上级团组织",
        ));
    }
    let current = old.identity_check;
    if current.is_verified() {
        return Err(AppError::Conflict {
            code: "identity_already_verified",
            message: format!(
                "该团员身份已是“{}”，无需再核验：如姓名或身份证号有误，请提交更正申请，经上级团组织批准后会重新核验",
                current.label()
            ),
            rule: Some("ACC-9"),
            field: None,
        });
    }
    let changes = MemberChanges {
        identity: Some((status, Some(note), Some(now))),
        ..MemberChanges::default()
    };
    let updated = tuanwu_store::member::update(&*tx, &ctx.cipher, id, None, &changes, now)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::MemberIdentityCheck, id.0)
            .org(updated.org_id.0)
            .before(IdentityAudit::of(&old))
            .after(IdentityAudit::of(&updated)),
    )
    .await?;
    let view = member_view(&*tx, &ctx.cipher, updated, ctx.clock.today()).await?;
    tx.commit().await?;
    Ok(view)
}
