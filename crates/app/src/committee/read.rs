//! A branch's committee with its term and next due date, and the branches of a subtree whose
//! 换届 is overdue.

use serde::Serialize;
use tuanwu_domain::committee::Holder;
use tuanwu_domain::{MemberId, OrgId};
use tuanwu_store::committee as store;
use utoipa::ToSchema;

use super::rules::{due, term_years, CommitteeActions};
use crate::{roster, Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostView {
    /// `secretary`, `deputy_secretary`, `organisation`, `publicity`, `culture_sports`, `study`,
    /// `member`.
    pub post: String,
    /// 团支部书记, 组织委员, ….
    pub post_label: String,
    pub member_id: i64,
    pub name: String,
    /// YYYY-MM-DD: the term this holder started.
    pub started_on: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitteeView {
    pub branch_id: i64,
    pub branch_name: String,
    pub posts: Vec<PostView>,
    /// YYYY-MM-DD: the current term's start; null before a first 换届 is recorded.
    pub term_start: Option<String>,
    /// The term length for this branch (student branches 1 year, others 3; a setting).
    pub term_years: u8,
    /// YYYY-MM-DD: when the next 换届 is due.
    pub next_due: Option<String>,
    /// The due date has passed (or no term is on record).
    pub overdue: bool,
    pub actions: CommitteeActions,
}

pub(crate) fn post_views(
    holders: &[Holder],
    names: &std::collections::HashMap<MemberId, String>,
) -> Vec<PostView> {
    holders
        .iter()
        .map(|h| PostView {
            post: h.post.key().to_string(),
            post_label: h.post.label().to_string(),
            member_id: h.member.0,
            name: names.get(&h.member).cloned().unwrap_or_default(),
            started_on: h.started_on.to_string(),
        })
        .collect()
}

/// A branch's committee now.
pub async fn committee(
    ctx: &Context,
    actor: &Actor,
    branch: OrgId,
) -> Result<CommitteeView, AppError> {
    let c = ctx.db.conn();
    let b = roster::live_branch(c, actor, branch, "MTG-3").await?;
    let holders = store::current(c, actor.scope(), branch).await?;
    let ids: Vec<MemberId> = holders.iter().map(|h| h.member).collect();
    let names = roster::names(c, &ids).await?;
    let term_start = holders.iter().map(|h| h.started_on).max();
    let branch_type = b.branch_type;
    let years = term_years(&ctx.policy, b.college_id.is_some(), branch_type);
    let (next_due, overdue) = due(term_start, years, ctx.clock.today());
    Ok(CommitteeView {
        branch_id: b.id.0,
        branch_name: b.name,
        posts: post_views(&holders, &names),
        term_start: term_start.map(|d| d.to_string()),
        term_years: years,
        next_due: next_due.map(|d| d.to_string()),
        overdue,
        actions: CommitteeActions::of(actor),
    })
}

/// A branch of the subtree and its term.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermView {
    pub branch_id: i64,
    pub branch_name: String,
    pub branch_path: String,
    pub term_start: Option<String>,
    pub term_years: u8,
    pub next_due: Option<String>,
    pub overdue: bool,
}

/// The live branches under `org` whose 换届 is overdue (or was never recorded), by path.
pub async fn overdue(ctx: &Context, actor: &Actor, org: OrgId) -> Result<Vec<TermView>, AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, org).await?;
    let today = ctx.clock.today();
    Ok(store::terms_under(c, org)
        .await?
        .into_iter()
        .filter_map(|t| {
            let years = term_years(&ctx.policy, t.in_school, t.branch_type);
            let (next_due, overdue) = due(t.term_start, years, today);
            overdue.then(|| TermView {
                branch_id: t.branch.0,
                branch_name: t.name,
                branch_path: t.path,
                term_start: t.term_start.map(|d| d.to_string()),
                term_years: years,
                next_due: next_due.map(|d| d.to_string()),
                overdue,
            })
        })
        .collect())
}

/// What the committee page's forms offer: the roster and the branch's live 支委会 and 支部大会
/// records, newest first, labelled with date and topic.
pub struct TermPicks {
    pub roster: Vec<(i64, String)>,
    pub committee_meetings: Vec<(i64, String)>,
    pub assemblies: Vec<(i64, String)>,
}

pub async fn term_picks(
    ctx: &Context,
    actor: &Actor,
    branch: OrgId,
) -> Result<TermPicks, AppError> {
    use tuanwu_domain::meeting::MeetingKind;
    use tuanwu_store::meeting::{list, Filter};
    let c = ctx.db.conn();
    roster::live_branch(c, actor, branch, "MTG-3").await?;
    let of_kind = |kind: MeetingKind| Filter {
        org: branch,
        subtree: false,
        kind: Some(kind),
        from: None,
        before: None,
        deleted: false,
    };
    let label = |m: &tuanwu_domain::meeting::Meeting| {
        (
            m.id.0,
            format!(
                "{} {}",
                m.started_at.to_offset(crate::clock::CST).date(),
                m.topic
            ),
        )
    };
    let page = tuanwu_store::queries::Page::new(Some(1), Some(50));
    let (committees, _) = list(c, actor.scope(), &of_kind(MeetingKind::Committee), page).await?;
    let (assemblies, _) = list(c, actor.scope(), &of_kind(MeetingKind::Assembly), page).await?;
    Ok(TermPicks {
        roster: roster::roster(c, branch)
            .await?
            .into_iter()
            .map(|(id, n)| (id.0, n))
            .collect(),
        committee_meetings: committees.iter().map(label).collect(),
        assemblies: assemblies.iter().map(label).collect(),
    })
}
