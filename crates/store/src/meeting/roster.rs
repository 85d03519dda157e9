//! The branch roster at a meeting's date (MTG-1 应到): today's members who were already there,
//! plus members who left later. Worked out from the members' created dates and the decided
//! dates of approved transfers: a member's branch at a date is the source of their first
//! transfer decided after it, or, with none, the branch they are in now.

use std::collections::HashMap;

use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;
use tuanwu_domain::transfer::TransferStatus;
use tuanwu_domain::{MemberId, OrgId};

use crate::entity::{member, transfer};

/// Approved transfers: the member moved (or left tuanwu's tree) when it was decided.
fn approved() -> Condition {
    Condition::any()
        .add(transfer::Column::Status.eq(TransferStatus::Completed.key()))
        .add(transfer::Column::Status.eq(TransferStatus::AwaitingReport.key()))
}

/// `(member, name)` of everyone in `branch` at `at`, by member id. Safe without a `Scope`: the
/// use case has read the branch through the actor's scope first.
pub async fn roster<C: ConnectionTrait>(
    c: &C,
    branch: OrgId,
    at: OffsetDateTime,
) -> Result<Vec<(MemberId, String)>, DbErr> {
    let left_later = Query::select()
        .column(transfer::Column::MemberId)
        .from(transfer::Entity)
        .cond_where(
            Condition::all()
                .add(transfer::Column::SourceOrgId.eq(branch.0))
                .add(transfer::Column::DecidedAt.gt(at))
                .add(approved()),
        )
        .to_owned();
    let candidates = member::Entity::find()
        .filter(member::Column::CreatedAt.lte(at))
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(member::Column::OrgId.eq(branch.0))
                        .add(member::Column::Status.eq("active")),
                )
                .add(member::Column::Id.in_subquery(left_later)),
        )
        .order_by_asc(member::Column::Id)
        .all(c)
        .await?;
    let ids: Vec<i64> = candidates.iter().map(|m| m.id).collect();
    // Each candidate's first approved transfer after the date says where they were then.
    let mut first_after: HashMap<i64, i64> = HashMap::new();
    for t in transfer::Entity::find()
        .filter(transfer::Column::MemberId.is_in(ids))
        .filter(transfer::Column::DecidedAt.gt(at))
        .filter(approved())
        .order_by_desc(transfer::Column::DecidedAt)
        .all(c)
        .await?
    {
        // Newest first, so the earliest one is written last and stays.
        first_after.insert(t.member_id, t.source_org_id);
    }
    Ok(candidates
        .into_iter()
        .filter(|m| match first_after.get(&m.id) {
            Some(source) => *source == branch.0,
            None => m.org_id == branch.0 && m.status == "active",
        })
        .map(|m| (MemberId(m.id), m.name))
        .collect())
}

/// Whether `member` left `branch` by an approved transfer (a refusal may then name them: the
/// branch knew them, their name is on its past records). Safe without a `Scope`: the use case
/// has read the branch through the actor's scope first, and it answers only yes or no.
pub async fn left<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    branch: OrgId,
) -> Result<bool, DbErr> {
    Ok(transfer::Entity::find()
        .filter(transfer::Column::MemberId.eq(member.0))
        .filter(transfer::Column::SourceOrgId.eq(branch.0))
        .filter(approved())
        .one(c)
        .await?
        .is_some())
}
