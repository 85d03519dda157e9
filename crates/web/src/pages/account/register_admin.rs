//! 管理员注册 with a registration code (ACC-5).
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::account::register::{self as register_uc, RegisterAdminInput};
use tuanwu_app::Context;

use crate::extract::ClientAddr;
use crate::pages::shell::{render, Field, FormErrors, PageError, Shell};

/// Splits a failed public form's error into what the form shows. Too many attempts and
use super::{
    field_error, no_store, org_search, public_errors, session_cookie, OrgSearch, SearchQuery,
    PASSWORDS_DIFFER,
};

#[derive(Template)]
#[template(path = "account/register_admin.html")]
struct RegisterAdminPage {
    shell: Shell,
    search: OrgSearch,
    fields: Vec<Field>,
    errors: FormErrors,
}

/// What the admin registration form holds; the passwords are never sent back.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterAdminForm {
    q: String,
    province_id: String,
    org_id: String,
    code: String,
    name: String,
    resident_id: String,
    phone: String,
    password: String,
    password_again: String,
}

impl RegisterAdminForm {
    fn fields(&self, errors: &FormErrors) -> Vec<Field> {
        [
            Field::text("code", "管理员注册码", &self.code)
                .required()
                .hint("上级组织管理员发给您的注册码，不区分大小写；中间的“-”可以不输"),
            Field::text("name", "姓名", &self.name)
                .required()
                .hint("与身份证一致"),
            Field::text("resident_id", "身份证号", &self.resident_id)
                .required()
                .hint("18位；末位X大小写均可"),
            Field::text("phone", "手机号码", &self.phone)
                .kind("tel")
                .required(),
            Field::text("password", "登录密码（至少8位，含字母和数字）", "")
                .kind("password")
                .required()
                .hint("已有团务账号（如本人是团员）的，请填写该账号的现有密码"),
            Field::text("password_again", "再次输入密码", "")
                .kind("password")
                .required(),
        ]
        .into_iter()
        .map(|f| f.with_errors(errors))
        .collect()
    }
}

async fn register_admin_page(
    ctx: &Context,
    form: &RegisterAdminForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let search = org_search(ctx, &form.q, &form.province_id, &form.org_id, false).await?;
    let fields = form.fields(&errors);
    Ok(no_store(render(
        RegisterAdminPage {
            shell: Shell::anonymous("管理员注册"),
            search,
            fields,
            errors,
        },
        status,
    )))
}

pub async fn register_admin_form(
    State(ctx): State<Context>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let form = RegisterAdminForm {
        q: q.q,
        province_id: q.province_id,
        ..Default::default()
    };
    register_admin_page(&ctx, &form, FormErrors::default(), StatusCode::OK).await
}

pub async fn register_admin_submit(
    State(ctx): State<Context>,
    ClientAddr(addr): ClientAddr,
    axum::Form(mut form): axum::Form<RegisterAdminForm>,
) -> Result<Response, PageError> {
    let (errors, status) = if form.password != form.password_again {
        (
            field_error("password_again", PASSWORDS_DIFFER),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    } else if let Ok(org_id) = form.org_id.trim().parse::<i64>() {
        let input = RegisterAdminInput {
            org_id,
            code: form.code.clone(),
            name: form.name.clone(),
            resident_id: form.resident_id.clone(),
            phone: form.phone.clone(),
            password: std::mem::take(&mut form.password),
        };
        match register_uc::register_admin(&ctx, input, &addr).await {
            Ok(view) => {
                let mut r = Redirect::to("/").into_response();
                r.headers_mut().insert(
                    header::SET_COOKIE,
                    session_cookie(&view.token, ctx.session_absolute.whole_seconds()),
                );
                return Ok(r);
            }
            Err(e) => public_errors(e)?,
        }
    } else {
        (
            field_error(
                "org_id",
                "请先搜索并选择您要担任管理员的组织（注册码只对发放时指定的组织有效）",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    register_admin_page(&ctx, &form, errors, status).await
}
