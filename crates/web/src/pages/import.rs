//! The import page of a branch or college (MEM-5, DAT-1) and its report.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use std::sync::Arc;

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use tuanwu_app::member::import::ImportReport;
use tuanwu_app::org::{self as org_uc, OrgView};
use tuanwu_app::Context;
use tuanwu_domain::OrgId;

use super::shell::{render, FormErrors, PageActor, PageError, Shell};
use crate::api::import::{read_form, run, ImportGate, BUSY};
use crate::extract::ApiPath;

#[derive(Template)]
#[template(path = "org/import.html")]
struct ImportPage {
    shell: Shell,
    org: OrgView,
    may_override: bool,
    report: Option<ImportReport>,
    error: Option<String>,
}

fn may_override(page: &PageActor) -> bool {
    !matches!(page.active.role.as_str(), "branch_admin" | "college_admin")
}

pub async fn page(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let org = org_uc::get(&ctx, &page.actor, OrgId(id)).await?;
    let may_override = may_override(&page);
    let shell = page.shell(format!("批量导入团员 · {}", org.name), "orgs");
    Ok(render(
        ImportPage {
            shell,
            org,
            may_override,
            report: None,
            error: None,
        },
        StatusCode::OK,
    ))
}

pub async fn submit(
    State(ctx): State<Context>,
    Extension(gate): Extension<Arc<ImportGate>>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let org = org_uc::get(&ctx, &page.actor, OrgId(id)).await?;
    let form = form.map_err(|_| PageError::BadForm)?;
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let (report, error) = match read_form(form).await {
        Ok(f) if !page.csrf_matches(f.csrf.as_deref()) => return Err(PageError::Csrf),
        Ok(f) => match gate.admit().await {
            None => {
                status = StatusCode::TOO_MANY_REQUESTS;
                (None, Some(BUSY.to_string()))
            }
            Some(_running) => match run(&ctx, &page.actor, &gate, f).await {
                Ok(r) => (Some(r), None),
                Err(e) => (None, FormErrors::from_app(e)?.fields.pop().map(|(_, m)| m)),
            },
        },
        Err(e) => (None, FormErrors::from_app(e)?.fields.pop().map(|(_, m)| m)),
    };
    if error.is_none() {
        status = StatusCode::OK;
    }
    let may_override = may_override(&page);
    let shell = page.shell(format!("批量导入团员 · {}", org.name), "orgs");
    Ok(render(
        ImportPage {
            shell,
            org,
            may_override,
            report,
            error,
        },
        status,
    ))
}
