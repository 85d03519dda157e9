use tuanwu_domain::OrgId;
use tuanwu_store::org;

use super::view::{org_view, org_views, DirectoryView, OrgView};
use crate::{Actor, AppError, Context};

pub async fn get(ctx: &Context, actor: &Actor, id: OrgId) -> Result<OrgView, AppError> {
    let c = ctx.db.conn();
    let o = org::find(c, actor.scope(), id)
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
    ctx.ensure_in_scope(actor, id).await?;
    let children = org::children(c, id, include_deleted).await?;
    org_views(c, &ctx.cipher, children).await
}

/// ORG-5: the directory search used by registration and transfers. Any logged-in user may
/// search; the results carry names and paths only.
pub async fn search(
    ctx: &Context,
    _actor: &Actor,
    keyword: &str,
    province_id: Option<i64>,
) -> Result<Vec<DirectoryView>, AppError> {
    directory(ctx, keyword, province_id).await
}

/// ORG-5 without a login: the registration pages need it before anyone has an account. The
/// directory holds only names and paths, which every org prints on its letters anyway.
pub async fn directory(
    ctx: &Context,
    keyword: &str,
    province_id: Option<i64>,
) -> Result<Vec<DirectoryView>, AppError> {
    let keyword = keyword.trim();
    let found = org::search(ctx.db.conn(), keyword, province_id.map(OrgId), 50).await?;
    Ok(found.into_iter().map(DirectoryView::from).collect())
}

/// The numbers on the home page (工作台): members and branches under the admin's org.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub org_id: i64,
    pub member_count: u64,
    pub branch_count: u64,
}

pub async fn overview(ctx: &Context, actor: &Actor) -> Result<Overview, AppError> {
    let root = actor.admin_root()?;
    let c = ctx.db.conn();
    Ok(Overview {
        org_id: root.0,
        member_count: org::subtree_member_counts(c, &[root])
            .await?
            .get(&root)
            .copied()
            .unwrap_or(0),
        branch_count: org::subtree_branch_count(c, root).await?,
    })
}

/// Breadcrumbs (ORG-5's full path, as links): every org from the top to `id`, each marked
/// whether the actor may open it.
pub async fn breadcrumbs(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
) -> Result<Vec<(i64, String, bool)>, AppError> {
    let c = ctx.db.conn();
    ctx.ensure_in_scope(actor, id).await?;
    let root = actor.admin_root()?;
    let mut ids = org::ancestors(c, id).await?;
    ids.reverse();
    ids.push(id);
    let orgs = org::get_many(c, &ids).await?;
    let mut out = Vec::with_capacity(ids.len());
    for oid in ids {
        if let Some(o) = orgs.iter().find(|o| o.id == oid) {
            let visible = org::contains(c, root, oid).await?;
            out.push((oid.0, o.name.clone(), visible));
        }
    }
    Ok(out)
}
