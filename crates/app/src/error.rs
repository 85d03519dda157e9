use tuanwu_domain::DomainError;
use tuanwu_store::DbErr;

/// What a use case can answer besides success. `Internal` carries the cause for the log only;
/// clients see a generic message.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Domain(DomainError),
    #[error("{message}")]
    Unauthorized {
        code: &'static str,
        message: String,
        rule: Option<&'static str>,
    },
    #[error("{0}")]
    Forbidden(String),
    #[error("不存在或无权访问")]
    NotFound,
    #[error("{message}")]
    /// A write that clashes with what is stored (a duplicate, a decision already taken, an
    /// older edit). `field` names the input it is about when there is one (a duplicate
    /// resident ID, development number, org name), as a rule error's does.
    Conflict {
        code: &'static str,
        message: String,
        rule: Option<&'static str>,
        field: Option<&'static str>,
    },
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    #[error("内部错误：{0}")]
    Internal(String),
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Domain(e)
    }
}

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl AppError {
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            message: message.into(),
            rule: None,
            field: None,
        }
    }

    /// The input field a conflict is about (see `Conflict`); other answers are unchanged.
    pub fn on_field(mut self, name: &'static str) -> Self {
        if let AppError::Conflict { field, .. } = &mut self {
            *field = Some(name);
        }
        self
    }

    /// Issue 15: the record was written since the form or the client read it; nothing was
    /// saved. Members and orgs answer it alike.
    pub fn stale_edit() -> Self {
        AppError::conflict("stale_edit", "该记录已被他人修改：请刷新后重新填写")
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// One refusal inside an answer that lists many results (batch operations): the same code,
/// message, rule and field the API's error body would carry. The cause of an internal error
/// stays in the log.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorItem {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl From<AppError> for ErrorItem {
    fn from(e: AppError) -> Self {
        let (code, message, rule, field) = match e {
            AppError::Domain(d) => (d.code.to_string(), d.message, d.rule, d.field),
            AppError::Conflict {
                code,
                message,
                rule,
                field,
            } => (code.to_string(), message, rule, field),
            AppError::Forbidden(m) => ("forbidden".into(), m, None, None),
            AppError::NotFound => (
                "not_found".into(),
                "所指的团员或记录不存在，或不在您的管理范围内".into(),
                None,
                None,
            ),
            AppError::Unauthorized { code, message, .. } => (code.to_string(), message, None, None),
            AppError::TooManyRequests { message, .. } => {
                ("too_many_requests".into(), message, None, None)
            }
            AppError::Internal(cause) => {
                tracing::error!(%cause, "one item of a batch failed");
                (
                    "internal".into(),
                    "这一条没有办理成功：服务器内部错误，请稍后重试".into(),
                    None,
                    None,
                )
            }
        };
        ErrorItem {
            code,
            message,
            rule: rule.map(str::to_string),
            field: field.map(str::to_string),
        }
    }
}
