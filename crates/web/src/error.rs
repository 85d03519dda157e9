//! AppError → HTTP status and `{"error": {"code", "message", "rule", "field"}}`.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tuanwu_app::AppError;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code.
    pub code: String,
    /// 中文：错在哪里、怎么办.
    pub message: String,
    /// The SPEC rule, e.g. "MEM-2".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The input field the error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    /// An answer decided by the HTTP layer itself (a request it cannot read, a gate).
    Http {
        status: StatusCode,
        code: &'static str,
        message: String,
        rule: Option<&'static str>,
    },
    /// The HTTP layer's answer about one input field (a query or body value it cannot read).
    Field {
        status: StatusCode,
        code: &'static str,
        message: String,
        field: Option<String>,
    },
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

fn body(
    status: StatusCode,
    code: &str,
    message: String,
    rule: Option<&str>,
    field: Option<&str>,
) -> Response {
    let detail = ErrorDetail {
        code: code.into(),
        message,
        rule: rule.map(Into::into),
        field: field.map(Into::into),
    };
    (status, axum::Json(ErrorBody { error: detail })).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = match self {
            ApiError::Http {
                status,
                code,
                message,
                rule,
            } => return body(status, code, message, rule, None),
            ApiError::Field {
                status,
                code,
                message,
                field,
            } => return body(status, code, message, None, field.as_deref()),
            ApiError::App(e) => e,
        };
        match e {
            AppError::Domain(e) => body(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.code,
                e.message,
                e.rule,
                e.field,
            ),
            AppError::Unauthorized {
                code,
                message,
                rule,
            } => body(StatusCode::UNAUTHORIZED, code, message, rule, None),
            AppError::Forbidden(message) => {
                body(StatusCode::FORBIDDEN, "forbidden", message, None, None)
            }
            AppError::NotFound => body(
                StatusCode::NOT_FOUND,
                "not_found",
                "不存在或无权访问：请检查地址，或确认该记录在您的管理范围内".into(),
                None,
                None,
            ),
            AppError::Conflict {
                code,
                message,
                rule,
                field,
            } => body(StatusCode::CONFLICT, code, message, rule, field),
            AppError::TooManyRequests {
                message,
                retry_after_secs,
            } => {
                let mut r = body(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    message,
                    Some("ACC-7"),
                    None,
                );
                if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                r
            }
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                internal()
            }
        }
    }
}

fn internal() -> Response {
    body(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "服务器内部错误，您的操作没有生效：请稍后再试；如一直出现，请联系系统管理员".into(),
        None,
        None,
    )
}

impl From<JsonRejection> for ApiError {
    /// 400: the body could not be read into the shape the route expects. (422 is kept for
    /// well-formed input that breaks a rule.)
    fn from(r: JsonRejection) -> Self {
        match &r {
            JsonRejection::JsonDataError(e) => {
                let (field, what) = serde_in_chinese(&e.body_text());
                bad_request_on(
                    "invalid_fields",
                    format!("请求字段缺失或类型不对：{what}。请对照接口文档填写"),
                    field,
                )
            }
            JsonRejection::JsonSyntaxError(_) => bad_request(
                "malformed_json",
                "请求内容不是有效的 JSON：请检查括号、引号和逗号".into(),
            ),
            JsonRejection::MissingJsonContentType(_) => bad_request(
                "missing_content_type",
                "请求须带 Content-Type: application/json 头".into(),
            ),
            _ if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::Http {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: "payload_too_large",
                message: "请求内容过大（上限2MB）：请减少内容后重试".into(),
                rule: None,
            },
            _ => bad_request("bad_request", "无法读取请求内容：请检查后重试".into()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        let (field, what) = serde_in_chinese(&r.body_text());
        bad_request_on("invalid_query", format!("查询参数不正确：{what}"), field)
    }
}

/// serde's English rejection (`Failed to deserialize …: per_page: invalid digit found in
/// string at line 1 column 5`) as the field it is about and what is wrong, in Chinese.
fn serde_in_chinese(text: &str) -> (Option<String>, String) {
    let detail = text.split_once(": ").map_or(text, |(_, rest)| rest);
    let detail = detail
        .rsplit_once(" at line ")
        .map_or(detail, |(before, _)| before);
    let (field, problem) = match detail.split_once(": ") {
        Some((path, problem)) if !path.contains(' ') => (Some(path.to_string()), problem),
        _ => (None, detail),
    };
    let missing = problem
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'));
    if let Some(name) = missing {
        return (Some(name.to_string()), format!("缺少字段“{name}”"));
    }
    let what = if problem.contains("invalid digit") || problem.contains("expected i64") {
        "须为整数"
    } else if problem.contains("expected a boolean")
        || problem.contains("provided string was not `true` or `false`")
    {
        "须为 true 或 false"
    } else if problem.contains("expected a string") {
        "须为文字"
    } else if problem.contains("expected a sequence") {
        "须为数组"
    } else if problem.contains("too large") {
        "数值超出范围"
    } else if problem.contains("unknown variant") {
        "不是可选的值之一"
    } else if problem.contains("invalid type: null") {
        "不能为空"
    } else if problem.contains("invalid type") {
        "类型不对"
    } else {
        "格式不对"
    };
    let text = match &field {
        Some(f) => format!("“{f}”{what}"),
        None => what.to_string(),
    };
    (field, text)
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        ApiError::App(AppError::NotFound)
    }
}

/// A 400 that names the field it is about.
fn bad_request_on(code: &'static str, message: String, field: Option<String>) -> ApiError {
    ApiError::Field {
        status: StatusCode::BAD_REQUEST,
        code,
        message,
        field,
    }
}

pub(crate) fn bad_request(code: &'static str, message: String) -> ApiError {
    ApiError::Http {
        status: StatusCode::BAD_REQUEST,
        code,
        message,
        rule: None,
    }
}

/// An address nothing answers: JSON under /api/, the HTML page everywhere else (a browser
/// shows the page, not raw JSON).
pub async fn not_found(uri: Uri) -> Response {
    if is_api(&uri) {
        ApiError::App(AppError::NotFound).into_response()
    } else {
        crate::pages::shell::PageError::App(AppError::NotFound).into_response()
    }
}

/// A known address asked with a method it does not take.
pub async fn method_not_allowed(uri: Uri) -> Response {
    if is_api(&uri) {
        ApiError::Http {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "method_not_allowed",
            message: "该地址不支持这种请求方式：请对照接口文档使用正确的方法（GET、POST、PATCH…）"
                .into(),
            rule: None,
        }
        .into_response()
    } else {
        crate::pages::shell::PageError::MethodNotAllowed.into_response()
    }
}

fn is_api(uri: &Uri) -> bool {
    uri.path().starts_with("/api/")
}

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    internal()
}

impl From<axum::extract::multipart::MultipartRejection> for ApiError {
    fn from(_: axum::extract::multipart::MultipartRejection) -> Self {
        ApiError::App(AppError::Domain(
            tuanwu_domain::DomainError::new(
                "file_unreadable",
                "没有读到上传的文件：请用 multipart/form-data 格式、在 file 字段上传文件",
            )
            .field("file"),
        ))
    }
}
