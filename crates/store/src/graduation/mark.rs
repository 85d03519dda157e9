//! GRD-1, GRD-2: the graduation marking of school branches (the `orgs.graduation` column) and
//! the `graduation_change` requests that change it.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use time::OffsetDateTime;
use tuanwu_domain::graduation::{ChangeRequest, GraduationMark};
use tuanwu_domain::org::{Org, OrgKind};
use tuanwu_domain::request::{RequestKind, RequestStatus};
use tuanwu_domain::{OrgId, RequestId};

use super::{school_categories, unknown, within};
use crate::entity::{org, request};
use crate::queries::Page;
use crate::scope::Scope;

/// Which markings a branch list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MarkFilter {
    #[default]
    All,
    Unmarked,
    Marked,
    Mixed,
}

/// The filters of the branch list (GRD-1), already parsed.
#[derive(Debug, Clone, Default)]
pub struct BranchFilter {
    pub mark: MarkFilter,
    /// Only branches graduating in this year.
    pub year: Option<i32>,
    /// Part of the branch name.
    pub name: Option<String>,
    /// Only branches of this college (院系).
    pub college: Option<OrgId>,
    /// Only branches whose name carries this 年级 (「2022级」).
    pub grade: Option<i32>,
}

/// GRD-1: one page of the live school branches under `root` the scope reaches, by path, and how
/// many match.
pub async fn branches<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
    f: &BranchFilter,
    page: Page,
) -> Result<(Vec<Org>, u64), DbErr> {
    let mut select = org::Entity::find()
        .filter(within(org::Column::Id, scope, root))
        .filter(org::Column::Kind.eq(OrgKind::Branch.key()))
        .filter(org::Column::DeletedAt.is_null())
        .filter(org::Column::Category.is_in(school_categories()));
    select = match f.mark {
        MarkFilter::All => select,
        MarkFilter::Unmarked => select.filter(org::Column::Graduation.is_null()),
        MarkFilter::Marked => select.filter(org::Column::Graduation.is_not_null()),
        MarkFilter::Mixed => select.filter(org::Column::Graduation.eq(GraduationMark::Mixed.key())),
    };
    if let Some(year) = f.year {
        select = select.filter(org::Column::Graduation.starts_with(format!("{year:04}-")));
    }
    if let Some(name) = &f.name {
        select = select.filter(org::Column::Name.contains(name));
    }
    if let Some(college) = f.college {
        select = select.filter(org::Column::CollegeId.eq(college.0));
    }
    if let Some(grade) = f.grade {
        select = select.filter(org::Column::Name.contains(format!("{grade:04}级")));
    }
    let total = select.clone().count(c).await?;
    let rows = select
        .order_by_asc(org::Column::Path)
        .order_by_asc(org::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?;
    Ok((crate::org::records(rows)?, total))
}

/// GRD-1: the ids of every live unmarked school branch under `root` the scope reaches that
/// matches `f` (its `mark` is ignored), by path, at most `limit` — "select all" on a filtered
/// list spans its pages.
pub async fn unmarked_ids<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
    f: &BranchFilter,
    limit: u64,
) -> Result<Vec<OrgId>, DbErr> {
    let f = BranchFilter {
        mark: MarkFilter::Unmarked,
        ..f.clone()
    };
    let all = Page {
        page: 1,
        per_page: limit,
    };
    let (rows, _) = branches(c, scope, root, &f, all).await?;
    Ok(rows.into_iter().map(|o| o.id).collect())
}

/// GRD-1: the colleges (院系, orgs that are their own college) under `root` the scope reaches
/// that hold a live school branch, by path: the choices of the list's college filter.
pub async fn colleges<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
) -> Result<Vec<Org>, DbErr> {
    let ids: Vec<i64> = org::Entity::find()
        .select_only()
        .column(org::Column::CollegeId)
        .distinct()
        .filter(within(org::Column::Id, scope, root))
        .filter(org::Column::Kind.eq(OrgKind::Branch.key()))
        .filter(org::Column::DeletedAt.is_null())
        .filter(org::Column::Category.is_in(school_categories()))
        .filter(org::Column::CollegeId.is_not_null())
        .into_tuple::<Option<i64>>()
        .all(c)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let rows = org::Entity::find()
        .filter(org::Column::Id.is_in(ids))
        .filter(org::Column::DeletedAt.is_null())
        .order_by_asc(org::Column::Path)
        .all(c)
        .await?;
    crate::org::records(rows)
}

/// GRD-1: the names of the live school branches under `root` the scope reaches (the list's
/// 年级 choices are read from them).
pub async fn branch_names<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
) -> Result<Vec<String>, DbErr> {
    org::Entity::find()
        .select_only()
        .column(org::Column::Name)
        .filter(within(org::Column::Id, scope, root))
        .filter(org::Column::Kind.eq(OrgKind::Branch.key()))
        .filter(org::Column::DeletedAt.is_null())
        .filter(org::Column::Category.is_in(school_categories()))
        .into_tuple::<String>()
        .all(c)
        .await
}

/// GRD-1: marks a branch that is still unmarked; false when it is marked already (two markers
/// racing: one wins, the other answers 409). The caller checked the branch is in scope.
pub async fn mark_first<C: ConnectionTrait>(
    c: &C,
    org: OrgId,
    mark: GraduationMark,
    at: OffsetDateTime,
) -> Result<bool, DbErr> {
    let done = org::Entity::update_many()
        .col_expr(org::Column::Graduation, Expr::value(mark.key()))
        .col_expr(org::Column::UpdatedAt, Expr::value(at))
        .col_expr(org::Column::Version, Expr::col(org::Column::Version).add(1))
        .filter(org::Column::Id.eq(org.0))
        .filter(org::Column::Graduation.is_null())
        .exec(c)
        .await?;
    Ok(done.rows_affected == 1)
}

/// GRD-2: an approved change replaces the marking. Called in the decision's transaction, after
/// the request mechanism checked the decider's scope.
pub async fn set_mark<C: ConnectionTrait>(
    c: &C,
    org: OrgId,
    mark: GraduationMark,
    at: OffsetDateTime,
) -> Result<(), DbErr> {
    org::Entity::update_many()
        .col_expr(org::Column::Graduation, Expr::value(mark.key()))
        .col_expr(org::Column::UpdatedAt, Expr::value(at))
        .col_expr(org::Column::Version, Expr::col(org::Column::Version).add(1))
        .filter(org::Column::Id.eq(org.0))
        .exec(c)
        .await?;
    Ok(())
}

/// SYS-3: a change request of the branch is already waiting. The caller checked the branch is
/// in scope.
pub async fn has_pending_change<C: ConnectionTrait>(c: &C, org: OrgId) -> Result<bool, DbErr> {
    let pending = request::Entity::find()
        .filter(request::Column::OrgId.eq(org.0))
        .filter(request::Column::Kind.eq(RequestKind::GraduationChange.key()))
        .filter(request::Column::Status.eq(RequestStatus::Pending.key()))
        .count(c)
        .await?;
    Ok(pending > 0)
}

/// GRD-2: the pending and approved change requests of the branches under `root` the scope
/// reaches, oldest first (the 修改团支部毕业时间汇总表).
pub async fn changes<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
) -> Result<Vec<ChangeRequest>, DbErr> {
    request::Entity::find()
        .filter(within(request::Column::OrgId, scope, root))
        .filter(request::Column::Kind.eq(RequestKind::GraduationChange.key()))
        .filter(
            request::Column::Status
                .is_in([RequestStatus::Pending.key(), RequestStatus::Approved.key()]),
        )
        .order_by_asc(request::Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(|r| {
            Ok(ChangeRequest {
                id: RequestId(r.id),
                org: OrgId(r.org_id),
                status: RequestStatus::parse(&r.status)
                    .map_err(|e| unknown("requests.status", e))?,
                summary: r.summary,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// SYS-3 for a page of branches the caller has already listed through its scope: those with a
/// change request waiting.
pub async fn pending_changes<C: ConnectionTrait>(
    c: &C,
    orgs: &[OrgId],
) -> Result<std::collections::HashSet<OrgId>, DbErr> {
    if orgs.is_empty() {
        return Ok(Default::default());
    }
    Ok(request::Entity::find()
        .filter(request::Column::OrgId.is_in(orgs.iter().map(|o| o.0)))
        .filter(request::Column::Kind.eq(RequestKind::GraduationChange.key()))
        .filter(request::Column::Status.eq(RequestStatus::Pending.key()))
        .all(c)
        .await?
        .into_iter()
        .map(|r| OrgId(r.org_id))
        .collect())
}
