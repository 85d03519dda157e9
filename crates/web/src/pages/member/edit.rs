//! Entering and editing a member: the form, its fields, and the edit-version guard.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::member::{self as uc, CreateMemberInput, MemberView, UpdateMemberInput};
use tuanwu_app::org as org_uc;
use tuanwu_app::Context;
use tuanwu_domain::member::{PoliticalStatus, EDUCATION_LEVELS};
use tuanwu_domain::{MemberId, OrgId};

use super::super::shell::{opt, render, Field, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

/// What the member form holds, as typed; kept after an error.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    pub branch_id: i64,
    pub name: String,
    pub resident_id: String,
    pub ethnicity: String,
    pub joined_on: String,
    pub development_no: String,
    pub political_status: String,
    pub student_no: String,
    pub phone: String,
    pub email: String,
    pub admission_major: String,
    pub actual_major: String,
    pub native_place: String,
    pub education: String,
    pub offline_note: String,
    /// The version the form was filled in from (issue 15 item 2), sent back hidden.
    pub version: Option<i64>,
}

impl MemberForm {
    /// `locked`: the identity fields are shown read-only (the view's actions say so).
    fn fields(&self, errors: &FormErrors, creating: bool, locked: bool) -> Vec<Field> {
        let statuses = PoliticalStatus::ALL.iter().map(|s| (s.key(), s.label()));
        let mut admission = Field::text(
            "admission_major",
            "录取专业（原专业）",
            &self.admission_major,
        );
        if !creating {
            admission = admission.hint("录取专业导入后不能修改；推优请修改“推优专业”");
        }
        [
            Field::text("name", "姓名", &self.name)
                .required()
                .hint("与身份证一致")
                .read_only(locked),
            Field::text("resident_id", "身份证号", &self.resident_id)
                .required()
                .hint("18位；末位X大小写均可")
                .read_only(locked),
            Field::text("ethnicity", "民族", &self.ethnicity)
                .required()
                .hint("如：汉族"),
            Field::text("joined_on", "入团时间", &self.joined_on)
                .required()
                .hint("按入团志愿书填写年月，如 2019-05")
                .read_only(locked),
            Field::text("development_no", "发展团员编号", &self.development_no)
                .hint("12位数字；2017年1月1日前入团的填“无”")
                .read_only(locked),
            Field::text("political_status", "政治面貌", &self.political_status)
                .choices(None, statuses),
            Field::text("student_no", "学号 / 工号", &self.student_no),
            Field::text("phone", "手机号码", &self.phone).kind("tel"),
            Field::text("email", "电子邮箱", &self.email).kind("email"),
            admission,
            Field::text("actual_major", "推优专业（实际专业）", &self.actual_major),
            Field::text("native_place", "籍贯", &self.native_place)
                .hint("按户口本填写，如：天津市南开区"),
            Field::text("education", "文化程度", &self.education).choices(
                Some("（未填写）"),
                EDUCATION_LEVELS.iter().map(|e| (*e, *e)),
            ),
            Field::text("offline_note", "线下管理说明", &self.offline_note)
                .hint("仅2017年前未满十四周岁入团、需线下管理的团员填写"),
        ]
        .into_iter()
        .map(|f| f.with_errors(errors))
        .collect()
    }

    fn from_view(m: &MemberView) -> Self {
        Self {
            branch_id: m.org_id,
            name: m.name.clone(),
            resident_id: m.resident_id.clone(),
            ethnicity: m.ethnicity.clone(),
            joined_on: m.joined_on.clone(),
            development_no: m.development_no.clone().unwrap_or_else(|| "无".into()),
            political_status: m.political_status.clone(),
            student_no: m.student_no.clone().unwrap_or_default(),
            phone: m.phone.clone().unwrap_or_default(),
            email: m.email.clone().unwrap_or_default(),
            admission_major: m.admission_major.clone().unwrap_or_default(),
            actual_major: m.actual_major.clone().unwrap_or_default(),
            native_place: m.native_place.clone().unwrap_or_default(),
            education: m.education.clone().unwrap_or_default(),
            offline_note: m.offline_note.clone().unwrap_or_default(),
            version: Some(m.version),
        }
    }
}

#[derive(Template)]
#[template(path = "member/form.html")]
struct FormPage {
    shell: Shell,
    heading: String,
    action: String,
    branch_id: i64,
    version: Option<i64>,
    /// The member whose identity fields are locked (verified): the page links to a correction.
    correction_for: Option<i64>,
    fields: Vec<Field>,
    general: Option<String>,
}

/// How the edit form treats a record: whether its identity fields are locked (from the view's
/// actions), and for which member.
#[derive(Clone, Copy, Default)]
struct Editing {
    member: Option<i64>,
    locked: bool,
}

impl Editing {
    fn of(m: &MemberView) -> Self {
        Self {
            member: Some(m.id),
            locked: !m.actions.edit_identity,
        }
    }
}

fn form_page(
    page: &PageActor,
    heading: String,
    action: String,
    form: &MemberForm,
    errors: FormErrors,
    editing: Option<Editing>,
) -> Response {
    let status = errors.status();
    let creating = editing.is_none();
    let e = editing.unwrap_or_default();
    let fields = form.fields(&errors, creating, e.locked);
    render(
        FormPage {
            shell: page.shell(heading.clone(), "orgs"),
            heading,
            action,
            branch_id: form.branch_id,
            version: form.version,
            correction_for: e.member.filter(|_| e.locked),
            fields,
            general: errors.general,
        },
        status,
    )
}

#[derive(Deserialize)]
pub struct NewQuery {
    branch_id: i64,
}

pub async fn new_page(
    State(ctx): State<Context>,
    page: PageActor,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let branch = org_uc::get(&ctx, &page.actor, OrgId(q.branch_id)).await?;
    let form = MemberForm {
        branch_id: branch.id,
        ethnicity: "汉族".into(),
        political_status: "league_member".into(),
        ..Default::default()
    };
    Ok(form_page(
        &page,
        format!("录入团员 · {}", branch.name),
        "/members/new".into(),
        &form,
        FormErrors::default(),
        None,
    ))
}

pub async fn create(
    State(ctx): State<Context>,
    Form((page, form)): Form<(PageActor, MemberForm)>,
) -> Result<Response, PageError> {
    let input = CreateMemberInput {
        branch_id: form.branch_id,
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
        actual_major: opt(&form.actual_major),
        native_place: opt(&form.native_place),
        education: opt(&form.education),
        offline_note: opt(&form.offline_note),
    };
    match uc::create(&ctx, &page.actor, input).await {
        Ok(m) => Ok(Redirect::to(&format!("/members/{}?saved=1", m.id)).into_response()),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            let branch = org_uc::get(&ctx, &page.actor, OrgId(form.branch_id)).await?;
            Ok(form_page(
                &page,
                format!("录入团员 · {}", branch.name),
                "/members/new".into(),
                &form,
                errors,
                None,
            ))
        }
    }
}

pub async fn edit_page(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    if !page.is_admin() {
        return Err(PageError::App(tuanwu_app::AppError::NotFound));
    }
    let m = uc::get(&ctx, &page.actor, MemberId(id)).await?;
    let form = MemberForm::from_view(&m);
    Ok(form_page(
        &page,
        format!("编辑团员 · {}", m.name),
        format!("/members/{id}/edit"),
        &form,
        FormErrors::default(),
        Some(Editing::of(&m)),
    ))
}

pub async fn update(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, MemberForm)>,
) -> Result<Response, PageError> {
    let input = UpdateMemberInput {
        name: opt(&form.name),
        resident_id: opt(&form.resident_id),
        ethnicity: opt(&form.ethnicity),
        joined_on: opt(&form.joined_on),
        development_no: opt(&form.development_no),
        political_status: opt(&form.political_status),
        student_no: opt(&form.student_no),
        phone: opt(&form.phone),
        email: opt(&form.email),
        admission_major: opt(&form.admission_major),
        actual_major: opt(&form.actual_major),
        native_place: opt(&form.native_place),
        education: opt(&form.education),
        offline_note: opt(&form.offline_note),
        version: form.version,
    };
    match uc::update(&ctx, &page.actor, MemberId(id), input).await {
        Ok(_) => Ok(Redirect::to(&format!("/members/{id}?saved=1")).into_response()),
        // Someone saved since this form was filled in: show what is stored now, to be edited
        // again, rather than the stale values.
        Err(tuanwu_app::AppError::Conflict {
            code: "stale_edit",
            message,
            ..
        }) => {
            let m = uc::get(&ctx, &page.actor, MemberId(id)).await?;
            let errors = FormErrors {
                general: Some(message),
                ..FormErrors::default()
            };
            let mut response = form_page(
                &page,
                format!("编辑团员 · {}", m.name),
                format!("/members/{id}/edit"),
                &MemberForm::from_view(&m),
                errors,
                Some(Editing::of(&m)),
            );
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            let m = uc::get(&ctx, &page.actor, MemberId(id)).await?;
            Ok(form_page(
                &page,
                format!("编辑团员 · {}", form.name),
                format!("/members/{id}/edit"),
                &form,
                errors,
                Some(Editing::of(&m)),
            ))
        }
    }
}
