//! DAT-2: the member list of any org in scope, whole subtree in one xlsx (one sheet with the
//! branch column, or one sheet per branch), streamed page by page in constant memory.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use tuanwu_domain::mask::{mask_phone, mask_resident_id};
use tuanwu_domain::{MemberId, OrgId};
use tuanwu_store::member as members;

use super::view::{decrypt_phone, decrypt_resident_id};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

pub struct ExportOptions {
    pub subtree: bool,
    /// One sheet per branch instead of one sheet with a branch column.
    pub per_branch: bool,
    /// Full resident IDs and phones (admins in scope only; audited).
    pub full: bool,
}

const HEADERS: [&str; 16] = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "身份证号",
    "出生日期",
    "入团时间",
    "发展团员编号",
    "学号",
    "政治面貌",
    "手机号码",
    "电子邮箱",
    "专业",
    "籍贯",
    "文化程度",
    "所在团支部（全称）",
];

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(format!("生成表格失败：{e}"))
}

fn sheet_name(name: &str, used: &mut HashMap<String, usize>) -> String {
    // Excel: at most 31 characters, none of []:*?/\ and unique.
    let clean: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let n = used.entry(clean.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        clean
    } else {
        format!("{clean}{n}")
    }
}

/// The column headers, frozen so they stay in view while scrolling a long list.
fn write_header(ws: &mut Worksheet, bold: &Format) -> Result<(), AppError> {
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, bold)
            .map_err(xlsx_err)?;
        ws.set_column_width(c as u16, if c == 15 { 48.0 } else { 14.0 })
            .map_err(xlsx_err)?;
    }
    Ok(())
}

/// Writes one branch's active members into `ws` from `row` on, page by page.
async fn write_branch(
    ctx: &Context,
    ws: &mut Worksheet,
    row: &mut u32,
    serial: &mut u64,
    b: &tuanwu_domain::org::Org,
    full: bool,
) -> Result<(), AppError> {
    let mut last_id = MemberId(0);
    loop {
        let page = members::of_branch_after(ctx.db.conn(), b.id, last_id, 2000).await?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        last_id = last.id;
        for m in &page {
            *serial += 1;
            let rid = decrypt_resident_id(&ctx.cipher, m);
            let phone = decrypt_phone(&ctx.cipher, m).unwrap_or_default();
            let values = [
                serial.to_string(),
                m.name.clone(),
                m.gender.label().to_string(),
                m.ethnicity.clone(),
                if full { rid } else { mask_resident_id(&rid) },
                m.birth_date.to_string(),
                m.joined_on.to_string(),
                m.development_no.clone().unwrap_or_else(|| "无".into()),
                m.student_no.clone().unwrap_or_default(),
                m.political_status.label().to_string(),
                if full || phone.is_empty() {
                    phone
                } else {
                    mask_phone(&phone)
                },
                m.email.clone().unwrap_or_default(),
                m.admission_major.clone().unwrap_or_default(),
                m.native_place.clone().unwrap_or_default(),
                m.education.clone().unwrap_or_default(),
                b.name.clone(),
            ];
            // Everything is written as a string: "=…" stays text, never a formula.
            for (col, v) in values.iter().enumerate() {
                ws.write_string(*row, col as u16, v).map_err(xlsx_err)?;
            }
            *row += 1;
        }
    }
}

pub async fn export(
    ctx: &Context,
    actor: &Actor,
    root: OrgId,
    opts: ExportOptions,
) -> Result<(String, Vec<u8>, u64), AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, root).await?;
    let top = tuanwu_store::org::get(c, root)
        .await?
        .ok_or(AppError::NotFound)?;
    let branches: Vec<tuanwu_domain::org::Org> = if opts.subtree {
        tuanwu_store::org::branches_under(c, actor.scope(), root, true).await?
    } else {
        vec![top.clone()]
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let mut serial = 0u64;
    if opts.per_branch && !branches.is_empty() {
        let mut used = HashMap::new();
        for b in &branches {
            let ws = book
                .add_worksheet_with_constant_memory()
                .map_err(xlsx_err)?;
            ws.set_name(sheet_name(&b.name, &mut used))
                .map_err(xlsx_err)?;
            write_header(ws, &bold)?;
            let mut row = 1;
            write_branch(ctx, ws, &mut row, &mut serial, b, opts.full).await?;
        }
    } else {
        let ws = book
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_err)?;
        ws.set_name("团员名单").map_err(xlsx_err)?;
        write_header(ws, &bold)?;
        let mut row = 1;
        for b in &branches {
            write_branch(ctx, ws, &mut row, &mut serial, b, opts.full).await?;
        }
    }
    let bytes = book.save_to_buffer().map_err(xlsx_err)?;
    let tx = ctx.db.write().await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::ReportExport, root.0).org(root.0).after(serde_json::json!({
            "sheet": "团员名单", "name": top.name, "rows": serial, "full_resident_ids": opts.full, "subtree": opts.subtree,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("团员名单-{}.xlsx", top.name), bytes, serial))
}
