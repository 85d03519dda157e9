//! `tuanwu import` and `tuanwu export`: the operator's bulk data commands.

use std::path::PathBuf;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use tuanwu_app::member::export::{export as export_members, ExportOptions};
use tuanwu_app::member::import::{self, ImportInput, Mode, Progress, Source};
use tuanwu_app::Context;
use tuanwu_domain::OrgId;

fn app(e: tuanwu_app::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

pub async fn import(
    ctx: &Context,
    file: PathBuf,
    mode: &str,
    report: Option<PathBuf>,
    override_college: bool,
) -> anyhow::Result<()> {
    let actor = tuanwu_app::account::session::operator(ctx)
        .await
        .map_err(app)?;
    let mode = Mode::parse(Some(mode)).map_err(|e| anyhow::anyhow!("{e}"))?;
    // The bar follows the reader's place in the file; the message counts the rows checked.
    let bar = ProgressBar::new(std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0));
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {percent:>3}%  已检查 {msg} 行  用时 {elapsed}  预计还需 {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress_bar = bar.clone();
    let progress = move |p: Progress| {
        progress_bar.set_position(p.bytes.min(p.total_bytes));
        progress_bar.set_message(p.rows.to_string());
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let input = ImportInput {
        file_name: name,
        mode,
        override_college,
        progress_key: None,
        time_limit: None,
    };
    let r = import::import(ctx, &actor, Source::Path(file), input, &progress)
        .await
        .map_err(app)?;
    bar.finish_and_clear();
    println!("{}", r.message);
    println!(
        "数据行 {}，新增 {}，已存在跳过 {}，有问题 {}",
        r.total_rows, r.added, r.skipped_existing, r.error_rows
    );
    for p in r.problems.iter().take(20) {
        println!("  第{}行 {}：{}", p.row, p.column, p.message);
    }
    if r.problems.len() > 20 {
        println!("  ……共 {} 条问题", r.problems.len());
    }
    if let Some(out) = report {
        let (_, bytes) = import::report_xlsx(ctx, &actor, r.id).await.map_err(app)?;
        std::fs::write(&out, bytes).with_context(|| format!("无法写入 {}", out.display()))?;
        println!("问题报告已写入 {}", out.display());
    }
    if !r.written && (r.error_rows > 0 || r.total_rows == 0) {
        anyhow::bail!("导入未写入数据");
    }
    Ok(())
}

pub async fn export(
    ctx: &Context,
    org_id: i64,
    sheet: &str,
    per_branch: bool,
    full: bool,
    out: PathBuf,
) -> anyhow::Result<()> {
    let actor = tuanwu_app::account::session::operator(ctx)
        .await
        .map_err(app)?;
    let (bytes, rows) = if sheet == "members" {
        let (_, bytes, rows) = export_members(
            ctx,
            &actor,
            OrgId(org_id),
            ExportOptions {
                subtree: true,
                per_branch,
                full,
            },
        )
        .await
        .map_err(app)?;
        (bytes, Some(rows))
    } else {
        let (_, bytes) = tuanwu_app::request::report(ctx, &actor, OrgId(org_id), sheet)
            .await
            .map_err(app)?;
        (bytes, None)
    };
    std::fs::write(&out, bytes).with_context(|| format!("无法写入 {}", out.display()))?;
    match rows {
        Some(n) => println!("已导出 {n} 名团员到 {}", out.display()),
        None => println!("已导出到 {}", out.display()),
    }
    Ok(())
}
