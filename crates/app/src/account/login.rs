//! ACC-7: log in by resident ID, student number or login name.

use serde::{Deserialize, Serialize};
use tuanwu_domain::ResidentId;
use tuanwu_store::entity::account;
use tuanwu_store::queries;
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

fn wrong_credentials() -> AppError {
    unauthorized(
        "invalid_credentials",
        "登录名或密码错误：请检查后重试（可用身份证号、学号或登录名登录）",
    )
}

/// Finds the account a login names. `Err` carries the message for the cases ACC-7 explains.
async fn resolve(ctx: &Context, login: &str) -> Result<Option<account::Model>, AppError> {
    let c = ctx.db.conn();
    if let Some(a) = queries::account::find_by_login_name(c, login).await? {
        return Ok(Some(a));
    }
    if let Ok(rid) = ResidentId::parse(login, ctx.clock.today()) {
        let index = ctx.cipher.blind_index(rid.as_str());
        let member = queries::member::find_by_resident_index(c, index.clone()).await?;
        // ACC-5: an admin registered with a code but without a member record.
        let admin_only = match &member {
            None => queries::account::find_by_resident_index(c, index).await?,
            Some(_) => None,
        };
        return match member {
            Some(m) if m.status == "active" => account_of_member(c, m.id).await,
            None if admin_only.is_some() => Ok(admin_only),
            _ => Err(unauthorized(
                "member_not_registered",
                "系统中还没有您的团员信息，暂时不能登录：请联系所在团支部的团支书（团支部管理员）为您录入后再登录",
            )),
        };
    }
    let matches = queries::member::find_by_student_no(c, login).await?;
    match matches.as_slice() {
        [] => Ok(None),
        [one] => account_of_member(c, one.id).await,
        _ => Err(unauthorized(
            "ambiguous_student_no",
            "该学号对应多名团员，无法确定是谁：请改用身份证号登录",
        )),
    }
}

/// A member's account; a member without one yet has never had a password (`of_member`).
async fn account_of_member<C: sea_orm::ConnectionTrait>(
    c: &C,
    member_id: i64,
) -> Result<Option<account::Model>, AppError> {
    match queries::account::find_by_member(c, member_id).await? {
        Some(a) => Ok(Some(a)),
        None => Err(password_not_set()),
    }
}

fn password_not_set() -> AppError {
    unauthorized(
        "password_not_set",
        "您的账号还没有设置密码：请联系团支书或上级管理员为您设置初始密码",
    )
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
    let Some(account) = account else {
        return Err(fail(wrong_credentials()));
    };
    let Some(hash) = account.password_hash.clone() else {
        return Err(fail(password_not_set()));
    };
    if !password::verify_blocking(input.password, hash).await {
        return Err(fail(wrong_credentials()));
    }
    let c = ctx.db.conn();
    let roles = super::roles::role_views(c, account.id).await?;
    let Some(first) = roles.first() else {
        return Err(fail(unauthorized(
            "no_role",
            "您的账号当前没有所在团支部或管理角色，不能登录：请联系团支书为您录入，或联系上级管理员",
        )));
    };
    ctx.limiter.record_success(&login);
    let token = session::create(ctx, c, account.id, Some(first.id)).await?;
    let actor = session::authenticate(ctx, &token).await?;
    Ok(LoginView {
        token,
        me: me_view(ctx, &actor).await?,
    })
}

pub async fn logout(ctx: &Context, actor: &Actor) -> Result<(), AppError> {
    queries::session::delete(ctx.db.conn(), actor.session_id()).await?;
    ctx.actors.forget_session(actor.session_id());
    Ok(())
}
