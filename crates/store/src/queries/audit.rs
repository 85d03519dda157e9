use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{in_subtree, Page};
use crate::entity::audit_log;

/// Entries about orgs in the subtree of `root`, newest first.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    root: i64,
    page: Page,
) -> Result<(Vec<audit_log::Model>, u64), DbErr> {
    let q = audit_log::Entity::find().filter(in_subtree(audit_log::Column::OrgId, root));
    let total = q.clone().count(c).await?;
    let items = q
        .order_by_desc(audit_log::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?;
    Ok((items, total))
}
