//! TRF-6: the 转往特殊单位汇总表 of an org's subtree.

use tuanwu_domain::OrgId;
use tuanwu_sheets::{write, Sheet, SPECIAL_UNIT_TRANSFERS};

use crate::audit::{self, AuditAction, Change};
use crate::clock::human_time;
use crate::{Actor, AppError, Context};

/// Every special-unit transfer started from the subtree (pending or completed), oldest first.
pub async fn special_unit_transfers(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
) -> Result<(String, Vec<u8>), AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, org).await?;
    let o = tuanwu_store::org::get(c, org)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = tuanwu_store::transfer::special_units_from(c, org).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, t) in rows.iter().enumerate() {
        let name = tuanwu_store::member::of_record(c, t.member)
            .await?
            .map(|m| m.name)
            .unwrap_or_default();
        let branch = tuanwu_store::org::get(c, t.source_org)
            .await?
            .map(|b| b.path)
            .unwrap_or_default();
        out.push(vec![
            (i + 1).to_string(),
            name,
            branch,
            human_time(t.created_at),
            t.special_destination.clone().unwrap_or_default(),
        ]);
    }
    let title = "转往特殊单位汇总表";
    let count = out.len();
    let bytes = write(Sheet {
        name: title,
        title,
        headers: &SPECIAL_UNIT_TRANSFERS,
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
