//! One request with its change, files and history, and the buttons of `actions`.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;
use tuanwu_app::request::{self as uc, RejectInput, RequestView};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::request::{RequestKind, RequestStatus};
use tuanwu_domain::RequestId;

use crate::extract::ApiPath;
use crate::pages::shell::{render, Empty, Form, FormErrors, PageActor, PageError, Shell};

#[derive(Template)]
#[template(path = "request/show.html")]
struct ShowPage {
    shell: Shell,
    r: RequestView,
    rows: Vec<(String, String, String)>,
    /// GRD-2: the request is about a branch, not a member.
    about_org: bool,
    /// ARC-2: the files are the archive under review, not evidence.
    archive: bool,
    pending: bool,
    errors: FormErrors,
}

/// The summary's change rows, or the deletion/conflict facts, as (label, old, new).
fn summary_rows(r: &RequestView, kind: RequestKind) -> Vec<(String, String, String)> {
    let s = |k: &str| {
        r.summary
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    match kind {
        RequestKind::MemberCorrection => r
            .summary
            .get("changes")
            .and_then(Value::as_array)
            .map(|rows| {
                rows.iter()
                    .map(|c| {
                        let g = |k: &str| {
                            c.get(k)
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_string()
                        };
                        (g("label"), g("old"), g("new"))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        RequestKind::MemberDeletion => vec![
            ("身份证号".into(), String::new(), s("resident_id")),
            ("删除原因".into(), String::new(), s("deletion_reason_label")),
        ],
        RequestKind::ArchiveReview => vec![
            ("档案类型".into(), String::new(), s("archive_kind_label")),
            ("档案文件".into(), String::new(), s("file_name")),
            (
                "上传方式".into(),
                String::new(),
                if r.summary.get("replacement").and_then(Value::as_bool) == Some(true) {
                    "替换已通过的档案（审核通过前原档案继续有效）".into()
                } else {
                    "首次上传".into()
                },
            ),
        ],
        RequestKind::GraduationChange => vec![
            ("团支部".into(), String::new(), s("branch")),
            ("毕业时间".into(), s("old_label"), s("new_label")),
        ],
        RequestKind::MemberRegistration => vec![
            ("姓名".into(), String::new(), s("member_name")),
            ("身份证号".into(), String::new(), s("resident_id")),
            ("学号 / 工号".into(), String::new(), s("student_no")),
            ("入团时间".into(), String::new(), s("joined_on")),
            ("手机号码".into(), String::new(), s("phone")),
            ("申请加入".into(), String::new(), s("branch")),
        ],
        RequestKind::DevelopmentNoConflict => vec![
            ("发展团员编号".into(), String::new(), s("development_no")),
            (
                "新录入的团员".into(),
                String::new(),
                format!("{}（{}）", s("member_name"), s("resident_id")),
            ),
            (
                "现在占用编号的团员".into(),
                String::new(),
                format!(
                    "{}（{}，{}）",
                    s("holder_name"),
                    s("holder_resident_id"),
                    s("holder_branch")
                ),
            ),
        ],
    }
}

async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: RequestId,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let r = uc::get(ctx, &page.actor, id).await?;
    let kind = RequestKind::parse(&r.kind).map_err(AppError::from)?;
    let rows = summary_rows(&r, kind);
    let status = errors.status();
    let shell = page.shell(format!("{}：{}", r.kind_label, r.member_name), "requests");
    Ok(render(
        ShowPage {
            shell,
            about_org: kind == RequestKind::GraduationChange,
            archive: kind == RequestKind::ArchiveReview,
            pending: RequestStatus::parse(&r.status).map_err(AppError::from)?
                == RequestStatus::Pending,
            r,
            rows,
            errors,
        },
        status,
    ))
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<RequestId>,
) -> Result<Response, PageError> {
    show_page(&ctx, page, id, FormErrors::default()).await
}

async fn after_decision(
    ctx: &Context,
    page: PageActor,
    id: RequestId,
    result: Result<RequestView, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            show_page(ctx, page, id, errors).await
        }
    }
}

pub async fn approve(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<RequestId>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let result = uc::approve(&ctx, &page.actor, id).await;
    after_decision(&ctx, page, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RejectForm {
    reason: String,
}

pub async fn reject(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<RequestId>,
    Form((page, f)): Form<(PageActor, RejectForm)>,
) -> Result<Response, PageError> {
    let result = uc::reject(&ctx, &page.actor, id, RejectInput { reason: f.reason }).await;
    after_decision(&ctx, page, id, result).await
}

pub async fn cancel(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<RequestId>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let result = uc::cancel(&ctx, &page.actor, id).await;
    after_decision(&ctx, page, id, result).await
}
