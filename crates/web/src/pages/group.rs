//! Groups of a branch (GRP-1), phone-first: the groups with their members, a new group, adding a
//! member who is in none, removing one, moving one to another group in one step, the leader.
//! Buttons come only from the views' `actions`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::group::{
    self as uc, AddMemberInput, CreateGroupInput, GroupsView, MoveInput, UpdateGroupInput,
};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::{GroupId, MemberId, OrgId};

use super::shell::{render, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

#[derive(Template)]
#[template(path = "group/list.html")]
struct ListPage {
    shell: Shell,
    v: GroupsView,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

/// An answer that is not about one field, as the page's one line.
pub(crate) fn one_line(e: AppError) -> Result<FormErrors, PageError> {
    let mut errors = FormErrors::from_app(e)?;
    if errors.general.is_none() {
        errors.general = errors.fields.first().map(|(_, m)| m.clone());
    }
    Ok(errors)
}

async fn page_of(
    ctx: &Context,
    page: PageActor,
    branch: OrgId,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let v = uc::of_branch(ctx, &page.actor, branch).await?;
    let mut shell = page.shell(format!("{} · 团小组", v.branch_name), "orgs");
    shell.notice = notice;
    let status = errors.status();
    Ok(render(ListPage { shell, v, errors }, status))
}

fn back(branch: i64) -> Response {
    Redirect::to(&format!("/orgs/{branch}/groups?saved=1")).into_response()
}

async fn done(
    ctx: &Context,
    page: PageActor,
    branch: i64,
    r: Result<(), AppError>,
) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(back(branch)),
        Err(e) => {
            let errors = one_line(e)?;
            page_of(ctx, page, OrgId(branch), errors, None).await
        }
    }
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(q): Query<Saved>,
) -> Result<Response, PageError> {
    let notice = q.saved.map(|_| "已保存。".to_string());
    page_of(&ctx, page, id, FormErrors::default(), notice).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NameForm {
    name: String,
}

pub async fn create(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, f)): Form<(PageActor, NameForm)>,
) -> Result<Response, PageError> {
    let r = uc::create(&ctx, &page.actor, id, CreateGroupInput { name: f.name })
        .await
        .map(|_| ());
    done(&ctx, page, id.0, r).await
}

/// Every group form names the branch, so the page can come back with an error.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    branch_id: i64,
    member_id: String,
    group_id: String,
}

fn number(raw: &str, field: &'static str, message: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| {
        AppError::Domain(tuanwu_domain::DomainError::new("required", message).field(field))
    })
}

pub async fn add_member(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<GroupId>,
    Form((page, f)): Form<(PageActor, MemberForm)>,
) -> Result<Response, PageError> {
    let r = async {
        let member_id = number(&f.member_id, "member_id", "请先选择要加入的团员")?;
        uc::add_member(&ctx, &page.actor, id, AddMemberInput { member_id })
            .await
            .map(|_| ())
    }
    .await;
    done(&ctx, page, f.branch_id, r).await
}

pub async fn remove_member(
    State(ctx): State<Context>,
    ApiPath((id, member)): ApiPath<(GroupId, MemberId)>,
    Form((page, f)): Form<(PageActor, MemberForm)>,
) -> Result<Response, PageError> {
    let r = uc::remove_member(&ctx, &page.actor, id, member)
        .await
        .map(|_| ());
    done(&ctx, page, f.branch_id, r).await
}

pub async fn move_member(
    State(ctx): State<Context>,
    ApiPath((id, member)): ApiPath<(GroupId, MemberId)>,
    Form((page, f)): Form<(PageActor, MemberForm)>,
) -> Result<Response, PageError> {
    let r = async {
        let group_id = number(&f.group_id, "group_id", "请选择要调入的团小组")?;
        uc::move_member(&ctx, &page.actor, id, member, MoveInput { group_id })
            .await
            .map(|_| ())
    }
    .await;
    done(&ctx, page, f.branch_id, r).await
}

pub async fn set_leader(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<GroupId>,
    Form((page, f)): Form<(PageActor, MemberForm)>,
) -> Result<Response, PageError> {
    let r = async {
        let leader = number(&f.member_id, "leader_id", "请选择组长")?;
        let input = UpdateGroupInput {
            name: None,
            leader_id: Some(Some(leader)),
        };
        uc::update(&ctx, &page.actor, id, input).await.map(|_| ())
    }
    .await;
    done(&ctx, page, f.branch_id, r).await
}

pub async fn delete(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<GroupId>,
    Form((page, f)): Form<(PageActor, MemberForm)>,
) -> Result<Response, PageError> {
    let r = uc::delete(&ctx, &page.actor, id).await;
    done(&ctx, page, f.branch_id, r).await
}
