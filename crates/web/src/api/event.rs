//! EVT-2: events and trainings: publish, list, sign up and cancel (members), attendance and the
//! sign-up sheet (organisers).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use tuanwu_app::event::read::EventsQuery;
use tuanwu_app::event::{self as uc, AttendanceInput, EventView, PublishInput, SignupsView};
use tuanwu_app::Context;
use tuanwu_domain::{EventId, OrgId};

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};

/// Publish an event to an org's subtree (audience `all`, `cadres` or `secretaries`).
#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = PublishInput,
    responses((status = 201, body = EventView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn publish(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<PublishInput>,
) -> Result<(StatusCode, Json<EventView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::publish(&ctx, &actor, input).await?),
    ))
}

/// Admins: events published in the org's subtree. Members: events published above their branch
/// for an audience they are in.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventsQuery),
    responses((status = 200, body = ListView<EventView>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> Result<Json<ListView<EventView>>, ApiError> {
    Ok(Json(ListView::all(
        uc::list(&ctx, &actor, q.org_id.map(OrgId)).await?,
    )))
}

/// Sign up, as the member themself, before the deadline while a seat is left.
#[utoipa::path(post, path = "/api/v1/events/{id}/signups", tag = "events", params(("id" = i64, Path)),
    responses((status = 201, body = EventView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sign_up(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<EventId>,
) -> Result<(StatusCode, Json<EventView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::sign_up(&ctx, &actor, id).await?),
    ))
}

/// The organiser's list of sign-ups with attendance.
#[utoipa::path(get, path = "/api/v1/events/{id}/signups", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = SignupsView), (status = 404, body = ErrorBody)))]
pub async fn signups(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<EventId>,
) -> Result<Json<SignupsView>, ApiError> {
    Ok(Json(uc::signups(&ctx, &actor, id).await?))
}

/// Cancel one's own sign-up before the deadline.
#[utoipa::path(delete, path = "/api/v1/events/{id}/signups/me", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = EventView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn cancel(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<EventId>,
) -> Result<Json<EventView>, ApiError> {
    Ok(Json(uc::cancel(&ctx, &actor, id).await?))
}

/// Record attendance: the members listed attended, the other sign-ups did not.
#[utoipa::path(put, path = "/api/v1/events/{id}/attendance", tag = "events", params(("id" = i64, Path)),
    request_body = AttendanceInput,
    responses((status = 200, body = SignupsView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn attendance(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<EventId>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> Result<Json<SignupsView>, ApiError> {
    Ok(Json(uc::record_attendance(&ctx, &actor, id, input).await?))
}

/// The sign-up and attendance list as xlsx.
#[utoipa::path(get, path = "/api/v1/events/{id}/signups.xlsx", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, description = "xlsx"), (status = 404, body = ErrorBody)))]
pub async fn signup_sheet(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<EventId>,
) -> Result<Response, ApiError> {
    let (name, bytes) = uc::signup_sheet(&ctx, &actor, id).await?;
    Ok(super::request::attachment(
        super::import::XLSX,
        &name,
        bytes,
    ))
}
