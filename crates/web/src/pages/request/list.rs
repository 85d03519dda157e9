//! The request lists: to decide (the default), about my records, and my own.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tuanwu_app::request::{self as uc, ListRequestsQuery, RequestView};
use tuanwu_app::Context;
use tuanwu_domain::request::RequestKind;

use crate::pages::member::Pager;
use crate::pages::shell::{render, PageActor, PageError, Shell};

#[derive(Template)]
#[template(path = "request/list.html")]
struct ListPage {
    shell: Shell,
    role: String,
    status: String,
    /// The request kind the list is filtered by (e.g. `archive_review`, the archive review
    /// queue), empty for all kinds.
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    q: String,
    items: Vec<RequestView>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
pub struct ListForm {
    role: Option<String>,
    status: Option<String>,
    kind: Option<String>,
    q: Option<String>,
    page: Option<u64>,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    let role = f.role.unwrap_or_else(|| "decider".into());
    let status = f.status.unwrap_or_else(|| {
        if role == "decider" {
            "pending".into()
        } else {
            String::new()
        }
    });
    let q = f.q.unwrap_or_default();
    let kind = f
        .kind
        .filter(|k| RequestKind::parse(k).is_ok())
        .unwrap_or_default();
    let page_no = f.page.unwrap_or(1).max(1);
    let query = ListRequestsQuery {
        role: Some(role.clone()),
        status: Some(status.clone()),
        kind: Some(kind.clone()),
        q: Some(q.clone()),
        page: Some(page_no),
        per_page: Some(50),
    };
    let (items, total) = uc::list(&ctx, &page.actor, query).await?;
    let base = serde_urlencoded::to_string([
        ("role", &role),
        ("status", &status),
        ("kind", &kind),
        ("q", &q),
    ])
    .unwrap_or_default();
    let pager = Pager {
        page: page_no,
        pages: total.div_ceil(50).max(1),
        total,
        base,
    };
    let (title, section) = if kind == RequestKind::ArchiveReview.key() {
        ("档案审核", "archives")
    } else {
        ("审批申请", "requests")
    };
    let shell = page.shell(title, section);
    Ok(render(
        ListPage {
            shell,
            role,
            status,
            kind,
            kinds: RequestKind::ALL
                .iter()
                .map(|k| (k.key(), k.label()))
                .collect(),
            q,
            items,
            pager,
        },
        StatusCode::OK,
    ))
}
