//! MTG-3, EVT-1: a branch's committee (支委会) and its term, the branches whose 换届 is overdue,
//! and the class committee (班委, 班导师).

use axum::extract::State;
use axum::Json;
use tuanwu_app::committee::{
    self as uc, ClassCommitteeInput, ClassCommitteeView, CommitteeView, TermChangeInput,
    TermChangeView, TermView,
};
use tuanwu_app::Context;
use tuanwu_domain::OrgId;

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth};

/// A branch's committee: posts with holders and term start, term length, next 换届 due date.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/committee", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = CommitteeView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
) -> Result<Json<CommitteeView>, ApiError> {
    Ok(Json(uc::committee(&ctx, &actor, id).await?))
}

/// Record a 换届: link the 支委会 and 支部大会 records of this branch and list the elected; the
/// committee and the branch's cadre list change together. `warnings` says what to check again.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/term-changes", tag = "committee", params(("id" = i64, Path)),
    request_body = TermChangeInput,
    responses((status = 201, body = TermChangeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn change_term(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiJson(input): ApiJson<TermChangeInput>,
) -> Result<(axum::http::StatusCode, Json<TermChangeView>), ApiError> {
    Ok((
        axum::http::StatusCode::CREATED,
        Json(uc::change_term(&ctx, &actor, id, input).await?),
    ))
}

/// The live branches under the org whose 换届 is overdue (or never recorded), by path.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/overdue-term-changes", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = ListView<TermView>), (status = 404, body = ErrorBody)))]
pub async fn overdue(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
) -> Result<Json<ListView<TermView>>, ApiError> {
    Ok(Json(ListView::all(uc::overdue(&ctx, &actor, id).await?)))
}

/// A branch's class committee (班委) and class advisor (班导师).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/class-committee", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = ClassCommitteeView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_class(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
) -> Result<Json<ClassCommitteeView>, ApiError> {
    Ok(Json(uc::class_committee(&ctx, &actor, id).await?))
}

/// Replace the class committee: posts held by members of the branch, and the advisor (a member
/// by `member_id`, or a teacher outside the roster by `name`).
#[utoipa::path(put, path = "/api/v1/orgs/{id}/class-committee", tag = "committee", params(("id" = i64, Path)),
    request_body = ClassCommitteeInput,
    responses((status = 200, body = ClassCommitteeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_class(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiJson(input): ApiJson<ClassCommitteeInput>,
) -> Result<Json<ClassCommitteeView>, ApiError> {
    Ok(Json(
        uc::set_class_committee(&ctx, &actor, id, input).await?,
    ))
}
