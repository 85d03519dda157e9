//! The events a viewer sees (an admin: published in the subtree of an org they reach; a member:
//! published above their branch) and, for the organiser, who signed up.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tuanwu_domain::event::Event;
use tuanwu_domain::{EventId, MemberId, OrgId};
use tuanwu_store::event as store;
use utoipa::{IntoParams, ToSchema};

use super::rules::{EventActions, Seen};
use crate::actor::RoleKind;
use crate::clock::CST;
use crate::{roster, Actor, AppError, Context};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Events published in this org's subtree (admins; default: the active role's org).
    pub org_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub title: String,
    /// Beijing time, `YYYY-MM-DD HH:MM`.
    pub starts_at: String,
    pub place: String,
    /// Null: no limit.
    pub capacity: Option<i32>,
    pub taken: i32,
    pub signup_deadline: String,
    /// `all`, `cadres` or `secretaries`.
    pub audience: String,
    pub audience_label: String,
    /// Sign-ups are open (the deadline has not passed).
    pub open: bool,
    /// The member viewing has signed up (false for admins).
    pub signed_up: bool,
    pub actions: EventActions,
}

pub(crate) fn local(t: OffsetDateTime) -> String {
    let t = t.to_offset(CST);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

pub(crate) async fn view<C: sea_orm::ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    e: Event,
    signed_up: bool,
) -> Result<EventView, AppError> {
    let now = ctx.clock.now();
    let in_audience = match actor.member_id() {
        Some(m) if actor.role_kind() == RoleKind::Member => store::in_audience(c, &e, m).await?,
        _ => false,
    };
    let actions = EventActions::of(
        actor,
        &e,
        &Seen {
            in_audience,
            signed_up,
        },
        now,
    );
    Ok(EventView {
        id: e.id.0,
        org_id: e.org.0,
        org_name: roster::org_name(c, e.org).await?,
        starts_at: local(e.starts_at),
        signup_deadline: local(e.signup_deadline),
        audience: e.audience.key().to_string(),
        audience_label: e.audience.label().to_string(),
        open: e.open_at(now),
        capacity: e.capacity,
        taken: e.taken,
        title: e.title,
        place: e.place,
        signed_up,
        actions,
    })
}

/// An admin: events published in `org`'s subtree (default their own org). A member: the events
/// published above their branch for an audience they are in, with their sign-ups.
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    org: Option<OrgId>,
) -> Result<Vec<EventView>, AppError> {
    let c = ctx.db.conn();
    let scope = actor.scope();
    let org = match scope.root() {
        Some(root) => {
            let org = org.unwrap_or(root);
            actor.ensure_in_scope(c, org).await?;
            org
        }
        None => actor.org_id(),
    };
    let events = store::list(c, scope, org).await?;
    let member = scope.own_member();
    let mine: Vec<EventId> = match member {
        Some(m) => {
            let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
            store::signed_up(c, m, &ids).await?
        }
        None => Vec::new(),
    };
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        if let Some(m) = member {
            // A member sees the events meant for them, and those they signed up for.
            if !mine.contains(&e.id) && !store::in_audience(c, &e, m).await? {
                continue;
            }
        }
        let signed = mine.contains(&e.id);
        out.push(view(ctx, c, actor, e, signed).await?);
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignupView {
    pub member_id: i64,
    pub name: String,
    pub branch_name: String,
    /// Beijing time.
    pub signed_up_at: String,
    /// Null until attendance is recorded.
    pub attended: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignupsView {
    pub event: EventView,
    pub items: Vec<SignupView>,
    pub total: u64,
}

/// The organiser's list of sign-ups (admins whose subtree holds the event's org).
pub async fn signups(ctx: &Context, actor: &Actor, id: EventId) -> Result<SignupsView, AppError> {
    let c = ctx.db.conn();
    actor.admin_root().map_err(|_| AppError::NotFound)?;
    let e = store::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    signups_of(ctx, c, actor, e).await
}

pub(crate) async fn signups_of<C: sea_orm::ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    e: Event,
) -> Result<SignupsView, AppError> {
    let rows = store::signups(c, e.id).await?;
    let ids: Vec<MemberId> = rows.iter().map(|s| s.member).collect();
    let people = roster::people(c, &ids).await?;
    let items: Vec<SignupView> = rows
        .into_iter()
        .map(|s| {
            let (name, branch_name) = people.get(&s.member).cloned().unwrap_or_default();
            SignupView {
                member_id: s.member.0,
                name,
                branch_name,
                signed_up_at: local(s.signed_up_at),
                attended: s.attended,
            }
        })
        .collect();
    Ok(SignupsView {
        event: view(ctx, c, actor, e, false).await?,
        total: items.len() as u64,
        items,
    })
}
