//! 忘记密码 with a reset code (ACC-6).
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::account::reset::{self as reset_uc, ResetPasswordInput};
use tuanwu_app::Context;

use crate::extract::ClientAddr;
use crate::pages::shell::{render, Field, FormErrors, PageError, Shell};

/// Splits a failed public form's error into what the form shows. Too many attempts and
use super::{field_error, no_store, public_errors};

#[derive(Template)]
#[template(path = "account/forgot_password.html")]
struct ForgotPasswordPage {
    shell: Shell,
    done: bool,
    fields: Vec<Field>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotPasswordForm {
    name: String,
    resident_id: String,
    code: String,
    new_password: String,
    new_password_again: String,
}

impl ForgotPasswordForm {
    fn fields(&self, errors: &FormErrors) -> Vec<Field> {
        [
            Field::text("name", "姓名", &self.name).required(),
            Field::text("resident_id", "身份证号", &self.resident_id)
                .required()
                .hint("18位；末位X大小写均可"),
            Field::text("code", "重置密码验证码", &self.code)
                .required()
                .hint("由团支书或上级组织管理员为您生成，不区分大小写；中间的“-”可以不输"),
            Field::text("new_password", "新密码（至少8位，含字母和数字）", "")
                .kind("password")
                .required(),
            Field::text("new_password_again", "再次输入新密码", "")
                .kind("password")
                .required(),
        ]
        .into_iter()
        .map(|f| f.with_errors(errors))
        .collect()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn forgot_password_form(Query(q): Query<DoneQuery>) -> Response {
    let form = ForgotPasswordForm::default();
    let errors = FormErrors::default();
    no_store(render(
        ForgotPasswordPage {
            shell: Shell::anonymous("忘记密码"),
            done: q.done.is_some(),
            fields: form.fields(&errors),
            errors,
        },
        StatusCode::OK,
    ))
}

pub async fn forgot_password_submit(
    State(ctx): State<Context>,
    ClientAddr(addr): ClientAddr,
    axum::Form(mut form): axum::Form<ForgotPasswordForm>,
) -> Result<Response, PageError> {
    let (errors, status) = if form.new_password != form.new_password_again {
        (
            field_error("new_password_again", "两次输入的新密码不一致：请重新输入"),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    } else {
        let input = ResetPasswordInput {
            name: form.name.clone(),
            resident_id: form.resident_id.clone(),
            code: form.code.clone(),
            new_password: std::mem::take(&mut form.new_password),
        };
        match reset_uc::reset_password(&ctx, input, &addr).await {
            Ok(()) => return Ok(Redirect::to("/forgot-password?done=1").into_response()),
            Err(e) => public_errors(e)?,
        }
    };
    Ok(no_store(render(
        ForgotPasswordPage {
            shell: Shell::anonymous("忘记密码"),
            done: false,
            fields: form.fields(&errors),
            errors,
        },
        status,
    )))
}
