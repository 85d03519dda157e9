//! TRF-8: progress views — every transfer touching the viewer's scope, filtered and searched;
//! a member's history with initiators; the to-do items of whoever must act.

use serde::Deserialize;
use time::{Date, Duration, Time};
use tuanwu_domain::transfer::{
    Initiator, PendingParty, TransferKind, TransferReason, TransferStatus,
};
use tuanwu_domain::{DomainError, MemberId, ResidentId, TransferId};
use tuanwu_store::queries::Page;
use tuanwu_store::transfer::{self as store, Direction, Filter, MemberMatch};
use utoipa::{IntoParams, ToSchema};

use super::rules::{pending_org, visible};
use super::view::{transfer_view, TransferView};
use crate::clock::CST;
use crate::request::TodoView;
use crate::{Actor, AppError, Context, Scope};

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ListTransfersQuery {
    /// `pending` | `awaiting_report` | `completed` | `rejected` | `cancelled`, or `active`.
    pub status: Option<String>,
    /// `out` (from the viewer's scope) | `in` (into it).
    pub direction: Option<String>,
    /// `member` | `source` | `target`.
    pub initiator: Option<String>,
    /// TRF-3 reason key.
    pub reason: Option<String>,
    /// `internal` | `special_unit` | `external`.
    pub kind: Option<String>,
    /// Started on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Started on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// Member name (part of it), student number or resident ID.
    pub q: Option<String>,
    /// Only active ones waiting longer than the overdue limit.
    pub overdue: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

fn date_param(s: Option<&str>, field: &'static str) -> Result<Option<Date>, AppError> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).map(Some).map_err(|_| {
        DomainError::new(
            "invalid_date",
            format!("“{s}”不是有效日期：请按 2026-06-30 的格式填写"),
        )
        .field(field)
        .into()
    })
}

/// Parses the list's query into the store's filter (every value checked, 422 on a bad one).
fn filter(ctx: &Context, query: &ListTransfersQuery) -> Result<Filter, AppError> {
    let nonempty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut f = Filter {
        direction: match nonempty(&query.direction).as_deref() {
            None => None,
            Some("out") => Some(Direction::Out),
            Some("in") => Some(Direction::In),
            Some(other) => {
                return Err(DomainError::new(
                    "invalid_direction",
                    format!("“{other}”不是有效的方向：可选 out（转出）或 in（转入）"),
                )
                .field("direction")
                .into())
            }
        },
        ..Filter::default()
    };
    match nonempty(&query.status).as_deref() {
        None => {}
        Some(tuanwu_domain::transfer::ANY_ACTIVE) => f.active = true,
        Some(s) => f.status = Some(TransferStatus::parse(s).map_err(|e| e.field("status"))?),
    }
    if let Some(i) = nonempty(&query.initiator) {
        f.initiator = Some(Initiator::parse(&i).map_err(|e| e.field("initiator"))?);
    }
    if let Some(r) = nonempty(&query.reason) {
        f.reason = Some(TransferReason::parse(&r).map_err(|e| e.field("reason"))?);
    }
    if let Some(k) = nonempty(&query.kind) {
        f.kind = Some(TransferKind::parse(&k).map_err(|e| e.field("kind"))?);
    }
    if let Some(d) = date_param(query.from.as_deref(), "from")? {
        f.started_from = Some(d.with_time(Time::MIDNIGHT).assume_offset(CST));
    }
    if let Some(d) = date_param(query.to.as_deref(), "to")? {
        f.started_before = Some(d.with_time(Time::MIDNIGHT).assume_offset(CST) + Duration::days(1));
    }
    if let Some(q) = nonempty(&query.q) {
        let resident_index = ResidentId::parse(&q, ctx.clock.today())
            .ok()
            .map(|rid| ctx.cipher.blind_index(rid.as_str()));
        f.member = Some(MemberMatch {
            text: q,
            resident_index,
        });
    }
    if query.overdue == Some(true) {
        // The same calendar-day count as `overdue` on each item: started before this CST
        // midnight means more than the limit of whole days waited.
        let limit = (ctx.clock.today() - Duration::days(ctx.policy.transfer_overdue_days))
            .with_time(Time::MIDNIGHT)
            .assume_offset(CST);
        f.active = true;
        f.started_before = Some(f.started_before.map_or(limit, |b| b.min(limit)));
    }
    Ok(f)
}

pub async fn list(
    ctx: &Context,
    actor: &Actor,
    query: ListTransfersQuery,
) -> Result<(Vec<TransferView>, u64), AppError> {
    let f = filter(ctx, &query)?;
    let page = Page::new(query.page, query.per_page);
    let (rows, total) = store::list(ctx.db.conn(), actor.scope(), &f, page).await?;
    let mut out = Vec::with_capacity(rows.len());
    for t in rows {
        out.push(transfer_view(ctx, actor, t).await?);
    }
    Ok((out, total))
}

pub async fn get(ctx: &Context, actor: &Actor, id: TransferId) -> Result<TransferView, AppError> {
    let t = visible(ctx.db.conn(), actor, id).await?;
    transfer_view(ctx, actor, t).await
}

/// TRF-2: a member's transfer history with initiators, for the member and admins in scope.
pub async fn for_member(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
) -> Result<Vec<TransferView>, AppError> {
    let c = ctx.db.conn();
    let m = tuanwu_store::member::of_record(c, member)
        .await?
        .ok_or(AppError::NotFound)?;
    match actor.scope() {
        Scope::OwnRecord { member: own, .. } if own == member => {}
        Scope::OwnRecord { .. } => return Err(AppError::NotFound),
        Scope::Subtree(_) => ctx.ensure_in_scope(actor, m.org_id).await?,
    }
    let rows = store::of_member(c, m.id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for t in rows {
        out.push(transfer_view(ctx, actor, t).await?);
    }
    Ok(out)
}

/// SYS-2: active transfers whose next move belongs to the actor's own org.
pub async fn todos(ctx: &Context, actor: &Actor) -> Result<Vec<TodoView>, AppError> {
    let root = actor.admin_root()?;
    let c = ctx.db.conn();
    let rows = store::waiting_near(c, root).await?;
    let mut out = Vec::new();
    for t in rows {
        let Some((party, org)) = pending_org(c, &t).await? else {
            continue;
        };
        if org != root
            || t.initiator_account == Some(actor.account()) && party != PendingParty::ExternalReport
        {
            continue;
        }
        let v = transfer_view(ctx, actor, t).await?;
        let overdue = if v.overdue { "【已超期】" } else { "" };
        out.push(TodoView {
            kind: "transfer".into(),
            id: v.id,
            title: format!(
                "{overdue}组织关系转接（{}）：{}，已等待{}天",
                party.label(),
                v.member_name,
                v.days_waiting
            ),
            org_path: v.source_org.map(|o| o.path).unwrap_or_default(),
            created_at: v.created_at,
            link: format!("/transfers/{}", v.id),
        });
    }
    Ok(out)
}
