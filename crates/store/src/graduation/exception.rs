//! GRD-3, GRD-4: the `graduation_exceptions` table — delayed graduates and teachers. A revoked
//! marking stays, with who revoked it and when.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;
use tuanwu_domain::graduation::{Exception, ExceptionKind, NewException};
use tuanwu_domain::{AccountId, ExceptionId, MemberId, OrgId, YearMonth};

use super::{unknown, within, ACTIVE_MEMBER};
use crate::entity::{graduation_exception as exception, member};
use crate::queries::Page;
use crate::scope::Scope;

use exception::Column as E;

fn record(m: exception::Model) -> Result<Exception, DbErr> {
    Ok(Exception {
        id: ExceptionId(m.id),
        member: MemberId(m.member_id),
        kind: ExceptionKind::parse(&m.kind)
            .map_err(|e| unknown("graduation_exceptions.kind", e))?,
        expected: m
            .expected
            .parse::<YearMonth>()
            .map_err(|e| unknown("graduation_exceptions.expected", e))?,
        reason: m.reason,
        created_by: AccountId(m.created_by),
        created_at: m.created_at,
        revoked_at: m.revoked_at,
        revoked_by: m.revoked_by.map(AccountId),
    })
}

fn records(rows: Vec<exception::Model>) -> Result<Vec<Exception>, DbErr> {
    rows.into_iter().map(record).collect()
}

/// The member's unrevoked marking (GRD-3 allows one). The caller has read the member through
/// its scope.
pub async fn active_of<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
) -> Result<Option<Exception>, DbErr> {
    exception::Entity::find()
        .filter(E::MemberId.eq(member.0))
        .filter(E::RevokedAt.is_null())
        .order_by_desc(E::Id)
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// The unrevoked markings of members the caller has already listed through its scope.
pub async fn active_for<C: ConnectionTrait>(
    c: &C,
    members: &[MemberId],
) -> Result<HashMap<MemberId, Exception>, DbErr> {
    Ok(records(
        exception::Entity::find()
            .filter(E::MemberId.is_in(members.iter().map(|m| m.0)))
            .filter(E::RevokedAt.is_null())
            .all(c)
            .await?,
    )?
    .into_iter()
    .map(|e| (e.member, e))
    .collect())
}

/// One marking by id, for the caller that has just written it.
pub async fn find<C: ConnectionTrait>(c: &C, id: ExceptionId) -> Result<Option<Exception>, DbErr> {
    exception::Entity::find_by_id(id.0)
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// Writes a new marking, checked by the use case (GRD-3).
pub async fn insert<C: ConnectionTrait>(c: &C, e: NewException) -> Result<Exception, DbErr> {
    record(
        exception::ActiveModel {
            member_id: Set(e.member.0),
            kind: Set(e.kind.key().into()),
            expected: Set(e.expected.to_string()),
            reason: Set(e.reason),
            created_by: Set(e.created_by.0),
            created_at: Set(e.created_at),
            ..Default::default()
        }
        .insert(c)
        .await?,
    )
}

/// Revokes a marking still unrevoked; false when another revocation won the race.
pub async fn revoke<C: ConnectionTrait>(
    c: &C,
    id: ExceptionId,
    by: AccountId,
    at: OffsetDateTime,
) -> Result<bool, DbErr> {
    let done = exception::Entity::update_many()
        .col_expr(E::RevokedAt, Expr::value(at))
        .col_expr(E::RevokedBy, Expr::value(by.0))
        .filter(E::Id.eq(id.0))
        .filter(E::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The filters of the 延迟毕业团员列表.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub kind: Option<ExceptionKind>,
    pub include_revoked: bool,
}

/// GRD-3: one page of the markings of active members under `root` the scope reaches, newest
/// first, and how many match.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
    f: Filter,
    page: Page,
) -> Result<(Vec<Exception>, u64), DbErr> {
    let members_below = Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .and_where(within(member::Column::OrgId, scope, root))
        .and_where(Expr::col(member::Column::Status).eq(ACTIVE_MEMBER))
        .to_owned();
    let mut select = exception::Entity::find().filter(E::MemberId.in_subquery(members_below));
    if !f.include_revoked {
        select = select.filter(E::RevokedAt.is_null());
    }
    if let Some(k) = f.kind {
        select = select.filter(E::Kind.eq(k.key()));
    }
    let total = select.clone().count(c).await?;
    let rows = select
        .order_by_desc(E::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?;
    Ok((records(rows)?, total))
}
