//! TRF-6: the 转往特殊单位汇总表 of an org's subtree.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tuanwu_domain::transfer::{TransferKind, TransferStatus};
use tuanwu_domain::OrgId;
use tuanwu_sheets::{write, Sheet, SPECIAL_UNIT_TRANSFERS};
use tuanwu_store::entity::transfer;
use tuanwu_store::queries::{self, in_subtree};

use crate::audit::{self, Change};
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
    let o = queries::org::find(c, org.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = transfer::Entity::find()
        .filter(in_subtree(transfer::Column::SourceOrgId, org.0))
        .filter(transfer::Column::Kind.eq(TransferKind::SpecialUnit.key()))
        .filter(transfer::Column::Status.is_in([
            TransferStatus::Pending.key(),
            TransferStatus::Completed.key(),
        ]))
        .order_by_asc(transfer::Column::Id)
        .all(c)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, t) in rows.iter().enumerate() {
        let name = queries::member::find(c, t.member_id)
            .await?
            .map(|m| m.name)
            .unwrap_or_default();
        let branch = queries::org::find(c, t.source_org_id)
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
        Change::new("report", org.0, "export")
            .org(org.0)
            .after(serde_json::json!({ "sheet": title, "rows": count })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("{}-{}.xlsx", title, o.name), bytes))
}
