//! Request extractors whose rejections answer in the API's error format.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use tuanwu_app::{Actor, AppError, Context};

use crate::error::ApiError;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

pub const SESSION_COOKIE: &str = "tuanwu_session";

/// Routes a member may use before replacing a password an admin set (Q29).
const ALLOWED_BEFORE_PASSWORD_CHANGE: [&str; 3] =
    ["/api/v1/me", "/api/v1/me/password", "/api/v1/auth/logout"];

/// The session token: `Authorization: Bearer …` or the session cookie.
pub fn token(parts: &Parts) -> Option<String> {
    if let Some(v) = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(t) = v.strip_prefix("Bearer ") {
            return Some(t.trim().to_string());
        }
    }
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The logged-in actor. Missing or expired sessions answer 401.
pub struct Auth(pub Actor);

impl FromRequestParts<Context> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Context) -> Result<Self, ApiError> {
        let Some(token) = token(parts) else {
            return Err(AppError::Unauthorized {
                code: "not_logged_in",
                message: "未登录：请先登录".into(),
                rule: None,
            }
            .into());
        };
        let actor = tuanwu_app::account::authenticate(ctx, &token).await?;
        if actor.must_change_password()
            && !ALLOWED_BEFORE_PASSWORD_CHANGE.contains(&parts.uri.path())
        {
            return Err(ApiError::Http {
                status: axum::http::StatusCode::FORBIDDEN,
                code: "password_change_required",
                message: "您的密码由管理员设置，请先修改密码后再继续使用".into(),
                rule: Some("ACC-6"),
            });
        }
        Ok(Auth(actor))
    }
}

/// The client's address, for rate limiting.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let settings = crate::settings::WebSettings::of(parts);
        let addr = settings
            .client_address(crate::settings::WebSettings::peer(parts), &parts.headers)
            .map(|a| a.to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientAddr(addr))
    }
}

/// A multipart upload whose rejection (not multipart, bad boundary, too large) answers in the
/// API's error format.
pub struct Upload(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        Ok(Upload(
            axum::extract::Multipart::from_request(req, state).await?,
        ))
    }
}
