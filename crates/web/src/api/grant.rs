use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use tuanwu_app::grant::{self as uc, GrantInput, GrantView};
use tuanwu_app::Context;
use tuanwu_domain::{OrgId, RoleId};
use utoipa::IntoParams;

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};

/// Give a member of a college (found by student number) college-level admin rights for the
/// ticked permissions (ACC-4); granting again replaces the permissions.
#[utoipa::path(post, path = "/api/v1/grants", tag = "grants", request_body = GrantInput,
    responses((status = 201, body = GrantView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<GrantInput>,
) -> Result<(StatusCode, Json<GrantView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::grant(&ctx, &actor, input).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The org whose subtree's grants to list (default: the caller's own org).
    pub org_id: Option<i64>,
}

/// The grants in an org's subtree, newest first (ACC-4).
#[utoipa::path(get, path = "/api/v1/grants", tag = "grants", params(ListQuery),
    responses((status = 200, body = ListView<GrantView>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<ListView<GrantView>>, ApiError> {
    Ok(Json(ListView::all(
        uc::list(&ctx, &actor, q.org_id.map(OrgId)).await?,
    )))
}

/// Revoke a grant at once: sessions acting in it end (ACC-4).
#[utoipa::path(delete, path = "/api/v1/grants/{id}", tag = "grants", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<RoleId>,
) -> Result<StatusCode, ApiError> {
    uc::revoke(&ctx, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
