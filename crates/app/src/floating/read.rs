//! FLT-3 / FLT-4: the floating members of a scope with their deadlines, one record with its
//! contact log, and the to-do items of the admins who look after them.

use serde::Deserialize;
use time::Duration;
use tuanwu_domain::{DomainError, FloatingId, OrgId};
use tuanwu_store::floating::{self as store, Filter};
use tuanwu_store::queries::Page;
use utoipa::{IntoParams, ToSchema};

use super::view::{floating_view, FloatingView};
use crate::request::TodoView;
use crate::{Actor, AppError, Context};

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ListFloatingQuery {
    /// `kept` (default: active and suspended) | `approaching` | `overdue` | `due_step` |
    /// `pending` | `all`.
    pub state: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Parses the list's `state` into the store's filter, measured from `today`.
fn filter(state: Option<&str>, today: time::Date) -> Result<Filter, AppError> {
    Ok(match state.unwrap_or("kept") {
        "kept" | "" => Filter::Kept,
        "approaching" => Filter::Approaching {
            today,
            until: today + Duration::days(30),
        },
        "overdue" => Filter::Overdue { today },
        // Last contact (or entry) a year ago or more; the view says which step.
        "due_step" => Filter::Silent {
            silent_since: today - Duration::days(365),
        },
        "pending" => Filter::Pending,
        "all" => Filter::All,
        other => {
            return Err(DomainError::new(
                "invalid_floating_state",
                format!(
                "“{other}”不是有效的筛选：可选 kept、approaching、overdue、due_step、pending、all"
            ),
            )
            .field("state")
            .into())
        }
    })
}

pub async fn list(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    q: ListFloatingQuery,
) -> Result<(Vec<FloatingView>, u64), AppError> {
    ctx.ensure_in_scope(actor, org).await?;
    let f = filter(q.state.as_deref(), ctx.clock.today())?;
    let page = Page::new(q.page, q.per_page);
    let c = ctx.db.conn();
    let (rows, total) = store::list(c, actor.scope(), org, f, page).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let v = floating_view(ctx, c, actor, r, false).await?;
        if matches!(f, Filter::Silent { .. }) && v.due_step.is_none() {
            continue;
        }
        out.push(v);
    }
    Ok((out, total))
}

pub async fn get(ctx: &Context, actor: &Actor, id: FloatingId) -> Result<FloatingView, AppError> {
    let c = ctx.db.conn();
    let r = store::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    floating_view(ctx, c, actor, r, true).await
}

/// SYS-2: stays approaching or past their deadline, and steps due, for the admins of the
/// floating branch's own org or the org directly above it.
pub async fn todos(ctx: &Context, actor: &Actor) -> Result<Vec<TodoView>, AppError> {
    let root = actor.admin_root()?;
    let c = ctx.db.conn();
    let branches: Vec<OrgId> = tuanwu_store::org::children(c, root, false)
        .await?
        .into_iter()
        .map(|o| o.id)
        .chain(std::iter::once(root))
        .collect();
    let soon = ctx.clock.today() + Duration::days(30);
    let mut out = Vec::new();
    for r in store::kept_in(c, &branches).await? {
        let near = r.status == tuanwu_domain::floating::FloatingStatus::Active
            && r.deadline.is_some_and(|d| d <= soon);
        let v = floating_view(ctx, c, actor, r, false).await?;
        let what = match (&v.due_step_label, near) {
            (Some(step), _) => format!("待确认：{step}"),
            (None, true) => format!(
                "保留期{}（{}）",
                v.deadline_state_label.clone().unwrap_or_default(),
                v.deadline.clone().unwrap_or_default()
            ),
            (None, false) => continue,
        };
        out.push(TodoView {
            kind: "floating".into(),
            id: v.id,
            title: format!("流动团员{}：{}", what, v.member_name),
            org_path: v.branch_name,
            created_at: v.entered_on.unwrap_or_default(),
            link: format!("/floating/{}", v.id),
        });
    }
    Ok(out)
}
