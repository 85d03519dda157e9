//! ACC-5 / ACC-6: issuing one-time codes. A code is shown once to the admin who issues it; only
//! its keyed hash is stored, so neither the database nor a backup can give it away.

use rand::Rng;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use time::Duration;
use tuanwu_domain::account::{format_code, normalize_code, Code, CodePurpose, NewCode, Permission};
use tuanwu_domain::{AccountId, CodeId, MemberId, OrgId};
use utoipa::ToSchema;

use crate::audit::{self, format_time, AuditAction, Change};
use crate::clock::human_time;
use crate::{Actor, AppError, Context};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeView {
    /// The code itself: shown only in this answer.
    pub code: String,
    /// RFC 3339.
    pub expires_at: String,
    /// The same moment as people read it (北京时间).
    pub expires_at_label: String,
    /// Registration: the org the code admits an admin to; reset: the person's branch.
    pub org_id: i64,
    pub org_name: String,
    /// Reset: whose password the code resets.
    pub member_name: Option<String>,
}

/// The keyed hash a code is stored and looked up by. The purpose is not part of the input, so a
/// code of one purpose is found (and refused by name) when used for the other.
pub(crate) fn code_hash(ctx: &Context, typed: &str) -> Vec<u8> {
    ctx.cipher
        .blind_index(&format!("one-time-code:{}", normalize_code(typed)))
}

/// Compares two hashes without an early exit, so timing says nothing about how much matched.
pub(crate) fn same_hash(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn insert<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    purpose: CodePurpose,
    org_id: OrgId,
    account_id: Option<AccountId>,
    valid_for: Duration,
) -> Result<(String, Code), AppError> {
    let now = ctx.clock.now();
    let plain = format_code(rand::thread_rng().gen::<[u8; 17]>());
    let row = tuanwu_store::code::insert(
        c,
        NewCode {
            purpose,
            code_hash: code_hash(ctx, &plain),
            org_id,
            account_id,
            issued_by: actor.account(),
            expires_at: now + valid_for,
        },
        now,
    )
    .await?;
    Ok((plain, row))
}

/// ACC-5: an admin of a level above `org` issues a registration code for that org's admin.
pub async fn issue_registration_code(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
) -> Result<CodeView, AppError> {
    Ok(registration_code(ctx, actor, org, false).await?.0)
}

/// ACC-5 from a page: the code is kept for one showing to this session; the answer is the id
/// the page after the redirect shows it by (issue 15 item 3).
pub async fn issue_registration_code_for_page(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
) -> Result<CodeId, AppError> {
    Ok(registration_code(ctx, actor, org, true).await?.1)
}

async fn registration_code(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    for_page: bool,
) -> Result<(CodeView, CodeId), AppError> {
    actor.require_full()?;
    let tx = ctx.db.write().await?;
    actor.ensure_above(&*tx, org, "管理员注册码").await?;
    let o = tuanwu_store::org::get(&*tx, org)
        .await?
        .filter(|o| !o.is_deleted())
        .ok_or(AppError::NotFound)?;
    let valid_for = Duration::days(ctx.policy.registration_code_days.max(1));
    let (plain, row) = insert(
        ctx,
        &*tx,
        actor,
        CodePurpose::Registration,
        o.id,
        None,
        valid_for,
    )
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::RegistrationCodeIssue, row.id.0)
            .org(o.id.0)
            .after(serde_json::json!({ "expires_at": format_time(row.expires_at) })),
    )
    .await?;
    let view = CodeView {
        code: plain,
        expires_at: format_time(row.expires_at),
        expires_at_label: human_time(row.expires_at),
        org_id: o.id.0,
        org_name: o.name,
        member_name: None,
    };
    if for_page {
        hold(ctx, &*tx, actor, row.id, &view).await?;
    }
    tx.commit().await?;
    Ok((view, row.id))
}

/// ACC-6: refuses when the person holds an admin role at the actor's level or above (or outside
/// the actor's subtree): their password is for their own superiors to reset.
pub(crate) async fn ensure_not_higher<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    account_id: AccountId,
) -> Result<(), AppError> {
    let root = actor.admin_root()?;
    for r in tuanwu_store::account::role::of_account(c, account_id).await? {
        let below = r.org_id != root && tuanwu_store::org::contains(c, root, r.org_id).await?;
        if r.is_admin() && !below {
            return Err(AppError::forbidden(
                "该团员同时是同级或更高层级组织的管理员，您不能重置其密码：请联系其上级组织的管理员",
            ));
        }
    }
    Ok(())
}

/// ACC-6: a reset code for one member, from any admin whose scope contains them. Issuing a new
/// one invalidates the previous.
pub async fn issue_reset_code(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
) -> Result<CodeView, AppError> {
    Ok(reset_code(ctx, actor, member, false).await?.0)
}

/// ACC-6 from a page: the code is kept for one showing to this session; the answer is the id
/// the page after the redirect shows it by (issue 15 item 3).
pub async fn issue_reset_code_for_page(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
) -> Result<CodeId, AppError> {
    Ok(reset_code(ctx, actor, member, true).await?.1)
}

async fn reset_code(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
    for_page: bool,
) -> Result<(CodeView, CodeId), AppError> {
    actor.require(Permission::ResetCodes)?;
    let tx = ctx.db.write().await?;
    let m = tuanwu_store::member::of_record(&*tx, member)
        .await?
        .filter(|m| m.is_active())
        .ok_or(AppError::NotFound)?;
    actor.ensure_in_scope(&*tx, m.org_id).await?;
    let acct = super::of_member::ensure(&*tx, &m, ctx.clock.now()).await?;
    ensure_not_higher(&*tx, actor, acct.id).await?;
    tuanwu_store::code::revoke_reset_codes(&*tx, acct.id, ctx.clock.now()).await?;
    let valid_for = Duration::hours(ctx.policy.reset_code_hours.max(1));
    let (plain, row) = insert(
        ctx,
        &*tx,
        actor,
        CodePurpose::Reset,
        m.org_id,
        Some(acct.id),
        valid_for,
    )
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::MemberIssueResetCode, m.id.0)
            .org(m.org_id.0)
            .after(serde_json::json!({ "expires_at": format_time(row.expires_at) })),
    )
    .await?;
    let branch = tuanwu_store::org::get(&*tx, m.org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let view = CodeView {
        code: plain,
        expires_at: format_time(row.expires_at),
        expires_at_label: human_time(row.expires_at),
        org_id: m.org_id.0,
        org_name: branch,
        member_name: Some(m.name),
    };
    if for_page {
        hold(ctx, &*tx, actor, row.id, &view).await?;
    }
    tx.commit().await?;
    Ok((view, row.id))
}

/// Keeps what the code page shows, encrypted, for its one showing to the issuing session.
async fn hold<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    id: CodeId,
    view: &CodeView,
) -> Result<(), AppError> {
    let json = serde_json::to_string(view).map_err(|e| AppError::Internal(e.to_string()))?;
    tuanwu_store::code::hold_for_display(c, id, ctx.cipher.encrypt(&json), actor.session_id())
        .await?;
    Ok(())
}

/// The page after issuing (issue 15 item 3): the code the first time, `None` once it has been
/// shown (a refresh never issues a new one). Another session's code, or none, is `NotFound`.
pub async fn take_for_page(
    ctx: &Context,
    actor: &Actor,
    purpose: CodePurpose,
    id: CodeId,
) -> Result<Option<CodeView>, AppError> {
    use tuanwu_store::code::Showing;
    let tx = ctx.db.write().await?;
    let showing = tuanwu_store::code::take_display(&*tx, id, purpose, actor.session_id())
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    match showing {
        Showing::AlreadyShown => Ok(None),
        Showing::Code(encrypted) => {
            let json = ctx
                .cipher
                .decrypt(&encrypted)
                .ok_or_else(|| AppError::Internal("a held code does not decrypt".into()))?;
            let view =
                serde_json::from_str(&json).map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(Some(view))
        }
    }
}
