//! MTG-1 compliance: the per-org targets (the nearest ancestor's apply) and the per-branch
//! counts of a quarter, read for a whole subtree in one statement over the closure table.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, JoinType, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::OffsetDateTime;
use tuanwu_domain::meeting::{MeetingKind, Targets};
use tuanwu_domain::OrgId;

use crate::entity::{meeting, meeting_target, org, org_closure};

fn targets(rows: Vec<meeting_target::Model>) -> Result<Targets, DbErr> {
    let pairs = rows
        .into_iter()
        .map(|r| {
            let kind = MeetingKind::parse(&r.kind)
                .map_err(|e| DbErr::Type(format!("meeting_targets.kind: {}", e.message)))?;
            let n = u32::try_from(r.per_quarter).map_err(|_| {
                DbErr::Type(format!("meeting_targets.per_quarter: {}", r.per_quarter))
            })?;
            Ok((kind, n))
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    Targets::new(&pairs).map_err(|e| DbErr::Type(format!("meeting_targets: {}", e.message)))
}

/// The targets `org` set itself, if it did. The caller has checked `org` is in scope.
pub async fn targets_of<C: ConnectionTrait>(c: &C, org: OrgId) -> Result<Option<Targets>, DbErr> {
    let rows = meeting_target::Entity::find()
        .filter(meeting_target::Column::OrgId.eq(org.0))
        .all(c)
        .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    targets(rows).map(Some)
}

/// The targets that apply to `org`: its own, else the nearest ancestor's, else the defaults;
/// with the org that set them (`None` for the defaults). Targets are settings, not personal
/// data: safe without a `Scope`.
pub async fn targets_for<C: ConnectionTrait>(
    c: &C,
    org: OrgId,
) -> Result<(Targets, Option<OrgId>), DbErr> {
    let nearest = org_closure::Entity::find()
        .filter(org_closure::Column::Descendant.eq(org.0))
        .filter(
            org_closure::Column::Ancestor.in_subquery(
                Query::select()
                    .column(meeting_target::Column::OrgId)
                    .from(meeting_target::Entity)
                    .to_owned(),
            ),
        )
        .order_by_asc(org_closure::Column::Depth)
        .limit(1)
        .one(c)
        .await?;
    match nearest {
        Some(n) => Ok((
            targets_of(c, OrgId(n.ancestor)).await?.unwrap_or_default(),
            Some(OrgId(n.ancestor)),
        )),
        None => Ok((Targets::default(), None)),
    }
}

/// Replaces `org`'s own targets (every kind written, zeros too, so that a zero overrides an
/// ancestor's target). The caller has checked `org` is in scope.
pub async fn set_targets<C: ConnectionTrait>(c: &C, org: OrgId, t: &Targets) -> Result<(), DbErr> {
    meeting_target::Entity::delete_many()
        .filter(meeting_target::Column::OrgId.eq(org.0))
        .exec(c)
        .await?;
    meeting_target::Entity::insert_many(MeetingKind::ALL.iter().map(|k| {
        meeting_target::ActiveModel {
            org_id: Set(org.0),
            kind: Set(k.key().into()),
            per_quarter: Set(i32::try_from(t.of(*k)).unwrap_or(i32::MAX)),
        }
    }))
    .exec(c)
    .await?;
    Ok(())
}

/// One live branch of a subtree with its meetings per kind in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchCount {
    pub branch: OrgId,
    pub name: String,
    /// Full names from the top (ORG-5).
    pub path: String,
    pub held: Vec<(MeetingKind, u32)>,
    /// The targets that apply to it.
    pub targets: Targets,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    name: String,
    path: String,
    target_org: Option<i64>,
}

fn count_col(kind: MeetingKind) -> String {
    format!("n_{}", kind.key())
}

/// Every live branch under `root` (itself when it is one) with its live meetings per kind
/// started in `[from, before)`, and the org whose targets apply to it: one statement over the
/// closure table, then the few target rows of those orgs. The caller has checked `root` is in
/// scope.
pub async fn branch_counts<C: ConnectionTrait>(
    c: &C,
    root: OrgId,
    from: OffsetDateTime,
    before: OffsetDateTime,
) -> Result<Vec<BranchCount>, DbErr> {
    let mut q = Query::select();
    q.expr_as(Expr::col((org::Entity, org::Column::Id)), Alias::new("id"))
        .expr_as(
            Expr::col((org::Entity, org::Column::Name)),
            Alias::new("name"),
        )
        .expr_as(
            Expr::col((org::Entity, org::Column::Path)),
            Alias::new("path"),
        )
        // The nearest org (the branch or an ancestor) that set targets.
        .expr_as(
            Expr::cust(
                "(SELECT tc.ancestor FROM org_closure tc WHERE tc.descendant = orgs.id \
                 AND tc.ancestor IN (SELECT org_id FROM meeting_targets) \
                 ORDER BY tc.depth LIMIT 1)",
            ),
            Alias::new("target_org"),
        );
    for k in MeetingKind::ALL {
        q.expr_as(
            Expr::cust(format!(
                "CAST(COALESCE(SUM(CASE WHEN meetings.kind = '{}' THEN 1 ELSE 0 END), 0) AS BIGINT)",
                k.key()
            )),
            Alias::new(count_col(*k)),
        );
    }
    q.from(org_closure::Entity)
        .inner_join(
            org::Entity,
            Expr::col((org::Entity, org::Column::Id))
                .equals((org_closure::Entity, org_closure::Column::Descendant)),
        )
        .join(
            JoinType::LeftJoin,
            meeting::Entity,
            Expr::col((meeting::Entity, meeting::Column::OrgId))
                .equals((org::Entity, org::Column::Id))
                .and(Expr::col((meeting::Entity, meeting::Column::DeletedAt)).is_null())
                .and(Expr::col((meeting::Entity, meeting::Column::StartedAt)).gte(from))
                .and(Expr::col((meeting::Entity, meeting::Column::StartedAt)).lt(before)),
        )
        .and_where(Expr::col((org_closure::Entity, org_closure::Column::Ancestor)).eq(root.0))
        .and_where(Expr::col((org::Entity, org::Column::Kind)).eq("branch"))
        .and_where(Expr::col((org::Entity, org::Column::DeletedAt)).is_null())
        .group_by_col((org::Entity, org::Column::Id))
        .group_by_col((org::Entity, org::Column::Name))
        .group_by_col((org::Entity, org::Column::Path))
        .order_by((org::Entity, org::Column::Path), Order::Asc);
    let rows = c.query_all(c.get_database_backend().build(&q)).await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut target_orgs: Vec<i64> = Vec::new();
    let mut parsed = Vec::with_capacity(rows.len());
    for r in rows {
        let row = Row::from_query_result(&r, "")?;
        let mut held = Vec::new();
        for k in MeetingKind::ALL {
            let n: i64 = r.try_get("", &count_col(*k))?;
            held.push((*k, u32::try_from(n).unwrap_or(u32::MAX)));
        }
        if let Some(t) = row.target_org {
            if !target_orgs.contains(&t) {
                target_orgs.push(t);
            }
        }
        parsed.push((row, held));
    }
    let mut by_org: HashMap<i64, Vec<meeting_target::Model>> = HashMap::new();
    for t in meeting_target::Entity::find()
        .filter(meeting_target::Column::OrgId.is_in(target_orgs))
        .all(c)
        .await?
    {
        by_org.entry(t.org_id).or_default().push(t);
    }
    let mut resolved: HashMap<i64, Targets> = HashMap::new();
    for (org, rows) in by_org {
        resolved.insert(org, targets(rows)?);
    }
    for (row, held) in parsed {
        let targets = row
            .target_org
            .and_then(|t| resolved.get(&t).cloned())
            .unwrap_or_default();
        out.push(BranchCount {
            branch: OrgId(row.id),
            name: row.name,
            path: row.path,
            held,
            targets,
        });
    }
    Ok(out)
}
