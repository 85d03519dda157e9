//! FLT-3 / FLT-4: the floating members of a scope with their deadlines, extending a stay once,
//! the contact log, and the obligation steps an admin confirms.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::Deserialize;
use time::{Date, Duration};
use tuanwu_domain::floating::{deadline, due_step, FloatingStatus, Step};
use tuanwu_domain::{text, DomainError, OrgId};
use tuanwu_store::entity::{floating_contact, floating_record};
use tuanwu_store::queries::{self, in_subtree, Page};
use utoipa::{IntoParams, ToSchema};

use super::view::{floating_view, FloatingView};
use crate::audit::{self, Change};
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

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtendInput {
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactInput {
    /// YYYY-MM-DD (not in the future).
    pub contacted_on: String,
    /// How and what: 电话联系，已在准备考研…
    pub note: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StepInput {
    /// `suspend` (停止团籍) | `remove` (除名): only the step the system proposes.
    pub step: String,
}

const KEPT: [&str; 2] = ["active", "suspended"];

fn refuse(code: &'static str, message: impl Into<String>, rule: &'static str) -> AppError {
    AppError::Conflict {
        code,
        message: message.into(),
        rule: Some(rule),
    }
}

pub async fn list(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    q: ListFloatingQuery,
) -> Result<(Vec<FloatingView>, u64), AppError> {
    ctx.ensure_in_scope(actor, org).await?;
    let today = ctx.clock.today();
    let mut select = floating_record::Entity::find()
        .filter(in_subtree(floating_record::Column::BranchId, org.0));
    let soon = today + Duration::days(30);
    select = match q.state.as_deref().unwrap_or("kept") {
        "kept" | "" => select.filter(floating_record::Column::Status.is_in(KEPT)),
        "approaching" => select
            .filter(floating_record::Column::Status.eq("active"))
            .filter(floating_record::Column::Deadline.gte(today))
            .filter(floating_record::Column::Deadline.lte(soon)),
        "overdue" => select
            .filter(floating_record::Column::Status.eq("active"))
            .filter(floating_record::Column::Deadline.lt(today)),
        // Last contact (or entry) a year ago or more; the view says which step.
        "due_step" => {
            let year_ago = today - Duration::days(365);
            select
                .filter(floating_record::Column::Status.is_in(KEPT))
                .filter(
                    Condition::any()
                        .add(floating_record::Column::LastContactOn.lte(year_ago))
                        .add(
                            Condition::all()
                                .add(floating_record::Column::LastContactOn.is_null())
                                .add(floating_record::Column::EnteredOn.lte(year_ago)),
                        ),
                )
        }
        "pending" => select.filter(floating_record::Column::Status.eq("pending")),
        "all" => select,
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
    };
    let page = Page::new(q.page, q.per_page);
    let c = ctx.db.conn();
    let total = select.clone().count(c).await?;
    let rows = select
        .order_by_asc(floating_record::Column::Deadline)
        .order_by_asc(floating_record::Column::Id)
        .paginate(c, page.per_page)
        .fetch_page(page.page - 1)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let v = floating_view(ctx, c, r, false).await?;
        if q.state.as_deref() == Some("due_step") && v.due_step.is_none() {
            continue;
        }
        out.push(v);
    }
    Ok((out, total))
}

/// The record, for an admin whose scope holds its floating branch.
async fn load(ctx: &Context, actor: &Actor, id: i64) -> Result<floating_record::Model, AppError> {
    let r = floating_record::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.ensure_in_scope(actor, OrgId(r.branch_id)).await?;
    Ok(r)
}

pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<FloatingView, AppError> {
    let r = load(ctx, actor, id).await?;
    floating_view(ctx, ctx.db.conn(), r, true).await
}

/// FLT-3: once, to a year from entry, with a reason.
pub async fn extend(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    input: ExtendInput,
) -> Result<FloatingView, AppError> {
    actor.require(tuanwu_domain::account::Permission::Members)?;
    let reason =
        text::required(&input.reason, "reason", "延长理由", 500).map_err(|e| e.rule("FLT-3"))?;
    let r = load(ctx, actor, id).await?;
    let Some(entered) = r.entered_on.filter(|_| r.status == "active") else {
        return Err(refuse(
            "floating_not_active",
            "只有保留中的流动团员可以延长保留期",
            "FLT-3",
        ));
    };
    if r.extended {
        return Err(refuse(
            "already_extended",
            "保留期已延长过一次（最长一年），不能再延长：请督促其尽快转出",
            "FLT-3",
        ));
    }
    let tx = ctx.db.write().await?;
    let done = floating_record::Entity::update_many()
        .col_expr(floating_record::Column::Extended, Expr::value(true))
        .col_expr(
            floating_record::Column::ExtensionReason,
            Expr::value(reason.clone()),
        )
        .col_expr(
            floating_record::Column::Deadline,
            Expr::value(deadline(entered, true)),
        )
        .filter(floating_record::Column::Id.eq(r.id))
        .filter(floating_record::Column::Extended.eq(false))
        .exec(&*tx)
        .await?;
    if done.rows_affected != 1 {
        return Err(refuse("already_extended", "保留期刚刚已被延长", "FLT-3"));
    }
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("floating", r.id, "extend")
            .org(r.branch_id)
            .after(serde_json::json!({ "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// FLT-4: a contact with the member; the newest one restarts the year.
pub async fn add_contact(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    input: ContactInput,
) -> Result<FloatingView, AppError> {
    // ACC-4: the contact log is member work, like the extension beside it.
    actor.require(tuanwu_domain::account::Permission::Members)?;
    let note = text::required(&input.note, "note", "联系情况", 500).map_err(|e| e.rule("FLT-4"))?;
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let on = Date::parse(input.contacted_on.trim(), &fmt).map_err(|_| {
        AppError::from(
            DomainError::new("invalid_date", "联系日期格式应为 2026-12-01")
                .rule("FLT-4")
                .field("contacted_on"),
        )
    })?;
    if on > ctx.clock.today() {
        return Err(
            DomainError::new("contact_in_future", "联系日期不能晚于今天")
                .rule("FLT-4")
                .field("contacted_on")
                .into(),
        );
    }
    let r = load(ctx, actor, id).await?;
    if !KEPT.contains(&r.status.as_str()) {
        return Err(refuse(
            "floating_not_kept",
            "该团员已不在流动团员团支部，无需登记联系",
            "FLT-4",
        ));
    }
    let tx = ctx.db.write().await?;
    floating_contact::ActiveModel {
        record_id: Set(r.id),
        contacted_on: Set(on),
        note: Set(note.clone()),
        recorded_by: Set(actor.account().0),
        created_at: Set(ctx.clock.now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    if r.last_contact_on.is_none_or(|d| d < on) {
        floating_record::Entity::update_many()
            .col_expr(floating_record::Column::LastContactOn, Expr::value(on))
            .filter(floating_record::Column::Id.eq(r.id))
            .exec(&*tx)
            .await?;
    }
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("floating", r.id, "contact")
            .org(r.branch_id)
            .after(serde_json::json!({ "contacted_on": on.to_string() })),
    )
    .await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// FLT-4: an admin confirms the step the system proposes; nothing is applied otherwise.
pub async fn confirm_step(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    input: StepInput,
) -> Result<FloatingView, AppError> {
    actor.require_full()?;
    let r = load(ctx, actor, id).await?;
    let today = ctx.clock.today();
    let status = FloatingStatus::parse(&r.status)?;
    let due = r
        .entered_on
        .and_then(|e| due_step(status, e, r.last_contact_on, r.suspended_on, today));
    let asked = match input.step.trim() {
        "suspend" | "停止团籍" => Step::Suspend,
        "remove" | "除名" => Step::Remove,
        other => {
            return Err(DomainError::new(
                "invalid_step",
                format!("“{other}”不是有效的处理步骤：可选 suspend（停止团籍）或 remove（除名）"),
            )
            .field("step")
            .into())
        }
    };
    if due != Some(asked) {
        return Err(refuse(
            "step_not_due",
            match asked {
                Step::Suspend => "尚不满足停止团籍的条件：须保留中且一年以上未与团组织联系（以最近一次联系记录为准）",
                Step::Remove => "尚不满足除名的条件：须已停止团籍且此后两年仍无法联系",
            },
            "FLT-4",
        ));
    }
    let tx = ctx.db.write().await?;
    let (to, date_col) = match asked {
        Step::Suspend => (
            FloatingStatus::Suspended,
            floating_record::Column::SuspendedOn,
        ),
        Step::Remove => (FloatingStatus::Removed, floating_record::Column::ClosedOn),
    };
    let done = floating_record::Entity::update_many()
        .col_expr(floating_record::Column::Status, Expr::value(to.key()))
        .col_expr(date_col, Expr::value(today))
        .filter(floating_record::Column::Id.eq(r.id))
        .filter(floating_record::Column::Status.eq(status.key()))
        .exec(&*tx)
        .await?;
    if done.rows_affected != 1 {
        return Err(refuse(
            "floating_changed",
            "该记录刚刚已被处理：请刷新页面",
            "FLT-4",
        ));
    }
    let touched = if asked == Step::Remove {
        let m = queries::member::find(&*tx, r.member_id)
            .await?
            .ok_or(AppError::NotFound)?;
        crate::transfer::moves::leave(ctx, &*tx, &m, "removed").await?
    } else {
        None
    };
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("floating", r.id, asked.key()).org(r.branch_id),
    )
    .await?;
    tx.commit().await?;
    if let Some(a) = touched {
        ctx.actors.forget_account(a);
    }
    get(ctx, actor, id).await
}

/// SYS-2: stays approaching or past their deadline, and steps due, for the admins of the
/// floating branch's own org or the org directly above it.
pub async fn todos(ctx: &Context, actor: &Actor) -> Result<Vec<TodoView>, AppError> {
    let root = actor.admin_root()?;
    let c = ctx.db.conn();
    let branches: Vec<i64> = queries::org::children(c, root.0, false)
        .await?
        .into_iter()
        .map(|o| o.id)
        .chain(std::iter::once(root.0))
        .collect();
    let soon = ctx.clock.today() + Duration::days(30);
    let rows = floating_record::Entity::find()
        .filter(floating_record::Column::BranchId.is_in(branches))
        .filter(floating_record::Column::Status.is_in(KEPT))
        .order_by_asc(floating_record::Column::Deadline)
        .all(c)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let near = r.status == "active" && r.deadline.is_some_and(|d| d <= soon);
        let v = floating_view(ctx, c, r, false).await?;
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
