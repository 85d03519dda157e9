//! A branch and its members as the branch-life areas (groups, committee, class committee,
//! events) read them: the one place these areas reach members and orgs.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use tuanwu_domain::member::MemberStatus;
use tuanwu_domain::org::{Org, OrgKind, OrgStatus};
use tuanwu_domain::{DomainError, MemberId, OrgId};
use tuanwu_store::member::{Sort, Within};
use tuanwu_store::queries::Page;

use crate::{Actor, AppError};

/// A live branch the actor's scope reaches (else NotFound; an org that is not a branch, or a
/// deleted one, is refused saying so).
pub(crate) async fn live_branch<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: OrgId,
    rule: &'static str,
) -> Result<Org, AppError> {
    let o = tuanwu_store::org::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.kind != OrgKind::Branch {
        return Err(DomainError::new(
            "not_a_branch",
            format!(
                "“{}”不是团支部：团小组、支委会和班委只在团支部设立，请进入具体的团支部办理",
                o.name
            ),
        )
        .rule(rule)
        .into());
    }
    if o.status == OrgStatus::Deleted {
        return Err(DomainError::new(
            "org_deleted",
            format!("“{}”已被删除：请先由上级组织恢复后再办理", o.name),
        )
        .rule(rule)
        .into());
    }
    Ok(o)
}

/// The org's name, for views (the caller read something of it through its scope).
pub(crate) async fn org_name<C: ConnectionTrait>(c: &C, id: OrgId) -> Result<String, AppError> {
    Ok(tuanwu_store::org::get(c, id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

/// A current member of the branch, with their name; anyone else is refused naming them when
/// the actor may see them, and by number otherwise.
pub(crate) async fn member_of<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    branch: &Org,
    id: i64,
    field: &'static str,
    rule: &'static str,
) -> Result<(MemberId, String), AppError> {
    // Unscoped: a member outside the actor's scope is refused without being named.
    let m = tuanwu_store::member::of_record(c, MemberId(id)).await?;
    if let Some(m) = &m {
        if m.org_id == branch.id && m.status == MemberStatus::Active {
            return Ok((m.id, m.name.clone()));
        }
    }
    let visible = match &m {
        Some(m) => actor.scope().contains(c, m.org_id).await?,
        None => false,
    };
    let message = match m {
        Some(m) if visible => format!(
            "“{}”不是“{}”的团员：只能选择本团支部现有的团员",
            m.name, branch.name
        ),
        _ => format!(
            "在“{}”中找不到编号为{id}的团员：请从本团支部的团员名单中选择",
            branch.name
        ),
    };
    Err(DomainError::new("not_a_branch_member", message)
        .rule(rule)
        .field(field)
        .into())
}

/// Names of members (anyone, past or present: records keep the people who later left).
pub(crate) async fn names<C: ConnectionTrait>(
    c: &C,
    ids: &[MemberId],
) -> Result<HashMap<MemberId, String>, AppError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(tuanwu_store::cadre::members(c, &ids)
        .await?
        .into_iter()
        .map(|(id, m)| (id, m.name))
        .collect())
}

/// The branch's current members by name (a branch fits in one page of 200).
pub(crate) async fn roster<C: ConnectionTrait>(
    c: &C,
    branch: OrgId,
) -> Result<Vec<(MemberId, String)>, AppError> {
    let (rows, _) = tuanwu_store::member::list(
        c,
        Within::Org(branch),
        None,
        None,
        Sort::Name,
        Page::new(Some(1), Some(200)),
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// Names of members and of their branches now (sign-up lists show where each comes from).
pub(crate) async fn people<C: ConnectionTrait>(
    c: &C,
    ids: &[MemberId],
) -> Result<HashMap<MemberId, (String, String)>, AppError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let members = tuanwu_store::cadre::members(c, &ids).await?;
    let mut branch_ids: Vec<OrgId> = members.values().map(|m| m.org_id).collect();
    branch_ids.sort_unstable();
    branch_ids.dedup();
    let branches: HashMap<OrgId, String> = tuanwu_store::org::get_many(c, &branch_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(members
        .into_iter()
        .map(|(id, m)| {
            let b = branches.get(&m.org_id).cloned().unwrap_or_default();
            (id, (m.name, b))
        })
        .collect())
}

/// How many members the branch has now.
pub(crate) async fn size<C: ConnectionTrait>(c: &C, branch: OrgId) -> Result<u64, AppError> {
    Ok(tuanwu_store::org::direct_member_count(c, branch).await?)
}
