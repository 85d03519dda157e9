//! Counts the tree views and the delete rule need: members and children per org, each in one
//! query. The caller checked the orgs are in the actor's scope.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use tuanwu_domain::org::OrgKind;
use tuanwu_domain::OrgId;

use crate::entity::{member, org, org_closure};
use crate::graduation::ACTIVE_MEMBER;
use crate::queries::in_subtree;

use org::Column as O;

/// Live (not deleted) children of `parent` (ORG-1: a branch cannot get any).
pub async fn live_child_count<C: ConnectionTrait>(c: &C, parent: OrgId) -> Result<u64, DbErr> {
    org::Entity::find()
        .filter(O::ParentId.eq(parent.0))
        .filter(O::DeletedAt.is_null())
        .count(c)
        .await
}

/// Members of the org itself (for a branch: its members).
pub async fn direct_member_count<C: ConnectionTrait>(c: &C, id: OrgId) -> Result<u64, DbErr> {
    member::Entity::find()
        .filter(member::Column::OrgId.eq(id.0))
        .filter(member::Column::Status.eq(ACTIVE_MEMBER))
        .count(c)
        .await
}

fn counts(rows: Vec<sea_orm::QueryResult>) -> Result<HashMap<OrgId, u64>, DbErr> {
    rows.into_iter()
        .map(|r| {
            let key: i64 = r.try_get_by_index(0)?;
            let n: i64 = r.try_get_by_index(1)?;
            Ok((OrgId(key), n.max(0) as u64))
        })
        .collect()
}

/// Active members in the subtree of each of `ids`, in one query (tree views show a count per
/// node).
pub async fn subtree_member_counts<C: ConnectionTrait>(
    c: &C,
    ids: &[OrgId],
) -> Result<HashMap<OrgId, u64>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let stmt = Query::select()
        .column((org_closure::Entity, org_closure::Column::Ancestor))
        .expr(Expr::col((member::Entity, member::Column::Id)).count())
        .from(org_closure::Entity)
        .inner_join(
            member::Entity,
            Expr::col((member::Entity, member::Column::OrgId))
                .equals((org_closure::Entity, org_closure::Column::Descendant)),
        )
        .and_where(
            Expr::col((org_closure::Entity, org_closure::Column::Ancestor))
                .is_in(ids.iter().map(|i| i.0)),
        )
        .and_where(Expr::col((member::Entity, member::Column::Status)).eq(ACTIVE_MEMBER))
        .group_by_col((org_closure::Entity, org_closure::Column::Ancestor))
        .to_owned();
    counts(c.query_all(c.get_database_backend().build(&stmt)).await?)
}

/// Live (not deleted) children of each of `ids`, in one query.
pub async fn live_child_counts<C: ConnectionTrait>(
    c: &C,
    ids: &[OrgId],
) -> Result<HashMap<OrgId, u64>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let stmt = Query::select()
        .column(O::ParentId)
        .expr(Expr::col(O::Id).count())
        .from(org::Entity)
        .and_where(Expr::col(O::ParentId).is_in(ids.iter().map(|i| i.0)))
        .and_where(Expr::col(O::DeletedAt).is_null())
        .group_by_col(O::ParentId)
        .to_owned();
    counts(c.query_all(c.get_database_backend().build(&stmt)).await?)
}

/// Live branches in the subtree of `root` (itself included when it is one).
pub async fn subtree_branch_count<C: ConnectionTrait>(c: &C, root: OrgId) -> Result<u64, DbErr> {
    org::Entity::find()
        .filter(in_subtree(O::Id, root.0))
        .filter(O::Kind.eq(OrgKind::Branch.key()))
        .filter(O::DeletedAt.is_null())
        .count(c)
        .await
}

/// Members per college × status under `root` (the benchmark's figure, and college statistics).
pub async fn counts_by_college_status<C: ConnectionTrait>(
    c: &C,
    root: OrgId,
) -> Result<Vec<(Option<i64>, String, i64)>, DbErr> {
    let stmt = Query::select()
        .column((org::Entity, O::CollegeId))
        .column((member::Entity, member::Column::Status))
        .expr(Expr::col((member::Entity, member::Column::Id)).count())
        .from(org_closure::Entity)
        .inner_join(
            member::Entity,
            Expr::col((member::Entity, member::Column::OrgId))
                .equals((org_closure::Entity, org_closure::Column::Descendant)),
        )
        .inner_join(
            org::Entity,
            Expr::col((org::Entity, O::Id)).equals((member::Entity, member::Column::OrgId)),
        )
        .and_where(Expr::col((org_closure::Entity, org_closure::Column::Ancestor)).eq(root.0))
        .group_by_col((org::Entity, O::CollegeId))
        .group_by_col((member::Entity, member::Column::Status))
        .to_owned();
    c.query_all(c.get_database_backend().build(&stmt))
        .await?
        .into_iter()
        .map(|r| {
            Ok((
                r.try_get_by_index(0)?,
                r.try_get_by_index(1)?,
                r.try_get_by_index(2)?,
            ))
        })
        .collect()
}
