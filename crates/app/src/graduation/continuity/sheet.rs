//! GRD-6: the `continuity.xlsx` sheet — one row per direct child org, then the org's total.

use tuanwu_domain::OrgId;
use tuanwu_sheets::{write, Sheet};

use super::continuity;
use super::view::{ContinuityCounts, ContinuityQuery};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

/// Columns of `continuity.xlsx`.
pub const CONTINUITY_SHEET: [&str; 7] = [
    "组织",
    "应转接人数（分母）",
    "已完成（分子）",
    "办理中",
    "未发起",
    "保留在学校",
    "学社衔接率",
];

fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".into(),
    }
}

/// One row per direct child org, then the org's own total (audited as a report export).
pub async fn report(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
    year: Option<i32>,
) -> Result<(String, Vec<u8>), AppError> {
    let view = continuity(
        ctx,
        actor,
        id,
        ContinuityQuery {
            year,
            ..Default::default()
        },
    )
    .await?;
    let row = |name: &str, c: &ContinuityCounts, num: u64, den: u64, rate: Option<f64>| {
        vec![
            name.to_string(),
            den.to_string(),
            num.to_string(),
            c.in_progress.to_string(),
            c.not_started.to_string(),
            c.kept_at_school.to_string(),
            percent(rate),
        ]
    };
    let mut rows: Vec<Vec<String>> = view
        .children
        .iter()
        .map(|ch| row(&ch.name, &ch.counts, ch.numerator, ch.denominator, ch.rate))
        .collect();
    rows.push(row(
        &format!("合计（{}）", view.org_name),
        &view.counts,
        view.numerator,
        view.denominator,
        view.rate,
    ));
    let title = format!("{}届毕业生学社衔接情况", view.year);
    let count = rows.len();
    let bytes = write(Sheet {
        name: "学社衔接",
        title: &title,
        headers: &CONTINUITY_SHEET,
        rows,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = ctx.db.write().await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::ReportExport, id.0)
            .org(id.0)
            .after(serde_json::json!({ "sheet": title, "rows": count })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("{title}-{}.xlsx", view.org_name), bytes))
}
