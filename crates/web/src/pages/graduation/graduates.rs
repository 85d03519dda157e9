//! GRD-3 / GRD-5 pages: the graduates of a year.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::graduation::{
    self as uc, DelayedBatchInput, DelayedInput, DestinationInput, GraduateView, GraduatesQuery,
};
use tuanwu_app::org::{self as org_uc, OrgView};
use tuanwu_app::Context;
use tuanwu_domain::graduation::{Destination, ExceptionKind};
use tuanwu_domain::{MemberId, OrgId};

use super::{pager, pairs_get, pairs_ids, PER_PAGE};
use crate::extract::ApiPath;
use crate::pages::member::Pager;
use crate::pages::shell::{render, Form, FormErrors, PageActor, PageError, Shell};

#[derive(Template)]
#[template(path = "graduation/graduates.html")]
struct GraduatesPage {
    shell: Shell,
    org: OrgView,
    items: Vec<GraduateView>,
    pager: Pager,
    year: i32,
    q: String,
    exception: String,
    kinds: Vec<(&'static str, &'static str)>,
    destinations: Vec<(&'static str, &'static str)>,
    /// Some graduate shown may be marked, so the batch form has something to do.
    batch: bool,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct GraduatesForm {
    year: Option<String>,
    q: Option<String>,
    exception: Option<String>,
    page: Option<u64>,
    done: Option<String>,
}

async fn graduates_page(
    ctx: &Context,
    page: PageActor,
    id: OrgId,
    f: GraduatesForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let org = org_uc::get(ctx, &page.actor, id).await?;
    let year = f
        .year
        .as_deref()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or_else(|| ctx.clock.today().year());
    let q = f.q.unwrap_or_default();
    let exception = f.exception.unwrap_or_default();
    let page_no = f.page.unwrap_or(1).max(1);
    let (items, total) = uc::graduates(
        ctx,
        &page.actor,
        id,
        GraduatesQuery {
            year: Some(year),
            q: Some(q.clone()),
            exception: Some(exception.clone()),
            page: Some(page_no),
            per_page: Some(PER_PAGE),
        },
    )
    .await?;
    let base = serde_urlencoded::to_string([
        ("year", year.to_string()),
        ("q", q.clone()),
        ("exception", exception.clone()),
    ])
    .unwrap_or_default();
    let status = errors.status();
    let batch = items.iter().any(|g| g.actions.mark_delayed);
    let mut shell = page.shell(format!("{year}届毕业生 · {}", org.name), "orgs");
    shell.notice = match f.done.as_deref() {
        Some("delayed") => Some("已标记延迟毕业/教师".into()),
        Some("batch") => Some("批量标记已完成：未能标记的团员见下方说明".into()),
        Some("revoked") => Some("已撤销标记".into()),
        Some("destination") => Some("毕业去向已保存".into()),
        _ => None,
    };
    Ok(render(
        GraduatesPage {
            shell,
            org,
            items,
            pager: pager(page_no, total, base),
            year,
            q,
            exception,
            kinds: ExceptionKind::ALL
                .iter()
                .map(|k| (k.key(), k.label()))
                .collect(),
            destinations: Destination::ALL
                .iter()
                .map(|d| (d.key(), d.label()))
                .collect(),
            batch,
            errors,
        },
        status,
    ))
}

pub async fn graduates(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(f): Query<GraduatesForm>,
) -> Result<Response, PageError> {
    graduates_page(&ctx, page, id, f, FormErrors::default()).await
}

/// Where a graduate-list form goes back to: the list it was posted from.
struct Back {
    org: Option<i64>,
    year: String,
}

impl Back {
    fn of(pairs: &[(String, String)]) -> Self {
        Back {
            org: pairs_get(pairs, "back_org").trim().parse().ok(),
            year: pairs_get(pairs, "year").trim().to_string(),
        }
    }

    fn to(&self, member: MemberId, done: &str) -> Response {
        let target = match self.org {
            Some(org) => {
                let q = serde_urlencoded::to_string([("year", self.year.as_str()), ("done", done)])
                    .unwrap_or_default();
                format!("/orgs/{org}/graduates?{q}")
            }
            None => format!("/members/{member}"),
        };
        Redirect::to(&target).into_response()
    }

    async fn failed(
        &self,
        ctx: &Context,
        page: PageActor,
        e: tuanwu_app::AppError,
    ) -> Result<Response, PageError> {
        let mut errors = FormErrors::from_app(e)?;
        // The forms are small and many: the message goes to the top of the list.
        if errors.general.is_none() {
            errors.general = errors.fields.first().map(|(_, m)| m.clone());
        }
        let Some(org) = self.org else {
            return Err(PageError::App(tuanwu_app::AppError::Domain(
                tuanwu_domain::DomainError::new("form_failed", errors.general.unwrap_or_default()),
            )));
        };
        let f = GraduatesForm {
            year: Some(self.year.clone()),
            ..Default::default()
        };
        graduates_page(ctx, page, OrgId(org), f, errors).await
    }
}

/// One member: `expected`, `reason`, `kind`.
pub async fn delayed_one(
    State(ctx): State<Context>,
    ApiPath(member): ApiPath<MemberId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let back = Back::of(&pairs);
    let input = DelayedInput {
        expected: pairs_get(&pairs, "expected").to_string(),
        reason: pairs_get(&pairs, "reason").to_string(),
        kind: Some(pairs_get(&pairs, "kind").to_string()),
    };
    match uc::mark_delayed(&ctx, &page.actor, member, input).await {
        Ok(_) => Ok(back.to(member, "delayed")),
        Err(e) => back.failed(&ctx, page, e).await,
    }
}

/// The ticked members of a graduate list: `member_ids` pairs, `expected`, `reason`, `kind`.
pub async fn delayed_batch(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let back = Back {
        org: Some(id.0),
        year: pairs_get(&pairs, "year").trim().to_string(),
    };
    let input = DelayedBatchInput {
        member_ids: pairs_ids(&pairs, "member_ids"),
        expected: pairs_get(&pairs, "expected").to_string(),
        reason: pairs_get(&pairs, "reason").to_string(),
        kind: Some(pairs_get(&pairs, "kind").to_string()),
    };
    match uc::mark_delayed_batch(&ctx, &page.actor, input).await {
        Ok(r) if r.skipped.is_empty() => Ok(back.to(MemberId(0), "delayed")),
        Ok(r) => {
            let reasons: Vec<String> = r.skipped.iter().map(|s| s.reason.clone()).collect();
            let errors = FormErrors {
                fields: Vec::new(),
                general: Some(format!(
                    "已标记{}人；{}人未能标记：{}",
                    r.marked.len(),
                    r.skipped.len(),
                    reasons.join("；")
                )),
            };
            let f = GraduatesForm {
                year: Some(back.year.clone()),
                ..Default::default()
            };
            graduates_page(&ctx, page, id, f, errors).await
        }
        Err(e) => back.failed(&ctx, page, e).await,
    }
}

pub async fn revoke(
    State(ctx): State<Context>,
    ApiPath(member): ApiPath<MemberId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let back = Back::of(&pairs);
    match uc::revoke_delayed(&ctx, &page.actor, member).await {
        Ok(_) => Ok(back.to(member, "revoked")),
        Err(e) => back.failed(&ctx, page, e).await,
    }
}

pub async fn destination(
    State(ctx): State<Context>,
    ApiPath(member): ApiPath<MemberId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let back = Back::of(&pairs);
    let input = DestinationInput {
        destination: pairs_get(&pairs, "destination").to_string(),
        note: Some(pairs_get(&pairs, "note").to_string()),
    };
    match uc::set_destination(&ctx, &page.actor, member, input).await {
        Ok(_) => Ok(back.to(member, "destination")),
        Err(e) => back.failed(&ctx, page, e).await,
    }
}
