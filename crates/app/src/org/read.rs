use tuanwu_domain::OrgId;
use tuanwu_store::queries;

use super::view::{org_view, DirectoryView, OrgView};
use crate::{Actor, AppError, Context};

pub async fn get(ctx: &Context, actor: &Actor, id: OrgId) -> Result<OrgView, AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, id).await?;
    let o = queries::org::find(c, id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    org_view(c, &ctx.cipher, o).await
}

pub async fn children(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
    include_deleted: bool,
) -> Result<Vec<OrgView>, AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, id).await?;
    let mut out = Vec::new();
    for o in queries::org::children(c, id.0, include_deleted).await? {
        out.push(org_view(c, &ctx.cipher, o).await?);
    }
    Ok(out)
}

/// ORG-5: the directory search used by registration and transfers. Any logged-in user may
/// search; the results carry names and paths only.
pub async fn search(
    ctx: &Context,
    _actor: &Actor,
    keyword: &str,
    province_id: Option<i64>,
) -> Result<Vec<DirectoryView>, AppError> {
    let keyword = keyword.trim();
    let found = queries::org::search(ctx.db.conn(), keyword, province_id, 50).await?;
    Ok(found.into_iter().map(DirectoryView::from).collect())
}
