//! ORG-6: soft delete, blocked while members or child orgs remain; restore by the level above.

use serde::Deserialize;
use tuanwu_domain::{text, DomainError, OrgId};
use tuanwu_store::org;
use utoipa::ToSchema;

use super::view::{org_view, OrgView};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DeleteOrgInput {
    /// Why it is deleted (kept with the record).
    pub reason: Option<String>,
}

pub async fn delete(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
    input: DeleteOrgInput,
) -> Result<(), AppError> {
    actor.require_full()?;
    let reason = text::required(
        input.reason.as_deref().unwrap_or(""),
        "reason",
        "删除原因",
        200,
    )
    .map_err(|e| e.rule("ORG-6"))?;
    let tx = ctx.db.write().await?;
    actor.ensure_above(&*tx, id, "删除组织").await?;
    let o = org::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.is_deleted() {
        return Err(AppError::conflict(
            "org_already_deleted",
            format!("“{}”已经删除，无需重复删除", o.name),
        ));
    }
    let children = org::children(&*tx, id, false).await?;
    let members = org::direct_member_count(&*tx, id).await?;
    if !children.is_empty() || members > 0 {
        let mut parts = Vec::new();
        if !children.is_empty() {
            let names: Vec<&str> = children.iter().take(3).map(|c| c.name.as_str()).collect();
            let more = if children.len() > 3 { "等" } else { "" };
            parts.push(format!(
                "{}个下级组织（{}{}）",
                children.len(),
                names.join("、"),
                more
            ));
        }
        if members > 0 {
            parts.push(format!("{members}名团员（在“{}”）", o.name));
        }
        return Err(AppError::Conflict {
            code: "org_not_empty",
            message: format!(
                "“{}”下还有{}，不能删除：请先将团员转出、删除或转移下级组织后再删除",
                o.name,
                parts.join("和")
            ),
            rule: Some("ORG-6"),
            field: None,
        });
    }
    org::mark_deleted(&*tx, id, &reason, ctx.clock.now()).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::OrgDelete, id.0)
            .org(id.0)
            .after(serde_json::json!({ "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    ctx.actors.forget_all();
    Ok(())
}

pub async fn restore(ctx: &Context, actor: &Actor, id: OrgId) -> Result<OrgView, AppError> {
    actor.require_full()?;
    let tx = ctx.db.write().await?;
    actor.ensure_above(&*tx, id, "恢复组织").await?;
    let o = org::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !o.is_deleted() {
        return Err(AppError::conflict(
            "org_not_deleted",
            format!("“{}”没有被删除，无需恢复", o.name),
        ));
    }
    if let Some(parent) = o.parent_id {
        // The parent may be the actor's own org or above it: its state, not its people, is read.
        let p = org::get(&*tx, parent).await?.ok_or(AppError::NotFound)?;
        if p.is_deleted() {
            return Err(DomainError::new(
                "parent_deleted",
                format!("上级组织“{}”也已删除：请先恢复上级组织", p.name),
            )
            .rule("ORG-6")
            .into());
        }
    }
    let reason = o.deleted_reason.clone();
    let restored = org::restore(&*tx, id, ctx.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::OrgRestore, id.0)
            .org(id.0)
            .before(serde_json::json!({ "reason": reason })),
    )
    .await?;
    let view = org_view(&*tx, &ctx.cipher, restored).await?;
    tx.commit().await?;
    ctx.actors.forget_all();
    Ok(view)
}
