//! GRD-1 … GRD-5, GRD-7: graduation markings of branches, delayed graduates and teachers,
//! destinations, the graduate list and 学社衔接 special cases. Changing a marking (GRD-2) is a
//! `graduation_change` request through `/api/v1/requests`; the sheets are org reports.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use tuanwu_app::graduation::{
    self as uc, BranchMarkView, BranchesQuery, CaseInput, CaseView, DelayedBatchInput,
    DelayedInput, DelayedListQuery, DelayedResults, DestinationInput, DestinationView,
    ExceptionView, GraduateView, GraduatesQuery, MarkBatchInput, MarkInput, MarkResults,
};
use tuanwu_app::Context;
use tuanwu_domain::{MemberId, OrgId};

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};

/// GRD-1: the first marking of a school branch, `{"year_month": "2026-06"}` or
/// `{"mixed": true}`, by a full admin above branch level. A marked branch answers 409
/// `graduation_already_marked`: changing it is a `graduation_change` request (GRD-2).
#[utoipa::path(put, path = "/api/v1/orgs/{id}/graduation", tag = "graduation", params(("id" = i64, Path)), request_body = MarkInput,
    responses((status = 200, body = BranchMarkView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_one(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiJson(input): ApiJson<MarkInput>,
) -> Result<Json<BranchMarkView>, ApiError> {
    Ok(Json(uc::mark_one(&ctx, &actor, id, input).await?))
}

/// GRD-1: the school branches of the subtree with their marking (未标记 = `graduation: null`).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/graduation", tag = "graduation", params(("id" = i64, Path), BranchesQuery),
    responses((status = 200, body = ListView<BranchMarkView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn branches(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiQuery(q): ApiQuery<BranchesQuery>,
) -> Result<Json<ListView<BranchMarkView>>, ApiError> {
    let (items, total) = uc::branches(&ctx, &actor, id, q).await?;
    Ok(Json(ListView::new(items, total)))
}

/// GRD-1: marks a ticked set of branches in one transaction; the ones that cannot be marked
/// (already marked, not a school branch, out of scope) are listed in `skipped` with why.
#[utoipa::path(post, path = "/api/v1/graduation/mark", tag = "graduation", request_body = MarkBatchInput,
    responses((status = 200, body = MarkResults), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_batch(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<MarkBatchInput>,
) -> Result<Json<MarkResults>, ApiError> {
    Ok(Json(uc::mark_batch(&ctx, &actor, input).await?))
}

/// GRD-3: marks a member as delayed graduate (or teacher) with an expected graduation later
/// than the branch's. One active marking per member (409).
#[utoipa::path(post, path = "/api/v1/members/{id}/delayed-graduation", tag = "graduation", params(("id" = i64, Path)), request_body = DelayedInput,
    responses((status = 201, body = ExceptionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_delayed(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MemberId>,
    ApiJson(input): ApiJson<DelayedInput>,
) -> Result<(StatusCode, Json<ExceptionView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::mark_delayed(&ctx, &actor, id, input).await?),
    ))
}

/// GRD-3: revokes the member's active marking (kept in the history as revoked).
#[utoipa::path(delete, path = "/api/v1/members/{id}/delayed-graduation", tag = "graduation", params(("id" = i64, Path)),
    responses((status = 200, body = ExceptionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_delayed(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MemberId>,
) -> Result<Json<ExceptionView>, ApiError> {
    Ok(Json(uc::revoke_delayed(&ctx, &actor, id).await?))
}

/// GRD-3: marks a ticked set of members in one transaction, with per-member results.
#[utoipa::path(post, path = "/api/v1/graduation/delayed", tag = "graduation", request_body = DelayedBatchInput,
    responses((status = 200, body = DelayedResults), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delayed_batch(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<DelayedBatchInput>,
) -> Result<Json<DelayedResults>, ApiError> {
    Ok(Json(uc::mark_delayed_batch(&ctx, &actor, input).await?))
}

/// GRD-3: the delayed-graduate list (延迟毕业团员列表) of the subtree.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/delayed-graduates", tag = "graduation", params(("id" = i64, Path), DelayedListQuery),
    responses((status = 200, body = ListView<ExceptionView>), (status = 404, body = ErrorBody)))]
pub async fn delayed_list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiQuery(q): ApiQuery<DelayedListQuery>,
) -> Result<Json<ListView<ExceptionView>>, ApiError> {
    let (items, total) = uc::delayed_list(&ctx, &actor, id, q).await?;
    Ok(Json(ListView::new(items, total)))
}

/// GRD-5: records the destination (毕业去向); `other` needs a note. Admins in scope or the
/// member themself.
#[utoipa::path(put, path = "/api/v1/members/{id}/destination", tag = "graduation", params(("id" = i64, Path)), request_body = DestinationInput,
    responses((status = 200, body = DestinationView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_destination(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MemberId>,
    ApiJson(input): ApiJson<DestinationInput>,
) -> Result<Json<DestinationView>, ApiError> {
    Ok(Json(uc::set_destination(&ctx, &actor, id, input).await?))
}

/// GRD-5: the recorded destination (`destination: null` when none).
#[utoipa::path(get, path = "/api/v1/members/{id}/destination", tag = "graduation", params(("id" = i64, Path)),
    responses((status = 200, body = DestinationView), (status = 404, body = ErrorBody)))]
pub async fn get_destination(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MemberId>,
) -> Result<Json<DestinationView>, ApiError> {
    Ok(Json(uc::get_destination(&ctx, &actor, id).await?))
}

/// The graduates of a year in the subtree (members of branches marked with that year), with
/// delayed/teacher markings, destinations and special cases; searchable by name, student
/// number or resident ID.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/graduates", tag = "graduation", params(("id" = i64, Path), GraduatesQuery),
    responses((status = 200, body = ListView<GraduateView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn graduates(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiQuery(q): ApiQuery<GraduatesQuery>,
) -> Result<Json<ListView<GraduateView>>, ApiError> {
    let (items, total) = uc::graduates(&ctx, &actor, id, q).await?;
    Ok(Json(ListView::new(items, total)))
}

/// GRD-7: records or replaces a member's 学社衔接 special case (target region and org, whether
/// a transfer was started, why it was not accepted).
#[utoipa::path(put, path = "/api/v1/members/{id}/continuity-case", tag = "graduation", params(("id" = i64, Path)), request_body = CaseInput,
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_case(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MemberId>,
    ApiJson(input): ApiJson<CaseInput>,
) -> Result<Json<CaseView>, ApiError> {
    Ok(Json(uc::set_case(&ctx, &actor, id, input).await?))
}
