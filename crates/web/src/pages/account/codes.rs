//! Issuing registration and reset codes, shown once (issue 15 item 3).
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tuanwu_app::account::code::{self as code_uc, CodeView};
use tuanwu_app::Context;
use tuanwu_domain::account::CodePurpose;
use tuanwu_domain::{CodeId, MemberId, OrgId};

use crate::extract::ApiPath;
use crate::pages::shell::{render, Empty, Form, PageActor, PageError, Shell};

/// Splits a failed public form's error into what the form shows. Too many attempts and
use super::no_store;

#[derive(Template)]
#[template(path = "account/code.html")]
struct CodePage {
    shell: Shell,
    c: CodeView,
    /// ACC-5 registration or ACC-6 reset.
    purpose: CodePurpose,
    back: String,
    back_label: &'static str,
}

/// ACC-5: an admin of a level above the org issues its 管理员注册码, then the browser is sent
/// to the page that shows it once (POST-redirect-GET: a refresh never issues another).
pub async fn registration_code(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let code = code_uc::issue_registration_code_for_page(&ctx, &page.actor, OrgId(id)).await?;
    Ok(Redirect::to(&format!("/orgs/{id}/registration-code/{code}")).into_response())
}

/// The registration code just issued, shown once; a refresh says it was shown.
pub async fn registration_code_page(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath((id, code)): ApiPath<(i64, CodeId)>,
) -> Result<Response, PageError> {
    let shown = code_uc::take_for_page(&ctx, &page.actor, CodePurpose::Registration, code).await?;
    let back = format!("/orgs/{id}");
    code_page(page, shown, CodePurpose::Registration, back, "返回组织页面")
}

/// ACC-6: an admin whose scope contains the member issues their 重置密码验证码 (a new one makes
/// the previous one void), then the browser is sent to the page that shows it once.
pub async fn reset_code(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let code = code_uc::issue_reset_code_for_page(&ctx, &page.actor, MemberId(id)).await?;
    Ok(Redirect::to(&format!("/members/{id}/reset-code/{code}")).into_response())
}

/// The reset code just issued, shown once; a refresh says it was shown and issues nothing.
pub async fn reset_code_page(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath((id, code)): ApiPath<(i64, CodeId)>,
) -> Result<Response, PageError> {
    let shown = code_uc::take_for_page(&ctx, &page.actor, CodePurpose::Reset, code).await?;
    code_page(
        page,
        shown,
        CodePurpose::Reset,
        format!("/members/{id}"),
        "返回团员信息",
    )
}

#[derive(Template)]
#[template(path = "account/code_shown.html")]
struct CodeShownPage {
    shell: Shell,
    purpose: CodePurpose,
    back: String,
    back_label: &'static str,
}

fn code_page(
    page: PageActor,
    shown: Option<CodeView>,
    purpose: CodePurpose,
    back: String,
    back_label: &'static str,
) -> Result<Response, PageError> {
    let title = purpose.label();
    let Some(c) = shown else {
        return Ok(no_store(render(
            CodeShownPage {
                shell: page.shell(title, "orgs"),
                purpose,
                back,
                back_label,
            },
            StatusCode::OK,
        )));
    };
    let whom = c.member_name.clone().unwrap_or_else(|| c.org_name.clone());
    let shell = page.shell(format!("{title} · {whom}"), "orgs");
    Ok(no_store(render(
        CodePage {
            shell,
            c,
            purpose,
            back,
            back_label,
        },
        StatusCode::OK,
    )))
}
