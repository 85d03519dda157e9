//! ACC-3: the current account, its roles, switching the active one; changing one's password.

use serde::{Deserialize, Serialize};
use tuanwu_domain::RoleId;
use tuanwu_store::account as accounts;
use utoipa::ToSchema;

use super::password;
use super::roles::{role_views, AccountView, RoleView};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeView {
    pub account: AccountView,
    pub roles: Vec<RoleView>,
    pub active_role: RoleView,
    /// The org of the active role.
    pub org_id: i64,
}

pub async fn me_view(ctx: &Context, actor: &Actor) -> Result<MeView, AppError> {
    let c = ctx.db.conn();
    let account = accounts::find(c, actor.account())
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = role_views(c, account.id).await?;
    let active_role = roles
        .iter()
        .find(|r| r.id == actor.role_id().0)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok(MeView {
        account: AccountView::from(&account),
        org_id: active_role.org_id,
        roles,
        active_role,
    })
}

pub async fn me(ctx: &Context, actor: &Actor) -> Result<MeView, AppError> {
    me_view(ctx, actor).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SwitchRoleInput {
    pub role_id: i64,
}

pub async fn switch_role(
    ctx: &Context,
    actor: &Actor,
    input: SwitchRoleInput,
) -> Result<MeView, AppError> {
    let c = ctx.db.conn();
    let role = accounts::role::find_of_account(c, actor.account(), RoleId(input.role_id))
        .await?
        .ok_or(AppError::NotFound)?;
    tuanwu_store::session::touch(c, actor.session_id(), role.id, None).await?;
    ctx.actors.forget_session(actor.session_id());
    me_view(ctx, &actor.with_role_id(role.id)).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordInput {
    pub old_password: String,
    pub new_password: String,
}

/// Changing one's own password ends every other session of the account.
pub async fn change_password(
    ctx: &Context,
    actor: &Actor,
    input: ChangePasswordInput,
) -> Result<(), AppError> {
    let account = accounts::find(ctx.db.conn(), actor.account())
        .await?
        .ok_or(AppError::NotFound)?;
    super::reset::check_password_for(
        ctx,
        ctx.db.conn(),
        &account,
        &input.new_password,
        "new_password",
    )
    .await?;
    let current = account.password_hash.clone().unwrap_or_default();
    let unchanged = input.new_password == input.old_password;
    if !password::verify_blocking(input.old_password, current).await {
        return Err(tuanwu_domain::DomainError::new(
            "wrong_old_password",
            "原密码不正确：请重新输入",
        )
        .field("old_password")
        .into());
    }
    // The forced change after an admin set the password (Q29) must leave that password behind.
    if unchanged {
        return Err(tuanwu_domain::DomainError::new(
            "same_password",
            "新密码不能与原密码相同：请设置一个只有您自己知道的新密码",
        )
        .field("new_password")
        .into());
    }
    let hash = password::hash_blocking(input.new_password).await?;
    let tx = ctx.db.write().await?;
    accounts::replace_password(&*tx, account.id, &hash, false, Some(actor.session_id())).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::AccountChangePassword, actor.account().0).org(actor.org_id().0),
    )
    .await?;
    tx.commit().await?;
    ctx.actors.forget_account(actor.account());
    Ok(())
}
