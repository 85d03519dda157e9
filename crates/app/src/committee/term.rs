//! MTG-3: a term change (换届). It links a 支委会 record (the preparation) and a 支部大会 record
//! (the election) of the branch, and in one transaction replaces the committee and updates the
//! branch's cadre list (ACC-10): the old holders' committee posts end the day before the
//! election, the elected start that day. Holders are current members of the branch; a branch of
//! seven or more electing fewer than three or more than seven is warned, not refused.

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use tuanwu_domain::cadre::NewCadre;
use tuanwu_domain::committee::{check_posts, size_warning, CommitteePost};
use tuanwu_domain::meeting::{Meeting, MeetingKind};
use tuanwu_domain::{DomainError, MeetingId, MemberId, OrgId};
use tuanwu_store::cadre as cadres;
use tuanwu_store::committee::{self as store, NewTermChange};
use tuanwu_store::meeting;
use utoipa::ToSchema;

use super::read::{committee, CommitteeView};
use crate::audit::{self, AuditAction, Change};
use crate::clock::CST;
use crate::grant::needs::{self, Write};
use crate::{roster, Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ElectedPost {
    /// `secretary`, `deputy_secretary`, `organisation`, `publicity`, `culture_sports`, `study`,
    /// `member` (or the Chinese name).
    pub post: String,
    /// A current member of the branch.
    pub member_id: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TermChangeInput {
    /// The 支委会 record that prepared the election, of this branch.
    pub committee_meeting_id: i64,
    /// The 支部大会 record that elected, of this branch; its date starts the new term.
    pub assembly_id: i64,
    pub posts: Vec<ElectedPost>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermChangeView {
    pub id: i64,
    pub branch_id: i64,
    /// YYYY-MM-DD: the election, and the new term's start.
    pub held_on: String,
    pub committee_meeting_id: i64,
    pub assembly_id: i64,
    /// The committee as it is now.
    pub committee: CommitteeView,
    /// Recorded, but worth a second look (e.g. the committee's size).
    pub warnings: Vec<String>,
}

/// A linked record: the branch's own, not deleted, of the kind the link needs.
async fn linked<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    branch: &tuanwu_domain::org::Org,
    id: i64,
    kind: MeetingKind,
    field: &'static str,
) -> Result<Meeting, AppError> {
    let refuse = |code: &'static str, message: String| -> AppError {
        DomainError::new(code, message)
            .rule("MTG-3")
            .field(field)
            .into()
    };
    let want = kind.label();
    let Some(m) = meeting::find(c, actor.scope(), MeetingId(id)).await? else {
        return Err(refuse(
            "meeting_not_found",
            format!(
                "找不到编号为{id}的会议记录：请选择“{}”的{want}记录",
                branch.name
            ),
        ));
    };
    let when = m.started_at.to_offset(CST).date();
    if m.org != branch.id {
        let other = roster::org_name(c, m.org).await?;
        return Err(refuse(
            "meeting_of_other_branch",
            format!(
                "“{}”（{when}）是“{other}”的会议记录，不是“{}”的：请选择本团支部的{want}记录",
                m.topic, branch.name
            ),
        ));
    }
    if m.deleted {
        return Err(refuse(
            "meeting_deleted",
            format!(
                "“{}”（{when}）的记录已删除：请选择本团支部现有的{want}记录",
                m.topic
            ),
        ));
    }
    if m.kind != kind {
        return Err(refuse(
            "wrong_meeting_kind",
            format!(
                "“{}”（{when}）是{}记录，不是{want}：换届须关联一次支委会（酝酿）和一次支部大会（选举）",
                m.topic,
                m.kind.label()
            ),
        ));
    }
    Ok(m)
}

pub async fn change_term(
    ctx: &Context,
    actor: &Actor,
    branch: OrgId,
    input: TermChangeInput,
) -> Result<TermChangeView, AppError> {
    let tx = ctx.db.write().await?;
    let b = roster::live_branch(&*tx, actor, branch, "MTG-3").await?;
    needs::require(actor, Write::ChangeTerm)?;
    let prep = linked(
        &*tx,
        actor,
        &b,
        input.committee_meeting_id,
        MeetingKind::Committee,
        "committee_meeting_id",
    )
    .await?;
    let election = linked(
        &*tx,
        actor,
        &b,
        input.assembly_id,
        MeetingKind::Assembly,
        "assembly_id",
    )
    .await?;
    let held_on = election.started_at.to_offset(CST).date();
    let mut posts: Vec<(CommitteePost, MemberId)> = Vec::with_capacity(input.posts.len());
    let mut names = Vec::with_capacity(input.posts.len());
    for p in &input.posts {
        let post = CommitteePost::parse(&p.post).map_err(|e| e.rule("MTG-3").field("posts"))?;
        let (member, name) =
            roster::member_of(&*tx, actor, &b, p.member_id, "posts", "MTG-3").await?;
        posts.push((post, member));
        names.push(name);
    }
    check_posts(&posts)?;
    let old = store::current(&*tx, actor.scope(), branch).await?;
    if let Some(start) = old.iter().map(|h| h.started_on).max() {
        if held_on <= start {
            return Err(DomainError::new(
                "election_before_term",
                format!(
                    "所选支部大会（{held_on}）不晚于现任支委会的任期开始（{start}）：请选择本次换届选举的支部大会记录"
                ),
            )
            .rule("MTG-3")
            .field("assembly_id")
            .into());
        }
    }
    let mut elected: Vec<MemberId> = posts.iter().map(|(_, m)| *m).collect();
    elected.sort_unstable();
    elected.dedup();
    let size = roster::size(&*tx, branch).await?;
    let warnings: Vec<String> = size_warning(size, elected.len()).into_iter().collect();

    let id = store::change_term(
        &*tx,
        NewTermChange {
            branch,
            committee_meeting: prep.id.0,
            assembly: election.id.0,
            held_on,
            created_by: actor.account(),
            created_at: ctx.clock.now(),
        },
        &posts,
    )
    .await?;
    // ACC-10: the committee posts on the branch's cadre list follow the committee.
    let end = held_on.previous_day().unwrap_or(held_on);
    let labels: Vec<&str> = CommitteePost::ALL.iter().map(|p| p.label()).collect();
    let mut ended = Vec::new();
    for c in cadres::of_org(&*tx, actor.scope(), branch).await? {
        if c.is_current() && labels.contains(&c.post.as_str()) {
            cadres::set_end(&*tx, c.id, end.max(c.started_on)).await?;
            ended.push(serde_json::json!({"member_id": c.member.0, "post": c.post}));
        }
    }
    for (post, member) in &posts {
        cadres::insert(
            &*tx,
            NewCadre {
                org: branch,
                member: *member,
                post: post.label().to_string(),
                started_on: held_on,
                created_at: ctx.clock.now(),
            },
        )
        .await?;
    }
    let elected_audit: Vec<_> = posts
        .iter()
        .zip(&names)
        .map(|((p, m), n)| serde_json::json!({"post": p.key(), "member_id": m.0, "name": n}))
        .collect();
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::TermChangeRecord, id.0)
            .org(branch.0)
            .after(serde_json::json!({
                "held_on": held_on.to_string(),
                "committee_meeting_id": prep.id.0,
                "assembly_id": election.id.0,
                "elected": elected_audit,
                "cadres_ended": ended,
                "warnings": warnings,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(TermChangeView {
        id: id.0,
        branch_id: branch.0,
        held_on: held_on.to_string(),
        committee_meeting_id: prep.id.0,
        assembly_id: election.id.0,
        committee: committee(ctx, actor, branch).await?,
        warnings,
    })
}
