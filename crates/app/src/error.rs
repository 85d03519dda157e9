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
    Conflict {
        code: &'static str,
        message: String,
        rule: Option<&'static str>,
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
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }

    /// The code clients see in the error body (for answers that list many results).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Domain(e) => e.code,
            AppError::Unauthorized { code, .. } | AppError::Conflict { code, .. } => code,
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::TooManyRequests { .. } => "too_many_attempts",
            AppError::Internal(_) => "internal",
        }
    }

    /// The Chinese message clients see (the cause of an internal error stays in the log).
    pub fn public_message(&self) -> String {
        match self {
            AppError::NotFound => "不存在或不在您的管理范围内".into(),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                "服务器内部错误，请稍后重试".into()
            }
            other => other.to_string(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
