//! EVT-2: publishing an event to an org's subtree and recording who attended.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tuanwu_domain::event::{self as rules, Audience, NewEvent};
use tuanwu_domain::{DomainError, EventId, MemberId, OrgId};
use tuanwu_store::event as store;
use utoipa::ToSchema;

use super::read::{signups_of, view, EventView, SignupsView};
use crate::audit::{self, AuditAction, Change};
use crate::clock::CST;
use crate::grant::needs::{self, Write};
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishInput {
    /// The publishing org; its subtree is the audience.
    pub org_id: i64,
    pub title: String,
    /// Beijing time: `2026-12-10T19:00`.
    pub starts_at: String,
    pub place: String,
    /// Null or absent: no limit.
    pub capacity: Option<i32>,
    /// Beijing time, after now and not after the start.
    pub signup_deadline: String,
    /// `all` (全体团员), `cadres` (团干部) or `secretaries` (团支部书记).
    pub audience: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceInput {
    /// Members who attended; every other sign-up is recorded absent.
    pub attended_ids: Vec<i64>,
}

#[derive(Serialize)]
struct EventAudit<'a> {
    title: &'a str,
    starts_at: String,
    place: &'a str,
    capacity: Option<i32>,
    signup_deadline: String,
    audience: &'a str,
}

fn at(value: &str, field: &'static str, label: &str) -> Result<OffsetDateTime, DomainError> {
    Ok(rules::parse_local(value, field, label)?.assume_offset(CST))
}

pub async fn publish(
    ctx: &Context,
    actor: &Actor,
    input: PublishInput,
) -> Result<EventView, AppError> {
    let now = ctx.clock.now();
    let org = OrgId(input.org_id);
    let tx = ctx.db.write().await?;
    actor.ensure_in_scope(&*tx, org).await?;
    needs::require(actor, Write::PublishEvent)?;
    let title = rules::title(&input.title)?;
    let place = rules::place(&input.place)?;
    let starts_at = at(&input.starts_at, "starts_at", "活动时间")?;
    let signup_deadline = at(&input.signup_deadline, "signup_deadline", "报名截止时间")?;
    rules::check_times(starts_at, signup_deadline, now)?;
    let capacity = rules::capacity(input.capacity)?;
    let audience =
        Audience::parse(&input.audience).map_err(|e| e.rule("EVT-2").field("audience"))?;
    let e = store::insert(
        &*tx,
        NewEvent {
            org,
            title,
            starts_at,
            place,
            capacity,
            signup_deadline,
            audience,
        },
        actor.account(),
        now,
    )
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::EventPublish, e.id.0)
            .org(org.0)
            .after(EventAudit {
                title: &e.title,
                starts_at: super::read::local(e.starts_at),
                place: &e.place,
                capacity: e.capacity,
                signup_deadline: super::read::local(e.signup_deadline),
                audience: e.audience.key(),
            }),
    )
    .await?;
    let v = view(ctx, &*tx, actor, e, false).await?;
    tx.commit().await?;
    Ok(v)
}

/// Records attendance: those listed attended, the other sign-ups did not. Everyone listed must
/// have signed up.
pub async fn record_attendance(
    ctx: &Context,
    actor: &Actor,
    id: EventId,
    input: AttendanceInput,
) -> Result<SignupsView, AppError> {
    let tx = ctx.db.write().await?;
    actor.admin_root().map_err(|_| AppError::NotFound)?;
    let e = store::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    needs::require(actor, Write::RecordAttendance)?;
    let signed: Vec<MemberId> = store::signups(&*tx, id)
        .await?
        .into_iter()
        .map(|s| s.member)
        .collect();
    let present: Vec<MemberId> = input.attended_ids.iter().copied().map(MemberId).collect();
    if let Some(stranger) = present.iter().find(|m| !signed.contains(m)) {
        // Named when the organiser's scope reaches them, by number otherwise.
        let name = match tuanwu_store::member::find(&*tx, actor.scope(), *stranger).await? {
            Some(m) => format!("“{}”（编号{stranger}）", m.name),
            None => format!("编号{stranger}的团员"),
        };
        return Err(DomainError::new(
            "not_signed_up",
            format!("{name}没有报名“{}”：只能为已报名的团员记录出席", e.title),
        )
        .rule("EVT-2")
        .field("attended_ids")
        .into());
    }
    store::set_attendance(&*tx, id, &present).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::EventAttendance, id.0).org(e.org.0).after(
            serde_json::json!({ "title": e.title, "attended_ids": input.attended_ids, "signed_up": signed.len() }),
        ),
    )
    .await?;
    let v = signups_of(ctx, &*tx, actor, e).await?;
    tx.commit().await?;
    Ok(v)
}
