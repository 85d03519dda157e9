//! Server-side sessions: the client holds a random token, the database its SHA-256.

use rand::RngCore;
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};
use time::Duration;
use tuanwu_domain::account::RoleKind;
use tuanwu_domain::{AccountId, RoleId};
use tuanwu_store::account as accounts;

use super::roles::role_view;
use crate::actor::ActorParts;
use crate::{Actor, AppError, Context};

pub fn session_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn expired(message: &str) -> AppError {
    AppError::Unauthorized {
        code: "not_logged_in",
        message: message.into(),
        rule: None,
    }
}

/// Creates a session and returns its token.
pub async fn create<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    account_id: AccountId,
    active_role_id: Option<RoleId>,
) -> Result<String, AppError> {
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let token = hex::encode(raw);
    tuanwu_store::session::insert(
        c,
        session_id(&token),
        account_id,
        active_role_id,
        ctx.clock.now(),
    )
    .await?;
    Ok(token)
}

/// Resolves a token to the acting user, enforcing idle and absolute timeouts.
pub async fn authenticate(ctx: &Context, token: &str) -> Result<Actor, AppError> {
    let c = ctx.db.conn();
    let id = session_id(token);
    let now = ctx.clock.now();
    if let Some(actor) = ctx.actors.get(&id, now) {
        return Ok(actor);
    }
    let _loading = ctx.actors.loading(&id).await;
    if let Some(actor) = ctx.actors.get(&id, now) {
        return Ok(actor);
    }
    let Some(s) = tuanwu_store::session::find(c, &id).await? else {
        return Err(expired("未登录或登录已失效：请重新登录"));
    };
    if now - s.last_seen_at > ctx.session_idle || now - s.created_at > ctx.session_absolute {
        tuanwu_store::session::delete(c, &id).await?;
        return Err(expired("长时间未操作，登录已过期：请重新登录"));
    }
    let Some(account) = accounts::find(c, s.account_id).await? else {
        return Err(expired("账号已不存在：请重新登录"));
    };
    let roles = accounts::role::of_account(c, account.id).await?;
    // A revoked active role falls back to the account's first remaining role.
    let role = roles
        .iter()
        .find(|r| Some(r.id) == s.active_role_id)
        .or_else(|| roles.iter().find(|r| r.is_admin()))
        .or_else(|| roles.first())
        .ok_or_else(|| expired("您的账号当前没有任何角色：请联系上级管理员"))?;
    let view = role_view(c, role)
        .await?
        .ok_or_else(|| expired("您的角色所在组织已不存在：请联系上级管理员"))?;
    if now - s.last_seen_at > Duration::minutes(1) || s.active_role_id != Some(role.id) {
        tuanwu_store::session::touch(c, &id, role.id, Some(now)).await?;
    }
    let actor = Actor::new(ActorParts {
        account: account.id,
        name: account.display_name.clone(),
        session_id: id,
        role_id: role.id,
        role_kind: role.kind,
        role_name: view.name,
        org_id: role.org_id,
        member_id: account.member_id,
        must_change_password: account.must_change_password,
        permissions: role.permissions.clone(),
    });
    ctx.actors.put(&actor, now);
    Ok(actor)
}

/// The server's operator on the command line (import, export): the root account acting with
/// its admin role at the top org, so audit entries name it.
pub async fn operator(ctx: &Context) -> Result<Actor, AppError> {
    let c = ctx.db.conn();
    let account = accounts::find_by_login_name(c, crate::context::ROOT_LOGIN)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = accounts::role::of_account(c, account.id)
        .await?
        .into_iter()
        .find(|r| r.kind == RoleKind::Admin)
        .ok_or(AppError::NotFound)?;
    let view = role_view(c, &role).await?.ok_or(AppError::NotFound)?;
    Ok(Actor::new(ActorParts {
        account: account.id,
        name: format!("{}（命令行）", account.display_name),
        session_id: "cli".into(),
        role_id: role.id,
        role_kind: role.kind,
        role_name: view.name,
        org_id: role.org_id,
        member_id: None,
        must_change_password: false,
        permissions: None,
    }))
}
