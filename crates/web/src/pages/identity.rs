//! Identity verification pages (ACC-8): an org's figures per status, each linking to the member
//! list behind it, and the offline-check forms posted from a member's page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::identity::{self as uc, ConfirmIdentityInput, IdentityStats};
use tuanwu_app::org::{self as org_uc, OrgView};
use tuanwu_app::Context;
use tuanwu_domain::{MemberId, OrgId};

use super::member::show_with_identity_errors;
use super::shell::{render, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

#[derive(Template)]
#[template(path = "identity/stats.html")]
struct StatsPage {
    shell: Shell,
    org: OrgView,
    stats: IdentityStats,
    /// An external verifier is configured (otherwise 线下通过 is how records become verified).
    external: bool,
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let stats = uc::stats(&ctx, &page.actor, OrgId(id)).await?;
    let org = org_uc::get(&ctx, &page.actor, OrgId(id)).await?;
    let external = ctx
        .policy
        .identity_verifier_url
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty());
    let shell = page.shell(format!("{} · 身份核验", org.name), "orgs");
    Ok(render(
        StatsPage {
            shell,
            org,
            stats,
            external,
        },
        StatusCode::OK,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    status: String,
    reason: String,
}

pub async fn confirm(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, ConfirmForm)>,
) -> Result<Response, PageError> {
    let input = ConfirmIdentityInput {
        status: form.status,
        reason: Some(form.reason),
    };
    match uc::confirm(&ctx, &page.actor, MemberId(id), input).await {
        Ok(_) => Ok(Redirect::to(&format!("/members/{id}?saved=identity")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            show_with_identity_errors(&ctx, page, MemberId(id), errors).await
        }
    }
}
