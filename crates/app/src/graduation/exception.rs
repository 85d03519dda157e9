//! GRD-3, GRD-4: members marked as delayed graduates (延迟毕业) or teachers, singly or in batch,
//! with an expected graduation strictly later than their branch's; revoking keeps the record.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tuanwu_domain::graduation::{ExceptionKind, GraduationMark};
use tuanwu_domain::{text, DomainError, MemberId, OrgId, YearMonth};
use tuanwu_store::entity::{graduation_exception as exception, member, org};
use tuanwu_store::queries::{self, in_subtree, Page};
use utoipa::{IntoParams, ToSchema};

use super::{
    is_school_branch, mark_of, member_for_admin, require_school_admin, Skipped, NOT_FOUND_REASON,
};
use crate::audit::{self, format_time, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DelayedInput {
    /// Expected graduation, "YYYY-MM": strictly later than the branch's marking.
    pub expected: String,
    pub reason: String,
    /// `delayed` (延迟毕业, default) | `teacher` (教师).
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DelayedBatchInput {
    pub member_ids: Vec<i64>,
    pub expected: String,
    pub reason: String,
    pub kind: Option<String>,
}

/// A delayed-graduate or teacher marking of one member.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExceptionView {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub student_no: Option<String>,
    /// The member's branch and its marking.
    pub org_id: i64,
    pub org_name: String,
    pub branch_graduation: Option<String>,
    /// `delayed` | `teacher`.
    pub kind: String,
    pub kind_label: String,
    /// "YYYY-MM".
    pub expected: String,
    pub reason: String,
    pub created_at: String,
    pub revoked: bool,
    pub revoked_at: Option<String>,
}

/// Per-member results of a batch.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DelayedResults {
    pub marked: Vec<ExceptionView>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DelayedListQuery {
    /// `delayed` | `teacher`; both when absent.
    pub kind: Option<String>,
    /// Also list revoked markings.
    pub include_revoked: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

struct Parsed {
    kind: ExceptionKind,
    expected: YearMonth,
    reason: String,
}

fn parse(expected: &str, reason: &str, kind: Option<&str>) -> Result<Parsed, AppError> {
    let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
        None => ExceptionKind::Delayed,
        Some(k) => ExceptionKind::parse(k).map_err(|e| e.rule("GRD-3").field("kind"))?,
    };
    let expected: YearMonth = expected
        .parse()
        .map_err(|e: DomainError| e.rule("GRD-3").field("expected"))?;
    let reason = text::required(reason, "reason", "原因", 500).map_err(|e| e.rule("GRD-3"))?;
    Ok(Parsed {
        kind,
        expected,
        reason,
    })
}

fn bad(code: &'static str, message: String, field: &'static str) -> AppError {
    DomainError::new(code, message)
        .rule("GRD-3")
        .field(field)
        .into()
}

pub(crate) async fn active_of<C: ConnectionTrait>(
    c: &C,
    member_id: i64,
) -> Result<Option<exception::Model>, AppError> {
    Ok(exception::Entity::find()
        .filter(exception::Column::MemberId.eq(member_id))
        .filter(exception::Column::RevokedAt.is_null())
        .order_by_desc(exception::Column::Id)
        .one(c)
        .await?)
}

/// Checks and writes one marking, in the caller's transaction.
async fn mark_member<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    m: &member::Model,
    p: &Parsed,
) -> Result<exception::Model, AppError> {
    let branch = queries::org::find(c, m.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_school_branch(&branch) {
        return Err(bad(
            "not_school_branch",
            format!(
                "“{}”所在的“{}”不是学校领域的团支部：只有学校团支部的团员才能标记为延迟毕业或教师",
                m.name, branch.name
            ),
            "member_id",
        ));
    }
    let on = match mark_of(&branch) {
        Some(GraduationMark::On(ym)) => ym,
        Some(GraduationMark::Mixed) => {
            return Err(bad(
                "branch_mixed",
                format!(
                    "“{}”是混合支部，没有统一的毕业时间，不能标记延迟毕业：请先由学院或学校团委将团支部毕业时间改为具体年月",
                    branch.name
                ),
                "member_id",
            ))
        }
        None => {
            return Err(bad(
                "branch_not_marked",
                format!(
                    "“{}”尚未标记毕业时间：请先由学院或学校团委标记团支部毕业时间，再标记延迟毕业",
                    branch.name
                ),
                "member_id",
            ))
        }
    };
    if p.expected <= on {
        return Err(bad(
            "expected_not_later",
            format!(
                "预计毕业时间（{}）须晚于本团支部的毕业时间（{}年{}月）：请重新选择",
                p.expected,
                on.year(),
                on.month()
            ),
            "expected",
        ));
    }
    // Holds the member row until commit, so two markers of the same member queue up (PostgreSQL;
    // SQLite's write transactions are serial already).
    member::Entity::update_many()
        .col_expr(
            member::Column::UpdatedAt,
            Expr::col(member::Column::UpdatedAt).into(),
        )
        .filter(member::Column::Id.eq(m.id))
        .exec(c)
        .await?;
    if let Some(e) = active_of(c, m.id).await? {
        let kind = ExceptionKind::parse(&e.kind)
            .map(ExceptionKind::label)
            .unwrap_or("延迟毕业");
        return Err(AppError::Conflict {
            code: "graduation_exception_exists",
            message: format!(
                "“{}”已被标记为{}（预计{}毕业）：如需修改，请先在延迟毕业团员列表中撤销原标记",
                m.name, kind, e.expected
            ),
            rule: Some("GRD-3"),
        });
    }
    let row = exception::ActiveModel {
        member_id: Set(m.id),
        kind: Set(p.kind.key().into()),
        expected: Set(p.expected.to_string()),
        reason: Set(p.reason.clone()),
        created_by: Set(actor.account().0),
        created_at: Set(ctx.clock.now()),
        ..Default::default()
    }
    .insert(c)
    .await?;
    audit::record(
        ctx,
        c,
        actor,
        Change::new("graduation_exception", row.id, "create")
            .org(m.org_id)
            .after(json!({
                "member_id": m.id, "kind": row.kind, "expected": row.expected, "reason": row.reason,
            })),
    )
    .await?;
    Ok(row)
}

/// Views of markings with their members and branches, in a few queries.
async fn views<C: ConnectionTrait>(
    c: &C,
    rows: Vec<exception::Model>,
) -> Result<Vec<ExceptionView>, AppError> {
    let member_ids: Vec<i64> = rows.iter().map(|r| r.member_id).collect();
    let members: HashMap<i64, member::Model> = member::Entity::find()
        .filter(member::Column::Id.is_in(member_ids))
        .all(c)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut org_ids: Vec<i64> = members.values().map(|m| m.org_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs: HashMap<i64, org::Model> = queries::org::find_many(c, &org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let m = members.get(&r.member_id);
            let o = m.and_then(|m| orgs.get(&m.org_id));
            ExceptionView {
                id: r.id,
                member_id: r.member_id,
                member_name: m.map(|m| m.name.clone()).unwrap_or_default(),
                student_no: m.and_then(|m| m.student_no.clone()),
                org_id: m.map(|m| m.org_id).unwrap_or_default(),
                org_name: o.map(|o| o.name.clone()).unwrap_or_default(),
                branch_graduation: o.and_then(|o| o.graduation.clone()),
                kind_label: ExceptionKind::parse(&r.kind)
                    .map(ExceptionKind::label)
                    .unwrap_or_default()
                    .into(),
                kind: r.kind,
                expected: r.expected,
                reason: r.reason,
                created_at: format_time(r.created_at),
                revoked: r.revoked_at.is_some(),
                revoked_at: r.revoked_at.map(format_time),
            }
        })
        .collect())
}

async fn view<C: ConnectionTrait>(c: &C, row: exception::Model) -> Result<ExceptionView, AppError> {
    views(c, vec![row]).await?.pop().ok_or(AppError::NotFound)
}

/// GRD-3: marks one member as delayed graduate or teacher.
pub async fn mark_delayed(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
    input: DelayedInput,
) -> Result<ExceptionView, AppError> {
    let p = parse(&input.expected, &input.reason, input.kind.as_deref())?;
    let tx = ctx.db.write().await?;
    require_school_admin(&*tx, actor).await?;
    let m = member_for_admin(&*tx, actor, member.0).await?;
    let row = mark_member(ctx, &*tx, actor, &m, &p).await?;
    let v = view(&*tx, row).await?;
    tx.commit().await?;
    Ok(v)
}

/// GRD-3: marks the ticked members in one transaction; those that cannot be marked are skipped
/// with why.
pub async fn mark_delayed_batch(
    ctx: &Context,
    actor: &Actor,
    input: DelayedBatchInput,
) -> Result<DelayedResults, AppError> {
    let p = parse(&input.expected, &input.reason, input.kind.as_deref())?;
    let mut ids = input.member_ids.clone();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    if ids.is_empty() || ids.len() > 1000 {
        return Err(bad(
            "member_ids_required",
            "请勾选要标记的团员（一次最多1000人）".into(),
            "member_ids",
        ));
    }
    let tx = ctx.db.write().await?;
    require_school_admin(&*tx, actor).await?;
    let mut marked = Vec::new();
    let mut skipped = Vec::new();
    let skip = |id: i64, reason: String| Skipped {
        org_id: None,
        member_id: Some(id),
        reason,
    };
    for id in ids {
        let m = match member_for_admin(&*tx, actor, id).await {
            Ok(m) => m,
            Err(AppError::NotFound) => {
                skipped.push(skip(id, NOT_FOUND_REASON.into()));
                continue;
            }
            Err(e) => return Err(e),
        };
        match mark_member(ctx, &*tx, actor, &m, &p).await {
            Ok(row) => marked.push(row),
            Err(e @ (AppError::Domain(_) | AppError::Conflict { .. })) => {
                skipped.push(skip(id, e.to_string()))
            }
            Err(e) => return Err(e),
        }
    }
    let marked = views(&*tx, marked).await?;
    tx.commit().await?;
    Ok(DelayedResults { marked, skipped })
}

/// GRD-3: revokes a member's active marking (the record is kept, with who and when).
pub async fn revoke_delayed(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
) -> Result<ExceptionView, AppError> {
    let tx = ctx.db.write().await?;
    require_school_admin(&*tx, actor).await?;
    let m = member_for_admin(&*tx, actor, member.0).await?;
    let Some(active) = active_of(&*tx, m.id).await? else {
        return Err(AppError::Conflict {
            code: "no_graduation_exception",
            message: format!("“{}”没有生效的延迟毕业或教师标记，无需撤销", m.name),
            rule: Some("GRD-3"),
        });
    };
    let now = ctx.clock.now();
    let done = exception::Entity::update_many()
        .col_expr(exception::Column::RevokedAt, Expr::value(now))
        .col_expr(exception::Column::RevokedBy, Expr::value(actor.account().0))
        .filter(exception::Column::Id.eq(active.id))
        .filter(exception::Column::RevokedAt.is_null())
        .exec(&*tx)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict {
            code: "no_graduation_exception",
            message: format!("“{}”的标记刚刚已被撤销：请刷新页面查看", m.name),
            rule: Some("GRD-3"),
        });
    }
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("graduation_exception", active.id, "revoke")
            .org(m.org_id)
            .before(json!({
                "member_id": m.id, "kind": active.kind, "expected": active.expected,
            })),
    )
    .await?;
    let row = exception::Entity::find_by_id(active.id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let v = view(&*tx, row).await?;
    tx.commit().await?;
    Ok(v)
}

/// GRD-3: the delayed-graduate list (延迟毕业团员列表) of a subtree, newest first.
pub async fn delayed_list(
    ctx: &Context,
    actor: &Actor,
    root: OrgId,
    q: DelayedListQuery,
) -> Result<(Vec<ExceptionView>, u64), AppError> {
    ctx.ensure_in_scope(actor, root).await?;
    let c = ctx.db.conn();
    let members_below = sea_orm::sea_query::Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .and_where(in_subtree(member::Column::OrgId, root.0))
        .and_where(Expr::col(member::Column::Status).eq("active"))
        .to_owned();
    let mut select =
        exception::Entity::find().filter(exception::Column::MemberId.in_subquery(members_below));
    if !q.include_revoked.unwrap_or(false) {
        select = select.filter(exception::Column::RevokedAt.is_null());
    }
    if let Some(k) = q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        let k = ExceptionKind::parse(k).map_err(|e| e.field("kind"))?;
        select = select.filter(exception::Column::Kind.eq(k.key()));
    }
    let page = Page::new(q.page, q.per_page);
    let total = select.clone().count(c).await?;
    let rows = select
        .order_by_desc(exception::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?;
    Ok((views(c, rows).await?, total))
}

/// Active markings of some members (for the graduate list).
pub(crate) async fn active_for<C: ConnectionTrait>(
    c: &C,
    member_ids: &[i64],
) -> Result<HashMap<i64, exception::Model>, AppError> {
    Ok(exception::Entity::find()
        .filter(exception::Column::MemberId.is_in(member_ids.iter().copied()))
        .filter(exception::Column::RevokedAt.is_null())
        .all(c)
        .await?
        .into_iter()
        .map(|e| (e.member_id, e))
        .collect())
}
