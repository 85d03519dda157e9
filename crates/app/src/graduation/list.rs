//! GRD-1 at a university's scale: the list of school branches with their marking, filtered by
//! marking, graduation year, college (院系), 年级 and name; the choices of those filters; and
//! "select all" — marking every unmarked branch the filters match, across the list's pages.

use serde::{Deserialize, Serialize};
use tuanwu_domain::graduation::grade_of;
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_store::graduation::mark::{self as store, BranchFilter, MarkFilter};
use tuanwu_store::queries::Page;
use utoipa::{IntoParams, ToSchema};

use super::mark::{branch_views, mark_batch, MarkBatchInput, MarkResults};
use super::BranchMarkView;
use crate::{Actor, AppError, Context};

/// The most branches one marking may take (the batch's own limit).
const MAX_MARKED: usize = 1000;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BranchesQuery {
    /// `unmarked` (未标记) | `marked` | `mixed`; all when absent.
    pub status: Option<String>,
    /// Only branches graduating in this year.
    pub year: Option<i32>,
    /// Part of the branch name.
    pub q: Option<String>,
    /// Only branches of this college (院系): its org id.
    pub college: Option<i64>,
    /// Only branches of this 年级 (year of enrolment), read from the branch name: `2022` for
    /// 「…2022级…团支部」.
    pub grade: Option<i32>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl BranchesQuery {
    fn filter(&self) -> Result<BranchFilter, AppError> {
        let mark = match self.status.as_deref().map(str::trim) {
            None | Some("") | Some("all") => MarkFilter::All,
            Some("unmarked") | Some("未标记") => MarkFilter::Unmarked,
            Some("marked") | Some("已标记") => MarkFilter::Marked,
            Some("mixed") | Some("混合支部") => MarkFilter::Mixed,
            Some(other) => {
                return Err(DomainError::new(
                    "invalid_status",
                    format!("“{other}”不是有效的标记状态：可选 unmarked（未标记）、marked（已标记）或 mixed（混合支部）"),
                )
                .field("status")
                .into())
            }
        };
        if let Some(g) = self.grade.filter(|g| !(1900..=9999).contains(g)) {
            return Err(DomainError::new(
                "invalid_grade",
                format!("“{g}”不是有效的年级：请填写入学年份，如 2022（对应“2022级”）"),
            )
            .field("grade")
            .into());
        }
        Ok(BranchFilter {
            mark,
            year: self.year,
            name: self
                .q
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            college: self.college.map(OrgId),
            grade: self.grade,
        })
    }
}

/// GRD-1: the school branches of a subtree with their marking, filtered and paged.
pub async fn branches(
    ctx: &Context,
    actor: &Actor,
    root: OrgId,
    q: BranchesQuery,
) -> Result<(Vec<BranchMarkView>, u64), AppError> {
    ctx.ensure_in_scope(actor, root).await?;
    let filter = q.filter()?;
    let c = ctx.db.conn();
    let page = Page::new(q.page, q.per_page);
    let (rows, total) = store::branches(c, actor.scope(), root, &filter, page).await?;
    Ok((branch_views(c, actor, rows).await?, total))
}

/// A college of the list's filter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CollegeChoice {
    pub id: i64,
    pub name: String,
}

/// What the list's college and 年级 filters offer under an org.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct BranchChoices {
    pub colleges: Vec<CollegeChoice>,
    /// The 年级 the branch names carry, newest first.
    pub grades: Vec<i32>,
}

/// GRD-1: the colleges holding school branches under `root` and the 年级 their names carry.
pub async fn branch_choices(
    ctx: &Context,
    actor: &Actor,
    root: OrgId,
) -> Result<BranchChoices, AppError> {
    ctx.ensure_in_scope(actor, root).await?;
    let c = ctx.db.conn();
    let colleges = store::colleges(c, actor.scope(), root)
        .await?
        .into_iter()
        .map(|o| CollegeChoice {
            id: o.id.0,
            name: o.name,
        })
        .collect();
    let mut grades: Vec<i32> = store::branch_names(c, actor.scope(), root)
        .await?
        .iter()
        .filter_map(|n| grade_of(n))
        .collect();
    grades.sort_unstable_by(|a, b| b.cmp(a));
    grades.dedup();
    Ok(BranchChoices { colleges, grades })
}

/// GRD-1 "select all": marks every unmarked branch under `root` that the list's filters match
/// (all pages, at most 1000), in one transaction, as `mark_batch` does for ticked ones.
pub async fn mark_matching(
    ctx: &Context,
    actor: &Actor,
    root: OrgId,
    q: BranchesQuery,
    year_month: Option<String>,
    mixed: Option<bool>,
) -> Result<MarkResults, AppError> {
    ctx.ensure_in_scope(actor, root).await?;
    let filter = q.filter()?;
    let ids = store::unmarked_ids(
        ctx.db.conn(),
        actor.scope(),
        root,
        &filter,
        MAX_MARKED as u64 + 1,
    )
    .await?;
    if ids.is_empty() {
        return Err(DomainError::new(
            "no_unmarked_match",
            "筛选出的团支部中没有未标记的：请修改筛选条件，或勾选要标记的团支部",
        )
        .rule("GRD-1")
        .field("org_ids")
        .into());
    }
    if ids.len() > MAX_MARKED {
        return Err(DomainError::new(
            "too_many_orgs",
            "筛选出的未标记团支部超过1000个：请按学院或年级缩小范围后分批标记",
        )
        .rule("GRD-1")
        .field("org_ids")
        .into());
    }
    mark_batch(
        ctx,
        actor,
        MarkBatchInput {
            org_ids: ids.into_iter().map(|o| o.0).collect(),
            year_month,
            mixed,
        },
    )
    .await
}
