//! FLT-2: the school reviews the requests to its floating branch in batches — each transfer is
//! decided on its own (every check applies), and each answer is reported.

use serde::{Deserialize, Serialize};
use tuanwu_domain::TransferId;
use utoipa::ToSchema;

use super::decide::{approve, reject, ApproveInput};
use crate::error::ErrorItem;
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchDecideInput {
    pub ids: Vec<i64>,
    /// `approve` | `reject`.
    pub action: String,
    /// Required to reject.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchDecideItem {
    pub id: i64,
    pub ok: bool,
    pub status: Option<String>,
    pub error: Option<ErrorItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchDecideView {
    pub decided: usize,
    pub failed: usize,
    pub items: Vec<BatchDecideItem>,
}

pub async fn batch_decide(
    ctx: &Context,
    actor: &Actor,
    input: BatchDecideInput,
) -> Result<BatchDecideView, AppError> {
    let approving = match input.action.trim() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(tuanwu_domain::DomainError::new(
                "invalid_action",
                format!("“{other}”不是有效的操作：可选 approve（通过）或 reject（驳回）"),
            )
            .field("action")
            .into())
        }
    };
    if input.ids.is_empty() || input.ids.len() > 500 {
        return Err(
            tuanwu_domain::DomainError::new("invalid_ids", "请勾选 1 到 500 条转接申请")
                .field("ids")
                .into(),
        );
    }
    let mut items = Vec::with_capacity(input.ids.len());
    for id in input.ids {
        let result = if approving {
            approve(ctx, actor, TransferId(id), ApproveInput::default()).await
        } else {
            reject(
                ctx,
                actor,
                TransferId(id),
                input.reason.as_deref().unwrap_or(""),
            )
            .await
        };
        items.push(match result {
            Ok(v) => BatchDecideItem {
                id,
                ok: true,
                status: Some(v.status),
                error: None,
            },
            Err(e) => BatchDecideItem {
                id,
                ok: false,
                status: None,
                error: Some(e.into()),
            },
        });
    }
    let decided = items.iter().filter(|i| i.ok).count();
    Ok(BatchDecideView {
        failed: items.len() - decided,
        decided,
        items,
    })
}
