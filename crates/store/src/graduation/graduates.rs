//! GRD-3, GRD-5, GRD-7: the members graduation reads — the graduates of a year, the active
//! member a marking is for, and the members behind lists and sheets.

use std::collections::HashMap;
use tuanwu_domain::member::Member;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use tuanwu_domain::graduation::ExceptionKind;
use tuanwu_domain::org::OrgKind;
use tuanwu_domain::transfer::TransferReason;
use tuanwu_domain::{MemberId, OrgId};

use super::{unknown, within, ACTIVE_MEMBER};
use crate::entity::{graduation_exception as exception, member, org, transfer};
use crate::queries::Page;
use crate::scope::Scope;

/// An active member by id, wherever they are: the caller checks their branch is in scope.
pub async fn active_member<C: ConnectionTrait>(
    c: &C,
    id: MemberId,
) -> Result<Option<Member>, DbErr> {
    member::Entity::find_by_id(id.0)
        .filter(member::Column::Status.eq(ACTIVE_MEMBER))
        .one(c)
        .await?
        .map(crate::member::record)
        .transpose()
}

/// Holds the member row until commit, so two markers of the same member queue up (PostgreSQL;
/// SQLite's write transactions are serial already). The caller checked the member is in scope.
pub async fn lock_member<C: ConnectionTrait>(c: &C, id: MemberId) -> Result<(), DbErr> {
    member::Entity::update_many()
        .col_expr(
            member::Column::UpdatedAt,
            Expr::col(member::Column::UpdatedAt).into(),
        )
        .filter(member::Column::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// Members by id, whatever their state, for rows the caller has already read through its scope.
pub async fn members<C: ConnectionTrait>(
    c: &C,
    ids: &[MemberId],
) -> Result<HashMap<MemberId, Member>, DbErr> {
    member::Entity::find()
        .filter(member::Column::Id.is_in(ids.iter().map(|m| m.0)))
        .all(c)
        .await?
        .into_iter()
        .map(|m| crate::member::record(m).map(|m| (m.id, m)))
        .collect()
}

/// Which graduates a list shows by their delayed/teacher marking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Excepted {
    #[default]
    All,
    /// Either kind.
    Excepted,
    /// Neither.
    Regular,
    Kind(ExceptionKind),
}

/// A graduate search: part of the name, the student number, or the blind index of a resident ID.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub text: String,
    pub resident_index: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub year: i32,
    pub search: Option<Search>,
    pub excepted: Excepted,
}

/// GRD-3/GRD-5: one page of the active members of the live branches under `root` (and in the
/// scope) marked with a month of the year, by branch and name, and how many match.
pub async fn graduates<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
    f: &Filter,
    page: Page,
) -> Result<(Vec<Member>, u64), DbErr> {
    let branches = Query::select()
        .column(org::Column::Id)
        .from(org::Entity)
        .and_where(within(org::Column::Id, scope, root))
        .and_where(Expr::col(org::Column::Kind).eq(OrgKind::Branch.key()))
        .and_where(Expr::col(org::Column::DeletedAt).is_null())
        .and_where(Expr::col(org::Column::Graduation).like(format!("{:04}-%", f.year)))
        .to_owned();
    let mut select = member::Entity::find()
        .filter(member::Column::OrgId.in_subquery(branches))
        .filter(member::Column::Status.eq(ACTIVE_MEMBER));
    if let Some(s) = &f.search {
        let mut any = Condition::any()
            .add(member::Column::Name.contains(&s.text))
            .add(member::Column::StudentNo.eq(s.text.as_str()));
        if let Some(index) = &s.resident_index {
            any = any.add(member::Column::ResidentIdIndex.eq(index.clone()));
        }
        select = select.filter(any);
    }
    let excepted = || {
        Query::select()
            .column(exception::Column::MemberId)
            .from(exception::Entity)
            .and_where(Expr::col(exception::Column::RevokedAt).is_null())
            .to_owned()
    };
    select = match f.excepted {
        Excepted::All => select,
        Excepted::Excepted => select.filter(member::Column::Id.in_subquery(excepted())),
        Excepted::Regular => select.filter(member::Column::Id.not_in_subquery(excepted())),
        Excepted::Kind(kind) => {
            let mut sub = excepted();
            sub.and_where(Expr::col(exception::Column::Kind).eq(kind.key()));
            select.filter(member::Column::Id.in_subquery(sub))
        }
    };
    let total = select.clone().count(c).await?;
    let rows = select
        .order_by_asc(member::Column::OrgId)
        .order_by_asc(member::Column::Name)
        .order_by_asc(member::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?
        .into_iter()
        .map(crate::member::record)
        .collect::<Result<_, DbErr>>()?;
    Ok((rows, total))
}

/// GRD-7: the reason of each member's latest transfer (the sheet's 转接类型), for members the
/// caller has already listed through its scope.
pub async fn latest_reasons<C: ConnectionTrait>(
    c: &C,
    members: &[MemberId],
) -> Result<HashMap<MemberId, TransferReason>, DbErr> {
    let mut out = HashMap::new();
    for t in transfer::Entity::find()
        .filter(transfer::Column::MemberId.is_in(members.iter().map(|m| m.0)))
        .order_by_asc(transfer::Column::Id)
        .all(c)
        .await?
    {
        let reason =
            TransferReason::parse(&t.reason).map_err(|e| unknown("transfers.reason", e))?;
        out.insert(MemberId(t.member_id), reason);
    }
    Ok(out)
}
