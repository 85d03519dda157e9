//! Getting into tuanwu without an account: 管理员注册 with a registration code (ACC-5), 团员注册
//! into a branch found by the directory search (MEM-4, ORG-5), 忘记密码 with a reset code
//! (ACC-6); and, for admins, issuing those codes (shown once, with a copy button).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::account::code::{self as code_uc, CodeView};
use tuanwu_app::account::register::{self as register_uc, RegisterAdminInput};
use tuanwu_app::account::reset::{self as reset_uc, ResetPasswordInput};
use tuanwu_app::member::register::{self as self_register, RegisterMemberInput};
use tuanwu_app::member::CreateMemberInput;
use tuanwu_app::org::DirectoryView;
use tuanwu_app::{AppError, Context};
use tuanwu_domain::account::CodePurpose;
use tuanwu_domain::member::{PoliticalStatus, EDUCATION_LEVELS};
use tuanwu_domain::{MemberId, OrgId};

use super::shell::{opt, render, Empty, Field, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::{ApiPath, ClientAddr, SESSION_COOKIE};

/// Splits a failed public form's error into what the form shows. Too many attempts and
/// refusals are shown on the form too (with their own status), so the typed values stay.
fn public_errors(e: AppError) -> Result<(FormErrors, StatusCode), PageError> {
    match e {
        AppError::TooManyRequests { message, .. } => Ok((
            FormErrors {
                fields: Vec::new(),
                general: Some(message),
            },
            StatusCode::TOO_MANY_REQUESTS,
        )),
        AppError::Forbidden(message) => Ok((
            FormErrors {
                fields: Vec::new(),
                general: Some(message),
            },
            StatusCode::FORBIDDEN,
        )),
        other => {
            let errors = FormErrors::from_app(other)?;
            Ok((errors, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

fn field_error(field: &str, message: &str) -> FormErrors {
    FormErrors {
        fields: vec![(field.into(), message.into())],
        general: None,
    }
}

const PASSWORDS_DIFFER: &str = "两次输入的密码不一致：请重新输入";

/// The same cookie as a login sets (pages/session.rs): HttpOnly, SameSite, absolute lifetime.
fn session_cookie(value: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// ORG-5 on the public pages: the province (optional) and a keyword; the provinces for the select.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    province_id: String,
}

pub struct OrgSearch {
    pub q: String,
    pub province_id: String,
    /// (id, name) of every province, for the select.
    pub provinces: Vec<(String, String)>,
    /// None before a search; the matches after one.
    pub results: Option<Vec<DirectoryView>>,
    /// The org chosen in the form (kept after an error).
    pub chosen: String,
}

async fn org_search(
    ctx: &Context,
    q: &str,
    province_id: &str,
    chosen: &str,
    branches_only: bool,
) -> Result<OrgSearch, PageError> {
    let provinces = tuanwu_app::org::directory(ctx, "", None)
        .await?
        .into_iter()
        .filter(|o| o.province_id == Some(o.id))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let province = province_id.trim().parse::<i64>().ok();
    let results = if q.trim().is_empty() && province.is_none() {
        None
    } else {
        let found = tuanwu_app::org::directory(ctx, q, province).await?;
        Some(
            found
                .into_iter()
                .filter(|o| !branches_only || o.kind == "branch")
                .collect::<Vec<_>>(),
        )
    };
    // A single match is the obvious choice.
    let chosen = match (&results, chosen.is_empty()) {
        (Some(r), true) if r.len() == 1 => r[0].id.to_string(),
        _ => chosen.to_string(),
    };
    Ok(OrgSearch {
        q: q.trim().to_string(),
        province_id: province.map(|p| p.to_string()).unwrap_or_default(),
        provinces,
        results,
        chosen,
    })
}

// ---------------------------------------------------------------- 管理员注册 (ACC-5)

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

// ---------------------------------------------------------------- 团员注册 (MEM-4)

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

// ---------------------------------------------------------------- 忘记密码 (ACC-6)

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

// ---------------------------------------------------------------- issuing codes

#[derive(Template)]
#[template(path = "account/code.html")]
struct CodePage {
    shell: Shell,
    c: CodeView,
    /// `registration` (ACC-5) or `reset` (ACC-6).
    purpose: &'static str,
    back: String,
    back_label: &'static str,
}

/// A page showing a secret is neither cached nor kept in history.
fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, max-age=0"),
    );
    r
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
    ApiPath((id, code)): ApiPath<(i64, i64)>,
) -> Result<Response, PageError> {
    let shown = code_uc::take_for_page(&ctx, &page.actor, CodePurpose::Registration, code).await?;
    let back = format!("/orgs/{id}");
    code_page(page, shown, "registration", back, "返回组织页面")
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
    ApiPath((id, code)): ApiPath<(i64, i64)>,
) -> Result<Response, PageError> {
    let shown = code_uc::take_for_page(&ctx, &page.actor, CodePurpose::Reset, code).await?;
    code_page(
        page,
        shown,
        "reset",
        format!("/members/{id}"),
        "返回团员信息",
    )
}

#[derive(Template)]
#[template(path = "account/code_shown.html")]
struct CodeShownPage {
    shell: Shell,
    purpose: &'static str,
    back: String,
    back_label: &'static str,
}

fn code_page(
    page: PageActor,
    shown: Option<CodeView>,
    purpose: &'static str,
    back: String,
    back_label: &'static str,
) -> Result<Response, PageError> {
    let title = if purpose == "registration" {
        "管理员注册码"
    } else {
        "重置密码验证码"
    };
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
