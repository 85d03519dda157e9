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

/// The session came from the cookie, which a browser attaches to requests other sites make.
fn by_cookie(parts: &Parts) -> bool {
    !parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "))
}

/// A browser says where a request comes from: `Sec-Fetch-Site: same-origin`, or an `Origin`
/// naming this host. A request that says neither is not trusted with the cookie.
fn same_site(parts: &Parts) -> bool {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return site == "same-origin";
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host),
        _ => false,
    }
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
        if by_cookie(parts) && !parts.method.is_safe() && !same_site(parts) {
            return Err(ApiError::Http {
                status: axum::http::StatusCode::FORBIDDEN,
                code: "cross_site_request",
                message: "跨站请求被拒绝：用浏览器登录状态调用写接口，须从本站页面发出；其他系统请使用 Authorization: Bearer 令牌".into(),
                rule: None,
            });
        }
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

/// `If-Match: "<version>"` (issue 15): the version of the record an edit was made from, as the
/// `ETag` of its GET gave it. `None` when the header is absent or `*` (a save without a version
/// still works); anything else that is not one quoted number answers 400.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(axum::http::header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let text = value.to_str().unwrap_or("").trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        let bare = text.strip_prefix("W/").unwrap_or(text);
        bare.strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .and_then(|v| v.parse::<i64>().ok())
            .map(|v| IfMatch(Some(v)))
            .ok_or_else(|| ApiError::Http {
                status: axum::http::StatusCode::BAD_REQUEST,
                code: "invalid_if_match",
                message: "If-Match 请求头应为记录的版本号，如 \"3\"：请先读取该记录，用响应中的 ETag 重试".into(),
                rule: None,
            })
    }
}

/// The `ETag` of a record at `version`, as `If-Match` expects it back.
pub fn etag(version: i64) -> [(axum::http::HeaderName, String); 1] {
    [(axum::http::header::ETAG, format!("\"{version}\""))]
}
