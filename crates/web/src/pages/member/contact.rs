//! Issue 15 item 17: on 我的信息 a member changes their own phone and e-mail (nothing else),
//! through the same edit use case as an admin's edit: same checks, same writer, same audit.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::member::{self as uc, MemberView, UpdateMemberInput};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::MemberId;

use super::super::shell::{opt, Form, FormErrors, PageActor, PageError};
use super::{render_show, Shown};
use crate::extract::ApiPath;

/// The contact form as posted (kept after an error), with the version it was filled in from.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ContactForm {
    pub phone: String,
    pub email: String,
    pub version: Option<i64>,
}

/// The contact card of the member's own page.
pub struct Contact {
    pub phone: String,
    pub email: String,
    pub version: i64,
    pub errors: FormErrors,
}

impl Contact {
    pub fn of(m: &MemberView) -> Self {
        Self {
            phone: m.phone.clone().unwrap_or_default(),
            email: m.email.clone().unwrap_or_default(),
            version: m.version,
            errors: FormErrors::default(),
        }
    }
}

pub async fn contact(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, ContactForm)>,
) -> Result<Response, PageError> {
    let input = UpdateMemberInput {
        phone: opt(&form.phone),
        email: opt(&form.email),
        version: form.version,
        ..UpdateMemberInput::default()
    };
    let shown = match uc::update(&ctx, &page.actor, MemberId(id), input).await {
        Ok(_) => return Ok(Redirect::to(&format!("/members/{id}?saved=contact")).into_response()),
        // Changed meanwhile (another tab, or the branch): show what is stored now.
        Err(AppError::Conflict {
            code: "stale_edit",
            message,
            ..
        }) => Shown::Contact(
            None,
            FormErrors {
                general: Some(message),
                ..FormErrors::default()
            },
            StatusCode::CONFLICT,
        ),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            let status = errors.status();
            Shown::Contact(Some(form), errors, status)
        }
    };
    render_show(&ctx, page, MemberId(id), shown, None).await
}
