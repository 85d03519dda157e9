//! Events and trainings (EVT-2), phone-first: the list (members sign up or cancel; organisers
//! publish), and the organiser's sign-up list with attendance and the sheet. Buttons come only
//! from the views' `actions`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::event::{
    self as uc, AttendanceInput, EventView, EventsHere, PublishInput, SignupsView,
};
use tuanwu_app::Context;
use tuanwu_domain::{EventId, OrgId};

use super::group::one_line;
use super::shell::{render, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

#[derive(Template)]
#[template(path = "event/list.html")]
struct ListPage {
    shell: Shell,
    items: Vec<EventView>,
    here: EventsHere,
    org_id: i64,
    form: PublishForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    org_id: Option<i64>,
    saved: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PublishForm {
    pub org_id: String,
    pub title: String,
    pub starts_at: String,
    pub place: String,
    pub capacity: String,
    pub signup_deadline: String,
    pub audience: String,
}

async fn list_page(
    ctx: &Context,
    page: PageActor,
    org: Option<OrgId>,
    form: PublishForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let items = uc::list(ctx, &page.actor, org).await?;
    let here = EventsHere::of(&page.actor);
    let org_id = org.unwrap_or(page.actor.org_id()).0;
    let mut shell = page.shell("活动与培训", "events");
    shell.notice = notice;
    let status = errors.status();
    Ok(render(
        ListPage {
            shell,
            items,
            here,
            org_id,
            form,
            errors,
        },
        status,
    ))
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let notice = q.saved.map(|s| match s.as_str() {
        "signed" => "报名成功。".to_string(),
        "cancelled" => "已取消报名。".to_string(),
        _ => "已发布。".to_string(),
    });
    list_page(
        &ctx,
        page,
        q.org_id.map(OrgId),
        PublishForm::default(),
        FormErrors::default(),
        notice,
    )
    .await
}

pub async fn publish(
    State(ctx): State<Context>,
    Form((page, f)): Form<(PageActor, PublishForm)>,
) -> Result<Response, PageError> {
    let org_id = f.org_id.trim().parse().unwrap_or(page.actor.org_id().0);
    let capacity = f.capacity.trim().parse().ok();
    let input = PublishInput {
        org_id,
        title: f.title.clone(),
        starts_at: f.starts_at.clone(),
        place: f.place.clone(),
        capacity,
        signup_deadline: f.signup_deadline.clone(),
        audience: f.audience.clone(),
    };
    match uc::publish(&ctx, &page.actor, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/events?org_id={org_id}&saved=1")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            list_page(&ctx, page, Some(OrgId(org_id)), f, errors, None).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Empty {}

pub async fn sign_up(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<EventId>,
    Form((page, _)): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    match uc::sign_up(&ctx, &page.actor, id).await {
        Ok(_) => Ok(Redirect::to("/events?saved=signed").into_response()),
        Err(e) => {
            let errors = one_line(e)?;
            list_page(&ctx, page, None, PublishForm::default(), errors, None).await
        }
    }
}

pub async fn cancel(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<EventId>,
    Form((page, _)): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    match uc::cancel(&ctx, &page.actor, id).await {
        Ok(_) => Ok(Redirect::to("/events?saved=cancelled").into_response()),
        Err(e) => {
            let errors = one_line(e)?;
            list_page(&ctx, page, None, PublishForm::default(), errors, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "event/signups.html")]
struct SignupsPage {
    shell: Shell,
    s: SignupsView,
    errors: FormErrors,
}

async fn signups_page(
    ctx: &Context,
    page: PageActor,
    id: EventId,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let s = uc::signups(ctx, &page.actor, id).await?;
    let mut shell = page.shell(format!("{} · 报名名单", s.event.title), "events");
    shell.notice = notice;
    let status = errors.status();
    Ok(render(SignupsPage { shell, s, errors }, status))
}

pub async fn signups(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<EventId>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let notice = q.saved.map(|_| "出席情况已保存。".to_string());
    signups_page(&ctx, page, id, FormErrors::default(), notice).await
}

pub async fn attendance(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<EventId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let attended_ids = pairs
        .iter()
        .filter(|(k, _)| k == "attended")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    match uc::record_attendance(&ctx, &page.actor, id, AttendanceInput { attended_ids }).await {
        Ok(_) => Ok(Redirect::to(&format!("/events/{id}/signups?saved=1")).into_response()),
        Err(e) => {
            let errors = one_line(e)?;
            signups_page(&ctx, page, id, errors, None).await
        }
    }
}
