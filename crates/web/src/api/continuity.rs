//! GRD-6: the 学社衔接率 of an org for a graduation year, the lists behind it, the weekly trend,
//! and batch transfers for graduates. The sheet is `GET /api/v1/orgs/{id}/reports/continuity.xlsx?year=`.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tuanwu_app::graduation::batch::{self, BatchTransferInput, BatchTransferResult};
use tuanwu_app::graduation::continuity::{self as uc, ContinuityQuery, ContinuityView, TrendView};
use tuanwu_app::Context;
use tuanwu_domain::OrgId;
use utoipa::IntoParams;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};

/// 学社衔接率 (GRD-6) of the org's subtree for a graduation year: numerator, denominator, the
/// count in each state and the figure of each direct child org. With `list`, one page of the
/// members behind that figure (resident IDs masked).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/continuity", tag = "graduation",
    params(("id" = i64, Path), ContinuityQuery),
    responses((status = 200, body = ContinuityView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn continuity(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiQuery(q): ApiQuery<ContinuityQuery>,
) -> Result<Json<ContinuityView>, ApiError> {
    Ok(Json(uc::continuity(&ctx, &actor, id, q).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendQuery {
    /// Graduation year (defaults to the current year).
    pub year: Option<i32>,
}

/// Completed transfers to society per ISO week over the season, with the cumulative rate.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/continuity/trend", tag = "graduation",
    params(("id" = i64, Path), TrendQuery),
    responses((status = 200, body = TrendView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn trend(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiQuery(q): ApiQuery<TrendQuery>,
) -> Result<Json<TrendView>, ApiError> {
    Ok(Json(uc::trend(&ctx, &actor, id, q.year).await?))
}

/// Starts a transfer (source side, TRF-1) for each graduate: `member_ids` + one `target_org_id`,
/// or `rows` with a target each. Failures are reported per member, never fatal to the batch.
#[utoipa::path(post, path = "/api/v1/graduation/batch-transfer", tag = "graduation",
    request_body = BatchTransferInput,
    responses((status = 200, body = BatchTransferResult), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn batch_transfer(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<BatchTransferInput>,
) -> Result<Json<BatchTransferResult>, ApiError> {
    Ok(Json(batch::batch_transfer(&ctx, &actor, input).await?))
}
