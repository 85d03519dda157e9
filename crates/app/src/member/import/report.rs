//! Saving an import's report, reading it back, and the report as xlsx.

use tuanwu_sheets::members::{self as sheet, Problem};
use tuanwu_store::member::imports::{self as store, ImportRecord};

use super::pass::Tally;
use super::{ImportInput, ImportReport, Mode, ProblemView};
use crate::{Actor, AppError, Context};

/// A report quotes this much of a bad value: enough to find the cell, never the 10 MB a hostile
/// cell holds (the report's xlsx would exceed Excel's cell limit, its JSON echo the upload).
const QUOTE_CHARS: usize = 50;
/// A message or a column name is cut here (they may embed a value).
const TEXT_CHARS: usize = 300;

/// `s`, cut after `keep` characters with 「…」 when longer.
fn cut(s: &str, keep: usize) -> String {
    match s.char_indices().nth(keep) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// A problem as a report keeps it: a short quote of the value, also where the message repeats
/// it, and a bounded message.
fn shorten(p: ProblemView) -> ProblemView {
    let value = cut(&p.value, QUOTE_CHARS);
    let message = if value.len() < p.value.len() && !p.value.is_empty() {
        p.message.replace(&p.value, &value)
    } else {
        p.message
    };
    ProblemView {
        row: p.row,
        name: cut(&p.name, QUOTE_CHARS),
        column: cut(&p.column, QUOTE_CHARS),
        value,
        message: cut(&message, TEXT_CHARS),
    }
}

fn shorten_all(names: Vec<String>) -> Vec<String> {
    names.iter().map(|n| cut(n, QUOTE_CHARS)).collect()
}

pub(super) async fn save(
    ctx: &Context,
    actor: &Actor,
    input: &ImportInput,
    t: Tally,
    written: bool,
) -> Result<ImportReport, AppError> {
    let added = if written { t.added } else { 0 };
    let message = match (&t.fatal, written, input.mode) {
        (Some(f), _, _) => f.clone(),
        (None, true, _) => format!(
            "已导入{added}名团员；{}行已存在被跳过；{}行有问题未导入。",
            t.skipped, t.error_rows
        ),
        (None, false, Mode::All) if t.error_rows > 0 => {
            format!(
                "有{}行存在问题，按“{}”方式，本次没有写入任何数据：请按报告修改后重新导入。",
                t.error_rows,
                Mode::All.label()
            )
        }
        (None, false, _) if t.skipped > 0 && t.error_rows == 0 => {
            format!("文件中的{}名团员均已在系统中，没有新增。", t.skipped)
        }
        (None, false, _) => "没有可以导入的行：请检查文件内容。".into(),
    };
    let message = cut(&message, TEXT_CHARS);
    let problems: Vec<ProblemView> = t
        .problems
        .into_iter()
        .map(|p| {
            shorten(ProblemView {
                row: p.row,
                name: p.name,
                column: p.column,
                value: p.value,
                message: p.message,
            })
        })
        .collect();
    // The quoted cells (and the messages that quote them) are stored sealed: a bad cell may
    // hold a resident ID or phone, masked or typed into another column, and the report
    // outlives the import (issue 16 item 10).
    let stored: Vec<ProblemView> = problems
        .iter()
        .map(|p| ProblemView {
            name: crate::sealed::sealed(&ctx.cipher, &p.name),
            value: crate::sealed::sealed(&ctx.cipher, &p.value),
            message: crate::sealed::sealed(&ctx.cipher, &p.message),
            ..p.clone()
        })
        .collect();
    let unknown = shorten_all(t.unknown);
    let report = serde_json::json!({ "problems": stored, "unknown_columns": unknown, "truncated": t.truncated, "message": message });
    let id = store::save_report(
        ctx.db.conn(),
        &ImportRecord {
            account: actor.account(),
            org: actor.org_id(),
            file_name: input.file_name.chars().take(255).collect(),
            mode: input.mode.key().into(),
            total_rows: t.total,
            added,
            skipped: t.skipped,
            error_rows: t.error_rows,
            written,
            report: report.to_string(),
            created_at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(ImportReport {
        id,
        file_name: input.file_name.clone(),
        mode: input.mode.key().into(),
        mode_label: input.mode.label().into(),
        total_rows: t.total,
        added,
        skipped_existing: t.skipped,
        error_rows: t.error_rows,
        written,
        unknown_columns: unknown,
        problems,
        problems_truncated: t.truncated,
        message,
    })
}

/// A saved report, for the importer or admins above the importing org.
pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<ImportReport, AppError> {
    let m = store::report(ctx.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if m.account != actor.account() {
        actor.ensure_in_scope(ctx.db.conn(), m.org).await?;
    }
    let mut r: serde_json::Value = serde_json::from_str(&m.report).unwrap_or_default();
    crate::sealed::open(&ctx.cipher, &mut r);
    let problems = serde_json::from_value::<Vec<serde_json::Value>>(r["problems"].clone())
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            // Reports saved before values were cut are cut when read.
            shorten(ProblemView {
                row: p["row"].as_u64().unwrap_or(0) as usize,
                // Reports saved before names were kept have none.
                name: p["name"].as_str().unwrap_or_default().into(),
                column: p["column"].as_str().unwrap_or_default().into(),
                value: p["value"].as_str().unwrap_or_default().into(),
                message: p["message"].as_str().unwrap_or_default().into(),
            })
        })
        .collect();
    Ok(ImportReport {
        id,
        file_name: m.file_name,
        mode_label: Mode::parse(Some(&m.mode))
            .map(|x| x.label().to_string())
            .unwrap_or_default(),
        mode: m.mode,
        total_rows: m.total_rows,
        added: m.added,
        skipped_existing: m.skipped,
        error_rows: m.error_rows,
        written: m.written,
        unknown_columns: shorten_all(
            serde_json::from_value(r["unknown_columns"].clone()).unwrap_or_default(),
        ),
        problems,
        problems_truncated: r["truncated"].as_bool().unwrap_or(false),
        message: cut(r["message"].as_str().unwrap_or_default(), TEXT_CHARS),
    })
}

/// The report as an xlsx.
pub async fn report_xlsx(
    ctx: &Context,
    actor: &Actor,
    id: i64,
) -> Result<(String, Vec<u8>), AppError> {
    let r = get(ctx, actor, id).await?;
    let problems: Vec<Problem> = r
        .problems
        .iter()
        .map(|p| Problem {
            row: p.row,
            name: p.name.clone(),
            column: p.column.clone(),
            value: p.value.clone(),
            message: p.message.clone(),
        })
        .collect();
    let bytes =
        sheet::report(&problems, &r.message).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((format!("导入结果-{}.xlsx", r.id), bytes))
}
