//! Request pages (SYS-3): my requests, requests to decide, a request with its history, files
//! and the viewer's actions, the correction/deletion forms (with evidence upload), downloads.

mod list;
mod new;
mod show;

pub use list::list;
pub use new::{create, new_page};
pub use show::{approve, cancel, reject, show};

use axum::extract::{Query, State};
use axum::response::Response;
use tuanwu_app::{file, AppError, Context};
use tuanwu_domain::{DomainError, FileId};

use super::shell::{PageActor, PageError};
use crate::api::request::attachment;
use crate::extract::ApiPath;

pub async fn download(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<FileId>,
) -> Result<Response, PageError> {
    let (view, bytes) = file::download(&ctx, &page.actor, id).await?;
    Ok(attachment(&view.content_type, &view.name, bytes))
}

pub async fn report(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath((id, name)): ApiPath<(i64, String)>,
    Query(q): Query<crate::api::request::ReportQuery>,
) -> Result<Response, PageError> {
    let (file_name, bytes) = crate::api::request::build_report(&ctx, &page.actor, id, &name, &q)
        .await
        .map_err(|e| match e {
            AppError::Domain(DomainError {
                code: "unknown_sheet",
                ..
            }) => PageError::App(AppError::NotFound),
            other => PageError::App(other),
        })?;
    Ok(attachment(crate::api::import::XLSX, &file_name, bytes))
}
