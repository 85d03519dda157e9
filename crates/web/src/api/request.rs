use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tuanwu_app::file::{self, FileView};
use tuanwu_app::request::{
    self as uc, ListRequestsQuery, RejectInput, RequestView, SubmitInput, TodoView,
};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::{DomainError, FileId, OrgId, RequestId};

use super::ListView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Upload};

/// Uploads can be 20 MB; the multipart envelope needs a little more.
pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(21 * 1024 * 1024)
}

/// The upload form of `POST /api/v1/files` (for the document: the handler reads the fields).
#[derive(utoipa::ToSchema)]
pub struct FileUploadForm {
    /// PDF、JPEG 或 PNG，不超过20MB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Upload one file (field `file`): PDF, JPEG or PNG by content, at most 20 MB (ARC-5).
#[utoipa::path(post, path = "/api/v1/files", tag = "files",
    request_body(content = FileUploadForm, content_type = "multipart/form-data", description = "字段 file：PDF、JPEG 或 PNG，不超过20MB"),
    responses((status = 201, body = FileView), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    Upload(mut form): Upload,
) -> Result<(StatusCode, Json<FileView>), ApiError> {
    let unreadable = || {
        ApiError::from(AppError::Domain(
            DomainError::new(
                "file_unreadable",
                "没有读到上传的文件（或超过20MB）：请用 multipart/form-data 的 file 字段上传",
            )
            .rule("ARC-5")
            .field("file"),
        ))
    };
    while let Some(field) = form.next_field().await.map_err(|_| unreadable())? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("未命名文件").to_string();
        let bytes = field.bytes().await.map_err(|_| unreadable())?;
        let view = file::upload(&ctx, &actor, &name, bytes.to_vec()).await?;
        return Ok((StatusCode::CREATED, Json(view)));
    }
    Err(unreadable())
}

/// Download a file the caller may see.
#[utoipa::path(get, path = "/api/v1/files/{id}", tag = "files", params(("id" = i64, Path)),
    responses((status = 200, description = "文件内容"), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<FileId>,
) -> Result<Response, ApiError> {
    let (view, bytes) = file::download(&ctx, &actor, id).await?;
    Ok(attachment(&view.content_type, &view.name, bytes))
}

/// A download response with a UTF-8 file name (RFC 5987).
pub fn attachment(content_type: &str, name: &str, bytes: Vec<u8>) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{encoded}"),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// Submit a correction (MEM-6) or deletion (MEM-7) request to the level the rule names.
#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = SubmitInput,
    responses((status = 201, body = RequestView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<SubmitInput>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::submit(&ctx, &actor, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", params(ListRequestsQuery),
    responses((status = 200, body = ListView<RequestView>)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<ListRequestsQuery>,
) -> Result<Json<ListView<RequestView>>, ApiError> {
    let (items, total) = uc::list(&ctx, &actor, q).await?;
    Ok(Json(ListView::new(items, total)))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = i64, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<RequestId>,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(uc::get(&ctx, &actor, id).await?))
}

/// Approve: the change is applied in the same transaction; a second decision gets 409.
#[utoipa::path(post, path = "/api/v1/requests/{id}/approve", tag = "requests", params(("id" = i64, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<RequestId>,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(uc::approve(&ctx, &actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/reject", tag = "requests", params(("id" = i64, Path)), request_body = RejectInput,
    responses((status = 200, body = RequestView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reject(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<RequestId>,
    ApiJson(input): ApiJson<RejectInput>,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(uc::reject(&ctx, &actor, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/cancel", tag = "requests", params(("id" = i64, Path)),
    responses((status = 200, body = RequestView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<RequestId>,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(uc::cancel(&ctx, &actor, id).await?))
}

/// Everything waiting for the caller (SYS-2).
#[utoipa::path(get, path = "/api/v1/todos", tag = "requests", responses((status = 200, body = ListView<TodoView>)))]
pub async fn todos(
    State(ctx): State<Context>,
    Auth(actor): Auth,
) -> Result<Json<ListView<TodoView>>, ApiError> {
    Ok(Json(ListView::all(uc::todos(&ctx, &actor).await?)))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// members.xlsx: the whole subtree (default true).
    pub subtree: Option<bool>,
    /// members.xlsx: one sheet per branch.
    pub per_branch: Option<bool>,
    /// members.xlsx: full resident IDs and phones (audited; default masked).
    pub full: Option<bool>,
    /// continuity.xlsx, meetings.xlsx, meeting-compliance.xlsx: the year (default: the current
    /// year).
    pub year: Option<i32>,
    /// meeting-compliance.xlsx: the quarter 1 … 4 (default: the current one).
    pub quarter: Option<u8>,
}

impl ReportQuery {
    pub fn options(&self) -> tuanwu_app::member::export::ExportOptions {
        tuanwu_app::member::export::ExportOptions {
            subtree: self.subtree.unwrap_or(true),
            per_branch: self.per_branch.unwrap_or(false),
            full: self.full.unwrap_or(false),
        }
    }
}

/// Builds a named report of an org: the member list (DAT-2) or a request sheet.
pub async fn build_report(
    ctx: &Context,
    actor: &tuanwu_app::Actor,
    id: i64,
    file: &str,
    q: &ReportQuery,
) -> Result<(String, Vec<u8>), AppError> {
    let sheet = file.strip_suffix(".xlsx").ok_or(AppError::NotFound)?;
    match sheet {
        "members" => {
            let (name, bytes, _) =
                tuanwu_app::member::export::export(ctx, actor, OrgId(id), q.options()).await?;
            Ok((name, bytes))
        }
        "floating-members" => {
            tuanwu_app::floating::report::floating_members(ctx, actor, OrgId(id)).await
        }
        "special-unit-transfers" => {
            tuanwu_app::transfer::report::special_unit_transfers(ctx, actor, OrgId(id)).await
        }
        "graduation-changes" => {
            tuanwu_app::graduation::change::graduation_changes(ctx, actor, OrgId(id)).await
        }
        "continuity-special-cases" => {
            tuanwu_app::graduation::case::special_cases(ctx, actor, OrgId(id)).await
        }
        "continuity" => {
            tuanwu_app::graduation::continuity::report(ctx, actor, OrgId(id), q.year).await
        }
        "meetings" => tuanwu_app::meeting::report::register(ctx, actor, OrgId(id), q.year).await,
        "meeting-compliance" => {
            let quarter = tuanwu_app::meeting::ComplianceQuery {
                year: q.year,
                quarter: q.quarter,
            };
            tuanwu_app::meeting::report::compliance_sheet(ctx, actor, OrgId(id), quarter).await
        }
        _ => uc::report(ctx, actor, OrgId(id), sheet).await,
    }
}

/// Report sheets (DAT-2): `members.xlsx` (member list; `subtree`, `per_branch`, `full`),
/// `deletion-ledger.xlsx`, `development-no-conflicts.xlsx`, `special-unit-transfers.xlsx` (TRF-6),
/// `continuity.xlsx` (GRD-6; `year`), `graduation-changes.xlsx` (GRD-2),
/// `continuity-special-cases.xlsx` (GRD-7), `meetings.xlsx` (MTG-1 register; `year`),
/// `meeting-compliance.xlsx` (MTG-1; `year`, `quarter`).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/reports/{file}", tag = "requests",
    params(("id" = i64, Path), ("file" = String, Path, description = "members.xlsx、deletion-ledger.xlsx、development-no-conflicts.xlsx、special-unit-transfers.xlsx、graduation-changes.xlsx、continuity-special-cases.xlsx、continuity.xlsx、meetings.xlsx 或 meeting-compliance.xlsx"), ReportQuery),
    responses((status = 200, description = "xlsx"), (status = 404, body = ErrorBody)))]
pub async fn report(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath((id, file)): ApiPath<(i64, String)>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    let (name, bytes) = build_report(&ctx, &actor, id, &file, &q).await?;
    Ok(attachment(super::import::XLSX, &name, bytes))
}
