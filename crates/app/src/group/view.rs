//! A group as admins see it: its members now (with the leader marked), everyone who was in it
//! with their dates, and what the viewer may do.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::group::Group;
use tuanwu_domain::MemberId;
use tuanwu_store::group as store;
use utoipa::ToSchema;

use super::rules::{GroupActions, GroupsHere};
use crate::{roster, Actor, AppError};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupMemberView {
    pub member_id: i64,
    pub name: String,
    /// YYYY-MM-DD: in the group since.
    pub from_on: String,
    pub leader: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupStayView {
    pub member_id: i64,
    pub name: String,
    pub from_on: String,
    /// Absent while still in the group.
    pub to_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupSummary {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupView {
    pub id: i64,
    pub branch_id: i64,
    pub branch_name: String,
    pub name: String,
    pub leader_id: Option<i64>,
    pub leader_name: Option<String>,
    /// Current members, longest in the group first.
    pub members: Vec<GroupMemberView>,
    /// Every stay, current and past, latest first.
    pub history: Vec<GroupStayView>,
    /// The branch's other groups (where a member may be moved).
    pub other_groups: Vec<GroupSummary>,
    pub actions: GroupActions,
}

/// A branch's groups and its members in none of them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupsView {
    pub branch_id: i64,
    pub branch_name: String,
    pub items: Vec<GroupView>,
    /// Members of the branch in no group (whom `add_member` may add).
    pub ungrouped: Vec<GroupMemberView>,
    pub actions: GroupsHere,
}

/// The view of a group the actor read through its scope.
pub(crate) async fn view<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    g: Group,
    branch_name: &str,
    siblings: &[Group],
) -> Result<GroupView, AppError> {
    let current = store::members(c, g.id).await?;
    let history = store::history(c, g.id).await?;
    let ids: Vec<MemberId> = history.iter().map(|s| s.member).collect();
    let names = roster::names(c, &ids).await?;
    let name = |m: MemberId| names.get(&m).cloned().unwrap_or_default();
    let leader = g.leader.filter(|l| current.iter().any(|s| s.member == *l));
    let other_groups: Vec<GroupSummary> = siblings
        .iter()
        .filter(|o| o.id != g.id)
        .map(|o| GroupSummary {
            id: o.id.0,
            name: o.name.clone(),
        })
        .collect();
    Ok(GroupView {
        id: g.id.0,
        branch_id: g.branch.0,
        branch_name: branch_name.to_string(),
        leader_id: leader.map(|l| l.0),
        leader_name: leader.map(name),
        members: current
            .iter()
            .map(|s| GroupMemberView {
                member_id: s.member.0,
                name: name(s.member),
                from_on: s.from_on.to_string(),
                leader: leader == Some(s.member),
            })
            .collect(),
        history: history
            .iter()
            .map(|s| GroupStayView {
                member_id: s.member.0,
                name: name(s.member),
                from_on: s.from_on.to_string(),
                to_on: s.to_on.map(|d| d.to_string()),
            })
            .collect(),
        actions: GroupActions::of(actor, other_groups.len()),
        other_groups,
        name: g.name,
    })
}
