//! A branch's committee page (MTG-3, EVT-1), phone-first: the 支委会 with its term and next 换届
//! due date, the term-change form linking the branch's 支委会 and 支部大会 records, and the
//! class committee with its advisor. Forms show only when the view's `actions` allow them.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use tuanwu_app::committee::class::{AdvisorInput, ClassPostInput};
use tuanwu_app::committee::{
    self as uc, ClassCommitteeInput, ClassCommitteeView, CommitteeView, ElectedPost,
    TermChangeInput,
};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::committee::CommitteePost;
use tuanwu_domain::OrgId;

use super::group::one_line;
use super::shell::{render, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

/// Rows the forms offer (a committee has at most seven; so do most class committees).
const ROWS: usize = 7;

#[derive(Template)]
#[template(path = "committee/show.html")]
struct ShowPage {
    shell: Shell,
    c: CommitteeView,
    class: ClassCommitteeView,
    /// (id, name) of the branch's members, for the pickers.
    roster: Vec<(i64, String)>,
    /// (id, label) of the branch's 支委会 and 支部大会 records, newest first.
    committee_meetings: Vec<(i64, String)>,
    assemblies: Vec<(i64, String)>,
    posts: Vec<(&'static str, &'static str)>,
    rows: Vec<usize>,
    warnings: Vec<String>,
    errors: FormErrors,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

async fn page_of(
    ctx: &Context,
    page: PageActor,
    branch: OrgId,
    errors: FormErrors,
    notice: Option<String>,
    warnings: Vec<String>,
) -> Result<Response, PageError> {
    let c = uc::committee(ctx, &page.actor, branch).await?;
    let class = uc::class_committee(ctx, &page.actor, branch).await?;
    let picks = uc::term_picks(ctx, &page.actor, branch).await?;
    let mut shell = page.shell(format!("{} · 支委会", c.branch_name), "orgs");
    shell.notice = notice;
    let status = errors.status();
    Ok(render(
        ShowPage {
            shell,
            c,
            class,
            roster: picks.roster,
            committee_meetings: picks.committee_meetings,
            assemblies: picks.assemblies,
            posts: CommitteePost::ALL
                .iter()
                .map(|p| (p.key(), p.label()))
                .collect(),
            rows: (1..=ROWS).collect(),
            warnings,
            errors,
        },
        status,
    ))
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(q): Query<Saved>,
) -> Result<Response, PageError> {
    let notice = q.saved.map(|_| "已保存。".to_string());
    page_of(&ctx, page, id, FormErrors::default(), notice, Vec::new()).await
}

fn value(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

fn id_of(pairs: &[(String, String)], key: &str) -> Option<i64> {
    value(pairs, key).parse().ok()
}

fn missing(field: &'static str, message: &str) -> AppError {
    AppError::Domain(tuanwu_domain::DomainError::new("required", message).field(field))
}

pub async fn change_term(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let r = async {
        let committee_meeting_id = id_of(&pairs, "committee_meeting_id")
            .ok_or_else(|| missing("committee_meeting_id", "请选择酝酿换届的支委会记录"))?;
        let assembly_id = id_of(&pairs, "assembly_id")
            .ok_or_else(|| missing("assembly_id", "请选择选举的支部大会记录"))?;
        let posts = (1..=ROWS)
            .filter_map(|i| {
                let member_id = id_of(&pairs, &format!("member_{i}"))?;
                Some(ElectedPost {
                    post: value(&pairs, &format!("post_{i}")),
                    member_id,
                })
            })
            .collect();
        let input = TermChangeInput {
            committee_meeting_id,
            assembly_id,
            posts,
        };
        uc::change_term(&ctx, &page.actor, id, input).await
    }
    .await;
    match r {
        Ok(v) if v.warnings.is_empty() => {
            Ok(Redirect::to(&format!("/orgs/{id}/committee?saved=1")).into_response())
        }
        Ok(v) => {
            let notice = Some("换届已记录。".to_string());
            page_of(&ctx, page, id, FormErrors::default(), notice, v.warnings).await
        }
        Err(e) => {
            let errors = one_line(e)?;
            page_of(&ctx, page, id, errors, None, Vec::new()).await
        }
    }
}

pub async fn set_class(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let posts = (1..=ROWS)
        .filter_map(|i| {
            let member_id = id_of(&pairs, &format!("class_member_{i}"))?;
            Some(ClassPostInput {
                post: value(&pairs, &format!("class_post_{i}")),
                member_id,
            })
        })
        .collect();
    let advisor = match (
        id_of(&pairs, "advisor_member"),
        value(&pairs, "advisor_name"),
    ) {
        (Some(m), _) => Some(AdvisorInput {
            member_id: Some(m),
            name: None,
        }),
        (None, n) if !n.is_empty() => Some(AdvisorInput {
            member_id: None,
            name: Some(n),
        }),
        _ => None,
    };
    match uc::set_class_committee(
        &ctx,
        &page.actor,
        id,
        ClassCommitteeInput { posts, advisor },
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}/committee?saved=1#class")).into_response()),
        Err(e) => {
            let errors = one_line(e)?;
            page_of(&ctx, page, id, errors, None, Vec::new()).await
        }
    }
}
