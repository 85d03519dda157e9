//! What every page shares: the logged-in actor, the header bar, CSRF, and error pages.

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tuanwu_app::account::{self, RoleView};
use tuanwu_app::actor::RoleKind;
use tuanwu_app::{Actor, AppError, Context};

use crate::extract::token;

pub struct RoleOption {
    pub id: i64,
    pub label: String,
    pub active: bool,
}

pub struct UserBar {
    pub name: String,
    pub role_label: String,
    pub org_name: String,
    pub org_id: i64,
    pub member_id: Option<i64>,
    pub is_admin: bool,
    pub roles: Vec<RoleOption>,
    pub csrf: String,
}

pub struct Shell {
    pub title: String,
    pub section: &'static str,
    pub user: Option<UserBar>,
    pub notice: Option<String>,
}

impl Shell {
    pub fn anonymous(title: &str) -> Self {
        Self {
            title: title.into(),
            section: "",
            user: None,
            notice: None,
        }
    }

    /// The session's CSRF token for a page's forms (empty when logged out).
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.csrf.as_str())
    }
}

/// The CSRF token of a session: a keyed MAC of its id, so nothing extra is stored.
pub fn csrf_token(ctx: &Context, actor: &Actor) -> String {
    hex::encode(
        ctx.cipher
            .blind_index(&format!("csrf:{}", actor.session_id())),
    )
}

/// A logged-in actor on a page, with what the header needs.
pub struct PageActor {
    pub actor: Actor,
    pub roles: Vec<RoleView>,
    pub active: RoleView,
    pub csrf: String,
}

impl PageActor {
    pub fn shell(&self, title: impl Into<String>, section: &'static str) -> Shell {
        Shell {
            title: title.into(),
            section,
            notice: None,
            user: Some(UserBar {
                name: self.actor.name().to_string(),
                role_label: self.active.role_label.clone(),
                org_name: self.active.org_name.clone(),
                org_id: self.active.org_id,
                member_id: self.actor.member_id().map(|m| m.0),
                is_admin: self.actor.role_kind() == RoleKind::Admin,
                roles: self
                    .roles
                    .iter()
                    .map(|r| RoleOption {
                        id: r.id,
                        label: format!("{}（{}）", r.role_label, r.org_name),
                        active: r.id == self.active.id,
                    })
                    .collect(),
                csrf: self.csrf.clone(),
            }),
        }
    }

    /// Compares a submitted CSRF token in constant time (no early exit on the first difference).
    pub fn csrf_matches(&self, submitted: Option<&str>) -> bool {
        let Some(submitted) = submitted else {
            return false;
        };
        let (a, b) = (submitted.as_bytes(), self.csrf.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    pub fn is_admin(&self) -> bool {
        self.actor.role_kind() == RoleKind::Admin
    }
}

impl FromRequestParts<Context> for PageActor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Context) -> Result<Self, PageError> {
        // A page asked for while logged out is where the login returns to (a form's target is
        // not a page to return to).
        let next = (parts.method == axum::http::Method::GET)
            .then(|| parts.uri.path_and_query().map(|p| p.as_str().to_string()))
            .flatten();
        let Some(token) = token(parts) else {
            return Err(PageError::Login {
                expired: false,
                next,
            });
        };
        let actor = account::authenticate(ctx, &token)
            .await
            .map_err(|e| match e {
                AppError::Unauthorized { .. } => PageError::Login {
                    expired: true,
                    next: next.clone(),
                },
                other => PageError::App(other),
            })?;
        if actor.must_change_password()
            && parts.uri.path() != "/password"
            && parts.uri.path() != "/logout"
        {
            return Err(PageError::Redirect("/password".into()));
        }
        let me = account::me(ctx, &actor).await.map_err(PageError::App)?;
        Ok(PageActor {
            csrf: csrf_token(ctx, &actor),
            actor,
            roles: me.roles,
            active: me.active_role,
        })
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A posted form whose CSRF token matched the session's.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Context> for Form<(PageActor, T)> {
    type Rejection = PageError;

    async fn from_request(req: Request, ctx: &Context) -> Result<Self, PageError> {
        let (mut parts, body) = req.into_parts();
        let page = PageActor::from_request_parts(&mut parts, ctx).await?;
        let bytes = axum::body::to_bytes(body, 2 * 1024 * 1024)
            .await
            .map_err(|_| PageError::BadForm)?;
        let CsrfField { csrf } =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::BadForm)?;
        if !page.csrf_matches(Some(&csrf)) {
            return Err(PageError::Csrf);
        }
        let value = serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::BadForm)?;
        Ok(Form((page, value)))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    shell: Shell,
    heading: String,
    message: String,
}

#[derive(Debug)]
pub enum PageError {
    Login {
        expired: bool,
        /// The page to return to after logging in.
        next: Option<String>,
    },
    Redirect(String),
    App(AppError),
    Csrf,
    BadForm,
    /// A page address asked with a method it does not take (a bookmarked form target).
    MethodNotAllowed,
    /// The request head is too large (stale cookies piled up): `header_limit`.
    HeadersTooLarge,
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::App(e)
    }
}

pub fn render(t: impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(e) => {
            tracing::error!(%e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "页面生成失败，请稍后再试",
            )
                .into_response()
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            PageError::Login { expired, next } => {
                let mut pairs: Vec<(&str, String)> = Vec::new();
                if expired {
                    pairs.push(("expired", "1".into()));
                }
                if let Some(next) = next.filter(|n| n != "/") {
                    pairs.push(("next", next));
                }
                let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
                let to = if query.is_empty() {
                    "/login".to_string()
                } else {
                    format!("/login?{query}")
                };
                return Redirect::to(&to).into_response();
            }
            PageError::Redirect(to) => return Redirect::to(&to).into_response(),
            PageError::Csrf => (
                StatusCode::FORBIDDEN,
                "页面已失效",
                "表单已过期或来源不明：请返回上一页刷新后重新提交".to_string(),
            ),
            PageError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "无法打开此页面",
                "这个地址只接受表单提交：请从菜单进入相应页面后再操作".to_string(),
            ),
            PageError::HeadersTooLarge => (
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "请求过大",
                "浏览器发送的 Cookie 过多或过大：请清除本站的 Cookie 后重新登录".to_string(),
            ),
            PageError::BadForm => (
                StatusCode::BAD_REQUEST,
                "无法读取表单",
                "表单内容不完整：请返回重新填写".to_string(),
            ),
            PageError::App(AppError::NotFound) => (
                StatusCode::NOT_FOUND,
                "不存在或无权访问",
                "您要找的记录不存在或无权访问：请检查地址，或确认它在您的管理范围内".to_string(),
            ),
            PageError::App(AppError::Forbidden(m)) => (StatusCode::FORBIDDEN, "无权操作", m),
            PageError::App(AppError::Unauthorized { .. }) => {
                return Redirect::to("/login?expired=1").into_response()
            }
            PageError::App(AppError::Internal(cause)) => {
                tracing::error!(%cause, "internal error on a page");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误",
                    "您的操作没有生效：请稍后再试；如一直出现，请联系系统管理员".to_string(),
                )
            }
            PageError::App(other) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "无法完成操作",
                said(other),
            ),
        };
        render(
            ErrorPage {
                shell: Shell::anonymous(heading),
                heading: heading.into(),
                message,
            },
            status,
        )
    }
}

/// What an error says to an officer: its message without the SPEC rule id, which the API keeps
/// in `rule` (issue 15 item 8).
pub fn said(e: AppError) -> String {
    match e {
        AppError::Domain(d) => d.message,
        other => other.to_string(),
    }
}

/// Field errors of a failed form: the field's message, or a message for the whole form.
#[derive(Default)]
pub struct FormErrors {
    pub fields: Vec<(String, String)>,
    pub general: Option<String>,
}

impl FormErrors {
    /// Splits an `AppError` from a form submission into what the form shows; errors that are
    /// not about the input become the page's error.
    pub fn from_app(e: AppError) -> Result<Self, PageError> {
        let mut out = FormErrors::default();
        match e {
            AppError::Domain(d) => match d.field {
                Some(f) => out.fields.push((f.into(), d.message)),
                None => out.general = Some(d.message),
            },
            AppError::Conflict {
                field: Some(f),
                message,
                ..
            } => out.fields.push((f.into(), message)),
            AppError::Conflict { message, .. } => out.general = Some(message),
            other => return Err(PageError::App(other)),
        }
        Ok(out)
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn any(&self) -> bool {
        !self.fields.is_empty() || self.general.is_some()
    }

    /// 422 for a form shown again with its errors, 200 for a fresh one.
    pub fn status(&self) -> StatusCode {
        if self.any() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }
}

/// One input of a form, rendered by templates/fields.html: label, value kept after an error,
/// hint, and the error message next to it.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub input_type: &'static str,
    pub required: bool,
    pub hint: Option<&'static str>,
    pub choices: Option<Vec<(String, String)>>,
    pub error: Option<String>,
    /// Shown and sent as it is, not editable here (the page says where it is changed).
    pub readonly: bool,
}

impl Field {
    pub fn text(name: &'static str, label: &'static str, value: &str) -> Self {
        Self {
            name,
            label,
            value: value.to_string(),
            input_type: "text",
            required: false,
            hint: None,
            choices: None,
            error: None,
            readonly: false,
        }
    }

    pub fn read_only(mut self, readonly: bool) -> Self {
        self.readonly = readonly;
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn kind(mut self, input_type: &'static str) -> Self {
        self.input_type = input_type;
        self
    }

    /// A select; `blank` adds an empty first option with that label.
    pub fn choices<'a>(
        mut self,
        blank: Option<&str>,
        choices: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut all: Vec<(String, String)> = blank
            .map(|b| (String::new(), b.to_string()))
            .into_iter()
            .collect();
        all.extend(
            choices
                .into_iter()
                .map(|(v, l)| (v.to_string(), l.to_string())),
        );
        self.choices = Some(all);
        self
    }

    /// Attaches the form's error for this field, if any.
    pub fn with_errors(mut self, errors: &FormErrors) -> Self {
        self.error = errors.get(self.name).map(str::to_string);
        self
    }
}

/// A posted form field as the optional input of a use case (blank clears, as the app expects).
pub fn opt(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// A form that carries nothing but its CSRF token.
#[derive(Deserialize)]
pub struct Empty {}

/// A multipart page form (one that carries a file): its text fields and the file posted in the
/// part named `file` (none when the input was left empty), read only after its CSRF token checks.
pub struct UploadForm {
    pub values: std::collections::HashMap<String, String>,
    pub file: Option<(String, Vec<u8>)>,
}

impl UploadForm {
    pub async fn read(
        page: &PageActor,
        form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    ) -> Result<UploadForm, PageError> {
        let mut form = form.map_err(|_| PageError::BadForm)?;
        let mut values = std::collections::HashMap::new();
        let mut file = None;
        while let Some(field) = form.next_field().await.map_err(|_| PageError::BadForm)? {
            let name = field.name().unwrap_or_default().to_string();
            if name == "file" {
                let file_name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(|_| PageError::BadForm)?;
                if !bytes.is_empty() {
                    file = Some((file_name, bytes.to_vec()));
                }
            } else {
                values.insert(name, field.text().await.map_err(|_| PageError::BadForm)?);
            }
        }
        if !page.csrf_matches(values.get("csrf").map(String::as_str)) {
            return Err(PageError::Csrf);
        }
        Ok(UploadForm { values, file })
    }
}

/// `?saved=…` after a form's redirect: which confirmation the page shows.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    pub saved: String,
}

impl SavedQuery {
    /// The page's message for the key; a key it does not know reads as a plain 已保存.
    pub fn notice(&self, messages: &[(&str, &str)]) -> Option<String> {
        if self.saved.is_empty() {
            return None;
        }
        Some(
            messages
                .iter()
                .find(|(k, _)| *k == self.saved)
                .map(|(_, m)| m.to_string())
                .unwrap_or_else(|| "已保存。".into()),
        )
    }
}
