//! FLT-1 … FLT-5: floating members — deadlines, extension, contact log, confirmed steps.

use axum::extract::State;
use axum::Json;
use tuanwu_app::floating::{
    self as uc, ContactInput, ExtendInput, FloatingView, ListFloatingQuery, StepInput,
};
use tuanwu_app::Context;
use tuanwu_domain::{FloatingId, OrgId};

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};

/// The floating members kept in the org's floating branches, filterable by deadline state.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/floating", tag = "floating", params(("id" = i64, Path), ListFloatingQuery),
    responses((status = 200, body = ListView<FloatingView>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ListFloatingQuery>,
) -> Result<Json<ListView<FloatingView>>, ApiError> {
    let (items, total) = uc::list(&ctx, &actor, OrgId(id), q).await?;
    Ok(Json(ListView::new(items, total)))
}

#[utoipa::path(get, path = "/api/v1/floating/{id}", tag = "floating", params(("id" = i64, Path)),
    responses((status = 200, body = FloatingView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<FloatingId>,
) -> Result<Json<FloatingView>, ApiError> {
    Ok(Json(uc::get(&ctx, &actor, id).await?))
}

/// FLT-3: extend the stay once, to a year from entry.
#[utoipa::path(post, path = "/api/v1/floating/{id}/extend", tag = "floating", params(("id" = i64, Path)), request_body = ExtendInput,
    responses((status = 200, body = FloatingView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn extend(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<FloatingId>,
    ApiJson(input): ApiJson<ExtendInput>,
) -> Result<Json<FloatingView>, ApiError> {
    Ok(Json(uc::extend(&ctx, &actor, id, input).await?))
}

/// FLT-4: record a contact with the member.
#[utoipa::path(post, path = "/api/v1/floating/{id}/contacts", tag = "floating", params(("id" = i64, Path)), request_body = ContactInput,
    responses((status = 200, body = FloatingView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_contact(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<FloatingId>,
    ApiJson(input): ApiJson<ContactInput>,
) -> Result<Json<FloatingView>, ApiError> {
    Ok(Json(uc::add_contact(&ctx, &actor, id, input).await?))
}

/// FLT-4: confirm the step the system proposes (停止团籍 / 除名).
#[utoipa::path(post, path = "/api/v1/floating/{id}/steps", tag = "floating", params(("id" = i64, Path)), request_body = StepInput,
    responses((status = 200, body = FloatingView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn confirm_step(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<FloatingId>,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<FloatingView>, ApiError> {
    Ok(Json(uc::confirm_step(&ctx, &actor, id, input).await?))
}
