//! DAT-2 report sheets generated from the requests themselves.

use serde_json::Value;
use tuanwu_domain::request::{RequestChanges, RequestKind, RequestStatus};
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_sheets::{write, Sheet, DELETION_LEDGER, DEVELOPMENT_NO_CONFLICTS};
use tuanwu_store::request as store;

use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

/// Builds `sheet` (`deletion-ledger` | `development-no-conflicts`) for the subtree of `org`.
/// Everything listed is inside the exporter's scope, so resident IDs are shown in full; the
/// export itself is audited (SYS-5).
pub async fn report(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    sheet: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, org).await?;
    let o = tuanwu_store::org::get(c, org)
        .await?
        .ok_or(AppError::NotFound)?;
    let (kind, statuses, title, headers): (_, &[RequestStatus], _, &[&str]) = match sheet {
        "deletion-ledger" => (RequestKind::MemberDeletion, &[RequestStatus::Approved], "删除团员台账", &DELETION_LEDGER),
        "development-no-conflicts" => (
            RequestKind::DevelopmentNoConflict,
            &[RequestStatus::Pending, RequestStatus::Approved, RequestStatus::Rejected],
            "团员发展编号被占用汇总表",
            &DEVELOPMENT_NO_CONFLICTS,
        ),
        _ => {
            return Err(DomainError::new(
                "unknown_sheet",
                "没有这种报表：可选 deletion-ledger（删除团员台账）或 development-no-conflicts（团员发展编号被占用汇总表）",
            )
            .into())
        }
    };
    let rows = store::reported(c, &ctx.cipher, org, kind, statuses).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, (r, changes)) in rows.iter().enumerate() {
        let summary = &r.summary;
        let s = |v: &Value, k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let row = match changes {
            RequestChanges::MemberDeletion(d) => vec![
                (i + 1).to_string(),
                s(summary, "member_name"),
                s(summary, "branch_name"),
                d.resident_id.clone(),
                format!("{}：{}", s(summary, "deletion_reason_label"), r.reason),
            ],
            _ => {
                let member = match r.member {
                    Some(id) => tuanwu_store::member::of_record(c, id).await?,
                    None => None,
                };
                let rid = member
                    .as_ref()
                    .map(|m| crate::member::view::decrypt_resident_id(&ctx.cipher, m))
                    .unwrap_or_default();
                let province = match r.province {
                    Some(p) => tuanwu_store::org::get(c, p)
                        .await?
                        .map(|p| p.name)
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let status = r.status.label();
                vec![
                    province,
                    s(summary, "branch"),
                    s(summary, "member_name"),
                    rid,
                    s(summary, "development_no"),
                    format!(
                        "被 {}（{}）占用；{}",
                        s(summary, "holder_name"),
                        s(summary, "holder_branch"),
                        status
                    ),
                ]
            }
        };
        out.push(row);
    }
    let count = out.len();
    let bytes = write(Sheet {
        name: title,
        title,
        headers,
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
            .after(serde_json::json!({ "sheet": title, "rows": count, "full_resident_ids": true })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("{}-{}.xlsx", title, o.name), bytes))
}
