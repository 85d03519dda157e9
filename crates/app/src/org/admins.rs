//! Appointing and removing an org's administrators (ACC-1): only from the level above.

use serde::{Deserialize, Serialize};
use tuanwu_domain::account::{Account, NewAccount, NewRole, Role, RoleKind};
use tuanwu_domain::{text, AccountId, DomainError, MemberId, OrgId};
use tuanwu_store::account as accounts;
use tuanwu_store::db::unique_violation;
use utoipa::ToSchema;

use crate::account::password;
use crate::account::roles::role_view;
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

/// Either a new admin-only account (`login`, `password`, `name`) or an existing member's own
/// account (`member_id`: a 团支书 is a member too).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddAdminInput {
    pub login: Option<String>,
    pub password: Option<String>,
    pub name: Option<String>,
    pub member_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminView {
    pub account_id: i64,
    pub role_id: i64,
    pub role: String,
    pub role_label: String,
    pub org_id: i64,
    pub name: String,
    pub login_name: Option<String>,
    pub member_id: Option<i64>,
}

fn parse_login_name(login: &str) -> Result<String, DomainError> {
    let v = login.trim();
    let ok_chars = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    let has_letter = v.bytes().any(|b| b.is_ascii_alphabetic());
    if (3..=32).contains(&v.len()) && ok_chars && has_letter {
        Ok(v.to_string())
    } else {
        Err(DomainError::new(
            "invalid_login_name",
            "登录名须为3到32位字母、数字、下划线、点或短横线，且至少含一个字母（纯数字会与学号混淆）",
        )
        .field("login"))
    }
}

async fn admin_view<C: sea_orm::ConnectionTrait>(
    c: &C,
    r: &Role,
    a: &Account,
) -> Result<AdminView, AppError> {
    let v = role_view(c, r).await?.ok_or(AppError::NotFound)?;
    Ok(AdminView {
        account_id: a.id.0,
        role_id: r.id.0,
        role: v.role,
        role_label: v.role_label,
        org_id: r.org_id.0,
        name: a.display_name.clone(),
        login_name: a.login_name.clone(),
        member_id: a.member_id.map(|m| m.0),
    })
}

pub async fn list_admins(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
) -> Result<Vec<AdminView>, AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, org).await?;
    let mut out = Vec::new();
    for (r, a) in accounts::role::admins_of(c, org).await? {
        out.push(admin_view(c, &r, &a).await?);
    }
    Ok(out)
}

pub async fn add_admin(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    input: AddAdminInput,
) -> Result<AdminView, AppError> {
    actor.require_full()?;
    // Validate and hash before the transaction: argon2 is slow and must not hold the writer.
    let new_account = match input.member_id {
        Some(_) => None,
        None => {
            let login = parse_login_name(input.login.as_deref().unwrap_or(""))?;
            let name = text::required_name(
                input.name.as_deref().unwrap_or(""),
                "name",
                "管理员姓名",
                50,
            )?;
            let pw = input.password.clone().unwrap_or_default();
            password::check_strength(&pw, "password")?;
            Some((login, name, password::hash_blocking(pw).await?))
        }
    };
    let tx = ctx.db.write().await?;
    actor.ensure_above(&*tx, org, "任命本组织管理员").await?;
    let o = tuanwu_store::org::find(&*tx, actor.scope(), org)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.is_deleted() {
        return Err(AppError::NotFound);
    }
    let now = ctx.clock.now();
    let acct = match (new_account, input.member_id.map(MemberId)) {
        (Some((login, name, hash)), _) => {
            if accounts::find_by_login_name(&*tx, &login).await?.is_some() {
                return Err(AppError::conflict(
                    "duplicate_login",
                    format!("登录名“{login}”已被使用：请换一个"),
                )
                .on_field("login"));
            }
            let new = NewAccount {
                login_name: Some(login.clone()),
                display_name: name,
                password_hash: Some(hash),
                must_change_password: true,
                ..NewAccount::default()
            };
            accounts::insert(&*tx, new, now)
                .await
                .map_err(|e| match unique_violation(&e) {
                    Some(_) => AppError::conflict(
                        "duplicate_login",
                        format!("登录名“{login}”已被使用：请换一个"),
                    )
                    .on_field("login"),
                    None => e.into(),
                })?
        }
        (None, Some(member_id)) => {
            let m = tuanwu_store::member::of_record(&*tx, member_id)
                .await?
                .filter(|m| m.is_active())
                .ok_or(AppError::NotFound)?;
            actor.ensure_in_scope(&*tx, m.org_id).await?;
            crate::account::of_member::ensure(&*tx, &m, now).await?
        }
        (None, None) => unreachable_input()?,
    };
    if accounts::role::admin_at(&*tx, org, acct.id)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "already_admin",
            format!("“{}”已经是“{}”的管理员", acct.display_name, o.name),
        ));
    }
    let new = NewRole {
        account_id: acct.id,
        kind: RoleKind::Admin,
        org_id: org,
        province_id: o.province_id,
    };
    let r = accounts::role::insert(&*tx, new, now).await?;
    let view = admin_view(&*tx, &r, &acct).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::RoleGrantAdmin, r.id.0).org(org.0).after(serde_json::json!({
            "account_id": acct.id, "name": acct.display_name, "login_name": acct.login_name, "role": view.role,
        })),
    )
    .await?;
    tx.commit().await?;
    ctx.actors.forget_account(acct.id);
    Ok(view)
}

fn unreachable_input() -> Result<Account, AppError> {
    Err(DomainError::new(
        "admin_input_required",
        "请填写登录名、密码和姓名，或选择一名团员",
    )
    .field("login")
    .into())
}

pub async fn remove_admin(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    account_id: AccountId,
) -> Result<(), AppError> {
    actor.require_full()?;
    let tx = ctx.db.write().await?;
    actor.ensure_above(&*tx, org, "撤销本组织管理员").await?;
    let r = accounts::role::admin_at(&*tx, org, account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role_id = r.id.0;
    accounts::role::delete(&*tx, r.id).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::RoleRevokeAdmin, role_id)
            .org(org.0)
            .before(serde_json::json!({ "account_id": account_id.0 })),
    )
    .await?;
    tx.commit().await?;
    ctx.actors.forget_account(account_id);
    Ok(())
}
