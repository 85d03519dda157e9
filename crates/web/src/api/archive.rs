//! ARC-1 … ARC-4: a member's e-archives; reviews go through `/api/v1/requests`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use tuanwu_app::archive::{self, MemberArchivesView, UploadArchiveInput};
use tuanwu_app::Context;
use tuanwu_domain::MemberId;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth};

/// Upload (or replace, ARC-3) a 入团申请书 or 入团志愿书; it goes to the level above for review.
#[utoipa::path(post, path = "/api/v1/members/{id}/archives", tag = "archives", params(("id" = i64, Path)), request_body = UploadArchiveInput,
    responses((status = 201, body = MemberArchivesView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MemberId>,
    ApiJson(input): ApiJson<UploadArchiveInput>,
) -> Result<(StatusCode, Json<MemberArchivesView>), ApiError> {
    let view = archive::upload(&ctx, &actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The member's archives: status per kind, league identity certification, every upload.
#[utoipa::path(get, path = "/api/v1/members/{id}/archives", tag = "archives", params(("id" = i64, Path)),
    responses((status = 200, body = MemberArchivesView), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MemberId>,
) -> Result<Json<MemberArchivesView>, ApiError> {
    Ok(Json(archive::archives_of(&ctx, &actor, id).await?))
}
