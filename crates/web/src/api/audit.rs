use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tuanwu_app::audit::AuditView;
use tuanwu_app::{Context, Page};
use tuanwu_domain::OrgId;
use utoipa::IntoParams;

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiQuery, Auth};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Limit to this org's subtree (inside the caller's scope).
    pub org_id: Option<i64>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// The audit log of the caller's scope, newest first (SYS-1).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = ListView<AuditView>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<ListView<AuditView>>, ApiError> {
    let (items, total) = tuanwu_app::audit::list(
        &ctx,
        &actor,
        q.org_id.map(OrgId),
        Page::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(ListView::new(items, total)))
}
