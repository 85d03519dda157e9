//! A group, and a branch's groups with the members in none.

use std::collections::HashSet;

use tuanwu_domain::{GroupId, OrgId};
use tuanwu_store::group as store;

use super::rules::{may_manage, GroupsHere};
use super::view::{view, GroupMemberView, GroupView, GroupsView};
use crate::{roster, Actor, AppError, Context};

/// A group the actor's scope reaches, with its members and history.
pub async fn get(ctx: &Context, actor: &Actor, id: GroupId) -> Result<GroupView, AppError> {
    let c = ctx.db.conn();
    let g = store::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let siblings = store::of_branch(c, actor.scope(), g.branch).await?;
    let branch_name = roster::org_name(c, g.branch).await?;
    view(c, actor, g, &branch_name, &siblings).await
}

/// A branch's groups, and its members in none of them.
pub async fn of_branch(
    ctx: &Context,
    actor: &Actor,
    branch: OrgId,
) -> Result<GroupsView, AppError> {
    let c = ctx.db.conn();
    let b = roster::live_branch(c, actor, branch, "GRP-1").await?;
    let groups = store::of_branch(c, actor.scope(), branch).await?;
    let mut items = Vec::with_capacity(groups.len());
    for g in &groups {
        items.push(view(c, actor, g.clone(), &b.name, &groups).await?);
    }
    let grouped: HashSet<i64> = items
        .iter()
        .flat_map(|g| g.members.iter().map(|m| m.member_id))
        .collect();
    let ungrouped = roster::roster(c, branch)
        .await?
        .into_iter()
        .filter(|(id, _)| !grouped.contains(&id.0))
        .map(|(id, name)| GroupMemberView {
            member_id: id.0,
            name,
            from_on: String::new(),
            leader: false,
        })
        .collect();
    Ok(GroupsView {
        branch_id: b.id.0,
        branch_name: b.name,
        items,
        ungrouped,
        actions: GroupsHere {
            create: may_manage(actor),
        },
    })
}
