//! 学社衔接 dashboard (GRD-6): an org's rate for a graduation year with its numerator and
//! denominator, the list behind each figure one click away, the per-child table (sortable) and
//! bar chart, the weekly trend, and the xlsx download. Charts are inline SVG drawn here; no
//! script is needed.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::graduation::batch::{self, BatchTransferInput};
use tuanwu_app::graduation::continuity::{
    self as uc, ContinuityQuery, ContinuityView, GraduateRow, TrendView,
};
use tuanwu_app::graduation::ContinuityActions;
use tuanwu_app::org::{self as org_uc, DirectoryView};
use tuanwu_app::Context;
use tuanwu_domain::transfer::TransferReason;
use tuanwu_domain::OrgId;

use super::member::Pager;
use super::shell::{render, Form, FormErrors, PageActor, PageError, Shell};
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

/// The batch transfer form under a list: the target search and its results, the reasons.
pub struct BatchForm {
    pub target_q: String,
    pub results: Option<Vec<DirectoryView>>,
    pub chosen: String,
    pub reasons: Vec<(&'static str, &'static str)>,
    pub reason: String,
    pub note: String,
    pub ticked: Vec<i64>,
    /// Why a ticked member could not be sent, shown on their row.
    pub row_errors: Vec<(i64, String)>,
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

/// One horizontal bar of the per-child chart (SVG units).
pub struct Bar {
    pub y: u32,
    pub text_y: u32,
    pub label: String,
    pub full_name: String,
    pub width: u32,
    pub value: String,
}

/// One week of the trend chart (SVG units).
pub struct WeekBar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub title: String,
}

pub struct TrendChart {
    pub bars: Vec<WeekBar>,
    /// The cumulative rate as a polyline (`x,y x,y …`).
    pub line: String,
    /// Where the rate line ends (SVG units) and the rate it reaches, written beside that end
    /// in the line's colour: the figure's own label, apart from the grey axis labels.
    pub end_x: u32,
    pub end_y: u32,
    pub end_label: String,
    pub max_week: u64,
    pub first: String,
    pub last: String,
    pub weeks: usize,
    pub total: u64,
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

fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".into(),
    }
}

/// At most `n` characters, with an ellipsis when cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

const CHART_W: f64 = 250.0;
const ROW_H: u32 = 30;

fn bars(view: &ContinuityView) -> Vec<Bar> {
    view.children
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = i as u32 * ROW_H + 4;
            Bar {
                y,
                text_y: y + 16,
                label: cut(&c.name, 10),
                full_name: c.name.clone(),
                width: (c.rate.unwrap_or(0.0) * CHART_W).round() as u32,
                value: format!("{}（{}/{}）", percent(c.rate), c.numerator, c.denominator),
            }
        })
        .collect()
}

const TREND_W: f64 = 440.0;
const TREND_H: f64 = 160.0;

fn trend_chart(t: &TrendView) -> TrendChart {
    let n = t.weeks.len().max(1);
    let slot = TREND_W / n as f64;
    let max_week = t.weeks.iter().map(|w| w.completed).max().unwrap_or(0);
    let scale = if max_week == 0 {
        0.0
    } else {
        TREND_H / max_week as f64
    };
    let bars = t
        .weeks
        .iter()
        .enumerate()
        .filter(|(_, w)| w.completed > 0)
        .map(|(i, w)| {
            let h = (w.completed as f64 * scale).round().max(1.0);
            WeekBar {
                x: (i as f64 * slot + slot * 0.15).round() as u32,
                y: (TREND_H - h).round() as u32,
                width: (slot * 0.7).round().max(1.0) as u32,
                height: h as u32,
                title: format!(
                    "{}（{}起）：完成{}人，累计{}人，{}",
                    w.week,
                    w.start,
                    w.completed,
                    w.cumulative,
                    percent(w.rate)
                ),
            }
        })
        .collect();
    let line = t
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = i as f64 * slot + slot / 2.0;
            let y = TREND_H - w.rate.unwrap_or(0.0) * TREND_H;
            format!("{:.1},{:.1}", x, y)
        })
        .collect::<Vec<_>>()
        .join(" ");
    let (end_x, end_y, end_label) = t
        .weeks
        .last()
        .map(|w| {
            let x = (t.weeks.len() - 1) as f64 * slot + slot / 2.0;
            let y = TREND_H - w.rate.unwrap_or(0.0) * TREND_H;
            (x.round() as u32, y.round() as u32, percent(w.rate))
        })
        .unwrap_or((0, TREND_H as u32, percent(None)));
    TrendChart {
        bars,
        line,
        end_x,
        end_y,
        end_label,
        max_week,
        first: t
            .weeks
            .first()
            .map(|w| format!("{}（{}）", w.week, w.start))
            .unwrap_or_default(),
        last: t
            .weeks
            .last()
            .map(|w| format!("{}（{}）", w.week, w.start))
            .unwrap_or_default(),
        weeks: t.weeks.len(),
        total: t.numerator,
    }
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(f): Query<DashboardForm>,
) -> Result<Response, PageError> {
    dashboard(&ctx, page, id, f, None, FormErrors::default()).await
}

async fn dashboard(
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

fn reasons() -> Vec<(&'static str, &'static str)> {
    TransferReason::ALL
        .iter()
        .map(|r| (r.key(), r.label()))
        .collect()
}

fn pairs_get<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The batch form under a list: the ticked `member_ids`, one `target_org_id`, `reason`,
/// `note`. All started: back to the in-progress list; any refused: the list again with each
/// refusal named and the form as typed.
pub async fn batch_transfer(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let year = pairs_get(&pairs, "year").trim().to_string();
    let list = pairs_get(&pairs, "list").trim().to_string();
    let member_ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "member_ids")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let target = pairs_get(&pairs, "target_org_id")
        .trim()
        .parse::<i64>()
        .ok();
    let reason = pairs_get(&pairs, "reason").to_string();
    let note = pairs_get(&pairs, "note").to_string();
    let target_q = pairs_get(&pairs, "target_q").to_string();
    let form_again = |results: Option<Vec<DirectoryView>>| BatchForm {
        target_q: target_q.trim().to_string(),
        results,
        chosen: target.map(|t| t.to_string()).unwrap_or_default(),
        reasons: reasons(),
        reason: reason.clone(),
        note: note.clone(),
        ticked: member_ids.clone(),
        row_errors: Vec::new(),
    };
    let again = DashboardForm {
        year: Some(year.clone()),
        list: list.clone(),
        ..Default::default()
    };
    let results = if target_q.trim().is_empty() {
        None
    } else {
        Some(org_uc::directory(&ctx, &target_q, None).await?)
    };
    let input = BatchTransferInput {
        member_ids: Some(member_ids.clone()),
        target_org_id: target,
        rows: None,
        reason: reason.clone(),
        note: Some(note.clone()),
    };
    match batch::batch_transfer(&ctx, &page.actor, input).await {
        Ok(r) if r.failed == 0 => {
            let q = serde_urlencoded::to_string([
                ("year", year.as_str()),
                ("list", "in_progress"),
                ("started", &r.started.to_string()),
            ])
            .unwrap_or_default();
            Ok(Redirect::to(&format!("/orgs/{id}/continuity?{q}#list")).into_response())
        }
        Ok(r) => {
            let row_errors: Vec<(i64, String)> = r
                .items
                .iter()
                .filter_map(|i| i.error.as_ref().map(|e| (i.member_id, e.message.clone())))
                .collect();
            let errors = FormErrors {
                fields: Vec::new(),
                general: Some(format!(
                    "已发起{}人；{}人未能发起，原因写在名单中各人的姓名下方：{}",
                    r.started,
                    r.failed,
                    row_errors
                        .iter()
                        .map(|(_, m)| m.as_str())
                        .collect::<Vec<_>>()
                        .join("；")
                )),
            };
            let mut b = form_again(results);
            b.ticked
                .retain(|m| row_errors.iter().any(|(id, _)| id == m));
            b.row_errors = row_errors;
            dashboard(&ctx, page, id, again, Some(b), errors).await
        }
        Err(e) => {
            let mut errors = FormErrors::from_app(e)?;
            // One form under a long list: its message goes above the list.
            if errors.general.is_none() {
                errors.general = errors.fields.first().map(|(_, m)| m.clone());
            }
            let b = form_again(results);
            dashboard(&ctx, page, id, again, Some(b), errors).await
        }
    }
}
