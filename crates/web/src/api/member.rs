use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tuanwu_app::member::{
    self as uc, CreateMemberInput, ListQuery, MemberSummary, MemberView, SetPasswordInput,
    UpdateMemberInput,
};
use tuanwu_app::{Context, Page};
use tuanwu_domain::{DomainError, MemberId, OrgId};
use utoipa::IntoParams;

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};

/// Enter a member into a branch (MEM-1, MEM-2, MEM-4).
#[utoipa::path(post, path = "/api/v1/members", tag = "members", request_body = CreateMemberInput,
    responses((status = 201, body = MemberView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<CreateMemberInput>,
) -> Result<(StatusCode, Json<MemberView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::create(&ctx, &actor, input).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Name (part of it), full resident ID, or student number.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Global search within the caller's scope (MEM-8); personal numbers masked.
#[utoipa::path(get, path = "/api/v1/members", tag = "members", params(SearchQuery),
    responses((status = 200, body = ListView<MemberSummary>), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<ListView<MemberSummary>>, ApiError> {
    let (items, total) = uc::search(
        &ctx,
        &actor,
        q.q.as_deref().unwrap_or(""),
        Page::new(q.page, q.per_page),
    )
    .await?;
    Ok(Json(ListView::new(items, total)))
}

/// The record's version as an entity tag (issue 15 item 2).
fn etag(m: &MemberView) -> [(header::HeaderName, String); 1] {
    [(header::ETAG, format!("\"{}\"", m.version))]
}

/// `If-Match: "<version>"` (a weak `W/` prefix is accepted): the version an edit was made from.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    v.to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::from(tuanwu_app::AppError::from(
                DomainError::new(
                    "invalid_if_match",
                    "If-Match 应为读取团员时 ETag 给出的版本号（如 \"3\"）：请重新读取该团员后再提交",
                )
                .field("If-Match"),
            ))
        })
}

/// A member's page: full resident ID and phone for admins in scope (SYS-5).
///
/// The `ETag` is the record's version: send it back as `If-Match` with an edit.
#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = MemberView, headers(("ETag" = String, description = "The record's version, quoted: send it back as If-Match with an edit"))), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let m = uc::get(&ctx, &actor, MemberId(id)).await?;
    Ok((etag(&m), Json(m)).into_response())
}

/// Edit a member (ACC-9: never name and resident ID in one edit; locked once verified).
///
/// With `If-Match: "<version>"` (or `version` in the body) an edit made from an older version
/// is refused with 409 `stale_edit` and changes nothing; without either it is applied as is.
#[utoipa::path(patch, path = "/api/v1/members/{id}", tag = "members",
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "The ETag of the version the edit was made from")),
    request_body = UpdateMemberInput,
    responses((status = 200, body = MemberView, headers(("ETag" = String, description = "The record's new version, quoted"))), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(mut input): ApiJson<UpdateMemberInput>,
) -> Result<Response, ApiError> {
    if let Some(v) = if_match(&headers)? {
        input.version = Some(v);
    }
    let m = uc::update(&ctx, &actor, MemberId(id), input).await?;
    Ok((etag(&m), Json(m)).into_response())
}

/// Set a member's password (Q29); they must change it at the next login.
#[utoipa::path(post, path = "/api/v1/members/{id}/password", tag = "members", params(("id" = i64, Path)), request_body = SetPasswordInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_password(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SetPasswordInput>,
) -> Result<StatusCode, ApiError> {
    uc::set_password(&ctx, &actor, MemberId(id), input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `ListView` over a borrowed page.
#[derive(serde::Serialize)]
struct BorrowedList<'a> {
    items: &'a [MemberSummary],
    total: u64,
}

/// Members of an org (`subtree=true`: of every org below it), paged and sorted; masked.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/members", tag = "members", params(("id" = i64, Path), ListQuery),
    responses((status = 200, body = ListView<MemberSummary>), (status = 404, body = ErrorBody)))]
pub async fn list_in_org(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let page = uc::list(&ctx, &actor, OrgId(id), q).await?;
    // Serialised once per cached page: the same bytes serve every request until data changes.
    let body = page.rendered(|p| {
        // Plain structs with string keys: serialising cannot fail.
        serde_json::to_vec(&BorrowedList {
            items: &p.items,
            total: p.total,
        })
        .unwrap_or_default()
    });
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Bytes::copy_from_slice(body),
    )
        .into_response())
}
