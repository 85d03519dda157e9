//! MTG-1, MTG-2: a branch's meeting records, the subtree's quarterly compliance and the targets
//! (the register and compliance sheets are org reports: `meetings.xlsx`,
//! `meeting-compliance.xlsx`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use tuanwu_app::meeting::{
    self as uc, ComplianceQuery, ComplianceView, ListMeetingsQuery, MeetingInput, MeetingPatch,
    MeetingView, TargetsInput, TargetsView,
};
use tuanwu_app::Context;
use tuanwu_domain::{MeetingId, OrgId};
use utoipa::ToSchema;

use super::ListView;
use crate::error::{bad_request, ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};

/// Record a held meeting of a branch (MTG-1): attendees from the roster at its date, absentees
/// with a reason each; 应到/实到/缺席 and `quorate` are derived.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/meetings", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingInput,
    responses((status = 201, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiJson(input): ApiJson<MeetingInput>,
) -> Result<(StatusCode, Json<MeetingView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::create(&ctx, &actor, id, input).await?),
    ))
}

/// An org's records (its subtree's with `subtree=true`), newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings", tag = "meetings", params(("id" = i64, Path), ListMeetingsQuery),
    responses((status = 200, body = ListView<MeetingView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiQuery(q): ApiQuery<ListMeetingsQuery>,
) -> Result<Json<ListView<MeetingView>>, ApiError> {
    let (items, total) = uc::list(&ctx, &actor, id, q).await?;
    Ok(Json(ListView::new(items, total)))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MeetingId>,
) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(uc::get(&ctx, &actor, id).await?))
}

/// Correct a record (MTG-2); the fields given replace the record's and every check is made again.
#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingPatch,
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MeetingId>,
    ApiJson(input): ApiJson<MeetingPatch>,
) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(uc::edit(&ctx, &actor, id, input).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DeleteMeetingInput {
    /// Why it is deleted (shown in the record's history).
    pub reason: Option<String>,
}

/// Delete a record entered by mistake (MTG-2): soft, audited, restorable by the level above.
/// The body is optional.
#[utoipa::path(delete, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = DeleteMeetingInput,
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MeetingId>,
    body: Bytes,
) -> Result<Json<MeetingView>, ApiError> {
    let input: DeleteMeetingInput = if body.iter().all(u8::is_ascii_whitespace) {
        DeleteMeetingInput::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| bad_request("invalid_json", format!("请求内容不是有效的 JSON：{e}")))?
    };
    Ok(Json(uc::delete(&ctx, &actor, id, input.reason).await?))
}

/// Restore a deleted record (MTG-2): an admin of the level above the branch.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/restore", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn restore(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<MeetingId>,
) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(uc::restore(&ctx, &actor, id).await?))
}

/// The subtree's branches behind target in a quarter, with counts per kind (default: now).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meeting-compliance", tag = "meetings", params(("id" = i64, Path), ComplianceQuery),
    responses((status = 200, body = ComplianceView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compliance(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiQuery(q): ApiQuery<ComplianceQuery>,
) -> Result<Json<ComplianceView>, ApiError> {
    Ok(Json(uc::compliance(&ctx, &actor, id, q).await?))
}

/// The quarterly targets that apply to the org's subtree (its own, the nearest ancestor's, or
/// the defaults).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meeting-targets", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = TargetsView), (status = 404, body = ErrorBody)))]
pub async fn targets(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
) -> Result<Json<TargetsView>, ApiError> {
    Ok(Json(uc::targets(&ctx, &actor, id).await?))
}

/// Set the org's own targets for its subtree.
#[utoipa::path(put, path = "/api/v1/orgs/{id}/meeting-targets", tag = "meetings", params(("id" = i64, Path)), request_body = TargetsInput,
    responses((status = 200, body = TargetsView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_targets(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiJson(input): ApiJson<TargetsInput>,
) -> Result<Json<TargetsView>, ApiError> {
    Ok(Json(uc::set_targets(&ctx, &actor, id, input).await?))
}
