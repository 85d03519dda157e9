//! Org pages: the tree with counts and breadcrumbs, create/edit, delete/restore, admins.

mod form;

pub use form::{create, edit_page, new_page, update};

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::org::{self as uc, AddAdminInput, AdminView, DeleteOrgInput, OrgView};
use tuanwu_app::Context;
use tuanwu_domain::{AccountId, OrgId};

use super::shell::{opt, render, Empty, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

pub struct Crumb {
    pub id: i64,
    pub name: String,
    pub link: bool,
}

#[derive(Template)]
#[template(path = "org/show.html")]
struct ShowPage {
    shell: Shell,
    org: OrgView,
    crumbs: Vec<Crumb>,
    children: Vec<(OrgView, Vec<OrgView>)>,
    deleted: Vec<OrgView>,
    admins: Vec<AdminView>,
    /// The actor administers a level above this org (delete, appoint admins).
    above: bool,
    errors: FormErrors,
}

async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: OrgId,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let org = uc::get(ctx, &page.actor, id).await?;
    let crumbs = uc::breadcrumbs(ctx, &page.actor, id)
        .await?
        .into_iter()
        .map(|(id, name, link)| Crumb { id, name, link })
        .collect();
    let all = uc::children(ctx, &page.actor, id, true).await?;
    let (deleted, live): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.deleted);
    let mut children = Vec::with_capacity(live.len());
    for c in live {
        let grandchildren = if c.child_count > 0 {
            uc::children(ctx, &page.actor, OrgId(c.id), false).await?
        } else {
            Vec::new()
        };
        children.push((c, grandchildren));
    }
    let admins = uc::list_admins(ctx, &page.actor, id).await?;
    let above = page.is_admin() && page.active.org_id != id.0;
    let shell = page.shell(org.name.clone(), "orgs");
    Ok(render(
        ShowPage {
            shell,
            org,
            crumbs,
            children,
            deleted,
            admins,
            above,
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
    show_page(&ctx, page, OrgId(id), FormErrors::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    reason: String,
}

pub async fn delete(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, DeleteForm)>,
) -> Result<Response, PageError> {
    let parent = uc::get(&ctx, &page.actor, OrgId(id)).await?.parent_id;
    match uc::delete(
        &ctx,
        &page.actor,
        OrgId(id),
        DeleteOrgInput {
            reason: Some(form.reason),
        },
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}", parent.unwrap_or(id))).into_response()),
        Err(e) => {
            let mut errors = FormErrors::from_app(e)?;
            if let Some(i) = errors.fields.iter().position(|(f, _)| f == "reason") {
                let (_, m) = errors.fields.remove(i);
                errors.general = Some(m);
            }
            show_page(
                &ctx,
                page,
                OrgId(id),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn restore(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let restored = uc::restore(&ctx, &page.actor, OrgId(id)).await?;
    Ok(Redirect::to(&format!("/orgs/{}", restored.id)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AdminForm {
    login: String,
    password: String,
    name: String,
}

pub async fn add_admin(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, AdminForm)>,
) -> Result<Response, PageError> {
    let input = AddAdminInput {
        login: opt(&form.login),
        password: opt(&form.password),
        name: opt(&form.name),
        member_id: None,
    };
    match uc::add_admin(&ctx, &page.actor, OrgId(id), input).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}#admins")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            show_page(
                &ctx,
                page,
                OrgId(id),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn remove_admin(
    State(ctx): State<Context>,
    ApiPath((id, account_id)): ApiPath<(OrgId, AccountId)>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    uc::remove_admin(&ctx, &page.actor, id, account_id).await?;
    Ok(Redirect::to(&format!("/orgs/{id}#admins")).into_response())
}
