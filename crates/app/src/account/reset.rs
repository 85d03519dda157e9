//! ACC-6: "忘记密码" — a person sets a new password with name + resident ID + the reset code an
//! admin gave them. Every wrong answer reads the same, so the page never tells a stranger whether
//! a person exists.

use sea_orm::ConnectionTrait;
use serde::Deserialize;
use tuanwu_domain::account::{Account, CodePurpose};
use tuanwu_domain::{DomainError, OrgId, ResidentId, RoleId};
use tuanwu_store::account as accounts;
use utoipa::ToSchema;

use super::code::{code_hash, same_hash};
use super::password;
use crate::actor::{ActorParts, RoleKind, RoleName};
use crate::audit::{self, AuditAction, Change};
use crate::clock::human_time;
use crate::member::view::{decrypt_phone, decrypt_resident_id};
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetPasswordInput {
    pub name: String,
    pub resident_id: String,
    /// The 重置密码验证码 (case-sensitive; dashes and spaces are ignored).
    pub code: String,
    pub new_password: String,
}

/// The personal numbers a password must not contain, from the member record or, for an
/// admin-only account, the account itself.
pub(crate) async fn check_password_for<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    acct: &Account,
    new_password: &str,
    field: &'static str,
) -> Result<(), AppError> {
    password::check_strength(new_password, field)?;
    let (rid, phone) = match acct.member_id {
        Some(id) => match tuanwu_store::member::of_record(c, id).await? {
            Some(m) => (
                Some(decrypt_resident_id(&ctx.cipher, &m)),
                decrypt_phone(&ctx.cipher, &m),
            ),
            None => (None, None),
        },
        None => (
            None,
            acct.phone_enc
                .as_deref()
                .and_then(|p| ctx.cipher.decrypt(p)),
        ),
    };
    password::check_personal(new_password, rid.as_deref(), phone.as_deref(), field)?;
    Ok(())
}

fn wrong() -> AppError {
    DomainError::new(
        "invalid_reset_code",
        "姓名、身份证号或重置密码验证码不正确：请核对后重试；仍不行请联系团支书或上级管理员重新生成验证码",
    )
    .rule("ACC-6")
    .field("code")
    .into()
}

/// The account a name + resident ID names: a member's, or an admin-only account's.
async fn account_of<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    name: &str,
    rid: &ResidentId,
) -> Result<Option<Account>, AppError> {
    let index = ctx.cipher.blind_index(rid.as_str());
    if let Some(m) = tuanwu_store::member::by_resident_index(c, index.clone()).await? {
        if !m.is_active() || m.name != name {
            return Ok(None);
        }
        return Ok(accounts::find_by_member(c, m.id).await?);
    }
    Ok(accounts::find_by_resident_index(c, index)
        .await?
        .filter(|a| a.display_name == name))
}

/// The account acting on itself, for the audit log.
pub(crate) fn self_actor(acct: &Account, org_id: OrgId, role_id: RoleId) -> Actor {
    Actor::new(ActorParts {
        account: acct.id,
        name: acct.display_name.clone(),
        session_id: "self-service".into(),
        role_id,
        role_kind: RoleKind::Member,
        role_name: RoleName::Member,
        org_id,
        member_id: acct.member_id,
        must_change_password: false,
        permissions: None,
    })
}

pub async fn reset_password(
    ctx: &Context,
    input: ResetPasswordInput,
    address: &str,
) -> Result<(), AppError> {
    let now = ctx.clock.now();
    let key = format!("reset:{}", input.resident_id.trim().to_uppercase());
    ctx.limiter.check(&key, address, now)?;
    let fail = |e: AppError| {
        ctx.limiter.record_failure(&key, address, now);
        e
    };
    let name = input.name.trim();
    let rid = ResidentId::parse(&input.resident_id, ctx.clock.today())
        .map_err(|e| AppError::from(e.field("resident_id")))?;
    let typed_hash = code_hash(ctx, &input.code);
    let c = ctx.db.conn();
    // A registration code is named as such whoever the person is: that reveals nothing about them.
    if let Some(other) = tuanwu_store::code::find_by_hash(c, typed_hash.clone()).await? {
        if other.purpose == CodePurpose::Registration {
            return Err(fail(
                DomainError::new(
                    "wrong_code_purpose",
                    "您填写的是管理员注册码，不能用来重置密码：请向团支书或上级管理员索取“重置密码验证码”",
                )
                .rule("ACC-6")
                .field("code")
                .into(),
            ));
        }
    }
    let Some(acct) = account_of(ctx, c, name, &rid).await? else {
        return Err(fail(wrong()));
    };
    let codes = tuanwu_store::code::open_reset_codes(c, acct.id).await?;
    let Some(found) = codes
        .into_iter()
        .find(|k| same_hash(&k.code_hash, &typed_hash))
    else {
        return Err(fail(wrong()));
    };
    if found.expires_at <= now {
        return Err(fail(
            DomainError::new(
                "reset_code_expired",
                format!(
                    "该重置密码验证码已于{}过期：请联系团支书或上级管理员重新生成",
                    human_time(found.expires_at)
                ),
            )
            .rule("ACC-6")
            .field("code")
            .into(),
        ));
    }
    check_password_for(ctx, c, &acct, &input.new_password, "new_password").await?;
    let hash = password::hash_blocking(input.new_password).await?;
    let tx = ctx.db.write().await?;
    if !tuanwu_store::code::consume(&*tx, found.id, now).await? {
        return Err(fail(wrong()));
    }
    let account_id = acct.id;
    let role = accounts::role::of_account(&*tx, acct.id)
        .await?
        .into_iter()
        .next();
    let actor = self_actor(
        &acct,
        role.as_ref().map_or(found.org_id, |r| r.org_id),
        role.as_ref().map_or(RoleId(0), |r| r.id),
    );
    accounts::replace_password(&*tx, account_id, &hash, false, None).await?;
    audit::record(
        ctx,
        &*tx,
        &actor,
        Change::new(AuditAction::AccountResetPassword, account_id.0).org(found.org_id.0),
    )
    .await?;
    tx.commit().await?;
    ctx.limiter.record_success(&key, address);
    ctx.actors.forget_account(account_id);
    Ok(())
}
