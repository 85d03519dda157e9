//! EVT-2: events an org publishes to its subtree and the members' sign-ups. An admin reaches an
//! event through its org, inside their subtree; a member reaches the events of the orgs above
//! their branch.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use time::OffsetDateTime;
use tuanwu_domain::event::{Audience, Event, NewEvent};
use tuanwu_domain::{AccountId, EventId, MemberId, OrgId};

use crate::entity::{cadre, committee_post, event, event_signup, member, org_closure};
use crate::queries::in_subtree;
use crate::scope::Scope;

use event::Column as E;
use event_signup::Column as S;

fn record(m: event::Model) -> Result<Event, DbErr> {
    Ok(Event {
        id: EventId(m.id),
        org: OrgId(m.org_id),
        title: m.title,
        starts_at: m.starts_at,
        place: m.place,
        capacity: m.capacity,
        taken: m.taken,
        signup_deadline: m.signup_deadline,
        audience: Audience::parse(&m.audience)
            .map_err(|e| DbErr::Type(format!("events.audience: {}", e.message)))?,
    })
}

/// `col` is the branch itself or one of the orgs above it.
fn above_or_at(col: E, branch: OrgId) -> sea_orm::sea_query::SimpleExpr {
    col.in_subquery(
        Query::select()
            .column(org_closure::Column::Ancestor)
            .from(org_closure::Entity)
            .and_where(Expr::col(org_closure::Column::Descendant).eq(branch.0))
            .to_owned(),
    )
}

/// An event the scope reaches: an admin's, published inside their subtree; a member's,
/// published by their branch or an org above it.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: EventId,
) -> Result<Option<Event>, DbErr> {
    let q = event::Entity::find().filter(E::Id.eq(id.0));
    let q = match scope {
        Scope::Subtree(root) => q.filter(in_subtree(E::OrgId, root.0)),
        Scope::OwnRecord { branch, .. } => q.filter(above_or_at(E::OrgId, branch)),
    };
    q.one(c).await?.map(record).transpose()
}

/// Events published inside `org`'s subtree (the caller checked it is in scope), newest first;
/// for a member, those published above their branch.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    org: OrgId,
) -> Result<Vec<Event>, DbErr> {
    let q = event::Entity::find();
    let q = match scope {
        Scope::Subtree(root) => q
            .filter(in_subtree(E::OrgId, root.0))
            .filter(in_subtree(E::OrgId, org.0)),
        Scope::OwnRecord { branch, .. } => q.filter(above_or_at(E::OrgId, branch)),
    };
    q.order_by_desc(E::StartsAt)
        .order_by_desc(E::Id)
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

pub async fn insert<C: ConnectionTrait>(
    c: &C,
    n: NewEvent,
    by: AccountId,
    now: OffsetDateTime,
) -> Result<Event, DbErr> {
    let row = event::ActiveModel {
        org_id: Set(n.org.0),
        title: Set(n.title),
        starts_at: Set(n.starts_at),
        place: Set(n.place),
        capacity: Set(n.capacity),
        taken: Set(0),
        signup_deadline: Set(n.signup_deadline),
        audience: Set(n.audience.key().to_string()),
        created_by: Set(by.0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    record(row)
}

/// Whether the member is among the event's audience: a member of the subtree, and for cadres
/// or secretaries, holding such a post now in the subtree. The caller read the event through
/// the member's scope.
pub async fn in_audience<C: ConnectionTrait>(c: &C, e: &Event, m: MemberId) -> Result<bool, DbErr> {
    let in_subtree_now = member::Entity::find()
        .filter(member::Column::Id.eq(m.0))
        .filter(member::Column::Status.eq("active"))
        .filter(in_subtree(member::Column::OrgId, e.org.0))
        .one(c)
        .await?
        .is_some();
    if !in_subtree_now {
        return Ok(false);
    }
    Ok(match e.audience {
        Audience::All => true,
        Audience::Cadres => cadre::Entity::find()
            .filter(cadre::Column::MemberId.eq(m.0))
            .filter(cadre::Column::EndedOn.is_null())
            .filter(in_subtree(cadre::Column::OrgId, e.org.0))
            .one(c)
            .await?
            .is_some(),
        Audience::Secretaries => committee_post::Entity::find()
            .filter(committee_post::Column::MemberId.eq(m.0))
            .filter(committee_post::Column::EndedOn.is_null())
            .filter(committee_post::Column::Post.eq("secretary"))
            .filter(in_subtree(committee_post::Column::BranchId, e.org.0))
            .one(c)
            .await?
            .is_some(),
    })
}

/// Takes a seat: one conditional update, so two sign-ups for the last seat cannot both pass
/// (the second waits for the first's row lock on PostgreSQL, for the write lock on SQLite, and
/// then finds no seat). `false`: the event is full.
pub async fn take_seat<C: ConnectionTrait>(c: &C, id: EventId) -> Result<bool, DbErr> {
    let r = event::Entity::update_many()
        .col_expr(E::Taken, Expr::col(E::Taken).add(1))
        .filter(E::Id.eq(id.0))
        .filter(
            sea_orm::Condition::any()
                .add(E::Capacity.is_null())
                .add(Expr::col(E::Taken).lt(Expr::col(E::Capacity))),
        )
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn free_seat<C: ConnectionTrait>(c: &C, id: EventId) -> Result<(), DbErr> {
    event::Entity::update_many()
        .col_expr(E::Taken, Expr::col(E::Taken).sub(1))
        .filter(E::Id.eq(id.0))
        .filter(E::Taken.gt(0))
        .exec(c)
        .await?;
    Ok(())
}

/// A member's sign-up for an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signup {
    pub member: MemberId,
    pub signed_up_at: OffsetDateTime,
    /// Unknown until the organiser records attendance.
    pub attended: Option<bool>,
}

fn signup(m: event_signup::Model) -> Signup {
    Signup {
        member: MemberId(m.member_id),
        signed_up_at: m.signed_up_at,
        attended: m.attended,
    }
}

/// The event's sign-ups in order of signing up (the caller read the event through its scope).
pub async fn signups<C: ConnectionTrait>(c: &C, id: EventId) -> Result<Vec<Signup>, DbErr> {
    Ok(event_signup::Entity::find()
        .filter(S::EventId.eq(id.0))
        .order_by_asc(S::SignedUpAt)
        .order_by_asc(S::Id)
        .all(c)
        .await?
        .into_iter()
        .map(signup)
        .collect())
}

/// The events of `ids` the member signed up for.
pub async fn signed_up<C: ConnectionTrait>(
    c: &C,
    m: MemberId,
    ids: &[EventId],
) -> Result<Vec<EventId>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(event_signup::Entity::find()
        .filter(S::MemberId.eq(m.0))
        .filter(S::EventId.is_in(ids.iter().map(|e| e.0)))
        .all(c)
        .await?
        .into_iter()
        .map(|s| EventId(s.event_id))
        .collect())
}

pub async fn add_signup<C: ConnectionTrait>(
    c: &C,
    id: EventId,
    m: MemberId,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    event_signup::ActiveModel {
        event_id: Set(id.0),
        member_id: Set(m.0),
        signed_up_at: Set(now),
        attended: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

/// `false` when the member had not signed up.
pub async fn remove_signup<C: ConnectionTrait>(
    c: &C,
    id: EventId,
    m: MemberId,
) -> Result<bool, DbErr> {
    let r = event_signup::Entity::delete_many()
        .filter(S::EventId.eq(id.0))
        .filter(S::MemberId.eq(m.0))
        .exec(c)
        .await?;
    Ok(r.rows_affected > 0)
}

/// Records who attended: those listed did, the other sign-ups did not.
pub async fn set_attendance<C: ConnectionTrait>(
    c: &C,
    id: EventId,
    present: &[MemberId],
) -> Result<(), DbErr> {
    event_signup::Entity::update_many()
        .col_expr(S::Attended, Expr::value(false))
        .filter(S::EventId.eq(id.0))
        .exec(c)
        .await?;
    if !present.is_empty() {
        event_signup::Entity::update_many()
            .col_expr(S::Attended, Expr::value(true))
            .filter(S::EventId.eq(id.0))
            .filter(S::MemberId.is_in(present.iter().map(|m| m.0)))
            .exec(c)
            .await?;
    }
    Ok(())
}
