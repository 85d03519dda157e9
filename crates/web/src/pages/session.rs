//! Logging in and out, switching the active role, changing one's password.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::account::{self, ChangePasswordInput, LoginInput, SwitchRoleInput};
use tuanwu_app::Context;

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::Extension;

use super::pre_session::{self, PreSession};
use super::shell::{render, Empty, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::{ClientAddr, SESSION_COOKIE};
use crate::WebSettings;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    shell: Shell,
    login: String,
    error: Option<String>,
    expired: bool,
    csrf: String,
    /// Where to go after logging in (a page asked for while logged out).
    next: String,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    expired: Option<u8>,
    next: Option<String>,
}

/// A page of this site to return to: a path on this origin, never another site.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control)
                && !n.starts_with("/login") =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

pub async fn login_page(
    State(ctx): State<Context>,
    Extension(settings): Extension<Arc<WebSettings>>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let pre = PreSession::for_form(&ctx, &headers);
    let page = render(
        LoginPage {
            shell: Shell::anonymous("登录"),
            login: String::new(),
            error: None,
            expired: q.expired.is_some(),
            csrf: pre.token.clone(),
            next: safe_next(q.next.as_deref()),
        },
        StatusCode::OK,
    );
    pre.apply(page, settings.secure_cookies)
}

fn session_cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

/// Every login makes a new session id (no fixation); the old cookie is simply replaced.
pub async fn login_submit(
    State(ctx): State<Context>,
    Extension(settings): Extension<Arc<WebSettings>>,
    headers: HeaderMap,
    ClientAddr(addr): ClientAddr,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    let login = form.login.clone();
    let next = safe_next(Some(&form.next));
    if !pre_session::matches(&ctx, &headers, &form.csrf) {
        return PageError::Csrf.into_response();
    }
    match account::login(
        &ctx,
        LoginInput {
            login: form.login,
            password: form.password,
        },
        &addr,
    )
    .await
    {
        Ok(view) => {
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(
                    &view.token,
                    ctx.session_absolute.whole_seconds(),
                    settings.secure_cookies,
                ),
            );
            r
        }
        Err(e) => {
            let status = match &e {
                tuanwu_app::AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
                tuanwu_app::AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::UNAUTHORIZED,
            };
            let message = match e {
                tuanwu_app::AppError::Internal(cause) => {
                    tracing::error!(%cause, "login failed");
                    "服务器内部错误：请稍后再试".to_string()
                }
                other => super::shell::said(other),
            };
            let pre = PreSession::for_form(&ctx, &headers);
            let page = render(
                LoginPage {
                    shell: Shell::anonymous("登录"),
                    login,
                    error: Some(message),
                    expired: false,
                    csrf: pre.token.clone(),
                    next,
                },
                status,
            );
            pre.apply(page, settings.secure_cookies)
        }
    }
}

pub async fn logout(
    State(ctx): State<Context>,
    Extension(settings): Extension<Arc<WebSettings>>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    account::logout(&ctx, &page.actor).await?;
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie("", 0, settings.secure_cookies),
    );
    Ok(r)
}

#[derive(Deserialize)]
pub struct RoleForm {
    role_id: i64,
}

pub async fn switch_role(
    State(ctx): State<Context>,
    Form((page, form)): Form<(PageActor, RoleForm)>,
) -> Result<Redirect, PageError> {
    account::switch_role(
        &ctx,
        &page.actor,
        SwitchRoleInput {
            role_id: form.role_id,
        },
    )
    .await?;
    Ok(Redirect::to("/"))
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    shell: Shell,
    required: bool,
    errors: FormErrors,
}

pub async fn password_page(page: PageActor) -> Response {
    let required = page.actor.must_change_password();
    render(
        PasswordPage {
            shell: page.shell("修改密码", "password"),
            required,
            errors: FormErrors::default(),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    old_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

pub async fn password_submit(
    State(ctx): State<Context>,
    Form((page, form)): Form<(PageActor, PasswordForm)>,
) -> Result<Response, PageError> {
    let errors = if form.new_password != form.new_password_again {
        FormErrors {
            fields: vec![(
                "new_password_again".into(),
                "两次输入的新密码不一致：请重新输入".into(),
            )],
            general: None,
        }
    } else {
        let input = ChangePasswordInput {
            old_password: form.old_password,
            new_password: form.new_password,
        };
        match account::change_password(&ctx, &page.actor, input).await {
            Ok(()) => return Ok(Redirect::to("/?notice=password").into_response()),
            Err(e) => FormErrors::from_app(e)?,
        }
    };
    let required = page.actor.must_change_password();
    Ok(render(
        PasswordPage {
            shell: page.shell("修改密码", "password"),
            required,
            errors,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}
