//! The batch transfer form under a list of graduates (GRD-6): the ticked members, one target
//! org found by the ORG-5 search, the reason; refusals are shown on each member's row.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tuanwu_app::graduation::batch::{self, BatchTransferInput};
use tuanwu_app::org::{self as org_uc, DirectoryView};
use tuanwu_app::Context;
use tuanwu_domain::transfer::TransferReason;
use tuanwu_domain::OrgId;

use super::{dashboard, DashboardForm};
use crate::extract::ApiPath;
use crate::pages::shell::{Form, FormErrors, PageActor, PageError};

/// The batch transfer form under a list: the target search and its results, the reasons.
pub struct BatchForm {
    pub target_q: String,
    pub results: Option<Vec<DirectoryView>>,
    pub chosen: String,
    pub reasons: Vec<(&'static str, &'static str)>,
    pub reason: String,
    pub note: String,
    pub ticked: Vec<i64>,
    /// Why a ticked member could not be sent, shown on their row.
    pub row_errors: Vec<(i64, String)>,
}

pub(super) fn reasons() -> Vec<(&'static str, &'static str)> {
    TransferReason::ALL
        .iter()
        .map(|r| (r.key(), r.label()))
        .collect()
}

fn pairs_get<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The batch form under a list: the ticked `member_ids`, one `target_org_id`, `reason`,
/// `note`. All started: back to the in-progress list; any refused: the list again with each
/// refusal named and the form as typed.
pub async fn batch_transfer(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let year = pairs_get(&pairs, "year").trim().to_string();
    let list = pairs_get(&pairs, "list").trim().to_string();
    let member_ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "member_ids")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let target = pairs_get(&pairs, "target_org_id")
        .trim()
        .parse::<i64>()
        .ok();
    let reason = pairs_get(&pairs, "reason").to_string();
    let note = pairs_get(&pairs, "note").to_string();
    let target_q = pairs_get(&pairs, "target_q").to_string();
    let form_again = |results: Option<Vec<DirectoryView>>| BatchForm {
        target_q: target_q.trim().to_string(),
        results,
        chosen: target.map(|t| t.to_string()).unwrap_or_default(),
        reasons: reasons(),
        reason: reason.clone(),
        note: note.clone(),
        ticked: member_ids.clone(),
        row_errors: Vec::new(),
    };
    let again = DashboardForm {
        year: Some(year.clone()),
        list: list.clone(),
        ..Default::default()
    };
    let results = if target_q.trim().is_empty() {
        None
    } else {
        Some(org_uc::directory(&ctx, &target_q, None).await?)
    };
    let input = BatchTransferInput {
        member_ids: Some(member_ids.clone()),
        target_org_id: target,
        rows: None,
        reason: reason.clone(),
        note: Some(note.clone()),
    };
    match batch::batch_transfer(&ctx, &page.actor, input).await {
        Ok(r) if r.failed == 0 => {
            let q = serde_urlencoded::to_string([
                ("year", year.as_str()),
                ("list", "in_progress"),
                ("started", &r.started.to_string()),
            ])
            .unwrap_or_default();
            Ok(Redirect::to(&format!("/orgs/{id}/continuity?{q}#list")).into_response())
        }
        Ok(r) => {
            let row_errors: Vec<(i64, String)> = r
                .items
                .iter()
                .filter_map(|i| i.error.as_ref().map(|e| (i.member_id, e.message.clone())))
                .collect();
            let errors = FormErrors {
                fields: Vec::new(),
                general: Some(format!(
                    "已发起{}人；{}人未能发起，原因写在名单中各人的姓名下方：{}",
                    r.started,
                    r.failed,
                    row_errors
                        .iter()
                        .map(|(_, m)| m.as_str())
                        .collect::<Vec<_>>()
                        .join("；")
                )),
            };
            let mut b = form_again(results);
            b.ticked
                .retain(|m| row_errors.iter().any(|(id, _)| id == m));
            b.row_errors = row_errors;
            dashboard(&ctx, page, id, again, Some(b), errors).await
        }
        Err(e) => {
            let mut errors = FormErrors::from_app(e)?;
            // One form under a long list: its message goes above the list.
            if errors.general.is_none() {
                errors.general = errors.fields.first().map(|(_, m)| m.clone());
            }
            let b = form_again(results);
            dashboard(&ctx, page, id, again, Some(b), errors).await
        }
    }
}
