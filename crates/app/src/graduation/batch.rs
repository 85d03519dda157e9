//! 学社衔接 in bulk: the source side starts a transfer for each of a set of graduates (TRF-1 via
//! `transfer::start`), one by one. Each row succeeds or fails on its own: a refusal (missing
//! prerequisites, a transfer already in progress, out of scope) is reported for that member and
//! the others go on.

use serde::{Deserialize, Serialize};
use tuanwu_domain::transfer::TransferReason;
use tuanwu_domain::{text, DomainError};
use utoipa::ToSchema;

use super::rules::check_member_manager;
use crate::error::ErrorItem;
use crate::transfer::{self, StartTransferInput};
use crate::{Actor, AppError, Context};

/// Most rows one request may carry.
pub const MAX_ROWS: usize = 500;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BatchTransferRow {
    pub member_id: i64,
    pub target_org_id: i64,
}

/// Either `member_ids` with one `target_org_id`, or `rows` each with its own target.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct BatchTransferInput {
    pub member_ids: Option<Vec<i64>>,
    pub target_org_id: Option<i64>,
    pub rows: Option<Vec<BatchTransferRow>>,
    /// TRF-3 reason key or its Chinese word (usually `graduation`).
    #[serde(default)]
    pub reason: String,
    /// Required with `other`.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchTransferItem {
    pub member_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_id: Option<i64>,
    /// The transfer's status after starting (`pending`, or `awaiting_report` for external).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorItem>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchTransferResult {
    /// One per row, in the order given.
    pub items: Vec<BatchTransferItem>,
    pub started: u64,
    pub failed: u64,
}

fn bad(code: &'static str, message: impl Into<String>, field: &'static str) -> AppError {
    DomainError::new(code, message)
        .rule("TRF-1")
        .field(field)
        .into()
}

pub async fn batch_transfer(
    ctx: &Context,
    actor: &Actor,
    input: BatchTransferInput,
) -> Result<BatchTransferResult, AppError> {
    check_member_manager(actor)?;
    let rows: Vec<(i64, i64)> = match (input.member_ids, input.rows) {
        (Some(ids), None) => {
            let Some(target) = input.target_org_id else {
                return Err(bad(
                    "target_required",
                    "请用组织搜索选择转入的团组织（target_org_id）；各人去向不同时请用 rows 逐人填写",
                    "target_org_id",
                ));
            };
            ids.into_iter().map(|m| (m, target)).collect()
        }
        (None, Some(rows)) => rows
            .into_iter()
            .map(|r| (r.member_id, r.target_org_id))
            .collect(),
        _ => {
            return Err(bad(
                "rows_required",
                "请选择要转出的团员：member_ids 加同一个 target_org_id，或 rows 逐人指定转入组织，二者选一",
                "member_ids",
            ))
        }
    };
    if rows.is_empty() {
        return Err(bad("rows_required", "请至少选择一名团员", "member_ids"));
    }
    if rows.len() > MAX_ROWS {
        return Err(bad(
            "too_many_rows",
            format!("一次最多办理{MAX_ROWS}人，本次{}人：请分批提交", rows.len()),
            "member_ids",
        ));
    }
    // Checked once for all rows rather than refused row by row.
    let reason =
        TransferReason::parse(&input.reason).map_err(|e| e.rule("TRF-3").field("reason"))?;
    let note = text::optional(input.note.as_deref(), "note", "说明", 500)?;
    if reason == TransferReason::Other && note.is_none() {
        return Err(DomainError::new(
            "note_required",
            "转接原因为“其他”时，请在说明中写明具体原因",
        )
        .rule("TRF-3")
        .field("note")
        .into());
    }

    let mut items = Vec::with_capacity(rows.len());
    let mut done = std::collections::HashSet::new();
    for (member_id, target) in rows {
        if !done.insert(member_id) {
            items.push(BatchTransferItem {
                member_id,
                transfer_id: None,
                status: None,
                error: Some(ErrorItem {
                    code: "duplicate_row".into(),
                    message: "同一名团员在本次提交中出现了多次：只办理第一次".into(),
                    rule: None,
                    field: Some("member_ids".into()),
                }),
            });
            continue;
        }
        let started = transfer::start(
            ctx,
            actor,
            StartTransferInput {
                member_id: Some(member_id),
                name: None,
                resident_id: None,
                target_org_id: Some(target),
                special_unit: None,
                external_system: None,
                reason: reason.key().to_string(),
                note: note.clone(),
                floating: None,
            },
        )
        .await;
        items.push(match started {
            Ok(t) => BatchTransferItem {
                member_id,
                transfer_id: Some(t.id),
                status: Some(t.status),
                error: None,
            },
            Err(e) => BatchTransferItem {
                member_id,
                transfer_id: None,
                status: None,
                error: Some(e.into()),
            },
        });
    }
    let started = items.iter().filter(|i| i.transfer_id.is_some()).count() as u64;
    Ok(BatchTransferResult {
        failed: items.len() as u64 - started,
        started,
        items,
    })
}
