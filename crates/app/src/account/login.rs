//! ACC-7: log in by resident ID, student number or login name.

use serde::{Deserialize, Serialize};
use tuanwu_domain::account::Account;
use tuanwu_domain::{ResidentId, RoleId};
use tuanwu_store::account as accounts;
use utoipa::ToSchema;

use super::me::{me_view, MeView};
use super::{password, session};
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginInput {
    /// 身份证号、学号或登录名.
    pub login: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginView {
    pub token: String,
    #[serde(flatten)]
    pub me: MeView,
}

fn unauthorized(code: &'static str, message: &str) -> AppError {
    AppError::Unauthorized {
        code,
        message: message.into(),
        rule: Some("ACC-7"),
    }
}

/// One answer for an unknown login, a wrong password, a member without a password and an ID
/// with no member record: telling them apart would tell a stranger who is in the system. The
/// message says what each of them should do (Q26: ask the branch secretary).
fn wrong_credentials() -> AppError {
    unauthorized(
        "invalid_credentials",
        "登录名或密码错误：请检查后重试（可用身份证号、学号或登录名登录）。第一次登录还没有密码、或系统中还没有您的团员信息的，请联系所在团支部的团支书",
    )
}

/// Finds the account a login names, if any. Only a student number shared by several members
/// is an answer of its own (ACC-7: log in by resident ID then).
async fn resolve(ctx: &Context, login: &str) -> Result<Option<Account>, AppError> {
    let c = ctx.db.conn();
    if let Some(a) = accounts::find_by_login_name(c, login).await? {
        return Ok(Some(a));
    }
    if let Ok(rid) = ResidentId::parse(login, ctx.clock.today()) {
        let index = ctx.cipher.blind_index(rid.as_str());
        let member = tuanwu_store::member::by_resident_index(c, index.clone()).await?;
        return match member {
            Some(m) if m.is_active() => Ok(accounts::find_by_member(c, m.id).await?),
            Some(_) => Ok(None),
            // ACC-5: an admin registered with a code but without a member record.
            None => Ok(accounts::find_by_resident_index(c, index).await?),
        };
    }
    let matches = tuanwu_store::member::by_student_no(c, login).await?;
    match matches.as_slice() {
        [] => Ok(None),
        [one] => Ok(accounts::find_by_member(c, one.id).await?),
        _ => Err(unauthorized(
            "ambiguous_student_no",
            "该学号对应多名团员，无法确定是谁：请改用身份证号登录",
        )),
    }
}

pub async fn login(ctx: &Context, input: LoginInput, address: &str) -> Result<LoginView, AppError> {
    let login = input.login.trim().to_string();
    let now = ctx.clock.now();
    ctx.limiter.check(&login, address, now)?;
    let fail = |e: AppError| {
        ctx.limiter.record_failure(&login, address, now);
        e
    };
    if login.is_empty() || input.password.is_empty() {
        return Err(fail(wrong_credentials()));
    }
    let account = resolve(ctx, &login).await.map_err(fail)?;
    // The same argon2 work whether the account exists, has a password or not: the answer's
    // time tells nothing either.
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let checked = password::verify_blocking(
        input.password,
        hash.clone()
            .unwrap_or_else(|| password::decoy_hash().to_string()),
    )
    .await;
    let (Some(account), true, Some(_)) = (account, checked, hash) else {
        return Err(fail(wrong_credentials()));
    };
    let c = ctx.db.conn();
    let roles = super::roles::role_views(c, account.id).await?;
    let Some(first) = roles.first() else {
        return Err(fail(unauthorized(
            "no_role",
            "您的账号当前没有所在团支部或管理角色，不能登录：请联系团支书为您录入，或联系上级管理员",
        )));
    };
    ctx.limiter.record_success(&login, address);
    let token = session::create(ctx, c, account.id, Some(RoleId(first.id))).await?;
    let actor = session::authenticate(ctx, &token).await?;
    Ok(LoginView {
        token,
        me: me_view(ctx, &actor).await?,
    })
}

pub async fn logout(ctx: &Context, actor: &Actor) -> Result<(), AppError> {
    tuanwu_store::session::delete(ctx.db.conn(), actor.session_id()).await?;
    ctx.actors.forget_session(actor.session_id());
    Ok(())
}
