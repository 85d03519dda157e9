//! EVT-1: a branch's class committee (班委) — posts held by members of the branch — and its
//! class advisor (班导师), a member or a teacher outside the roster. Edited by the branch admin
//! (and those above), replaced as a whole.

use serde::{Deserialize, Serialize};
use tuanwu_domain::committee::{advisor_name, class_post, ClassPost};
use tuanwu_domain::{DomainError, MemberId, OrgId};
use tuanwu_store::committee as store;
use utoipa::ToSchema;

use super::rules::CommitteeActions;
use crate::audit::{self, AuditAction, Change};
use crate::grant::needs::{self, Write};
use crate::{roster, Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClassPostInput {
    /// 班长, 学习委员, …: at most 32 characters.
    pub post: String,
    /// A current member of the branch.
    pub member_id: i64,
}

/// The advisor: a member of the branch (`member_id`) or anyone by name (`name`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AdvisorInput {
    pub member_id: Option<i64>,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ClassCommitteeInput {
    pub posts: Vec<ClassPostInput>,
    pub advisor: Option<AdvisorInput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassPostView {
    pub post: String,
    pub member_id: Option<i64>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassCommitteeView {
    pub branch_id: i64,
    pub branch_name: String,
    pub posts: Vec<ClassPostView>,
    /// 班导师; `member_id` is null for a teacher outside the roster.
    pub advisor: Option<ClassPostView>,
    pub actions: CommitteeActions,
}

const ADVISOR_POST: &str = "班导师";

fn view(
    branch_id: i64,
    branch_name: String,
    rows: Vec<ClassPost>,
    actor: &Actor,
) -> ClassCommitteeView {
    let to_view = |p: ClassPost| ClassPostView {
        post: p.post,
        member_id: p.member.map(|m| m.0),
        name: p.name,
    };
    let (advisor, posts): (Vec<_>, Vec<_>) = rows.into_iter().partition(|p| p.advisor);
    ClassCommitteeView {
        branch_id,
        branch_name,
        posts: posts.into_iter().map(to_view).collect(),
        advisor: advisor.into_iter().next().map(to_view),
        actions: CommitteeActions::of(actor),
    }
}

pub async fn class_committee(
    ctx: &Context,
    actor: &Actor,
    branch: OrgId,
) -> Result<ClassCommitteeView, AppError> {
    let c = ctx.db.conn();
    let b = roster::live_branch(c, actor, branch, "EVT-1").await?;
    let rows = store::class_of(c, actor.scope(), branch).await?;
    Ok(view(b.id.0, b.name, rows, actor))
}

pub async fn set_class_committee(
    ctx: &Context,
    actor: &Actor,
    branch: OrgId,
    input: ClassCommitteeInput,
) -> Result<ClassCommitteeView, AppError> {
    let tx = ctx.db.write().await?;
    let b = roster::live_branch(&*tx, actor, branch, "EVT-1").await?;
    needs::require(actor, Write::EditClassCommittee)?;
    let before = store::class_of(&*tx, actor.scope(), branch).await?;
    let mut rows = Vec::with_capacity(input.posts.len() + 1);
    for p in &input.posts {
        let post = class_post(&p.post)?;
        let (member, name) =
            roster::member_of(&*tx, actor, &b, p.member_id, "posts", "EVT-1").await?;
        if rows.iter().any(|r: &ClassPost| r.post == post) {
            return Err(DomainError::new(
                "duplicate_post",
                format!("“{post}”填写了不止一次：每个班委职务只填一人"),
            )
            .rule("EVT-1")
            .field("posts")
            .into());
        }
        rows.push(ClassPost {
            post,
            member: Some(member),
            name,
            advisor: false,
        });
    }
    if let Some(a) = &input.advisor {
        let (member, name): (Option<MemberId>, String) = match (a.member_id, a.name.as_deref()) {
            (Some(id), _) => {
                let (m, n) = roster::member_of(&*tx, actor, &b, id, "advisor", "EVT-1").await?;
                (Some(m), n)
            }
            (None, Some(n)) => (None, advisor_name(n)?),
            (None, None) => (None, advisor_name("")?),
        };
        rows.push(ClassPost {
            post: ADVISOR_POST.to_string(),
            member,
            name,
            advisor: true,
        });
    }
    store::replace_class(&*tx, branch, &rows, ctx.clock.now()).await?;
    let audit_rows = |rs: &[ClassPost]| -> Vec<ClassPostView> {
        rs.iter()
            .map(|p| ClassPostView {
                post: p.post.clone(),
                member_id: p.member.map(|m| m.0),
                name: p.name.clone(),
            })
            .collect()
    };
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::ClassCommitteeUpdate, b.id.0)
            .org(b.id.0)
            .before(audit_rows(&before))
            .after(audit_rows(&rows)),
    )
    .await?;
    tx.commit().await?;
    Ok(view(b.id.0, b.name, rows, actor))
}
