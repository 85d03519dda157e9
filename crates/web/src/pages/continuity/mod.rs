//! 学社衔接 dashboard (GRD-6): an org's rate for a graduation year with its numerator and
//! denominator, the list behind each figure one click away, the per-child table (sortable) and
//! bar chart, the weekly trend, and the xlsx download. Charts are inline SVG drawn here; no
//! script is needed.

mod batch;
mod chart;

pub use batch::batch_transfer;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use tuanwu_app::graduation::continuity::{
    self as uc, ContinuityQuery, ContinuityView, GraduateRow,
};
use tuanwu_app::graduation::ContinuityActions;
use tuanwu_app::org as org_uc;
use tuanwu_app::Context;
use tuanwu_domain::OrgId;

use self::batch::{reasons, BatchForm};
use self::chart::{bars, percent, trend_chart, Bar, TrendChart, ROW_H};
use super::member::Pager;
use super::shell::{render, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

const PER_PAGE: u64 = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DashboardForm {
    year: Option<String>,
    list: String,
    sort: String,
    order: String,
    page: Option<u64>,
    /// The ORG-5 search of the batch transfer form.
    target_q: String,
    /// After a batch: how many transfers were started.
    started: Option<u64>,
}
/// One figure with the link to the list behind it.
pub struct Figure {
    pub key: &'static str,
    pub label: &'static str,
    pub count: u64,
    pub note: &'static str,
    pub active: bool,
}

pub struct ChildRow {
    pub org_id: i64,
    pub name: String,
    pub numerator: u64,
    pub denominator: u64,
    pub rate: String,
    pub in_progress: u64,
    pub not_started: u64,
    pub kept_at_school: u64,
    pub excluded: u64,
}

/// A sortable column header: its link and the arrow showing the current order.
pub struct SortLink {
    pub key: &'static str,
    pub label: &'static str,
    pub href: String,
    pub arrow: &'static str,
}

pub struct ListSection {
    /// What the viewer may do with the graduates of the list (the batch form).
    pub actions: ContinuityActions,
    pub key: String,
    pub label: String,
    pub rows: Vec<GraduateRow>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "continuity/show.html")]
struct DashboardPage {
    shell: Shell,
    org_id: i64,
    org_name: String,
    year: i32,
    years: Vec<i32>,
    view: ContinuityView,
    rate: String,
    figures: Vec<Figure>,
    children: Vec<ChildRow>,
    sort_links: Vec<SortLink>,
    bars: Vec<Bar>,
    chart_height: u32,
    trend: TrendChart,
    list: Option<ListSection>,
    batch: Option<BatchForm>,
    errors: FormErrors,
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(f): Query<DashboardForm>,
) -> Result<Response, PageError> {
    dashboard(&ctx, page, id, f, None, FormErrors::default()).await
}

pub(super) async fn dashboard(
    ctx: &Context,
    page: PageActor,
    id: OrgId,
    f: DashboardForm,
    batch_form: Option<BatchForm>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let year = f
        .year
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|y| y.parse::<i32>().unwrap_or(-1));
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let view = uc::continuity(
        ctx,
        &page.actor,
        id,
        ContinuityQuery {
            year,
            list: opt(&f.list),
            sort: opt(&f.sort),
            order: opt(&f.order),
            page: f.page,
            per_page: Some(PER_PAGE),
        },
    )
    .await?;
    let trend = uc::trend(ctx, &page.actor, id, Some(view.year)).await?;
    let year = view.year;
    let this_year = ctx.clock.today().year();
    let years: Vec<i32> = ((this_year - 4)..=(this_year + 4).max(year))
        .rev()
        .collect();

    let active = view
        .list
        .as_ref()
        .map(|l| l.state.clone())
        .unwrap_or_default();
    let c = &view.counts;
    let figures = [
        ("complete", "已完成转接", c.complete, "分子"),
        ("in_progress", "转接办理中", c.in_progress, "计入分母"),
        ("not_started", "未发起转接", c.not_started, "计入分母"),
        (
            "kept_at_school",
            "保留在学校",
            c.kept_at_school,
            "计入分母，未完成",
        ),
        ("excluded", "不计入", c.excluded, "延迟毕业、教师、升学"),
    ]
    .into_iter()
    .map(|(key, label, count, note)| Figure {
        key,
        label,
        count,
        note,
        active: active == key,
    })
    .collect();
    let children = view
        .children
        .iter()
        .map(|ch| ChildRow {
            org_id: ch.org_id,
            name: ch.name.clone(),
            numerator: ch.numerator,
            denominator: ch.denominator,
            rate: percent(ch.rate),
            in_progress: ch.counts.in_progress,
            not_started: ch.counts.not_started,
            kept_at_school: ch.counts.kept_at_school,
            excluded: ch.counts.excluded,
        })
        .collect();
    let sort_links = [
        ("name", "组织"),
        ("denominator", "应转接（分母）"),
        ("rate", "学社衔接率"),
    ]
    .into_iter()
    .map(|(key, label)| {
        let current = view.sort == key;
        // A click on the current column flips it; a new column starts with what one wants to
        // see first: names A→Z, the largest and the best figures first.
        let next = if current {
            if view.order == "asc" {
                "desc"
            } else {
                "asc"
            }
        } else if key == "name" {
            "asc"
        } else {
            "desc"
        };
        SortLink {
            key,
            label,
            href: format!("?year={year}&sort={key}&order={next}#children"),
            arrow: match (current, view.order.as_str()) {
                (false, _) => "",
                (true, "desc") => " ↓",
                (true, _) => " ↑",
            },
        }
    })
    .collect();
    let bars = bars(&view);
    let chart_height = (view.children.len() as u32 * ROW_H).max(ROW_H) + 8;
    let list = view.list.clone().map(|l| ListSection {
        pager: Pager {
            page: l.page,
            pages: l.total.div_ceil(l.per_page.max(1)).max(1),
            total: l.total,
            base: format!(
                "year={year}&list={}&sort={}&order={}",
                l.state, view.sort, view.order
            ),
        },
        actions: l.actions,
        key: l.state,
        label: l.label,
        rows: l.items,
    });
    let batch = match (&list, batch_form) {
        (Some(l), Some(b)) if l.actions.batch_transfer => Some(b),
        (Some(l), None) if l.actions.batch_transfer => {
            let target_q = f.target_q.trim().to_string();
            let results = if target_q.is_empty() {
                None
            } else {
                Some(org_uc::directory(ctx, &target_q, None).await?)
            };
            let chosen = match &results {
                Some(r) if r.len() == 1 => r[0].id.to_string(),
                _ => String::new(),
            };
            Some(BatchForm {
                target_q,
                results,
                chosen,
                reasons: reasons(),
                reason: "graduation".into(),
                note: String::new(),
                ticked: Vec::new(),
                row_errors: Vec::new(),
            })
        }
        _ => None,
    };
    let mut shell = page.shell(format!("{} · {}届学社衔接", view.org_name, year), "orgs");
    if let Some(n) = f.started {
        shell.notice = Some(format!("已为{n}名毕业生发起组织关系转接，等待转入组织审批"));
    }
    let status = errors.status();
    Ok(render(
        DashboardPage {
            shell,
            org_id: view.org_id,
            org_name: view.org_name.clone(),
            year,
            years,
            rate: percent(view.rate),
            figures,
            children,
            sort_links,
            bars,
            chart_height,
            trend: trend_chart(&trend),
            list,
            batch,
            errors,
            view,
        },
        status,
    ))
}
