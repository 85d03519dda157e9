//! GRD-1: marking school branches with their graduation (one branch, or a ticked set in one
//! transaction), and the list of branches with their marking. Changes go through `change.rs`.

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tuanwu_domain::graduation::GraduationMark;
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_store::graduation::mark as store;
use utoipa::ToSchema;

use super::rules::{check_marker, BranchActions, MarkingActions};
use super::{is_school_branch, mark_label, mark_of, Skipped, NOT_FOUND_REASON};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

/// `{"year_month": "2026-06"}` or `{"mixed": true}` (混合支部).
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct MarkInput {
    /// The month the branch's members graduate, "YYYY-MM".
    pub year_month: Option<String>,
    /// 混合支部: several years in one branch, graduation unknown.
    pub mixed: Option<bool>,
}

impl MarkInput {
    pub fn parse(&self) -> Result<GraduationMark, AppError> {
        let ym = self
            .year_month
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let bad = |code, message: &str| -> AppError {
            DomainError::new(code, message)
                .rule("GRD-1")
                .field("year_month")
                .into()
        };
        match (ym, self.mixed.unwrap_or(false)) {
            (Some(_), true) => Err(bad(
                "mark_conflict",
                "毕业时间和“混合支部”只能选择其中一项：能确定毕业年月的请填写年月，几个年级纵向建团的请选择混合支部",
            )),
            (None, true) => Ok(GraduationMark::Mixed),
            (Some(s), false) => {
                // "mixed" typed into the month field means the same as ticking 混合支部.
                Ok(GraduationMark::parse(s)?)
            }
            (None, false) => Err(bad(
                "mark_required",
                "请填写团支部团员的毕业年月（例如 2026-06），或选择“混合支部”",
            )),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkBatchInput {
    /// The ticked branches.
    pub org_ids: Vec<i64>,
    pub year_month: Option<String>,
    pub mixed: Option<bool>,
}

/// A school branch and its graduation marking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BranchMarkView {
    pub id: i64,
    /// The same as `id` (batch answers name orgs by `org_id`).
    pub org_id: i64,
    pub name: String,
    pub path: String,
    pub college_id: Option<i64>,
    pub college_name: Option<String>,
    /// "YYYY-MM", "mixed", or `null` for 未标记.
    pub graduation: Option<String>,
    /// 未标记 | 2026年6月毕业 | 混合支部.
    pub graduation_label: String,
    pub member_count: u64,
    /// What the viewer may do with this branch's marking now.
    pub actions: BranchActions,
}

/// Per-branch results of a batch: the branches marked and those skipped with why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MarkResults {
    pub marked: Vec<BranchMarkView>,
    pub skipped: Vec<Skipped>,
}

fn already_marked(o: &tuanwu_domain::org::Org) -> Result<AppError, AppError> {
    Ok(AppError::Conflict {
        code: "graduation_already_marked",
        message: format!(
            "“{}”已标记为{}：修改已有的毕业时间须向团市委提交修改申请（申请类型“修改团支部毕业时间”），审批通过后生效",
            o.name,
            mark_label(mark_of(o)?)
        ),
        rule: Some("GRD-2"),
        field: None,
    })
}

pub(super) fn not_school_branch(o: &tuanwu_domain::org::Org) -> AppError {
    DomainError::new(
        "not_school_branch",
        format!(
            "“{}”不是学校领域的团支部：毕业时间只标记在单位类别为学校的团支部上，请选择学生团支部",
            o.name
        ),
    )
    .rule("GRD-1")
    .field("org_id")
    .into()
}

/// Why a loaded org cannot be marked now, if it cannot.
fn refusal(o: &tuanwu_domain::org::Org) -> Result<Option<AppError>, AppError> {
    if o.is_deleted() {
        return Ok(Some(
            DomainError::new(
                "org_deleted",
                format!("“{}”已被删除，不能标记：请先由上级组织恢复", o.name),
            )
            .rule("ORG-6")
            .field("org_id")
            .into(),
        ));
    }
    if !is_school_branch(o) {
        return Ok(Some(not_school_branch(o)));
    }
    if mark_of(o)?.is_some() {
        return Ok(Some(already_marked(o)?));
    }
    Ok(None)
}

/// Marks an unmarked branch; the `IS NULL` condition makes two markers racing answer 409 to one.
async fn set_first_mark<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    o: &tuanwu_domain::org::Org,
    mark: GraduationMark,
) -> Result<tuanwu_domain::org::Org, AppError> {
    let done = store::mark_first(c, o.id, mark, ctx.clock.now()).await?;
    let now = tuanwu_store::org::get(c, o.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !done {
        return Err(already_marked(&now)?);
    }
    audit::record(
        ctx,
        c,
        actor,
        Change::new(AuditAction::OrgGraduationMark, o.id.0)
            .org(o.id.0)
            .before(json!({ "graduation": Value::Null }))
            .after(json!({ "graduation": mark.key() })),
    )
    .await?;
    Ok(now)
}

/// Views of branches with their member counts, college names and the viewer's actions, in a
/// few queries.
pub(crate) async fn branch_views<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    orgs: Vec<tuanwu_domain::org::Org>,
) -> Result<Vec<BranchMarkView>, AppError> {
    let marker = MarkingActions::of(c, actor).await?;
    let org_ids: Vec<OrgId> = orgs.iter().map(|o| o.id).collect();
    let pending = store::pending_changes(c, &org_ids).await?;
    let counts = tuanwu_store::org::subtree_member_counts(c, &org_ids).await?;
    let mut college_ids: Vec<i64> = orgs
        .iter()
        .filter_map(|o| o.college_id.map(|c| c.0))
        .collect();
    college_ids.sort_unstable();
    college_ids.dedup();
    let colleges: std::collections::HashMap<i64, String> = tuanwu_store::org::get_many(
        c,
        &college_ids
            .iter()
            .copied()
            .map(tuanwu_domain::OrgId)
            .collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|o| (o.id.0, o.name))
    .collect();
    let mut out = Vec::with_capacity(orgs.len());
    for o in orgs {
        let mark = mark_of(&o)?;
        out.push(BranchMarkView {
            id: o.id.0,
            org_id: o.id.0,
            graduation_label: mark_label(mark),
            college_name: o.college_id.and_then(|c| colleges.get(&c.0).cloned()),
            member_count: counts.get(&o.id).copied().unwrap_or(0),
            actions: BranchActions::of(marker, &o, mark, pending.contains(&o.id)),
            name: o.name,
            path: o.path,
            college_id: o.college_id.map(|i| i.0),
            graduation: mark.map(GraduationMark::key),
        });
    }
    Ok(out)
}

/// GRD-1: the first marking of one branch.
pub async fn mark_one(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
    input: MarkInput,
) -> Result<BranchMarkView, AppError> {
    let mark = input.parse()?;
    let tx = ctx.db.write().await?;
    check_marker(&*tx, actor).await?;
    actor.ensure_in_scope(&*tx, id).await?;
    let o = tuanwu_store::org::get(&*tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(e) = refusal(&o)? {
        return Err(e);
    }
    let marked = set_first_mark(ctx, &*tx, actor, &o, mark).await?;
    let mut views = branch_views(&*tx, actor, vec![marked]).await?;
    tx.commit().await?;
    views.pop().ok_or(AppError::NotFound)
}

/// GRD-1: the first marking of a ticked set of branches, in one transaction. Branches that
/// cannot be marked (already marked, not a school branch, out of scope) are skipped with why.
pub async fn mark_batch(
    ctx: &Context,
    actor: &Actor,
    input: MarkBatchInput,
) -> Result<MarkResults, AppError> {
    let mark = MarkInput {
        year_month: input.year_month.clone(),
        mixed: input.mixed,
    }
    .parse()?;
    let mut ids = input.org_ids.clone();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    if ids.is_empty() {
        return Err(
            DomainError::new("org_ids_required", "请勾选要标记毕业时间的团支部")
                .rule("GRD-1")
                .field("org_ids")
                .into(),
        );
    }
    if ids.len() > 1000 {
        return Err(
            DomainError::new("too_many_orgs", "一次最多标记1000个团支部：请分批勾选")
                .rule("GRD-1")
                .field("org_ids")
                .into(),
        );
    }
    let tx = ctx.db.write().await?;
    check_marker(&*tx, actor).await?;
    let root = actor.admin_root()?;
    let mut marked = Vec::new();
    let mut skipped = Vec::new();
    let skip = |org_id: i64, reason: String| Skipped {
        org_id: Some(org_id),
        member_id: None,
        reason,
    };
    for id in ids {
        let found = match tuanwu_store::org::get(&*tx, tuanwu_domain::OrgId(id)).await? {
            Some(o) if tuanwu_store::org::contains(&*tx, root, o.id).await? => o,
            _ => {
                skipped.push(skip(id, NOT_FOUND_REASON.into()));
                continue;
            }
        };
        if let Some(e) = refusal(&found)? {
            skipped.push(skip(id, e.to_string()));
            continue;
        }
        match set_first_mark(ctx, &*tx, actor, &found, mark).await {
            Ok(o) => marked.push(o),
            Err(e @ AppError::Conflict { .. }) => skipped.push(skip(id, e.to_string())),
            Err(e) => return Err(e),
        }
    }
    let marked = branch_views(&*tx, actor, marked).await?;
    tx.commit().await?;
    Ok(MarkResults { marked, skipped })
}

/// GRD-1: what the viewer may do on the branch list as a whole.
pub async fn marking_actions(ctx: &Context, actor: &Actor) -> Result<MarkingActions, AppError> {
    MarkingActions::of(ctx.db.conn(), actor).await
}
