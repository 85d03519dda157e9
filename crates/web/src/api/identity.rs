use axum::extract::State;
use axum::Json;
use tuanwu_app::identity::{self as uc, ConfirmIdentityInput, IdentityStats};
use tuanwu_app::member::MemberView;
use tuanwu_app::Context;
use tuanwu_domain::{MemberId, OrgId};

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth};

/// Record an offline identity check (ACC-8): `verified_offline` (the admin saw the ID card) or
/// `failed` with a reason. Admins in scope; delegated admins need the `identity` permission.
#[utoipa::path(post, path = "/api/v1/members/{id}/identity", tag = "identity", params(("id" = i64, Path)), request_body = ConfirmIdentityInput,
    responses((status = 200, body = MemberView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn confirm(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ConfirmIdentityInput>,
) -> Result<Json<MemberView>, ApiError> {
    Ok(Json(uc::confirm(&ctx, &actor, MemberId(id), input).await?))
}

/// Active members of an org's subtree per identity-check status (ACC-8). The list behind each
/// figure: `GET /api/v1/orgs/{id}/members?subtree=true&identity=<status>`.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/identity-stats", tag = "identity", params(("id" = i64, Path)),
    responses((status = 200, body = IdentityStats), (status = 404, body = ErrorBody)))]
pub async fn stats(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<IdentityStats>, ApiError> {
    Ok(Json(uc::stats(&ctx, &actor, OrgId(id)).await?))
}
