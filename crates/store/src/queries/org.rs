use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::in_subtree;
use crate::entity::{member, org, org_closure};

/// Inserts an org and its closure rows (every ancestor of the parent, and itself at depth 0).
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    model: org::ActiveModel,
    parent_id: Option<i64>,
) -> Result<org::Model, DbErr> {
    let created = model.insert(c).await?;
    let mut rows = vec![org_closure::ActiveModel {
        ancestor: Set(created.id),
        descendant: Set(created.id),
        depth: Set(0),
    }];
    if let Some(parent) = parent_id {
        let ancestors = org_closure::Entity::find()
            .filter(org_closure::Column::Descendant.eq(parent))
            .all(c)
            .await?;
        rows.extend(ancestors.into_iter().map(|a| org_closure::ActiveModel {
            ancestor: Set(a.ancestor),
            descendant: Set(created.id),
            depth: Set(a.depth + 1),
        }));
    }
    org_closure::Entity::insert_many(rows).exec(c).await?;
    Ok(created)
}

pub async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<org::Model>, DbErr> {
    org::Entity::find_by_id(id).one(c).await
}

/// True when `ancestor` is `descendant` or above it.
pub async fn contains<C: ConnectionTrait>(
    c: &C,
    ancestor: i64,
    descendant: i64,
) -> Result<bool, DbErr> {
    Ok(org_closure::Entity::find_by_id((ancestor, descendant))
        .one(c)
        .await?
        .is_some())
}

/// Ancestor ids of `id`, nearest first (self excluded).
pub async fn ancestors<C: ConnectionTrait>(c: &C, id: i64) -> Result<Vec<i64>, DbErr> {
    Ok(org_closure::Entity::find()
        .filter(org_closure::Column::Descendant.eq(id))
        .filter(org_closure::Column::Depth.gt(0))
        .order_by_asc(org_closure::Column::Depth)
        .all(c)
        .await?
        .into_iter()
        .map(|r| r.ancestor)
        .collect())
}

pub async fn children<C: ConnectionTrait>(
    c: &C,
    parent: i64,
    include_deleted: bool,
) -> Result<Vec<org::Model>, DbErr> {
    let mut q = org::Entity::find().filter(org::Column::ParentId.eq(parent));
    if !include_deleted {
        q = q.filter(org::Column::DeletedAt.is_null());
    }
    q.order_by_asc(org::Column::Name).all(c).await
}

pub async fn live_child_count<C: ConnectionTrait>(c: &C, parent: i64) -> Result<u64, DbErr> {
    org::Entity::find()
        .filter(org::Column::ParentId.eq(parent))
        .filter(org::Column::DeletedAt.is_null())
        .count(c)
        .await
}

/// Members of the org itself (for a branch: its members).
pub async fn direct_member_count<C: ConnectionTrait>(c: &C, id: i64) -> Result<u64, DbErr> {
    member::Entity::find()
        .filter(member::Column::OrgId.eq(id))
        .filter(member::Column::Status.eq("active"))
        .count(c)
        .await
}

pub async fn sibling_with_name<C: ConnectionTrait>(
    c: &C,
    parent: i64,
    name: &str,
) -> Result<Option<org::Model>, DbErr> {
    org::Entity::find()
        .filter(org::Column::ParentId.eq(parent))
        .filter(org::Column::Name.eq(name))
        .one(c)
        .await
}

/// ORG-5: keyword anywhere in the full name, optionally within one province.
pub async fn search<C: ConnectionTrait>(
    c: &C,
    keyword: &str,
    province_id: Option<i64>,
    limit: u64,
) -> Result<Vec<org::Model>, DbErr> {
    let mut q = org::Entity::find().filter(org::Column::DeletedAt.is_null());
    if let Some(p) = province_id {
        q = q.filter(
            sea_orm::Condition::any()
                .add(org::Column::ProvinceId.eq(p))
                .add(org::Column::Id.eq(p)),
        );
    }
    if !keyword.is_empty() {
        q = q.filter(org::Column::Name.contains(keyword));
    }
    q.order_by_asc(org::Column::Depth)
        .order_by_asc(org::Column::Path)
        .limit(limit)
        .all(c)
        .await
}

/// After a rename, every descendant's path starts with the new name. Renames are rare and a
/// subtree is at most a few thousand orgs, so this walks it row by row.
pub async fn replace_path_prefix<C: ConnectionTrait>(
    c: &C,
    root: i64,
    old_prefix: &str,
    new_prefix: &str,
) -> Result<(), DbErr> {
    let descendants = org::Entity::find()
        .filter(in_subtree(org::Column::Id, root))
        .filter(org::Column::Id.ne(root))
        .all(c)
        .await?;
    for d in descendants {
        let Some(tail) = d.path.strip_prefix(old_prefix) else {
            continue;
        };
        let path = format!("{new_prefix}{tail}");
        let mut active: org::ActiveModel = d.into();
        active.path = Set(path);
        active.update(c).await?;
    }
    Ok(())
}

pub async fn find_many<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<Vec<org::Model>, DbErr> {
    org::Entity::find()
        .filter(org::Column::Id.is_in(ids.iter().copied()))
        .all(c)
        .await
}

fn counts(rows: Vec<sea_orm::QueryResult>) -> Result<std::collections::HashMap<i64, u64>, DbErr> {
    rows.into_iter()
        .map(|r| {
            let key: i64 = r.try_get_by_index(0)?;
            let n: i64 = r.try_get_by_index(1)?;
            Ok((key, n.max(0) as u64))
        })
        .collect()
}

/// Active members in the subtree of each of `ids`, in one query (tree views show a count per
/// node).
pub async fn subtree_member_counts<C: ConnectionTrait>(
    c: &C,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, u64>, DbErr> {
    use sea_orm::sea_query::{Expr, Query};
    if ids.is_empty() {
        return Ok(Default::default());
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
                .is_in(ids.iter().copied()),
        )
        .and_where(Expr::col((member::Entity, member::Column::Status)).eq("active"))
        .group_by_col((org_closure::Entity, org_closure::Column::Ancestor))
        .to_owned();
    counts(c.query_all(c.get_database_backend().build(&stmt)).await?)
}

/// Live (not deleted) children of each of `ids`, in one query.
pub async fn live_child_counts<C: ConnectionTrait>(
    c: &C,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, u64>, DbErr> {
    use sea_orm::sea_query::{Expr, Query};
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let stmt = Query::select()
        .column(org::Column::ParentId)
        .expr(Expr::col(org::Column::Id).count())
        .from(org::Entity)
        .and_where(Expr::col(org::Column::ParentId).is_in(ids.iter().copied()))
        .and_where(Expr::col(org::Column::DeletedAt).is_null())
        .group_by_col(org::Column::ParentId)
        .to_owned();
    counts(c.query_all(c.get_database_backend().build(&stmt)).await?)
}

/// Live branches in the subtree of `root` (itself included when it is one).
pub async fn subtree_branch_count<C: ConnectionTrait>(c: &C, root: i64) -> Result<u64, DbErr> {
    org::Entity::find()
        .filter(in_subtree(org::Column::Id, root))
        .filter(org::Column::Kind.eq("branch"))
        .filter(org::Column::DeletedAt.is_null())
        .count(c)
        .await
}

/// Members per college × status under `root` (the benchmark's figure, and college statistics).
pub async fn counts_by_college_status<C: ConnectionTrait>(
    c: &C,
    root: i64,
) -> Result<Vec<(Option<i64>, String, i64)>, DbErr> {
    use sea_orm::sea_query::{Expr, Query};
    let stmt = Query::select()
        .column((org::Entity, org::Column::CollegeId))
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
            Expr::col((org::Entity, org::Column::Id))
                .equals((member::Entity, member::Column::OrgId)),
        )
        .and_where(Expr::col((org_closure::Entity, org_closure::Column::Ancestor)).eq(root))
        .group_by_col((org::Entity, org::Column::CollegeId))
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
