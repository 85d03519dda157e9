//! ACC-4: revoking a grant at once.

use tuanwu_domain::RoleId;
use tuanwu_store::grant as store;

use super::needs::{self, Write};
use super::view::{audit_of, views};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

/// Revokes a grant at once: the role row goes, sessions acting in it end.
pub async fn revoke(ctx: &Context, actor: &Actor, id: RoleId) -> Result<(), AppError> {
    let tx = ctx.db.write().await?;
    let g = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    needs::require(actor, Write::RevokeGrant)?;
    let (account, college) = (g.account, g.college);
    let before = views(&*tx, actor, vec![g])
        .await?
        .pop()
        .map(|v| audit_of(&v));
    store::revoke(&*tx, id).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::GrantRevoke, id.0)
            .org(college.0)
            .before(before),
    )
    .await?;
    tx.commit().await?;
    ctx.actors.forget_account(account);
    Ok(())
}
