//! Getting into tuanwu without an account: 管理员注册 with a registration code (ACC-5), 团员注册
//! into a branch found by the directory search (MEM-4, ORG-5), 忘记密码 with a reset code
//! (ACC-6); and, for admins, issuing those codes (shown once, with a copy button).

mod codes;
mod forgot;
mod register_admin;
mod register_member;

pub use codes::{registration_code, registration_code_page, reset_code, reset_code_page};
pub use forgot::{forgot_password_form, forgot_password_submit};
pub use register_admin::{register_admin_form, register_admin_submit};
pub use register_member::{register_member_form, register_member_submit};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use tuanwu_app::org::DirectoryView;
use tuanwu_app::{AppError, Context};

use crate::extract::SESSION_COOKIE;
use crate::pages::shell::{FormErrors, PageError};

/// Splits a failed public form's error into what the form shows. Too many attempts and
/// refusals are shown on the form too (with their own status), so the typed values stay.
fn public_errors(e: AppError) -> Result<(FormErrors, StatusCode), PageError> {
    match e {
        AppError::TooManyRequests { message, .. } => Ok((
            FormErrors {
                fields: Vec::new(),
                general: Some(message),
            },
            StatusCode::TOO_MANY_REQUESTS,
        )),
        AppError::Forbidden(message) => Ok((
            FormErrors {
                fields: Vec::new(),
                general: Some(message),
            },
            StatusCode::FORBIDDEN,
        )),
        other => {
            let errors = FormErrors::from_app(other)?;
            Ok((errors, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

fn field_error(field: &str, message: &str) -> FormErrors {
    FormErrors {
        fields: vec![(field.into(), message.into())],
        general: None,
    }
}

const PASSWORDS_DIFFER: &str = "两次输入的密码不一致：请重新输入";

/// The same cookie as a login sets (pages/session.rs): HttpOnly, SameSite, absolute lifetime.
fn session_cookie(value: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// ORG-5 on the public pages: the province (optional) and a keyword; the provinces for the select.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    province_id: String,
}

pub struct OrgSearch {
    pub q: String,
    pub province_id: String,
    /// (id, name) of every province, for the select.
    pub provinces: Vec<(String, String)>,
    /// None before a search; the matches after one.
    pub results: Option<Vec<DirectoryView>>,
    /// The org chosen in the form (kept after an error).
    pub chosen: String,
}

async fn org_search(
    ctx: &Context,
    q: &str,
    province_id: &str,
    chosen: &str,
    branches_only: bool,
) -> Result<OrgSearch, PageError> {
    let provinces = tuanwu_app::org::directory(ctx, "", None)
        .await?
        .into_iter()
        .filter(|o| o.province_id == Some(o.id))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let province = province_id.trim().parse::<i64>().ok();
    let results = if q.trim().is_empty() && province.is_none() {
        None
    } else {
        let found = tuanwu_app::org::directory(ctx, q, province).await?;
        Some(
            found
                .into_iter()
                .filter(|o| !branches_only || o.is_branch)
                .collect::<Vec<_>>(),
        )
    };
    // A single match is the obvious choice.
    let chosen = match (&results, chosen.is_empty()) {
        (Some(r), true) if r.len() == 1 => r[0].id.to_string(),
        _ => chosen.to_string(),
    };
    Ok(OrgSearch {
        q: q.trim().to_string(),
        province_id: province.map(|p| p.to_string()).unwrap_or_default(),
        provinces,
        results,
        chosen,
    })
}

/// A page showing a secret is neither cached nor kept in history.
fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, max-age=0"),
    );
    r
}
