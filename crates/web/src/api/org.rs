use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use tuanwu_app::org::{
    self as uc, AddAdminInput, AdminView, CreateOrgInput, DeleteOrgInput, DirectoryView, OrgView,
    UpdateOrgInput,
};
use tuanwu_app::Context;
use tuanwu_domain::{AccountId, OrgId};
use utoipa::IntoParams;

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{etag, ApiJson, ApiPath, ApiQuery, Auth, IfMatch};

/// Create an org under `parent_id` (ORG-1 … ORG-4, ORG-8).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = CreateOrgInput,
    responses((status = 201, body = OrgView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<CreateOrgInput>,
) -> Result<(StatusCode, Json<OrgView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::create(&ctx, &actor, input).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Keyword anywhere in the full name.
    pub q: Option<String>,
    /// The province (level-2 org) to search in.
    pub province_id: Option<i64>,
}

/// ORG-5 directory search: names and full paths, for registration and transfers.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs", params(SearchQuery),
    responses((status = 200, body = ListView<DirectoryView>)))]
pub async fn search(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<ListView<DirectoryView>>, ApiError> {
    let found = uc::search(&ctx, &actor, q.q.as_deref().unwrap_or(""), q.province_id).await?;
    Ok(Json(ListView::all(found)))
}

/// One org; its `ETag` is its version, for `If-Match` on an edit.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = OrgView, headers(("ETag" = String, description = "The org's version, quoted"))),
        (status = 404, body = ErrorBody)))]
pub async fn get(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<impl IntoResponse, ApiError> {
    let view = uc::get(&ctx, &actor, OrgId(id)).await?;
    Ok((etag(view.version), Json(view)))
}

/// Edit an org (ORG-4). With `If-Match: "<version>"` (or a `version` field) a save made from an
/// older reading is refused with 409 `stale_edit` and changes nothing.
#[utoipa::path(patch, path = "/api/v1/orgs/{id}", tag = "orgs",
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "The ETag of the org the edit was made from")),
    request_body = UpdateOrgInput,
    responses((status = 200, body = OrgView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    IfMatch(version): IfMatch,
    ApiJson(mut input): ApiJson<UpdateOrgInput>,
) -> Result<impl IntoResponse, ApiError> {
    input.version = input.version.or(version);
    let view = uc::update(&ctx, &actor, OrgId(id), input).await?;
    Ok((etag(view.version), Json(view)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// The reason, if not given in the JSON body.
    pub reason: Option<String>,
}

/// Soft delete with a reason (ORG-6): blocked while members or child orgs remain.
#[utoipa::path(delete, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path), DeleteQuery),
    request_body(content = DeleteOrgInput, description = "删除原因"),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let mut input: DeleteOrgInput = if body.iter().all(u8::is_ascii_whitespace) {
        DeleteOrgInput::default()
    } else {
        let ApiJson(input) = axum::Json::from_bytes(&body)
            .map(|axum::Json(v)| ApiJson(v))
            .map_err(ApiError::from)?;
        input
    };
    if input.reason.is_none() {
        input.reason = q.reason;
    }
    uc::delete(&ctx, &actor, OrgId(id), input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Restore a deleted org with all its records (ORG-6), by the level above.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/restore", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = OrgView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn restore(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OrgView>, ApiError> {
    Ok(Json(uc::restore(&ctx, &actor, OrgId(id)).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChildrenQuery {
    /// Also list deleted children (to restore them).
    pub include_deleted: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/orgs/{id}/children", tag = "orgs", params(("id" = i64, Path), ChildrenQuery),
    responses((status = 200, body = ListView<OrgView>), (status = 404, body = ErrorBody)))]
pub async fn children(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ChildrenQuery>,
) -> Result<Json<ListView<OrgView>>, ApiError> {
    let items = uc::children(&ctx, &actor, OrgId(id), q.include_deleted.unwrap_or(false)).await?;
    Ok(Json(ListView::all(items)))
}

#[utoipa::path(get, path = "/api/v1/orgs/{id}/admins", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = ListView<AdminView>), (status = 404, body = ErrorBody)))]
pub async fn list_admins(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ListView<AdminView>>, ApiError> {
    Ok(Json(ListView::all(
        uc::list_admins(&ctx, &actor, OrgId(id)).await?,
    )))
}

/// Appoint an admin of the org: a new admin-only account, or a member's own account.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/admins", tag = "orgs", params(("id" = i64, Path)), request_body = AddAdminInput,
    responses((status = 201, body = AdminView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_admin(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AddAdminInput>,
) -> Result<(StatusCode, Json<AdminView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::add_admin(&ctx, &actor, OrgId(id), input).await?),
    ))
}

#[utoipa::path(delete, path = "/api/v1/orgs/{id}/admins/{account_id}", tag = "orgs",
    params(("id" = i64, Path), ("account_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_admin(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath((id, account_id)): ApiPath<(OrgId, AccountId)>,
) -> Result<StatusCode, ApiError> {
    uc::remove_admin(&ctx, &actor, id, account_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
