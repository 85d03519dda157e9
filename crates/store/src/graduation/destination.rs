//! GRD-5, GRD-7: a graduate's destination (`destinations`) and 学社衔接 special case
//! (`continuity_cases`), one row per member each. The caller has read the member through its
//! scope before reading or writing either.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use tuanwu_domain::graduation::{ContinuityCase, Destination, DestinationRecord};
use tuanwu_domain::{AccountId, MemberId, OrgId};

use super::{unknown, within, ACTIVE_MEMBER};
use crate::entity::{continuity_case, destination, member};
use crate::scope::Scope;

fn destination_record(m: destination::Model) -> Result<DestinationRecord, DbErr> {
    Ok(DestinationRecord {
        member: MemberId(m.member_id),
        destination: Destination::parse(&m.destination)
            .map_err(|e| unknown("destinations.destination", e))?,
        note: m.note,
        updated_by: AccountId(m.updated_by),
        updated_at: m.updated_at,
    })
}

pub async fn destination<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
) -> Result<Option<DestinationRecord>, DbErr> {
    destination::Entity::find_by_id(member.0)
        .one(c)
        .await?
        .map(destination_record)
        .transpose()
}

pub async fn destinations_for<C: ConnectionTrait>(
    c: &C,
    members: &[MemberId],
) -> Result<HashMap<MemberId, DestinationRecord>, DbErr> {
    destination::Entity::find()
        .filter(destination::Column::MemberId.is_in(members.iter().map(|m| m.0)))
        .all(c)
        .await?
        .into_iter()
        .map(|d| destination_record(d).map(|d| (d.member, d)))
        .collect()
}

/// Records the destination, replacing the one there is (`replace`).
pub async fn save_destination<C: ConnectionTrait>(
    c: &C,
    d: DestinationRecord,
    replace: bool,
) -> Result<DestinationRecord, DbErr> {
    let row = destination::ActiveModel {
        member_id: Set(d.member.0),
        destination: Set(d.destination.key().into()),
        note: Set(d.note),
        updated_by: Set(d.updated_by.0),
        updated_at: Set(d.updated_at),
    };
    destination_record(if replace {
        row.update(c).await?
    } else {
        row.insert(c).await?
    })
}

fn case_record(r: continuity_case::Model) -> ContinuityCase {
    ContinuityCase {
        member: MemberId(r.member_id),
        target_province: r.target_province,
        target_city: r.target_city,
        target_org_name: r.target_org_name,
        initiated: r.initiated,
        refusal_reason: r.refusal_reason,
        remarks: r.remarks,
        updated_by: AccountId(r.updated_by),
        updated_at: r.updated_at,
    }
}

pub async fn case<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
) -> Result<Option<ContinuityCase>, DbErr> {
    Ok(continuity_case::Entity::find_by_id(member.0)
        .one(c)
        .await?
        .map(case_record))
}

pub async fn cases_for<C: ConnectionTrait>(
    c: &C,
    members: &[MemberId],
) -> Result<HashMap<MemberId, ContinuityCase>, DbErr> {
    Ok(continuity_case::Entity::find()
        .filter(continuity_case::Column::MemberId.is_in(members.iter().map(|m| m.0)))
        .all(c)
        .await?
        .into_iter()
        .map(|r| (MemberId(r.member_id), case_record(r)))
        .collect())
}

/// Records the special case, replacing the one there is (`replace`).
pub async fn save_case<C: ConnectionTrait>(
    c: &C,
    r: ContinuityCase,
    replace: bool,
) -> Result<ContinuityCase, DbErr> {
    let row = continuity_case::ActiveModel {
        member_id: Set(r.member.0),
        target_province: Set(r.target_province),
        target_city: Set(r.target_city),
        target_org_name: Set(r.target_org_name),
        initiated: Set(r.initiated),
        refusal_reason: Set(r.refusal_reason),
        remarks: Set(r.remarks),
        updated_by: Set(r.updated_by.0),
        updated_at: Set(r.updated_at),
    };
    Ok(case_record(if replace {
        row.update(c).await?
    } else {
        row.insert(c).await?
    }))
}

/// GRD-7: the special cases of the active members now under `root` the scope reaches, oldest
/// change first (the 学社衔接转出特殊情况记录).
pub async fn cases_under<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
) -> Result<Vec<ContinuityCase>, DbErr> {
    let members_below = Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .and_where(within(member::Column::OrgId, scope, root))
        .and_where(Expr::col(member::Column::Status).eq(ACTIVE_MEMBER))
        .to_owned();
    Ok(continuity_case::Entity::find()
        .filter(continuity_case::Column::MemberId.in_subquery(members_below))
        .order_by_asc(continuity_case::Column::UpdatedAt)
        .order_by_asc(continuity_case::Column::MemberId)
        .all(c)
        .await?
        .into_iter()
        .map(case_record)
        .collect())
}
