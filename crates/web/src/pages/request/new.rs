//! The correction (MEM-6) and deletion (MEM-7) forms, with the evidence upload.

use std::collections::HashMap;

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tuanwu_app::member::{self as member_uc, MemberView};
use tuanwu_app::request::{self as uc, SubmitInput};
use tuanwu_app::{file, AppError, Context};
use tuanwu_domain::request::{DeletionReason, RequestKind};
use tuanwu_domain::MemberId;

use crate::extract::ApiPath;
use crate::pages::shell::{render, Field, FormErrors, PageActor, PageError, Shell, UploadForm};

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

fn is_deletion(kind: &str) -> bool {
    RequestKind::parse(kind).ok() == Some(RequestKind::MemberDeletion)
}

fn request_fields(kind: &str, values: &HashMap<String, String>, errors: &FormErrors) -> Vec<Field> {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let mut fields =
        if is_deletion(kind) {
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
            .hint(if is_deletion(kind) {
                "如死亡证明、情况说明（可选）"
            } else {
                "须上传：如入团志愿书、身份证的扫描件"
            }),
    );
    fields.into_iter().map(|f| f.with_errors(errors)).collect()
}

fn heading(kind: &str, m: &MemberView) -> String {
    let what = if is_deletion(kind) {
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
        let keys: &[&str] = if is_deletion(&kind) {
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
