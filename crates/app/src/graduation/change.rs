//! GRD-2: changing an existing marking is a request to the city level; approval applies it;
//! the requests produce the 修改团支部毕业时间汇总表.

use sea_orm::ConnectionTrait;
use serde_json::{json, Map, Value};
use tuanwu_domain::graduation::GraduationMark;
use tuanwu_domain::request::{GraduationChange, Request, RequestChanges, RequestKind};
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_sheets::{write, Sheet, GRADUATION_CHANGES};
use tuanwu_store::graduation::mark as store;

use super::mark::{not_school_branch, MarkInput};
use super::rules::check_marker;
use super::{is_school_branch, mark_of};
use crate::audit::{self, AuditAction, Change};
use crate::clock::human_time;
use crate::request::submit::{insert, Subject};
use crate::request::view::{request_view, RequestView};
use crate::{Actor, AppError, Context};

fn change_error(code: &'static str, message: impl Into<String>, field: &'static str) -> AppError {
    DomainError::new(code, message)
        .rule("GRD-2")
        .field(field)
        .into()
}

/// GRD-2: a `graduation_change` request (from `POST /api/v1/requests`): the branch in
/// `org_id`, the correct marking in `changes`.
pub(crate) async fn submit_change(
    ctx: &Context,
    actor: &Actor,
    org_id: Option<i64>,
    changes: &Map<String, Value>,
    reason: String,
    file_ids: &[i64],
) -> Result<RequestView, AppError> {
    let Some(org_id) = org_id else {
        return Err(change_error(
            "org_required",
            "请指明要修改毕业时间的团支部（org_id）",
            "org_id",
        ));
    };
    if let Some(key) = changes
        .keys()
        .find(|k| !matches!(k.as_str(), "year_month" | "mixed"))
    {
        return Err(change_error(
            "field_not_changeable",
            format!("“{key}”不能通过修改毕业时间申请修改：changes 只能是 {{\"year_month\": \"2026-06\"}} 或 {{\"mixed\": true}}"),
            "changes",
        ));
    }
    let input = MarkInput {
        year_month: changes
            .get("year_month")
            .and_then(Value::as_str)
            .map(str::to_string),
        mixed: changes.get("mixed").and_then(Value::as_bool),
    };
    let new = input.parse().map_err(|e| match e {
        AppError::Domain(d) => AppError::Domain(d.rule("GRD-2").field("changes")),
        other => other,
    })?;
    let tx = ctx.db.write().await?;
    check_marker(&*tx, actor).await?;
    actor.ensure_in_scope(&*tx, OrgId(org_id)).await?;
    let o = tuanwu_store::org::get(&*tx, tuanwu_domain::OrgId(org_id))
        .await?
        .ok_or(AppError::NotFound)?;
    if o.is_deleted() || !is_school_branch(&o) {
        return Err(not_school_branch(&o));
    }
    let Some(old) = mark_of(&o)? else {
        return Err(change_error(
            "graduation_not_marked",
            format!(
                "“{}”尚未标记毕业时间，无需申请修改：请直接标记毕业时间",
                o.name
            ),
            "org_id",
        ));
    };
    if old == new {
        return Err(change_error(
            "no_change",
            format!(
                "“{}”的毕业时间已经是{}：请填写正确的毕业时间",
                o.name,
                old.label()
            ),
            "changes",
        ));
    }
    if store::has_pending_change(&*tx, o.id).await? {
        return Err(AppError::Conflict {
            code: "request_already_pending",
            message: format!(
                "“{}”已有一份待审批的修改团支部毕业时间申请：请等待审批结果，或撤销后重新提交",
                o.name
            ),
            rule: Some("SYS-3"),
            field: None,
        });
    }
    let decider = crate::request::decider_org(
        &*tx,
        RequestKind::GraduationChange.decider_level(),
        actor,
        o.id,
    )
    .await?;
    let summary = json!({
        "org_name": o.name,
        "branch": o.path,
        "old": old.key(),
        "old_label": old.label(),
        "new": new.key(),
        "new_label": new.label(),
    });
    let apply = RequestChanges::GraduationChange(GraduationChange {
        org_id: o.id,
        graduation: new,
    });
    let r = insert(
        ctx,
        &*tx,
        Some(actor),
        Subject {
            member_id: None,
            org_id: o.id.0,
            province_id: o.province_id.map(|i| i.0),
            anonymous_requester: None,
        },
        decider,
        apply,
        summary,
        reason,
        file_ids,
    )
    .await?;
    tx.commit().await?;
    request_view(ctx, actor, r).await
}

/// GRD-2: an approved change takes effect, in the decision's transaction.
pub(crate) async fn apply_change<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    r: &Request,
    ch: &Map<String, Value>,
) -> Result<(), AppError> {
    let new = GraduationMark::parse(ch.get("graduation").and_then(Value::as_str).unwrap_or(""))?;
    let o = tuanwu_store::org::get(c, r.org)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.is_deleted() {
        return Err(AppError::Conflict {
            code: "org_deleted",
            message: format!("“{}”已被删除，此申请不能再生效：请驳回", o.name),
            rule: Some("GRD-2"),
            field: None,
        });
    }
    store::set_mark(c, o.id, new, ctx.clock.now()).await?;
    audit::record(
        ctx,
        c,
        actor,
        Change::new(AuditAction::OrgGraduationChange, o.id.0)
            .org(o.id.0)
            .before(json!({ "graduation": o.graduation.map(GraduationMark::key) }))
            .after(json!({ "graduation": new.key(), "request_id": r.id })),
    )
    .await
}

/// 正确毕业时间 as the form writes it: 2027年6月, or 混合支部.
fn correct_time(key: &str) -> String {
    match GraduationMark::parse(key) {
        Ok(GraduationMark::On(ym)) => format!("{}年{}月", ym.year(), ym.month()),
        Ok(GraduationMark::Mixed) => GraduationMark::Mixed.label(),
        Err(_) => key.to_string(),
    }
}

/// GRD-2: the 修改团支部毕业时间汇总表 of a subtree — pending and approved change requests,
/// oldest first.
pub async fn graduation_changes(
    ctx: &Context,
    actor: &Actor,
    org_id: OrgId,
) -> Result<(String, Vec<u8>), AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, org_id).await?;
    let o = tuanwu_store::org::get(c, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = store::changes(c, actor.scope(), org_id).await?;
    let out: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let summary: Value = serde_json::from_str(&r.summary).unwrap_or(Value::Null);
            let s = |k: &str| {
                summary
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            vec![
                (i + 1).to_string(),
                s("org_name"),
                correct_time(&s("new")),
                human_time(r.created_at),
            ]
        })
        .collect();
    let title = "修改团支部毕业时间汇总表";
    let count = out.len();
    let bytes = write(Sheet {
        name: title,
        title,
        headers: &GRADUATION_CHANGES,
        rows: out,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = ctx.db.write().await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::ReportExport, org_id.0)
            .org(org_id.0)
            .after(json!({ "sheet": title, "rows": count })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("{}-{}.xlsx", title, o.name), bytes))
}
