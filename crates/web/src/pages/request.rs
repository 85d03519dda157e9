//! Request pages (SYS-3): my requests, requests to decide, a request with its history and files,
//! the correction/deletion forms (with evidence upload), downloads.

use std::collections::HashMap;

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tuanwu_app::member::{self as member_uc, MemberView};
use tuanwu_app::request::{self as uc, ListRequestsQuery, RejectInput, RequestView, SubmitInput};
use tuanwu_app::{file, AppError, Context};
use tuanwu_domain::request::{DeletionReason, RequestKind};
use tuanwu_domain::{DomainError, MemberId};

use super::member::Pager;
use super::shell::{
    render, Empty, Field, Form, FormErrors, PageActor, PageError, Shell, UploadForm,
};
use crate::api::request::attachment;
use crate::extract::ApiPath;

#[derive(Template)]
#[template(path = "request/list.html")]
struct ListPage {
    shell: Shell,
    role: String,
    status: String,
    /// The request kind the list is filtered by (e.g. `archive_review`, the archive review
    /// queue), empty for all kinds.
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    q: String,
    items: Vec<RequestView>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
pub struct ListForm {
    role: Option<String>,
    status: Option<String>,
    kind: Option<String>,
    q: Option<String>,
    page: Option<u64>,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    let role = f.role.unwrap_or_else(|| "decider".into());
    let status = f.status.unwrap_or_else(|| {
        if role == "decider" {
            "pending".into()
        } else {
            String::new()
        }
    });
    let q = f.q.unwrap_or_default();
    let kind = f
        .kind
        .filter(|k| RequestKind::parse(k).is_ok())
        .unwrap_or_default();
    let page_no = f.page.unwrap_or(1).max(1);
    let query = ListRequestsQuery {
        role: Some(role.clone()),
        status: Some(status.clone()),
        kind: Some(kind.clone()),
        q: Some(q.clone()),
        page: Some(page_no),
        per_page: Some(50),
    };
    let (items, total) = uc::list(&ctx, &page.actor, query).await?;
    let base = serde_urlencoded::to_string([
        ("role", &role),
        ("status", &status),
        ("kind", &kind),
        ("q", &q),
    ])
    .unwrap_or_default();
    let pager = Pager {
        page: page_no,
        pages: total.div_ceil(50).max(1),
        total,
        base,
    };
    let (title, section) = if kind == RequestKind::ArchiveReview.key() {
        ("档案审核", "archives")
    } else {
        ("审批申请", "requests")
    };
    let shell = page.shell(title, section);
    Ok(render(
        ListPage {
            shell,
            role,
            status,
            kind,
            kinds: RequestKind::ALL
                .iter()
                .map(|k| (k.key(), k.label()))
                .collect(),
            q,
            items,
            pager,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "request/show.html")]
struct ShowPage {
    shell: Shell,
    r: RequestView,
    rows: Vec<(String, String, String)>,
    errors: FormErrors,
}

/// The summary's change rows, or the deletion/conflict facts, as (label, old, new).
fn summary_rows(r: &RequestView) -> Vec<(String, String, String)> {
    let s = |k: &str| {
        r.summary
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    match r.kind.as_str() {
        "member_correction" => r
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
        "member_deletion" => vec![
            ("身份证号".into(), String::new(), s("resident_id")),
            ("删除原因".into(), String::new(), s("deletion_reason_label")),
        ],
        "archive_review" => vec![
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
        "graduation_change" => vec![
            ("团支部".into(), String::new(), s("branch")),
            ("毕业时间".into(), s("old_label"), s("new_label")),
        ],
        "member_registration" => vec![
            ("姓名".into(), String::new(), s("member_name")),
            ("身份证号".into(), String::new(), s("resident_id")),
            ("学号 / 工号".into(), String::new(), s("student_no")),
            ("入团时间".into(), String::new(), s("joined_on")),
            ("手机号码".into(), String::new(), s("phone")),
            ("申请加入".into(), String::new(), s("branch")),
        ],
        _ => vec![
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
    id: i64,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let r = uc::get(ctx, &page.actor, id).await?;
    let rows = summary_rows(&r);
    let status = errors.status();
    let shell = page.shell(format!("{}：{}", r.kind_label, r.member_name), "requests");
    Ok(render(
        ShowPage {
            shell,
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
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    show_page(&ctx, page, id, FormErrors::default()).await
}

async fn after_decision(
    ctx: &Context,
    page: PageActor,
    id: i64,
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
    ApiPath(id): ApiPath<i64>,
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
    ApiPath(id): ApiPath<i64>,
    Form((page, f)): Form<(PageActor, RejectForm)>,
) -> Result<Response, PageError> {
    let result = uc::reject(&ctx, &page.actor, id, RejectInput { reason: f.reason }).await;
    after_decision(&ctx, page, id, result).await
}

pub async fn cancel(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let result = uc::cancel(&ctx, &page.actor, id).await;
    after_decision(&ctx, page, id, result).await
}

#[derive(Template)]
#[template(path = "request/form.html")]
struct NewPage {
    shell: Shell,
    m: MemberView,
    kind: String,
    heading: String,
    fields: Vec<Field>,
    general: Option<String>,
}

#[derive(Deserialize)]
pub struct NewQuery {
    kind: Option<String>,
}

fn request_fields(kind: &str, values: &HashMap<String, String>, errors: &FormErrors) -> Vec<Field> {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let mut fields =
        if kind == "member_deletion" {
            let reasons = DeletionReason::ALL.iter().map(|r| (r.key(), r.label()));
            vec![Field::text("deletion_reason", "删除原因", &v("deletion_reason"))
            .choices(Some("（请选择）"), reasons)
            .hint("只有“录入错误”和“死亡”可由团支部、学院提出；退学的团员应办理转接，不能删除")]
        } else {
            vec![
                Field::text("joined_on", "正确的入团时间", &v("joined_on"))
                    .hint("不需更正的项目留空；格式如 2019-05"),
                Field::text("development_no", "正确的发展团员编号", &v("development_no")),
                Field::text("name", "正确的姓名", &v("name"))
                    .hint("姓名和身份证号不能在同一次申请中一起更正"),
                Field::text("resident_id", "正确的身份证号", &v("resident_id")),
            ]
        };
    fields.push(Field::text("reason", "申请理由", &v("reason")).required());
    fields.push(
        Field::text("file", "证明材料（PDF、JPEG或PNG，不超过20MB）", "")
            .kind("file")
            .hint(if kind == "member_deletion" {
                "如死亡证明、情况说明（可选）"
            } else {
                "须上传：如入团志愿书、身份证的扫描件"
            }),
    );
    fields.into_iter().map(|f| f.with_errors(errors)).collect()
}

fn heading(kind: &str, m: &MemberView) -> String {
    let what = if kind == "member_deletion" {
        "申请删除团员"
    } else {
        "申请更正团员信息"
    };
    format!("{what}：{}", m.name)
}

pub async fn new_page(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let kind = q.kind.unwrap_or_else(|| "member_correction".into());
    let m = member_uc::get(&ctx, &page.actor, MemberId(id)).await?;
    if !page.is_admin() {
        return Err(PageError::App(AppError::NotFound));
    }
    let fields = request_fields(&kind, &HashMap::new(), &FormErrors::default());
    let shell = page.shell(heading(&kind, &m), "requests");
    Ok(render(
        NewPage {
            shell,
            heading: heading(&kind, &m),
            m,
            kind,
            fields,
            general: None,
        },
        StatusCode::OK,
    ))
}

/// The correction/deletion form posts multipart (it carries the evidence file): upload the file,
/// then submit the request with it.
pub async fn create(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let UploadForm {
        values,
        file: upload,
    } = UploadForm::read(&page, form).await?;
    let kind = values.get("kind").cloned().unwrap_or_default();
    let result = async {
        let mut file_ids = Vec::new();
        if let Some((name, bytes)) = upload {
            file_ids.push(file::upload(&ctx, &page.actor, &name, bytes).await?.id);
        }
        let keys: &[&str] = if kind == "member_deletion" {
            &["deletion_reason"]
        } else {
            &["joined_on", "development_no", "name", "resident_id"]
        };
        let changes: Map<String, Value> = keys
            .iter()
            .filter_map(|k| {
                values
                    .get(*k)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (k.to_string(), json!(v.trim())))
            })
            .collect();
        let input = SubmitInput {
            kind: kind.clone(),
            member_id: Some(id),
            org_id: None,
            changes: Value::Object(changes),
            reason: values.get("reason").cloned().unwrap_or_default(),
            file_ids: Some(file_ids),
        };
        uc::submit(&ctx, &page.actor, input).await
    }
    .await;
    match result {
        Ok(r) => Ok(Redirect::to(&format!("/requests/{}", r.id)).into_response()),
        Err(e) => {
            let mut errors = FormErrors::from_app(e)?;
            // Errors about the whole change or the file list belong next to the form's fields.
            for (f, _) in errors.fields.iter_mut() {
                if f == "changes" || f == "kind" {
                    *f = String::new();
                } else if f == "file_ids" {
                    *f = "file".into();
                }
            }
            if let Some(i) = errors.fields.iter().position(|(f, _)| f.is_empty()) {
                let (_, m) = errors.fields.remove(i);
                errors.general = Some(m);
            }
            let m = member_uc::get(&ctx, &page.actor, MemberId(id)).await?;
            let fields = request_fields(&kind, &values, &errors);
            let shell = page.shell(heading(&kind, &m), "requests");
            Ok(render(
                NewPage {
                    shell,
                    heading: heading(&kind, &m),
                    m,
                    kind,
                    fields,
                    general: errors.general,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

pub async fn download(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
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
