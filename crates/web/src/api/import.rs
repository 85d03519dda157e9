use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Json};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tuanwu_app::member::import::{self, ImportInput, ImportReport, Mode, Source};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::DomainError;

use super::request::attachment;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, Auth, Upload};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Import files up to 64 MB through the API; larger ones go through `tuanwu import`.
pub fn import_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(64 * 1024 * 1024)
}

/// The fields of an import form (API and page alike).
pub struct ImportForm {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub mode: Option<String>,
    pub override_college: bool,
    pub csrf: Option<String>,
    /// Made up by the import page, which polls `/api/v1/imports/progress/{key}` meanwhile.
    pub progress_key: Option<String>,
}

/// The upload form of `POST /api/v1/imports` (for the document: `read_form` reads the fields).
#[derive(utoipa::ToSchema)]
pub struct ImportUploadForm {
    /// xlsx 或 csv（UTF-8 或 GBK），不超过64MB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// all：全部正确才导入（默认）；valid：只导入正确的行.
    #[schema(value_type = Option<String>, pattern = "^(all|valid)$")]
    pub mode: Option<String>,
    /// 学校管理员导入到其他学院时为 true.
    pub override_college: Option<bool>,
    /// 导入页面自拟的进度键，用 GET /api/v1/imports/progress/{key} 查询进度.
    pub progress_key: Option<String>,
}

pub async fn read_form(mut form: Multipart) -> Result<ImportForm, AppError> {
    let unreadable = || {
        AppError::Domain(DomainError::new("file_unreadable", "没有读到上传的文件（或超过64MB）：请用 multipart/form-data 的 file 字段上传 xlsx 或 csv 文件").field("file"))
    };
    let mut out = ImportForm {
        file_name: String::new(),
        bytes: Vec::new(),
        mode: None,
        override_college: false,
        csrf: None,
        progress_key: None,
    };
    while let Some(field) = form.next_field().await.map_err(|_| unreadable())? {
        match field.name().unwrap_or_default() {
            "file" => {
                out.file_name = field.file_name().unwrap_or("导入文件").to_string();
                // Into, not to_vec: the upload is not copied (up to 64 MB less at the peak).
                out.bytes = field.bytes().await.map_err(|_| unreadable())?.into();
            }
            "mode" => out.mode = Some(field.text().await.map_err(|_| unreadable())?),
            "override_college" => {
                out.override_college = matches!(
                    field.text().await.map_err(|_| unreadable())?.as_str(),
                    "true" | "1" | "on"
                )
            }
            "csrf" => out.csrf = Some(field.text().await.map_err(|_| unreadable())?),
            "progress_key" => {
                let key = field.text().await.map_err(|_| unreadable())?;
                if !key.is_empty() {
                    out.progress_key = Some(import::parse_key(&key)?);
                }
            }
            _ => {}
        }
    }
    if out.bytes.is_empty() {
        return Err(unreadable());
    }
    Ok(out)
}

/// Bounds the imports of uploaded files (`[import]` settings): at most `max_concurrent` run at
/// once, each for at most `time_limit_secs`. The permit is taken after the upload is read, so a
/// slow client cannot hold a place while it sends.
pub struct ImportGate {
    permits: Arc<Semaphore>,
    time_limit: Duration,
}

/// How long an upload waits for a running import to end before it is told to retry.
const BUSY_WAIT: Duration = Duration::from_secs(3);

/// The answer to an upload that found every place taken.
pub const BUSY: &str = "当前导入任务较多，请稍后再试";

impl ImportGate {
    pub fn new(s: &crate::ImportSettings) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(s.max_concurrent)),
            time_limit: Duration::from_secs(s.time_limit_secs),
        }
    }

    /// A place among the running imports, or `None` when none came free in time.
    pub async fn admit(&self) -> Option<OwnedSemaphorePermit> {
        tokio::time::timeout(BUSY_WAIT, self.permits.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
    }
}

/// 429 `busy`.
pub fn busy() -> ApiError {
    ApiError::Http {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: "busy",
        message: BUSY.into(),
        rule: None,
    }
}

/// Runs an admitted upload's import within the gate's time limit.
pub async fn run(
    ctx: &Context,
    actor: &tuanwu_app::Actor,
    gate: &ImportGate,
    form: ImportForm,
) -> Result<ImportReport, AppError> {
    let mode = Mode::parse(form.mode.as_deref())?;
    let input = ImportInput {
        file_name: form.file_name,
        mode,
        override_college: form.override_college,
        progress_key: form.progress_key,
        time_limit: Some(gate.time_limit),
    };
    import::import(
        ctx,
        actor,
        Source::Bytes(Arc::new(form.bytes)),
        input,
        &|_| {},
    )
    .await
}

/// Import members from an xlsx or csv (field `file`; `mode` = `all` (default) | `valid`;
/// `override_college` for school admins). Answers the row-by-row report.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports",
    request_body(content = ImportUploadForm, content_type = "multipart/form-data", description = "file：xlsx 或 csv；mode：all（全部正确才导入，默认）或 valid（只导入正确的行）；override_college：true/false"),
    responses((status = 200, body = ImportReport), (status = 422, body = ErrorBody),
        (status = 429, description = "busy：当前导入任务较多，请稍后再试", body = ErrorBody)))]
pub async fn create(
    State(ctx): State<Context>,
    Extension(gate): Extension<Arc<ImportGate>>,
    Auth(actor): Auth,
    Upload(form): Upload,
) -> Result<Json<ImportReport>, ApiError> {
    let form = read_form(form).await?;
    let _running = gate.admit().await.ok_or_else(busy)?;
    Ok(Json(run(&ctx, &actor, &gate, form).await?))
}

/// The import template (xlsx with the column names and an example row).
#[utoipa::path(get, path = "/api/v1/imports/template.xlsx", tag = "imports", responses((status = 200, description = "xlsx")))]
pub async fn template(Auth(_actor): Auth) -> Result<Response, ApiError> {
    Ok(attachment(XLSX, "团员导入模板.xlsx", import::template()?))
}

/// How far the caller's running import has got (`progress_key` of its upload); 404 once it
/// has ended.
#[utoipa::path(get, path = "/api/v1/imports/progress/{key}", tag = "imports", params(("key" = String, Path)),
    responses((status = 200, body = ImportProgressView), (status = 404, body = ErrorBody)))]
pub async fn progress(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<ImportProgressView>, ApiError> {
    let p = ctx.imports.get(&actor, &key)?;
    Ok(Json(ImportProgressView {
        rows: p.rows,
        bytes: p.bytes,
        total_bytes: p.total_bytes,
        fraction: p.fraction(),
    }))
}

/// Rows checked so far and how much of the file is read (`fraction`, 0…1).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ImportProgressView {
    pub rows: u64,
    pub bytes: u64,
    pub total_bytes: u64,
    pub fraction: f64,
}

#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "imports", params(("id" = i64, Path)),
    responses((status = 200, body = ImportReport), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ImportReport>, ApiError> {
    Ok(Json(import::get(&ctx, &actor, id).await?))
}

/// The row-by-row report as xlsx.
#[utoipa::path(get, path = "/api/v1/imports/{id}/report.xlsx", tag = "imports", params(("id" = i64, Path)),
    responses((status = 200, description = "xlsx"), (status = 404, body = ErrorBody)))]
pub async fn report(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (name, bytes) = import::report_xlsx(&ctx, &actor, id).await?;
    Ok(attachment(XLSX, &name, bytes))
}
