//! An org's cadre list, what the viewer may do on its page, and the members they may pick.

use tuanwu_domain::cadre::list_order;
use tuanwu_domain::OrgId;
use tuanwu_store::cadre as store;

use super::rules::CadresHere;
use super::view::{views, CadreView};
use crate::grant::needs::{self, Write};
use crate::{Actor, AppError, Context};

/// An org's cadres: those in post first (longest-serving first), then former ones (latest
/// end first). Any admin whose subtree contains the org may read it.
pub async fn list(ctx: &Context, actor: &Actor, org: OrgId) -> Result<Vec<CadreView>, AppError> {
    ctx.ensure_in_scope(actor, org).await?;
    let c = ctx.db.conn();
    let mut rows = store::of_org(c, actor.scope(), org).await?;
    rows.sort_by(list_order);
    views(ctx, c, actor, rows).await
}

/// What the viewer may do on an org's cadre page: the checks `add` runs on the org.
pub async fn here(ctx: &Context, actor: &Actor, org: OrgId) -> Result<CadresHere, AppError> {
    ctx.ensure_in_scope(actor, org).await?;
    let live = tuanwu_store::org::get(ctx.db.conn(), org)
        .await?
        .is_some_and(|o| !o.is_deleted());
    Ok(CadresHere {
        add: live && needs::allows(actor, Write::AddCadre),
    })
}

/// Members an admin may pick for a post: the MEM-8 search inside the actor's scope.
pub async fn candidates(
    ctx: &Context,
    actor: &Actor,
    q: &str,
) -> Result<Vec<crate::member::MemberSummary>, AppError> {
    let (items, _) =
        crate::member::search(ctx, actor, q, crate::Page::new(Some(1), Some(20))).await?;
    Ok(items)
}
