//! GRP-1: groups (团小组) and who was in them when. Reads an actor makes take their `Scope`: a
//! group is reached through its branch, inside the admin's subtree.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use time::{Date, OffsetDateTime};
use tuanwu_domain::group::{Group, Membership};
use tuanwu_domain::{GroupId, MemberId, OrgId};

use crate::entity::{group, group_membership, member};
use crate::queries::in_subtree;
use crate::scope::Scope;

use group::Column as G;
use group_membership::Column as M;

fn record(m: group::Model) -> Group {
    Group {
        id: GroupId(m.id),
        branch: OrgId(m.branch_id),
        name: m.name,
        leader: m.leader_id.map(MemberId),
        deleted_at: m.deleted_at,
    }
}

fn stay(m: group_membership::Model) -> Membership {
    Membership {
        group: GroupId(m.group_id),
        branch: OrgId(m.branch_id),
        member: MemberId(m.member_id),
        from_on: m.from_on,
        to_on: m.to_on,
    }
}

/// A live group whose branch the scope reaches; anything else is `None`, like a missing one.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: GroupId,
) -> Result<Option<Group>, DbErr> {
    let Some(root) = scope.root() else {
        return Ok(None);
    };
    Ok(group::Entity::find()
        .filter(G::Id.eq(id.0))
        .filter(G::DeletedAt.is_null())
        .filter(in_subtree(G::BranchId, root.0))
        .one(c)
        .await?
        .map(record))
}

/// A branch's live groups, oldest first.
pub async fn of_branch<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    branch: OrgId,
) -> Result<Vec<Group>, DbErr> {
    let Some(root) = scope.root() else {
        return Ok(Vec::new());
    };
    Ok(group::Entity::find()
        .filter(G::BranchId.eq(branch.0))
        .filter(G::DeletedAt.is_null())
        .filter(in_subtree(G::BranchId, root.0))
        .order_by_asc(G::Id)
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

/// A new group of a branch the caller checked is in scope.
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    branch: OrgId,
    name: String,
    now: OffsetDateTime,
) -> Result<Group, DbErr> {
    let row = group::ActiveModel {
        branch_id: Set(branch.0),
        name: Set(name),
        leader_id: Set(None),
        deleted_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(record(row))
}

/// Name and leader of a group the caller read through its scope.
pub async fn update<C: ConnectionTrait>(
    c: &C,
    id: GroupId,
    name: &str,
    leader: Option<MemberId>,
) -> Result<(), DbErr> {
    group::Entity::update_many()
        .col_expr(G::Name, Expr::value(name))
        .col_expr(G::LeaderId, Expr::value(leader.map(|m| m.0)))
        .filter(G::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// Deletes a group the caller read through its scope: its members leave it on `on`, and the
/// group stays for the history.
pub async fn delete<C: ConnectionTrait>(
    c: &C,
    id: GroupId,
    on: Date,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    group_membership::Entity::update_many()
        .col_expr(M::ToOn, Expr::value(on))
        .filter(M::GroupId.eq(id.0))
        .filter(M::ToOn.is_null())
        .exec(c)
        .await?;
    group::Entity::update_many()
        .col_expr(G::DeletedAt, Expr::value(now))
        .filter(G::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// The group's current members: open stays of members still active in the group's branch (a
/// member who left the branch by a path that did not close the stay is not listed).
pub async fn members<C: ConnectionTrait>(c: &C, id: GroupId) -> Result<Vec<Membership>, DbErr> {
    let still_here = Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .and_where(
            Expr::col((member::Entity, member::Column::OrgId))
                .equals((group_membership::Entity, M::BranchId)),
        )
        .and_where(Expr::col((member::Entity, member::Column::Status)).eq("active"))
        .to_owned();
    Ok(group_membership::Entity::find()
        .filter(M::GroupId.eq(id.0))
        .filter(M::ToOn.is_null())
        .filter(M::MemberId.in_subquery(still_here))
        .order_by_asc(M::FromOn)
        .order_by_asc(M::Id)
        .all(c)
        .await?
        .into_iter()
        .map(stay)
        .collect())
}

/// Every stay in the group, current and past, latest first.
pub async fn history<C: ConnectionTrait>(c: &C, id: GroupId) -> Result<Vec<Membership>, DbErr> {
    Ok(group_membership::Entity::find()
        .filter(M::GroupId.eq(id.0))
        .order_by_desc(M::FromOn)
        .order_by_desc(M::Id)
        .all(c)
        .await?
        .into_iter()
        .map(stay)
        .collect())
}

/// The member's open stay, in whichever group. The caller has found the member in scope.
pub async fn current_of<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
) -> Result<Option<Membership>, DbErr> {
    Ok(group_membership::Entity::find()
        .filter(M::MemberId.eq(member.0))
        .filter(M::ToOn.is_null())
        .one(c)
        .await?
        .map(stay))
}

/// Starts a stay. The open-stay unique index refuses a second one for the member.
pub async fn join<C: ConnectionTrait>(
    c: &C,
    group: GroupId,
    branch: OrgId,
    member: MemberId,
    on: Date,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    group_membership::ActiveModel {
        group_id: Set(group.0),
        branch_id: Set(branch.0),
        member_id: Set(member.0),
        from_on: Set(on),
        to_on: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

/// Ends the member's open stay (if any) on `on`; a leader who leaves is no longer leader.
/// Also what a member leaving their branch calls (transfer, deletion): it takes no scope
/// because the caller has already decided the member leaves.
pub async fn leave<C: ConnectionTrait>(c: &C, member: MemberId, on: Date) -> Result<bool, DbErr> {
    let ended = group_membership::Entity::update_many()
        .col_expr(M::ToOn, Expr::value(on))
        .filter(M::MemberId.eq(member.0))
        .filter(M::ToOn.is_null())
        .exec(c)
        .await?
        .rows_affected;
    group::Entity::update_many()
        .col_expr(G::LeaderId, Expr::value(Option::<i64>::None))
        .filter(G::LeaderId.eq(member.0))
        .exec(c)
        .await?;
    Ok(ended > 0)
}

/// A group's name, deleted groups included. Unscoped: the audit log names the groups of entries
/// already read through the reader's scope (like `member::of_record`).
pub async fn name_of<C: ConnectionTrait>(c: &C, id: GroupId) -> Result<Option<String>, DbErr> {
    Ok(group::Entity::find_by_id(id.0)
        .one(c)
        .await?
        .map(|g| g.name))
}
