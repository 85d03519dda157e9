//! 操作记录: the audit log of the actor's scope, in words (SYS-1).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tuanwu_app::audit::{AuditView, FieldChange};
use tuanwu_app::{Context, Page};
use tuanwu_domain::OrgId;

use super::member::Pager;
use super::shell::{render, PageActor, PageError, Shell};

pub struct Row {
    pub at: String,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub target: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    shell: Shell,
    scope_name: String,
    entries: Vec<Row>,
    pager: Pager,
}

/// The words the use case put on the entry (`AuditView`); the page only lays them out.
impl From<AuditView> for Row {
    fn from(e: AuditView) -> Self {
        Row {
            at: super::when::minutes(&e.at),
            actor: e.actor_name,
            role: e.role_label,
            action: e.action_label,
            target: e.target,
            changes: e.changes,
        }
    }
}

#[derive(Deserialize)]
pub struct AuditQuery {
    org_id: Option<i64>,
    page: Option<u64>,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let page_no = q.page.unwrap_or(1).max(1);
    let (items, total) = tuanwu_app::audit::list(
        &ctx,
        &page.actor,
        q.org_id.map(OrgId),
        Page::new(Some(page_no), Some(50)),
    )
    .await?;
    let scope_name = match q.org_id {
        Some(id) => {
            tuanwu_app::org::get(&ctx, &page.actor, OrgId(id))
                .await?
                .name
        }
        None => page.active.org_name.clone(),
    };
    let base = q
        .org_id
        .map(|id| format!("org_id={id}"))
        .unwrap_or_default();
    let pager = Pager {
        page: page_no,
        pages: total.div_ceil(50).max(1),
        total,
        base,
    };
    let shell = page.shell("操作记录", "audit");
    Ok(render(
        AuditPage {
            shell,
            scope_name,
            entries: items.into_iter().map(Row::from).collect(),
            pager,
        },
        StatusCode::OK,
    ))
}
