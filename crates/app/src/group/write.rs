//! GRP-1: creating a group, renaming it or setting its leader, deleting it. Each writer is an
//! admin whose subtree holds the branch; delegated admins need `members` (`grant::needs`).

use serde::{Deserialize, Deserializer, Serialize};
use tuanwu_domain::group::{self as rules, Group};
use tuanwu_domain::{GroupId, MemberId, OrgId};
use tuanwu_store::group as store;
use utoipa::ToSchema;

use super::view::{view, GroupView};
use crate::audit::{self, AuditAction, Change};
use crate::grant::needs::{self, Write};
use crate::{roster, Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateGroupInput {
    /// 团小组名称, at most 32 characters.
    pub name: String,
}

/// Absent fields stay as they are; `"leader_id": null` leaves the group without a leader.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UpdateGroupInput {
    pub name: Option<String>,
    /// A current member of the group.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub leader_id: Option<Option<i64>>,
}

/// A field that is present, even as null.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// What the audit log keeps of a group.
#[derive(Serialize)]
struct GroupAudit<'a> {
    branch_id: i64,
    name: &'a str,
    leader_id: Option<i64>,
}

fn audit_of(g: &Group) -> GroupAudit<'_> {
    GroupAudit {
        branch_id: g.branch.0,
        name: &g.name,
        leader_id: g.leader.map(|l| l.0),
    }
}

pub async fn create(
    ctx: &Context,
    actor: &Actor,
    branch: OrgId,
    input: CreateGroupInput,
) -> Result<GroupView, AppError> {
    let tx = ctx.db.write().await?;
    let b = roster::live_branch(&*tx, actor, branch, "GRP-1").await?;
    needs::require(actor, Write::ManageGroups)?;
    let name = rules::name(&input.name)?;
    let siblings = store::of_branch(&*tx, actor.scope(), branch).await?;
    duplicate_name(&siblings, &name, None)?;
    let g = store::insert(&*tx, branch, name, ctx.clock.now()).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::GroupCreate, g.id.0)
            .org(branch.0)
            .after(audit_of(&g)),
    )
    .await?;
    let mut all = siblings;
    all.push(g.clone());
    let v = view(&*tx, actor, g, &b.name, &all).await?;
    tx.commit().await?;
    Ok(v)
}

fn duplicate_name(siblings: &[Group], name: &str, except: Option<GroupId>) -> Result<(), AppError> {
    if siblings
        .iter()
        .any(|g| g.name == name && Some(g.id) != except)
    {
        return Err(AppError::Conflict {
            code: "duplicate_group",
            message: format!("本团支部已有名为“{name}”的团小组：请换一个名称"),
            rule: Some("GRP-1"),
            field: None,
        });
    }
    Ok(())
}

/// Renames a group and/or sets its leader (a current member of the group).
pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: GroupId,
    input: UpdateGroupInput,
) -> Result<GroupView, AppError> {
    let tx = ctx.db.write().await?;
    let g = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    needs::require(actor, Write::ManageGroups)?;
    let siblings = store::of_branch(&*tx, actor.scope(), g.branch).await?;
    let name = match &input.name {
        Some(n) => {
            let n = rules::name(n)?;
            duplicate_name(&siblings, &n, Some(id))?;
            n
        }
        None => g.name.clone(),
    };
    let leader = match input.leader_id {
        None => g.leader,
        Some(None) => None,
        Some(Some(l)) => {
            let members: Vec<MemberId> = store::members(&*tx, id)
                .await?
                .into_iter()
                .map(|s| s.member)
                .collect();
            let leader = MemberId(l);
            let names = roster::names(&*tx, &[leader]).await?;
            let shown = match names.get(&leader) {
                Some(n) if actor.scope().root().is_some() => n.clone(),
                _ => format!("编号{l}的团员"),
            };
            g.check_leader(leader, &shown, &members)?;
            Some(leader)
        }
    };
    store::update(&*tx, id, &name, leader).await?;
    let updated = Group {
        name,
        leader,
        ..g.clone()
    };
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::GroupUpdate, id.0)
            .org(g.branch.0)
            .before(audit_of(&g))
            .after(audit_of(&updated)),
    )
    .await?;
    let branch_name = roster::org_name(&*tx, g.branch).await?;
    let v = view(&*tx, actor, updated, &branch_name, &siblings).await?;
    tx.commit().await?;
    Ok(v)
}

/// Deletes a group: its members leave it today; the group and their stays stay in history.
pub async fn delete(ctx: &Context, actor: &Actor, id: GroupId) -> Result<(), AppError> {
    let tx = ctx.db.write().await?;
    let g = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    needs::require(actor, Write::ManageGroups)?;
    store::delete(&*tx, id, ctx.clock.today(), ctx.clock.now()).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::GroupDelete, id.0)
            .org(g.branch.0)
            .before(audit_of(&g)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
