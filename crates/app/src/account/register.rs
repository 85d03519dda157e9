//! ACC-5: an organisation's new admin registers with the 管理员注册码 the level above issued.

use serde::Deserialize;
use tuanwu_domain::account::{Code, CodePurpose, NewAccount};
use tuanwu_domain::{DomainError, ResidentId};
use tuanwu_store::account as accounts;
use utoipa::ToSchema;

use super::code::{code_hash, same_hash};
use super::login::LoginView;
use super::me::me_view;
use super::reset::self_actor;
use super::{password, session};
use crate::audit::{self, AuditAction, Change};
use crate::clock::human_time;
use crate::member::fields;
use crate::{AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterAdminInput {
    /// The organisation the person chose on the registration page.
    pub org_id: i64,
    /// The 管理员注册码 (case-sensitive; dashes and spaces are ignored).
    pub code: String,
    pub name: String,
    pub resident_id: String,
    pub phone: String,
    pub password: String,
}

fn refused(code: &'static str, message: String) -> AppError {
    DomainError::new(code, message)
        .rule("ACC-5")
        .field("code")
        .into()
}

/// Who can issue a new code for `o`: the admins of its parent.
async fn issuer_name<C: sea_orm::ConnectionTrait>(
    c: &C,
    o: &tuanwu_domain::org::Org,
) -> Result<String, AppError> {
    Ok(match o.parent_id {
        Some(p) => tuanwu_store::org::get(c, p)
            .await?
            .map(|p| format!("“{}”", p.name))
            .unwrap_or_else(|| "上级组织".into()),
        None => "上级组织".into(),
    })
}

/// Checks the code against the chosen org; the refusal names the chosen org, never the code's.
async fn usable_code<C: sea_orm::ConnectionTrait>(
    ctx: &Context,
    c: &C,
    chosen: &tuanwu_domain::org::Org,
    typed: &str,
) -> Result<Code, AppError> {
    let hash = code_hash(ctx, typed);
    let found = tuanwu_store::code::find_by_hash(c, hash.clone())
        .await?
        .filter(|k| same_hash(&k.code_hash, &hash));
    let not_for_chosen = || {
        refused(
            "registration_code_mismatch",
            format!(
                "您所填写的管理员注册码不是 {} 的注册码：请核对所选组织和注册码",
                chosen.name
            ),
        )
    };
    let Some(k) = found else {
        return Err(not_for_chosen());
    };
    if k.purpose == CodePurpose::Reset {
        return Err(refused(
            "wrong_code_purpose",
            "您填写的是重置密码验证码，不能用来注册管理员：请向上级组织的管理员索取“管理员注册码”"
                .into(),
        ));
    }
    if k.org_id != chosen.id {
        return Err(not_for_chosen());
    }
    let issuer = issuer_name(c, chosen).await?;
    if k.used_at.is_some() {
        return Err(refused(
            "registration_code_used",
            format!(
                "该管理员注册码已被使用过，每个注册码只能用一次：请联系{issuer}的管理员重新生成"
            ),
        ));
    }
    if k.expires_at <= ctx.clock.now() {
        return Err(refused(
            "registration_code_expired",
            format!(
                "该管理员注册码已于{}过期：请联系{issuer}的管理员重新生成",
                human_time(k.expires_at)
            ),
        ));
    }
    Ok(k)
}

/// Registers the person as an admin of the chosen org and logs them in. A person who already
/// has a member record (or an account) gets the admin role on that same account (ACC-3): one
/// person, one account. Their existing password must then be given, so a code never lets anyone
/// take over somebody else's account.
pub async fn register_admin(
    ctx: &Context,
    input: RegisterAdminInput,
    address: &str,
) -> Result<LoginView, AppError> {
    let now = ctx.clock.now();
    let key = format!("register:{}", input.org_id);
    ctx.limiter.check(&key, address, now)?;
    let fail = |e: AppError| {
        ctx.limiter.record_failure(&key, address, now);
        e
    };
    let name = fields::name(&input.name)?.into_string();
    let rid = ResidentId::parse(&input.resident_id, ctx.clock.today())
        .map_err(|e| AppError::from(e.field("resident_id")))?;
    let phone = fields::phone(Some(&input.phone))?
        .map(|p| p.into_string())
        .ok_or_else(|| {
            AppError::from(
                DomainError::new("phone_required", "请填写手机号码：上级和下级组织靠它联系您")
                    .field("phone"),
            )
        })?;
    password::check_strength(&input.password, "password")?;
    password::check_personal(
        &input.password,
        Some(rid.as_str()),
        Some(&phone),
        "password",
    )?;
    let chosen = tuanwu_store::org::get(ctx.db.conn(), tuanwu_domain::OrgId(input.org_id))
        .await?
        .filter(|o| !o.is_deleted())
        .ok_or_else(|| {
            AppError::from(
                DomainError::new(
                    "org_not_found",
                    "所选组织不存在或已被删除：请重新搜索并选择您的组织",
                )
                .rule("ACC-5")
                .field("org_id"),
            )
        })?;
    let k = usable_code(ctx, ctx.db.conn(), &chosen, &input.code)
        .await
        .map_err(fail)?;

    let index = ctx.cipher.blind_index(rid.as_str());
    let c = ctx.db.conn();
    let member = tuanwu_store::member::by_resident_index(c, index.clone())
        .await?
        .filter(|m| m.is_active());
    let existing = match &member {
        Some(m) => {
            if m.name != name {
                return Err(DomainError::new(
                    "name_mismatch",
                    "该身份证号已登记的姓名与您填写的不一致：请核对姓名，或联系所在团支部更正",
                )
                .rule("ACC-5")
                .field("name")
                .into());
            }
            accounts::find_by_member(c, m.id).await?
        }
        _ => accounts::find_by_resident_index(c, index.clone()).await?,
    };
    let new_hash = match &existing {
        Some(a) => match &a.password_hash {
            Some(h) if password::verify_blocking(input.password.clone(), h.clone()).await => None,
            Some(_) => {
                return Err(fail(
                    DomainError::new(
                        "existing_account_password",
                        "您已有 tuanwu 账号：请填写该账号的现有密码（忘记密码可先用“忘记密码”重置），注册后管理员角色会加到这个账号上",
                    )
                    .rule("ACC-3")
                    .field("password")
                    .into(),
                ))
            }
            None => Some(password::hash_blocking(input.password.clone()).await?),
        },
        None => Some(password::hash_blocking(input.password.clone()).await?),
    };

    let tx = ctx.db.write().await?;
    if !tuanwu_store::code::consume(&*tx, k.id, now).await? {
        let issuer = issuer_name(&*tx, &chosen).await?;
        return Err(refused(
            "registration_code_used",
            format!(
                "该管理员注册码已被使用过，每个注册码只能用一次：请联系{issuer}的管理员重新生成"
            ),
        ));
    }
    // A member without an account yet gets theirs now: the admin role goes on the member's own
    // account, never on a second one.
    let existing = match (existing, &member) {
        (None, Some(m)) => Some(super::of_member::ensure(&*tx, m, now).await?),
        (existing, _) => existing,
    };
    let acct = match existing {
        Some(a) => {
            if let Some(h) = &new_hash {
                accounts::set_password(&*tx, a.id, h, false).await?;
            }
            a
        }
        None => {
            accounts::insert(
                &*tx,
                NewAccount {
                    display_name: name.clone(),
                    password_hash: new_hash,
                    resident_id_index: Some(index),
                    phone_enc: Some(ctx.cipher.encrypt(&phone)),
                    ..NewAccount::default()
                },
                now,
            )
            .await?
        }
    };
    let r = accounts::role::ensure_admin(&*tx, acct.id, chosen.id, chosen.province_id, now).await?;
    let actor = self_actor(&acct, chosen.id, r.id);
    audit::record(
        ctx,
        &*tx,
        &actor,
        Change::new(AuditAction::AccountRegisterAdmin, acct.id.0)
            .org(chosen.id.0)
            .after(serde_json::json!({ "name": name, "org": chosen.path, "code_id": k.id.0 })),
    )
    .await?;
    let token = session::create(ctx, &*tx, acct.id, Some(r.id)).await?;
    tx.commit().await?;
    ctx.limiter.record_success(&key, address);
    ctx.actors.forget_account(acct.id);
    let actor = session::authenticate(ctx, &token).await?;
    Ok(LoginView {
        token,
        me: me_view(ctx, &actor).await?,
    })
}
