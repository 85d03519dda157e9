use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use tuanwu_app::cadre::{self as uc, AddCadreInput, CadreView, EndCadreInput};
use tuanwu_app::Context;
use tuanwu_domain::{CadreId, OrgId};

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth};

/// An org's cadres (ACC-10): those in post first, then former ones; resident IDs masked.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/cadres", tag = "cadres", params(("id" = i64, Path)),
    responses((status = 200, body = ListView<CadreView>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
) -> Result<Json<ListView<CadreView>>, ApiError> {
    Ok(Json(ListView::all(uc::list(&ctx, &actor, id).await?)))
}

/// Add a member in scope to the org's cadre list with a post and a start date (ACC-10).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/cadres", tag = "cadres", params(("id" = i64, Path)), request_body = AddCadreInput,
    responses((status = 201, body = CadreView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiJson(input): ApiJson<AddCadreInput>,
) -> Result<(StatusCode, Json<CadreView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::add(&ctx, &actor, id, input).await?),
    ))
}

/// Record the end of a post (`ended_on` not before the start, not in the future).
#[utoipa::path(patch, path = "/api/v1/cadres/{id}", tag = "cadres", params(("id" = i64, Path)), request_body = EndCadreInput,
    responses((status = 200, body = CadreView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn end(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<CadreId>,
    ApiJson(input): ApiJson<EndCadreInput>,
) -> Result<Json<CadreView>, ApiError> {
    Ok(Json(uc::end(&ctx, &actor, id, input).await?))
}

/// Remove an entry made in error (a post that ended is ended, not removed).
#[utoipa::path(delete, path = "/api/v1/cadres/{id}", tag = "cadres", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<CadreId>,
) -> Result<StatusCode, ApiError> {
    uc::remove(&ctx, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
