//! 工作台: the active role, its org, its level's own work first (issue 15 item 14: the
//! 学社衔接率 and unmarked branches for a school or the city, transfers and 待核验 for a college,
//! roster and this quarter's meetings for a branch), the counts and the to-do panel (SYS-2).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tuanwu_app::org::{self, Overview};
use tuanwu_app::request::{self, TodoView};
use tuanwu_app::workbench::{self, Level, Workbench};
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
    work: Option<Workbench>,
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
    let (overview, todos, work) = match page.is_admin() {
        true => (
            Some(org::overview(&ctx, &page.actor).await?),
            request::todos(&ctx, &page.actor).await?,
            Some(workbench::workbench(&ctx, &page.actor).await?),
        ),
        false => (None, Vec::new(), None),
    };
    let is_branch = work.as_ref().is_some_and(|w| w.level == Level::Branch);
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
            work,
        },
        StatusCode::OK,
    ))
}
