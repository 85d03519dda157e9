//! FLT-2 / DAT-2: the 毕业生流动团员信息汇总表 of an org's subtree — stays in its floating
//! branches, or that started from its branches.

use tuanwu_domain::OrgId;
use tuanwu_sheets::{write, Sheet, FLOATING_MEMBERS};
use tuanwu_store::floating as store;

use super::view::floating_view;
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

pub async fn floating_members(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
) -> Result<(String, Vec<u8>), AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, org).await?;
    let o = tuanwu_store::org::get(c, org)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = store::of_report(c, org).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let v = floating_view(ctx, c, actor, r, false).await?;
        out.push(vec![
            v.college,
            v.source_branch,
            v.responsible,
            v.responsible_contact,
            v.member_name,
            v.contact,
            v.reason,
            v.destination_label,
            v.remarks.unwrap_or_default(),
        ]);
    }
    let title = "毕业生流动团员信息汇总表";
    let count = out.len();
    let bytes = write(Sheet {
        name: title,
        title,
        headers: &FLOATING_MEMBERS,
        rows: out,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = ctx.db.write().await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::ReportExport, org.0)
            .org(org.0)
            .after(serde_json::json!({ "sheet": title, "rows": count })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("{}-{}.xlsx", title, o.name), bytes))
}
