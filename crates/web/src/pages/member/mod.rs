//! Member pages: the list of an org, a member's page (with the member's own contact details),
//! search, password; entry and edit are in `edit.rs`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::member::{self as uc, ListQuery, MemberSummary, MemberView, SetPasswordInput};
use tuanwu_app::org::{self as org_uc, OrgView};
use tuanwu_app::{Context, Page};
use tuanwu_domain::account::{IdentityCheck, Permission};
use tuanwu_domain::{MemberId, OrgId};

use super::shell::{render, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

mod contact;
mod edit;

pub use contact::contact;
pub use edit::{create, edit_page, new_page, update};

const PER_PAGE: u64 = 50;

pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    /// The query string without `page`, to build links.
    pub base: String,
}

impl Pager {
    fn new(page: u64, total: u64, base: String) -> Self {
        Self {
            page,
            pages: total.div_ceil(PER_PAGE).max(1),
            total,
            base,
        }
    }
}

#[derive(Template)]
#[template(path = "member/list.html")]
struct ListPage {
    shell: Shell,
    org: OrgView,
    members: Vec<MemberSummary>,
    pager: Pager,
    sort: String,
    subtree: bool,
    /// ACC-8: the identity-check status the list is filtered by, and its label.
    identity: String,
    identity_label: String,
    /// The search box's text (name or student number).
    q: String,
    /// The 所在团支部 column: not on a branch's own list, where every row would repeat it.
    show_branch: bool,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let org = org_uc::get(&ctx, &page.actor, OrgId(id)).await?;
    let subtree = q.subtree.unwrap_or(!org.is_branch);
    let sort = q.sort.clone().unwrap_or_else(|| "name".into());
    let page_no = q.page.unwrap_or(1).max(1);
    let identity = q.identity.clone().unwrap_or_default();
    let text = q.q.as_deref().unwrap_or_default().trim().to_string();
    let query = ListQuery {
        page: Some(page_no),
        per_page: Some(PER_PAGE),
        subtree: Some(subtree),
        sort: Some(sort.clone()),
        identity: Some(identity.clone()),
        q: Some(text.clone()),
    };
    let listed = uc::list(&ctx, &page.actor, OrgId(id), query).await?;
    let (members, total) = (listed.items.clone(), listed.total);
    let identity_label = IdentityCheck::parse(&identity)
        .map(|s| s.label().to_string())
        .unwrap_or_default();
    let identity = if identity_label.is_empty() {
        String::new()
    } else {
        identity
    };
    let base = serde_urlencoded::to_string([
        ("sort", sort.as_str()),
        ("subtree", if subtree { "true" } else { "false" }),
        ("identity", identity.as_str()),
        ("q", text.as_str()),
    ])
    .unwrap_or_default();
    let pager = Pager::new(page_no, total, base);
    let show_branch = !org.is_branch;
    let shell = page.shell(format!("{} · 团员名单", org.name), "orgs");
    Ok(render(
        ListPage {
            shell,
            org,
            members,
            pager,
            sort,
            subtree,
            identity,
            identity_label,
            q: text,
            show_branch,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "member/show.html")]
struct ShowPage {
    shell: Shell,
    m: MemberView,
    can_edit: bool,
    errors: FormErrors,
    /// ACC-8: the offline-check forms are shown (an admin allowed to, a record not verified).
    can_confirm_identity: bool,
    identity_errors: FormErrors,
    /// ARC-1 … ARC-4: the archive section (pages/archive.rs), when the actor may see it.
    archives: Option<super::archive::ArchiveCard>,
    /// The member's own phone and e-mail form, on their own page only.
    contact: Option<contact::Contact>,
}

/// Which form of the member page was posted and failed, if any.
pub(crate) enum Shown {
    Fresh,
    Password(FormErrors),
    Identity(FormErrors),
    /// The contact form: the posted values (none: show what is stored), errors, status.
    Contact(Option<contact::ContactForm>, FormErrors, StatusCode),
}

async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: MemberId,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let shown = if errors.any() {
        Shown::Password(errors)
    } else {
        Shown::Fresh
    };
    render_show(ctx, page, id, shown, notice).await
}

/// The member page with the errors of its identity-check forms (ACC-8).
pub(crate) async fn show_with_identity_errors(
    ctx: &Context,
    page: PageActor,
    id: MemberId,
    identity_errors: FormErrors,
) -> Result<Response, PageError> {
    render_show(ctx, page, id, Shown::Identity(identity_errors), None).await
}

async fn render_show(
    ctx: &Context,
    page: PageActor,
    id: MemberId,
    shown: Shown,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let m = uc::get(ctx, &page.actor, id).await?;
    let own = page.actor.scope().own_member() == Some(id);
    let mut contact = own.then(|| contact::Contact::of(&m));
    let (mut errors, mut identity_errors) = (FormErrors::default(), FormErrors::default());
    let mut contact_status = None;
    match shown {
        Shown::Fresh => {}
        Shown::Password(e) => errors = e,
        Shown::Identity(e) => identity_errors = e,
        Shown::Contact(posted, e, status) => {
            if let Some(c) = contact.as_mut() {
                if let Some(p) = posted {
                    c.phone = p.phone;
                    c.email = p.email;
                    c.version = p.version.unwrap_or(c.version);
                }
                c.errors = e;
            }
            contact_status = Some(status);
        }
    }
    let can_edit = page.is_admin();
    let can_confirm_identity = page.actor.require(Permission::Identity).is_ok()
        && m.is_active()
        && !IdentityCheck::parse(&m.identity_check).is_ok_and(IdentityCheck::is_verified);
    let status = match contact_status {
        Some(s) => s,
        None if identity_errors.any() => identity_errors.status(),
        None => errors.status(),
    };
    let archives = super::archive::card(ctx, &page, id).await?;
    let mut shell = page.shell(m.name.clone(), if can_edit { "orgs" } else { "me" });
    shell.notice = notice;
    Ok(render(
        ShowPage {
            shell,
            m,
            can_edit,
            errors,
            can_confirm_identity,
            identity_errors,
            archives,
            contact,
        },
        status,
    ))
}

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let notice = q.saved.map(|s| match s.as_str() {
        "password" => "密码已设置，该团员下次登录时须修改密码。".to_string(),
        "identity" => "身份核验结果已保存。".to_string(),
        "archive" => "档案已上传；需要审核的已提交上级组织审核。".to_string(),
        "contact" => "联系方式已保存。".to_string(),
        _ => "已保存。".to_string(),
    });
    show_page(&ctx, page, MemberId(id), FormErrors::default(), notice).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    password: String,
}

pub async fn set_password(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, PasswordForm)>,
) -> Result<Response, PageError> {
    match uc::set_password(
        &ctx,
        &page.actor,
        MemberId(id),
        SetPasswordInput {
            password: form.password,
        },
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/members/{id}?saved=password")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            show_page(&ctx, page, MemberId(id), errors, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "member/search.html")]
struct SearchPage {
    shell: Shell,
    q: String,
    members: Option<Vec<MemberSummary>>,
    pager: Pager,
    error: Option<String>,
    /// Results come from every branch in scope: the 所在团支部 column is shown.
    show_branch: bool,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    page: Option<u64>,
}

pub async fn search(
    State(ctx): State<Context>,
    page: PageActor,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let text = q.q.unwrap_or_default();
    let page_no = q.page.unwrap_or(1).max(1);
    let (members, total, error) = if text.trim().is_empty() {
        (None, 0, None)
    } else {
        match uc::search(
            &ctx,
            &page.actor,
            &text,
            Page::new(Some(page_no), Some(PER_PAGE)),
        )
        .await
        {
            Ok((items, total)) => (Some(items), total, None),
            Err(e) => (
                None,
                0,
                FormErrors::from_app(e)?.fields.pop().map(|(_, m)| m),
            ),
        }
    };
    let pager = Pager::new(
        page_no,
        total,
        format!(
            "q={}",
            serde_urlencoded::to_string([("", &text)])
                .unwrap_or_default()
                .trim_start_matches('=')
        ),
    );
    let shell = page.shell("查找团员", "search");
    Ok(render(
        SearchPage {
            shell,
            q: text,
            members,
            pager,
            error,
            show_branch: true,
        },
        StatusCode::OK,
    ))
}
