//! ACC-10: the cadre lists, typed. Reads an actor makes take their `Scope`: an entry is reached
//! through its org, inside the admin's subtree.

use std::collections::HashMap;
use tuanwu_domain::member::Member;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Select, Set,
};
use time::Date;
use tuanwu_domain::cadre::{Cadre, NewCadre};
use tuanwu_domain::{AccountId, CadreId, MemberId, OrgId};

use crate::entity::{account, cadre, member};
use crate::queries::in_subtree;
use crate::scope::Scope;

use cadre::Column as K;

fn record(m: cadre::Model) -> Cadre {
    Cadre {
        id: CadreId(m.id),
        org: OrgId(m.org_id),
        member: MemberId(m.member_id),
        post: m.post,
        started_on: m.started_on,
        ended_on: m.ended_on,
        created_at: m.created_at,
    }
}

/// Entries of orgs in the scope's subtree; a member's own record reaches none (`None`).
fn visible(scope: Scope) -> Option<Select<cadre::Entity>> {
    let root = scope.root()?;
    Some(cadre::Entity::find().filter(in_subtree(K::OrgId, root.0)))
}

/// An entry the scope reaches; anything else is `None`, like a missing one.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: CadreId,
) -> Result<Option<Cadre>, DbErr> {
    let Some(q) = visible(scope) else {
        return Ok(None);
    };
    Ok(q.filter(K::Id.eq(id.0)).one(c).await?.map(record))
}

/// An org's entries, longest-serving first (the caller orders former ones after).
pub async fn of_org<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    org: OrgId,
) -> Result<Vec<Cadre>, DbErr> {
    let Some(q) = visible(scope) else {
        return Ok(Vec::new());
    };
    Ok(q.filter(K::OrgId.eq(org.0))
        .order_by_asc(K::StartedOn)
        .order_by_asc(K::Id)
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

/// The member's entries of this post in this org, for the one-post-at-a-time check. The
/// caller has checked the org is in scope and the member was found in it.
pub async fn same_post<C: ConnectionTrait>(
    c: &C,
    org: OrgId,
    member: MemberId,
    post: &str,
) -> Result<Vec<Cadre>, DbErr> {
    Ok(cadre::Entity::find()
        .filter(K::OrgId.eq(org.0))
        .filter(K::MemberId.eq(member.0))
        .filter(K::Post.eq(post))
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

pub async fn insert<C: ConnectionTrait>(c: &C, n: NewCadre) -> Result<Cadre, DbErr> {
    let row = cadre::ActiveModel {
        org_id: Set(n.org.0),
        member_id: Set(n.member.0),
        post: Set(n.post),
        started_on: Set(n.started_on),
        ended_on: Set(None),
        created_at: Set(n.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(record(row))
}

/// Records (or corrects) the end of a post the caller has read through its scope.
pub async fn set_end<C: ConnectionTrait>(c: &C, id: CadreId, on: Date) -> Result<(), DbErr> {
    cadre::Entity::update_many()
        .col_expr(K::EndedOn, Expr::value(on))
        .filter(K::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// Removes an entry the caller has read through its scope.
pub async fn delete<C: ConnectionTrait>(c: &C, id: CadreId) -> Result<(), DbErr> {
    cadre::Entity::delete_many()
        .filter(K::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// The members behind entries the caller has read through its scope (a cadre listed by an
/// org in scope is shown even if they have since moved elsewhere).
pub async fn members<C: ConnectionTrait>(
    c: &C,
    ids: &[MemberId],
) -> Result<HashMap<MemberId, Member>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    member::Entity::find()
        .filter(member::Column::Id.is_in(ids.iter().map(|m| m.0)))
        .all(c)
        .await?
        .into_iter()
        .map(|m| crate::member::record(m).map(|m| (m.id, m)))
        .collect()
}

/// The login accounts of those members, where they have one (ACC-6 makes it on first need).
pub async fn accounts_of<C: ConnectionTrait>(
    c: &C,
    ids: &[MemberId],
) -> Result<HashMap<MemberId, AccountId>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::MemberId.is_in(ids.iter().map(|m| m.0)))
        .all(c)
        .await?
        .into_iter()
        .filter_map(|a| a.member_id.map(|m| (MemberId(m), AccountId(a.id))))
        .collect())
}
