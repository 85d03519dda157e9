//! 团员注册 into a branch found by the directory search (MEM-4, ORG-5).
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tuanwu_app::member::register::{self as self_register, RegisterMemberInput};
use tuanwu_app::member::CreateMemberInput;
use tuanwu_app::Context;
use tuanwu_domain::member::{PoliticalStatus, EDUCATION_LEVELS};

use crate::extract::ClientAddr;
use crate::pages::shell::{opt, render, Field, FormErrors, PageError, Shell};

/// Splits a failed public form's error into what the form shows. Too many attempts and
use super::{
    field_error, no_store, org_search, public_errors, OrgSearch, SearchQuery, PASSWORDS_DIFFER,
};

#[derive(Template)]
#[template(path = "account/register_member.html")]
struct RegisterMemberPage {
    shell: Shell,
    search: OrgSearch,
    fields: Vec<Field>,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "account/registered.html")]
struct RegisteredPage {
    shell: Shell,
    message: String,
    branch_name: String,
}

/// The MEM-1 fields a person fills in about themself, and a password.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterMemberForm {
    q: String,
    province_id: String,
    branch_id: String,
    name: String,
    resident_id: String,
    ethnicity: String,
    joined_on: String,
    development_no: String,
    political_status: String,
    student_no: String,
    phone: String,
    email: String,
    admission_major: String,
    native_place: String,
    education: String,
    password: String,
    password_again: String,
}

impl RegisterMemberForm {
    fn fields(&self, errors: &FormErrors) -> Vec<Field> {
        let statuses = PoliticalStatus::ALL.iter().map(|s| (s.key(), s.label()));
        [
            Field::text("name", "姓名", &self.name)
                .required()
                .hint("与身份证一致"),
            Field::text("resident_id", "身份证号", &self.resident_id)
                .required()
                .hint("18位；末位X大小写均可"),
            Field::text("ethnicity", "民族", &self.ethnicity)
                .required()
                .hint("如：汉族"),
            Field::text("joined_on", "入团时间", &self.joined_on)
                .required()
                .hint("按入团志愿书填写年月，如 2019-05"),
            Field::text("development_no", "发展团员编号", &self.development_no)
                .hint("12位数字，见入团志愿书；2017年1月1日前入团的填“无”"),
            Field::text("political_status", "政治面貌", &self.political_status)
                .choices(None, statuses),
            Field::text("student_no", "学号 / 工号", &self.student_no)
                .hint("审批通过后可用学号登录"),
            Field::text("phone", "手机号码", &self.phone).kind("tel"),
            Field::text("email", "电子邮箱", &self.email).kind("email"),
            Field::text("admission_major", "专业", &self.admission_major),
            Field::text("native_place", "籍贯", &self.native_place)
                .hint("按户口本填写，如：天津市南开区"),
            Field::text("education", "文化程度", &self.education).choices(
                Some("（未填写）"),
                EDUCATION_LEVELS.iter().map(|e| (*e, *e)),
            ),
            Field::text("password", "登录密码（至少8位，含字母和数字）", "")
                .kind("password")
                .required()
                .hint("审批通过后用身份证号或学号和这个密码登录"),
            Field::text("password_again", "再次输入密码", "")
                .kind("password")
                .required(),
        ]
        .into_iter()
        .map(|f| f.with_errors(errors))
        .collect()
    }
}

async fn register_member_page(
    ctx: &Context,
    form: &RegisterMemberForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let search = org_search(ctx, &form.q, &form.province_id, &form.branch_id, true).await?;
    let fields = form.fields(&errors);
    Ok(no_store(render(
        RegisterMemberPage {
            shell: Shell::anonymous("团员注册"),
            search,
            fields,
            errors,
        },
        status,
    )))
}

pub async fn register_member_form(
    State(ctx): State<Context>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let form = RegisterMemberForm {
        q: q.q,
        province_id: q.province_id,
        ethnicity: "汉族".into(),
        political_status: "league_member".into(),
        ..Default::default()
    };
    register_member_page(&ctx, &form, FormErrors::default(), StatusCode::OK).await
}

pub async fn register_member_submit(
    State(ctx): State<Context>,
    ClientAddr(addr): ClientAddr,
    axum::Form(mut form): axum::Form<RegisterMemberForm>,
) -> Result<Response, PageError> {
    let (errors, status) = if form.password != form.password_again {
        (
            field_error("password_again", PASSWORDS_DIFFER),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    } else if let Ok(branch_id) = form.branch_id.trim().parse::<i64>() {
        let input = RegisterMemberInput {
            member: CreateMemberInput {
                branch_id,
                name: form.name.clone(),
                resident_id: form.resident_id.clone(),
                ethnicity: form.ethnicity.clone(),
                joined_on: form.joined_on.clone(),
                development_no: opt(&form.development_no),
                political_status: opt(&form.political_status),
                student_no: opt(&form.student_no),
                phone: opt(&form.phone),
                email: opt(&form.email),
                admission_major: opt(&form.admission_major),
                actual_major: None,
                native_place: opt(&form.native_place),
                education: opt(&form.education),
                offline_note: None,
            },
            password: std::mem::take(&mut form.password),
        };
        match self_register::register_member(&ctx, input, &addr).await {
            Ok(view) => {
                return Ok(render(
                    RegisteredPage {
                        shell: Shell::anonymous("注册申请已提交"),
                        message: view.message,
                        branch_name: view.branch_name,
                    },
                    StatusCode::OK,
                ))
            }
            Err(e) => public_errors(e)?,
        }
    } else {
        (
            field_error(
                "branch_id",
                "请先搜索并选择您所在的团支部：注册申请由该团支部的团支书审批",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    register_member_page(&ctx, &form, errors, status).await
}
