use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use tuanwu_app::account::{
    self, ChangePasswordInput, LoginInput, LoginView, MeView, SwitchRoleInput,
};
use tuanwu_app::Context;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, Auth, ClientAddr, SESSION_COOKIE};

fn cookie(value: &str, max_age: Option<i64>) -> HeaderMap {
    let age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{age}"
    )) {
        h.insert(header::SET_COOKIE, v);
    }
    h
}

/// Log in by resident ID, student number or login name (ACC-7).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", security(()), request_body = LoginInput,
    responses((status = 200, body = LoginView), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(ctx): State<Context>,
    ClientAddr(addr): ClientAddr,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<impl IntoResponse, ApiError> {
    let view = account::login(&ctx, input, &addr).await?;
    let headers = cookie(&view.token, Some(ctx.session_absolute.whole_seconds()));
    Ok((headers, Json(view)))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(
    State(ctx): State<Context>,
    Auth(actor): Auth,
) -> Result<impl IntoResponse, ApiError> {
    account::logout(&ctx, &actor).await?;
    Ok((StatusCode::NO_CONTENT, cookie("", Some(0))))
}

/// The account, its roles and the active role (ACC-3).
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = MeView), (status = 401, body = ErrorBody)))]
pub async fn me(State(ctx): State<Context>, Auth(actor): Auth) -> Result<Json<MeView>, ApiError> {
    Ok(Json(account::me(&ctx, &actor).await?))
}

#[utoipa::path(post, path = "/api/v1/me/active-role", tag = "auth", request_body = SwitchRoleInput,
    responses((status = 200, body = MeView), (status = 404, body = ErrorBody)))]
pub async fn switch_role(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<SwitchRoleInput>,
) -> Result<Json<MeView>, ApiError> {
    Ok(Json(account::switch_role(&ctx, &actor, input).await?))
}

#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = ChangePasswordInput,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn change_password(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<ChangePasswordInput>,
) -> Result<StatusCode, ApiError> {
    account::change_password(&ctx, &actor, input).await?;
    Ok(StatusCode::NO_CONTENT)
}
