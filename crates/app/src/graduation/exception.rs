//! GRD-3, GRD-4: members marked as delayed graduates (延迟毕业) or teachers, singly or in batch,
//! with an expected graduation strictly later than their branch's; revoking keeps the record.

use std::collections::HashMap;
use tuanwu_domain::member::Member;

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tuanwu_domain::graduation::{Exception, ExceptionKind, NewException};
use tuanwu_domain::{text, DomainError, MemberId, OrgId, YearMonth};
use tuanwu_store::graduation::exception::{self as store, Filter};
use tuanwu_store::graduation::graduates::{lock_member, members};
use tuanwu_store::queries::Page;
use utoipa::{IntoParams, ToSchema};

use super::rules::{branch_month, require_school_admin};
use super::{member_for_admin, Skipped, NOT_FOUND_REASON};
use crate::audit::{self, format_time, AuditAction, Change};
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

/// Checks and writes one marking, in the caller's transaction.
async fn mark_member<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    m: &Member,
    p: &Parsed,
) -> Result<Exception, AppError> {
    let branch = tuanwu_store::org::get(c, m.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let on = branch_month(m, &branch)?;
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
    // Two markers of the same member queue up here, and the second sees the first's marking.
    lock_member(c, m.id).await?;
    if let Some(e) = store::active_of(c, m.id).await? {
        return Err(AppError::Conflict {
            code: "graduation_exception_exists",
            message: format!(
                "“{}”已被标记为{}（预计{}毕业）：如需修改，请先在延迟毕业团员列表中撤销原标记",
                m.name,
                e.kind.label(),
                e.expected
            ),
            rule: Some("GRD-3"),
            field: None,
        });
    }
    let row = store::insert(
        c,
        NewException {
            member: m.id,
            kind: p.kind,
            expected: p.expected,
            reason: p.reason.clone(),
            created_by: actor.account(),
            created_at: ctx.clock.now(),
        },
    )
    .await?;
    audit::record(
        ctx,
        c,
        actor,
        Change::new(AuditAction::GraduationExceptionCreate, row.id.0)
            .org(m.org_id.0)
            .after(json!({
                "member_id": m.id, "kind": row.kind.key(), "expected": row.expected.to_string(),
                "reason": row.reason,
            })),
    )
    .await?;
    Ok(row)
}

/// Views of markings with their members and branches, in a few queries.
async fn views<C: ConnectionTrait>(
    c: &C,
    rows: Vec<Exception>,
) -> Result<Vec<ExceptionView>, AppError> {
    let member_ids: Vec<MemberId> = rows.iter().map(|r| r.member).collect();
    let members: HashMap<MemberId, Member> = members(c, &member_ids).await?;
    let mut org_ids: Vec<i64> = members.values().map(|m| m.org_id.0).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs: HashMap<i64, tuanwu_domain::org::Org> = tuanwu_store::org::get_many(
        c,
        &org_ids
            .iter()
            .copied()
            .map(tuanwu_domain::OrgId)
            .collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|o| (o.id.0, o))
    .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let m = members.get(&r.member);
            let o = m.and_then(|m| orgs.get(&m.org_id.0));
            ExceptionView {
                id: r.id.0,
                member_id: r.member.0,
                member_name: m.map(|m| m.name.clone()).unwrap_or_default(),
                student_no: m.and_then(|m| m.student_no.clone()),
                org_id: m.map(|m| m.org_id.0).unwrap_or_default(),
                org_name: o.map(|o| o.name.clone()).unwrap_or_default(),
                branch_graduation: o.and_then(|o| o.graduation.map(|g| g.key())),
                kind: r.kind.key().into(),
                kind_label: r.kind.label().into(),
                expected: r.expected.to_string(),
                reason: r.reason,
                created_at: format_time(r.created_at),
                revoked: r.revoked_at.is_some(),
                revoked_at: r.revoked_at.map(format_time),
            }
        })
        .collect())
}

async fn view<C: ConnectionTrait>(c: &C, row: Exception) -> Result<ExceptionView, AppError> {
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
    let m = member_for_admin(&*tx, actor, member).await?;
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
        let m = match member_for_admin(&*tx, actor, MemberId(id)).await {
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
    let m = member_for_admin(&*tx, actor, member).await?;
    let Some(active) = store::active_of(&*tx, member).await? else {
        return Err(AppError::Conflict {
            code: "no_graduation_exception",
            message: format!("“{}”没有生效的延迟毕业或教师标记，无需撤销", m.name),
            rule: Some("GRD-3"),
            field: None,
        });
    };
    if !store::revoke(&*tx, active.id, actor.account(), ctx.clock.now()).await? {
        return Err(AppError::Conflict {
            code: "no_graduation_exception",
            message: format!("“{}”的标记刚刚已被撤销：请刷新页面查看", m.name),
            rule: Some("GRD-3"),
            field: None,
        });
    }
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::GraduationExceptionRevoke, active.id.0)
            .org(m.org_id.0)
            .before(json!({
                "member_id": m.id, "kind": active.kind.key(), "expected": active.expected.to_string(),
            })),
    )
    .await?;
    let row = store::find(&*tx, active.id)
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
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(ExceptionKind::parse(k).map_err(|e| e.field("kind"))?),
        None => None,
    };
    let filter = Filter {
        kind,
        include_revoked: q.include_revoked.unwrap_or(false),
    };
    let page = Page::new(q.page, q.per_page);
    let (rows, total) = store::list(c, actor.scope(), root, filter, page).await?;
    Ok((views(c, rows).await?, total))
}
