//! Cadre pages (ACC-10): an org's cadres in post and former, adding one (a member found by
//! name or student number in scope), ending a post, removing an entry made in error.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::cadre::{self as uc, AddCadreInput, CadreView, CadresHere, EndCadreInput};
use tuanwu_app::member::MemberSummary;
use tuanwu_app::org::{self as org_uc, OrgView};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::{CadreId, OrgId};

use super::shell::{render, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

#[derive(Template)]
#[template(path = "cadre/list.html")]
struct ListPage {
    shell: Shell,
    org: OrgView,
    current: Vec<CadreView>,
    past: Vec<CadreView>,
    /// What the viewer may do on the page (the add form).
    here: CadresHere,
    /// Some row of the table offers an action (the column shows).
    current_ops: bool,
    past_ops: bool,
    /// What the member search looked for, and what it found (None before a search).
    q: String,
    found: Option<Vec<MemberSummary>>,
    search_error: Option<String>,
    form: AddForm,
    errors: FormErrors,
    today: String,
}

/// The add form as typed; kept after an error. `q` carries the search so its results show again.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddForm {
    pub q: String,
    pub member_id: String,
    pub post: String,
    pub started_on: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    saved: Option<String>,
}

fn any_ops(rows: &[CadreView]) -> bool {
    rows.iter().any(|c| c.actions.end || c.actions.remove)
}

/// An error that is not about a form field, as one line for the top of the page.
fn message_of(e: AppError) -> Result<FormErrors, PageError> {
    let mut errors = FormErrors::from_app(e)?;
    if errors.general.is_none() {
        errors.general = errors.fields.first().map(|(_, m)| m.clone());
    }
    Ok(errors)
}

async fn list_page(
    ctx: &Context,
    page: PageActor,
    id: OrgId,
    form: AddForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let org = org_uc::get(ctx, &page.actor, id).await?;
    let (current, past): (Vec<_>, Vec<_>) = uc::list(ctx, &page.actor, id)
        .await?
        .into_iter()
        .partition(|c| c.current);
    let here = uc::here(ctx, &page.actor, id).await?;
    let (found, search_error) = if here.add && !form.q.trim().is_empty() {
        match uc::candidates(ctx, &page.actor, &form.q).await {
            Ok(items) => (Some(items), None),
            Err(e) => (None, message_of(e)?.general),
        }
    } else {
        (None, None)
    };
    let status = errors.status();
    let mut shell = page.shell(format!("{} · 团干部", org.name), "orgs");
    shell.notice = notice;
    Ok(render(
        ListPage {
            shell,
            org,
            current_ops: any_ops(&current),
            past_ops: any_ops(&past),
            current,
            past,
            here,
            q: form.q.clone(),
            found,
            search_error,
            form,
            errors,
            today: ctx.clock.today().to_string(),
        },
        status,
    ))
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let notice = q.saved.map(|s| {
        match s.as_str() {
            "added" => "已添加到团干部名单。",
            "ended" => "已记录离任。",
            "removed" => "已删除该条记录。",
            _ => "已保存。",
        }
        .to_string()
    });
    let form = AddForm {
        q: q.q,
        ..Default::default()
    };
    list_page(&ctx, page, id, form, FormErrors::default(), notice).await
}

pub async fn add(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, form)): Form<(PageActor, AddForm)>,
) -> Result<Response, PageError> {
    let member_id = match form.member_id.trim().parse::<i64>() {
        Ok(m) => m,
        Err(_) => {
            let errors = FormErrors {
                fields: vec![(
                    "member_id".into(),
                    "请先按姓名或学号查找团员，再从结果中选择一人".into(),
                )],
                general: None,
            };
            return list_page(&ctx, page, id, form, errors, None).await;
        }
    };
    let input = AddCadreInput {
        member_id,
        post: form.post.clone(),
        started_on: form.started_on.clone(),
    };
    match uc::add(&ctx, &page.actor, id, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}/cadres?saved=added")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            list_page(&ctx, page, id, form, errors, None).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EndForm {
    org_id: i64,
    ended_on: String,
}

pub async fn end(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<CadreId>,
    Form((page, form)): Form<(PageActor, EndForm)>,
) -> Result<Response, PageError> {
    let input = EndCadreInput {
        ended_on: form.ended_on,
    };
    match uc::end(&ctx, &page.actor, id, input).await {
        Ok(c) => {
            Ok(Redirect::to(&format!("/orgs/{}/cadres?saved=ended", c.org_id)).into_response())
        }
        Err(e) => {
            let errors = message_of(e)?;
            list_page(
                &ctx,
                page,
                OrgId(form.org_id),
                AddForm::default(),
                errors,
                None,
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RemoveForm {
    org_id: i64,
}

pub async fn remove(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<CadreId>,
    Form((page, form)): Form<(PageActor, RemoveForm)>,
) -> Result<Response, PageError> {
    uc::remove(&ctx, &page.actor, id).await?;
    Ok(Redirect::to(&format!("/orgs/{}/cadres?saved=removed", form.org_id)).into_response())
}
