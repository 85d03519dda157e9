//! 工作台: the active role, its org, the counts and the to-do panel (SYS-2).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tuanwu_app::org::{self, Overview};
use tuanwu_app::request::{self, TodoView};
use tuanwu_app::Context;

use super::shell::{render, PageActor, PageError, Shell};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    overview: Option<Overview>,
    todos: Vec<TodoView>,
    org_path: String,
    is_branch: bool,
}

#[derive(Deserialize)]
pub struct HomeQuery {
    notice: Option<String>,
}

pub async fn home(
    State(ctx): State<Context>,
    page: PageActor,
    Query(q): Query<HomeQuery>,
) -> Result<Response, PageError> {
    let (overview, todos) = match page.is_admin() {
        true => (
            Some(org::overview(&ctx, &page.actor).await?),
            request::todos(&ctx, &page.actor).await?,
        ),
        false => (None, Vec::new()),
    };
    let is_branch = page.active.role == "branch_admin" || page.active.role == "member";
    let mut shell = page.shell("工作台", "home");
    shell.notice = match q.notice.as_deref() {
        Some("password") => Some("密码已修改。".into()),
        _ => None,
    };
    Ok(render(
        HomePage {
            shell,
            overview,
            todos,
            org_path: page.active.org_path.clone(),
            is_branch,
        },
        StatusCode::OK,
    ))
}
