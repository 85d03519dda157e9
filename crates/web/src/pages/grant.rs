//! Delegated permissions (ACC-4): the grants of an org's subtree with revoke buttons, and on a
//! college the form (student number, ticked permissions).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::grant::{self as uc, Candidate, GrantInput, GrantView, GrantsHere};
use tuanwu_app::org::{self as org_uc, OrgView};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::account::Permission;
use tuanwu_domain::{OrgId, RoleId};

use super::shell::{render, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

pub struct PermissionOption {
    pub key: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "grant/list.html")]
struct ListPage {
    shell: Shell,
    org: OrgView,
    grants: Vec<GrantView>,
    /// Whether the org is a college and the viewer may grant on it.
    here: GrantsHere,
    /// Some listed grant may be revoked (the column shows).
    revocable: bool,
    student_no: String,
    permissions: Vec<PermissionOption>,
    /// Members sharing the student number, to pick one.
    candidates: Vec<Candidate>,
    errors: FormErrors,
}

/// The posted grant form: `student_no`, `member_id` and one `permissions` pair per ticked box.
#[derive(Default)]
struct GrantForm {
    student_no: String,
    member_id: Option<i64>,
    permissions: Vec<String>,
}

impl GrantForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = GrantForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "student_no" => form.student_no = v,
                "member_id" => form.member_id = v.trim().parse().ok(),
                "permissions" => form.permissions.push(v),
                _ => {}
            }
        }
        form
    }
}

async fn list_page(
    ctx: &Context,
    page: PageActor,
    id: OrgId,
    form: GrantForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let org = org_uc::get(ctx, &page.actor, id).await?;
    let grants = uc::list(ctx, &page.actor, Some(id)).await?;
    let here = uc::here(ctx, &page.actor, id).await?;
    let revocable = grants.iter().any(|g| g.actions.revoke);
    let candidates = if errors.general.is_some() && !form.student_no.trim().is_empty() {
        let found = uc::candidates(ctx, &page.actor, id, &form.student_no).await?;
        if found.len() > 1 {
            found
        } else {
            Vec::new()
        }
    } else {
        Vec::new()
    };
    let permissions = Permission::ALL
        .iter()
        .map(|p| PermissionOption {
            key: p.key(),
            label: p.label(),
            checked: form
                .permissions
                .iter()
                .any(|k| k == p.key() || k == p.label()),
        })
        .collect();
    let status = errors.status();
    let mut shell = page.shell(format!("{} · 权限委托", org.name), "orgs");
    shell.notice = notice;
    Ok(render(
        ListPage {
            shell,
            org,
            grants,
            here,
            revocable,
            student_no: form.student_no,
            permissions,
            candidates,
            errors,
        },
        status,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    saved: Option<String>,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let notice = q.saved.map(|s| {
        match s.as_str() {
            "granted" => "已授权：被授权人重新登录或切换角色后，以“授权管理员”身份办理所授事项。",
            "revoked" => "已撤销授权，被授权人正在使用的授权管理员登录已结束。",
            _ => "已保存。",
        }
        .to_string()
    });
    list_page(
        &ctx,
        page,
        id,
        GrantForm::default(),
        FormErrors::default(),
        notice,
    )
    .await
}

pub async fn create(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let form = GrantForm::from_pairs(pairs);
    let input = GrantInput {
        student_no: form.student_no.clone(),
        college_id: id.0,
        permissions: form.permissions.clone(),
        member_id: form.member_id,
    };
    match uc::grant(&ctx, &page.actor, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}/grants?saved=granted")).into_response()),
        Err(e) => {
            let errors = match e {
                AppError::Conflict { message, .. } => FormErrors {
                    fields: Vec::new(),
                    general: Some(message),
                },
                other => FormErrors::from_app(other)?,
            };
            list_page(&ctx, page, id, form, errors, None).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RevokeForm {
    org_id: i64,
}

pub async fn revoke(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<RoleId>,
    Form((page, form)): Form<(PageActor, RevokeForm)>,
) -> Result<Response, PageError> {
    uc::revoke(&ctx, &page.actor, id).await?;
    Ok(Redirect::to(&format!("/orgs/{}/grants?saved=revoked", form.org_id)).into_response())
}
