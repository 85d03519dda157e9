//! Getting into tuanwu: admin registration codes (ACC-5), password reset codes (ACC-6), member
//! self-registration (MEM-4), and the organisation directory those pages search (ORG-5).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use tuanwu_app::account::code::{self, CodeView};
use tuanwu_app::account::register::{self, RegisterAdminInput};
use tuanwu_app::account::reset::{self, ResetPasswordInput};
use tuanwu_app::account::LoginView;
use tuanwu_app::member::register::{self as self_register, RegisterMemberInput, RegistrationView};
use tuanwu_app::org::DirectoryView;
use tuanwu_app::Context;
use tuanwu_domain::{MemberId, OrgId};

use super::org::SearchQuery;
use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, ClientAddr};

/// ACC-5: a 管理员注册码 for one org, issued by an admin of a level above it. Shown once.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/registration-codes", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 201, body = CodeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn registration_code(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<CodeView>), ApiError> {
    let view = code::issue_registration_code(&ctx, &actor, OrgId(id)).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// ACC-5: register as an org's admin with its code; answers like a login.
#[utoipa::path(post, path = "/api/v1/auth/register-admin", tag = "accounts", security(()), request_body = RegisterAdminInput,
    responses((status = 201, body = LoginView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn register_admin(
    State(ctx): State<Context>,
    ClientAddr(addr): ClientAddr,
    ApiJson(input): ApiJson<RegisterAdminInput>,
) -> Result<(StatusCode, Json<LoginView>), ApiError> {
    let view = register::register_admin(&ctx, input, &addr).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// ACC-6: a 重置密码验证码 for one member; a new one invalidates the previous. Shown once.
#[utoipa::path(post, path = "/api/v1/members/{id}/reset-code", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 201, body = CodeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reset_code(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<CodeView>), ApiError> {
    let view = code::issue_reset_code(&ctx, &actor, MemberId(id)).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// ACC-6 "忘记密码": name + resident ID + reset code → a new password; every session ends.
#[utoipa::path(post, path = "/api/v1/auth/reset-password", tag = "accounts", security(()), request_body = ResetPasswordInput,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn reset_password(
    State(ctx): State<Context>,
    ClientAddr(addr): ClientAddr,
    ApiJson(input): ApiJson<ResetPasswordInput>,
) -> Result<StatusCode, ApiError> {
    reset::reset_password(&ctx, input, &addr).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// MEM-4: a person registers themself into a branch; the branch admin approves it as a
/// `member_registration` request.
#[utoipa::path(post, path = "/api/v1/auth/register-member", tag = "accounts", security(()), request_body = RegisterMemberInput,
    responses((status = 201, body = RegistrationView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn register_member(
    State(ctx): State<Context>,
    ClientAddr(addr): ClientAddr,
    ApiJson(input): ApiJson<RegisterMemberInput>,
) -> Result<(StatusCode, Json<RegistrationView>), ApiError> {
    let view = self_register::register_member(&ctx, input, &addr).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// ORG-5 for the registration pages (no login): names and full paths only.
#[utoipa::path(get, path = "/api/v1/auth/orgs", tag = "accounts", security(()), params(SearchQuery),
    responses((status = 200, body = ListView<DirectoryView>)))]
pub async fn directory(
    State(ctx): State<Context>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<ListView<DirectoryView>>, ApiError> {
    let found =
        tuanwu_app::org::directory(&ctx, q.q.as_deref().unwrap_or(""), q.province_id).await?;
    Ok(Json(ListView::all(found)))
}
