//! GRP-1: a branch's groups (团小组): create, read, rename or set the leader, delete; add,
//! remove or move one member at a time.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use tuanwu_app::group::{
    self as uc, AddMemberInput, CreateGroupInput, GroupView, GroupsView, MoveInput,
    UpdateGroupInput,
};
use tuanwu_app::Context;
use tuanwu_domain::{GroupId, MemberId, OrgId};

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth};

/// A branch's groups with their members, and the branch's members in no group.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/groups", tag = "groups", params(("id" = i64, Path)),
    responses((status = 200, body = GroupsView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
) -> Result<Json<GroupsView>, ApiError> {
    Ok(Json(uc::of_branch(&ctx, &actor, id).await?))
}

/// Create a group in a branch (a name unique in the branch).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/groups", tag = "groups", params(("id" = i64, Path)), request_body = CreateGroupInput,
    responses((status = 201, body = GroupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<OrgId>,
    ApiJson(input): ApiJson<CreateGroupInput>,
) -> Result<(StatusCode, Json<GroupView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::create(&ctx, &actor, id, input).await?),
    ))
}

/// A group with its members now and everyone who was in it, with dates.
#[utoipa::path(get, path = "/api/v1/groups/{id}", tag = "groups", params(("id" = i64, Path)),
    responses((status = 200, body = GroupView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<GroupId>,
) -> Result<Json<GroupView>, ApiError> {
    Ok(Json(uc::get(&ctx, &actor, id).await?))
}

/// Rename a group and/or set its leader (a member of the group; `null` for none).
#[utoipa::path(patch, path = "/api/v1/groups/{id}", tag = "groups", params(("id" = i64, Path)), request_body = UpdateGroupInput,
    responses((status = 200, body = GroupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<GroupId>,
    ApiJson(input): ApiJson<UpdateGroupInput>,
) -> Result<Json<GroupView>, ApiError> {
    Ok(Json(uc::update(&ctx, &actor, id, input).await?))
}

/// Delete a group: its members leave it today; the history stays.
#[utoipa::path(delete, path = "/api/v1/groups/{id}", tag = "groups", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<GroupId>,
) -> Result<StatusCode, ApiError> {
    uc::delete(&ctx, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a member of the branch who is in no group of it.
#[utoipa::path(post, path = "/api/v1/groups/{id}/members", tag = "groups", params(("id" = i64, Path)), request_body = AddMemberInput,
    responses((status = 200, body = GroupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_member(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<GroupId>,
    ApiJson(input): ApiJson<AddMemberInput>,
) -> Result<Json<GroupView>, ApiError> {
    Ok(Json(uc::add_member(&ctx, &actor, id, input).await?))
}

/// Remove a member from the group (their stay ends today).
#[utoipa::path(delete, path = "/api/v1/groups/{id}/members/{member_id}", tag = "groups",
    params(("id" = i64, Path), ("member_id" = i64, Path)),
    responses((status = 200, body = GroupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn remove_member(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath((id, member)): ApiPath<(GroupId, MemberId)>,
) -> Result<Json<GroupView>, ApiError> {
    Ok(Json(uc::remove_member(&ctx, &actor, id, member).await?))
}

/// Move a member to another group of the same branch in one step; answers the group they are
/// now in.
#[utoipa::path(post, path = "/api/v1/groups/{id}/members/{member_id}/move", tag = "groups",
    params(("id" = i64, Path), ("member_id" = i64, Path)), request_body = MoveInput,
    responses((status = 200, body = GroupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn move_member(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath((id, member)): ApiPath<(GroupId, MemberId)>,
    ApiJson(input): ApiJson<MoveInput>,
) -> Result<Json<GroupView>, ApiError> {
    Ok(Json(
        uc::move_member(&ctx, &actor, id, member, input).await?,
    ))
}
