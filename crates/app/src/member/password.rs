//! Q29: an admin in scope sets a member's password directly; the member must change it at the
//! next login.

use serde::Deserialize;
use tuanwu_domain::MemberId;
use utoipa::ToSchema;

use crate::account::password;
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetPasswordInput {
    pub password: String,
}

pub async fn set_password(
    ctx: &Context,
    actor: &Actor,
    id: MemberId,
    input: SetPasswordInput,
) -> Result<(), AppError> {
    // ACC-4: setting a password outright is at least what a reset code is (the one table).
    crate::grant::needs::require(actor, crate::grant::needs::Write::SetMemberPassword)?;
    actor.admin_root()?;
    password::check_strength(&input.password, "password")?;
    let input_password = input.password;
    let hash = password::hash_blocking(input_password.clone()).await?;
    let tx = ctx.db.write().await?;
    let m = tuanwu_store::member::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let acct = crate::account::of_member::ensure(&*tx, &m, ctx.clock.now()).await?;
    crate::account::code::ensure_not_higher(&*tx, actor, acct.id).await?;
    crate::account::reset::check_password_for(ctx, &*tx, &acct, &input_password, "password")
        .await?;
    let account_id = acct.id;
    tuanwu_store::account::replace_password(&*tx, account_id, &hash, true, None).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::MemberSetPassword, m.id.0).org(m.org_id.0),
    )
    .await?;
    // An account and a session, nothing a member page shows.
    tx.commit_touching(&[]).await?;
    ctx.actors.forget_account(account_id);
    Ok(())
}
