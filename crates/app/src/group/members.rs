//! GRP-1: adding, removing and moving one member at a time. A move is one step (the member's
//! stay in one group ends and the next starts the same day), never a dissolution.

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use time::Date;
use tuanwu_domain::group::Group;
use tuanwu_domain::{DomainError, GroupId, MemberId};
use tuanwu_store::group as store;
use utoipa::ToSchema;

use super::view::{view, GroupView};
use crate::audit::{self, AuditAction, Change};
use crate::grant::needs::{self, Write};
use crate::{roster, Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddMemberInput {
    /// A member of the group's branch who is in no group.
    pub member_id: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveInput {
    /// Another group of the same branch.
    pub group_id: i64,
}

#[derive(Serialize)]
struct StayAudit<'a> {
    member_id: i64,
    member_name: &'a str,
    group_id: i64,
    to_group_id: Option<i64>,
}

/// The group through the actor's scope, and the write allowed.
async fn load<C: ConnectionTrait>(c: &C, actor: &Actor, id: GroupId) -> Result<Group, AppError> {
    let g = store::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    needs::require(actor, Write::ManageGroups)?;
    Ok(g)
}

async fn answer<C: ConnectionTrait>(c: &C, actor: &Actor, g: Group) -> Result<GroupView, AppError> {
    let siblings = store::of_branch(c, actor.scope(), g.branch).await?;
    let branch_name = roster::org_name(c, g.branch).await?;
    view(c, actor, g, &branch_name, &siblings).await
}

/// Adds a member of the branch who is in no group of it.
pub async fn add_member(
    ctx: &Context,
    actor: &Actor,
    id: GroupId,
    input: AddMemberInput,
) -> Result<GroupView, AppError> {
    let today = ctx.clock.today();
    let tx = ctx.db.write().await?;
    let g = load(&*tx, actor, id).await?;
    let b = roster::live_branch(&*tx, actor, g.branch, "GRP-1").await?;
    let (member, name) =
        roster::member_of(&*tx, actor, &b, input.member_id, "member_id", "GRP-1").await?;
    if let Some(stay) = store::current_of(&*tx, member).await? {
        if stay.branch == g.branch {
            let in_group = store::find(&*tx, actor.scope(), stay.group)
                .await?
                .map(|o| o.name)
                .unwrap_or_default();
            return Err(AppError::Conflict {
                code: "already_in_group",
                message: format!(
                    "“{name}”已在“{in_group}”：一名团员只能在本支部的一个团小组，请用“调到其他小组”一步调动"
                ),
                rule: Some("GRP-1"),
                field: None,
            });
        }
        // A stay in a group of a branch the member has since left: it ended when they left.
        store::leave(&*tx, member, today).await?;
    }
    store::join(&*tx, id, g.branch, member, today, ctx.clock.now()).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::GroupAddMember, id.0)
            .org(g.branch.0)
            .after(StayAudit {
                member_id: member.0,
                member_name: &name,
                group_id: id.0,
                to_group_id: None,
            }),
    )
    .await?;
    let v = answer(&*tx, actor, g).await?;
    tx.commit().await?;
    Ok(v)
}

/// The member's stay in this group, or a refusal naming them.
async fn stay_in<C: ConnectionTrait>(
    c: &C,
    g: &Group,
    member: MemberId,
) -> Result<String, AppError> {
    let inside = store::members(c, g.id)
        .await?
        .iter()
        .any(|s| s.member == member);
    let name = roster::names(c, &[member])
        .await?
        .remove(&member)
        .unwrap_or_else(|| format!("编号{member}的团员"));
    if !inside {
        return Err(DomainError::new(
            "not_in_group",
            format!("“{name}”不在“{}”中：请刷新页面后再操作", g.name),
        )
        .rule("GRP-1")
        .field("member_id")
        .into());
    }
    Ok(name)
}

/// Removes a member from the group (their stay ends today).
pub async fn remove_member(
    ctx: &Context,
    actor: &Actor,
    id: GroupId,
    member: MemberId,
) -> Result<GroupView, AppError> {
    let tx = ctx.db.write().await?;
    let g = load(&*tx, actor, id).await?;
    let name = stay_in(&*tx, &g, member).await?;
    store::leave(&*tx, member, ctx.clock.today()).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::GroupRemoveMember, id.0)
            .org(g.branch.0)
            .before(StayAudit {
                member_id: member.0,
                member_name: &name,
                group_id: id.0,
                to_group_id: None,
            }),
    )
    .await?;
    let g = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let v = answer(&*tx, actor, g).await?;
    tx.commit().await?;
    Ok(v)
}

/// Moves a member of this group to another group of the same branch, in one step. Answers
/// the group the member is now in.
pub async fn move_member(
    ctx: &Context,
    actor: &Actor,
    id: GroupId,
    member: MemberId,
    input: MoveInput,
) -> Result<GroupView, AppError> {
    let today = ctx.clock.today();
    let tx = ctx.db.write().await?;
    let g = load(&*tx, actor, id).await?;
    let name = stay_in(&*tx, &g, member).await?;
    let target = store::find(&*tx, actor.scope(), GroupId(input.group_id))
        .await?
        .filter(|t| t.branch == g.branch && t.id != g.id)
        .ok_or_else(|| {
            AppError::from(
                DomainError::new(
                    "invalid_target_group",
                    format!(
                        "只能调到本团支部的另一个团小组：请从“{}”所在支部的其他小组中选择",
                        g.name
                    ),
                )
                .rule("GRP-1")
                .field("group_id"),
            )
        })?;
    store::leave(&*tx, member, today).await?;
    store::join(
        &*tx,
        target.id,
        target.branch,
        member,
        today,
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::GroupMoveMember, id.0)
            .org(g.branch.0)
            .after(StayAudit {
                member_id: member.0,
                member_name: &name,
                group_id: id.0,
                to_group_id: Some(target.id.0),
            }),
    )
    .await?;
    let v = answer(&*tx, actor, target).await?;
    tx.commit().await?;
    Ok(v)
}

/// A member leaves their branch (transfer, deletion): their stay in its group ends that day.
/// Called inside the transaction that moves or deletes them; the caller checked everything.
pub async fn leave_branch<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    on: Date,
) -> Result<(), AppError> {
    store::leave(c, member, on).await?;
    Ok(())
}
