//! Saving an import's report, reading it back, and the report as xlsx.

use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use tuanwu_sheets::members::{self as sheet, Problem};
use tuanwu_store::entity::import;

use super::pass::Tally;
use super::{ImportInput, ImportReport, Mode, ProblemView};
use crate::{Actor, AppError, Context};

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
            format!("有{}行存在问题，按“全部成功才写入”方式，本次没有写入任何数据：请按报告修改后重新导入。", t.error_rows)
        }
        (None, false, _) if t.skipped > 0 && t.error_rows == 0 => {
            format!("文件中的{}名团员均已在系统中，没有新增。", t.skipped)
        }
        (None, false, _) => "没有可以导入的行：请检查文件内容。".into(),
    };
    let problems: Vec<ProblemView> = t
        .problems
        .into_iter()
        .map(|p| ProblemView {
            row: p.row,
            column: p.column,
            value: p.value,
            message: p.message,
        })
        .collect();
    // The quoted cells (and the messages that quote them) are stored sealed: a bad cell may
    // hold a resident ID or phone, masked or typed into another column, and the report
    // outlives the import (issue 16 item 10).
    let stored: Vec<ProblemView> = problems
        .iter()
        .map(|p| ProblemView {
            value: crate::sealed::sealed(&ctx.cipher, &p.value),
            message: crate::sealed::sealed(&ctx.cipher, &p.message),
            ..p.clone()
        })
        .collect();
    let report = serde_json::json!({ "problems": stored, "unknown_columns": t.unknown, "truncated": t.truncated, "message": message });
    let saved = import::ActiveModel {
        account_id: Set(actor.account().0),
        org_id: Set(actor.org_id().0),
        file_name: Set(input.file_name.chars().take(255).collect()),
        mode: Set(input.mode.key().into()),
        total_rows: Set(t.total as i64),
        added: Set(added as i64),
        skipped: Set(t.skipped as i64),
        error_rows: Set(t.error_rows as i64),
        written: Set(written),
        report: Set(report.to_string()),
        created_at: Set(ctx.clock.now()),
        ..Default::default()
    }
    .insert(ctx.db.conn())
    .await?;
    Ok(ImportReport {
        id: saved.id,
        file_name: input.file_name.clone(),
        mode: input.mode.key().into(),
        total_rows: t.total,
        added,
        skipped_existing: t.skipped,
        error_rows: t.error_rows,
        written,
        unknown_columns: t.unknown,
        problems,
        problems_truncated: t.truncated,
        message,
    })
}

/// A saved report, for the importer or admins above the importing org.
pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<ImportReport, AppError> {
    let m = import::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    if m.account_id != actor.account().0 {
        actor
            .ensure_in_scope(ctx.db.conn(), tuanwu_domain::OrgId(m.org_id))
            .await?;
    }
    let mut r: serde_json::Value = serde_json::from_str(&m.report).unwrap_or_default();
    crate::sealed::open(&ctx.cipher, &mut r);
    let problems = serde_json::from_value::<Vec<serde_json::Value>>(r["problems"].clone())
        .unwrap_or_default()
        .into_iter()
        .map(|p| ProblemView {
            row: p["row"].as_u64().unwrap_or(0) as usize,
            column: p["column"].as_str().unwrap_or_default().into(),
            value: p["value"].as_str().unwrap_or_default().into(),
            message: p["message"].as_str().unwrap_or_default().into(),
        })
        .collect();
    Ok(ImportReport {
        id: m.id,
        file_name: m.file_name,
        mode: m.mode,
        total_rows: m.total_rows as u64,
        added: m.added as u64,
        skipped_existing: m.skipped as u64,
        error_rows: m.error_rows as u64,
        written: m.written,
        unknown_columns: serde_json::from_value(r["unknown_columns"].clone()).unwrap_or_default(),
        problems,
        problems_truncated: r["truncated"].as_bool().unwrap_or(false),
        message: r["message"].as_str().unwrap_or_default().into(),
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
            column: p.column.clone(),
            value: p.value.clone(),
            message: p.message.clone(),
        })
        .collect();
    let bytes =
        sheet::report(&problems, &r.message).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((format!("导入结果-{}.xlsx", r.id), bytes))
}
