//! TRF-8: progress views — every transfer touching the viewer's scope, filtered and searched;
//! a member's history with initiators; the to-do items of whoever must act.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use time::{Date, Duration, Time};
use tuanwu_domain::transfer::{
    Initiator, PendingParty, TransferKind, TransferReason, TransferStatus,
};
use tuanwu_domain::{DomainError, MemberId, OrgId, ResidentId};
use tuanwu_store::entity::{member, transfer};
use tuanwu_store::queries::{self, in_subtree, Page};
use utoipa::{IntoParams, ToSchema};

use super::view::{transfer_view, TransferView};
use super::{may_see, pending_org};
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

fn member_ids_matching(ctx: &Context, q: &str) -> sea_orm::sea_query::SelectStatement {
    let mut cond = Condition::any()
        .add(Expr::col(member::Column::Name).like(format!("%{q}%")))
        .add(Expr::col(member::Column::StudentNo).eq(q));
    if let Ok(rid) = ResidentId::parse(q, ctx.clock.today()) {
        cond = cond.add(
            Expr::col(member::Column::ResidentIdIndex).eq(ctx.cipher.blind_index(rid.as_str())),
        );
    }
    Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .cond_where(cond)
        .to_owned()
}

pub async fn list(
    ctx: &Context,
    actor: &Actor,
    query: ListTransfersQuery,
) -> Result<(Vec<TransferView>, u64), AppError> {
    let mut select = transfer::Entity::find();
    match actor.scope() {
        Scope::OwnRecord { member, .. } => {
            select = select.filter(transfer::Column::MemberId.eq(member.0));
        }
        Scope::Subtree(root) => {
            let out = in_subtree(transfer::Column::SourceOrgId, root.0);
            let into = Condition::any()
                .add(in_subtree(transfer::Column::TargetOrgId, root.0))
                .add(in_subtree(transfer::Column::AssignedBranchId, root.0));
            select = select.filter(match query.direction.as_deref() {
                Some("out") => Condition::all().add(out),
                Some("in") => into,
                Some(other) if !other.is_empty() => {
                    return Err(DomainError::new(
                        "invalid_direction",
                        format!("“{other}”不是有效的方向：可选 out（转出）或 in（转入）"),
                    )
                    .field("direction")
                    .into())
                }
                _ => Condition::any().add(out).add(into),
            });
        }
    }
    match query.status.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("active") => {
            select = select.filter(transfer::Column::ActiveMemberId.is_not_null());
        }
        Some(s) => {
            let s = TransferStatus::parse(s).map_err(|e| e.field("status"))?;
            select = select.filter(transfer::Column::Status.eq(s.key()));
        }
    }
    if let Some(i) = query.initiator.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(
            transfer::Column::Initiator
                .eq(Initiator::parse(i).map_err(|e| e.field("initiator"))?.key()),
        );
    }
    if let Some(r) = query.reason.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(
            transfer::Column::Reason.eq(TransferReason::parse(r)
                .map_err(|e| e.field("reason"))?
                .key()),
        );
    }
    if let Some(k) = query.kind.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(
            transfer::Column::Kind.eq(TransferKind::parse(k).map_err(|e| e.field("kind"))?.key()),
        );
    }
    if let Some(d) = date_param(query.from.as_deref(), "from")? {
        select = select.filter(
            transfer::Column::CreatedAt.gte(d.with_time(Time::MIDNIGHT).assume_offset(CST)),
        );
    }
    if let Some(d) = date_param(query.to.as_deref(), "to")? {
        let next = d.with_time(Time::MIDNIGHT).assume_offset(CST) + Duration::days(1);
        select = select.filter(transfer::Column::CreatedAt.lt(next));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        select = select.filter(transfer::Column::MemberId.in_subquery(member_ids_matching(ctx, q)));
    }
    if query.overdue == Some(true) {
        // The same calendar-day count as `overdue` on each item: started before this CST
        // midnight means more than the limit of whole days waited.
        let limit = (ctx.clock.today() - Duration::days(ctx.policy.transfer_overdue_days))
            .with_time(Time::MIDNIGHT)
            .assume_offset(CST);
        select = select
            .filter(transfer::Column::ActiveMemberId.is_not_null())
            .filter(transfer::Column::CreatedAt.lt(limit));
    }
    let page = Page::new(query.page, query.per_page);
    let c = ctx.db.conn();
    let total = select.clone().count(c).await?;
    let rows = select
        .order_by_desc(transfer::Column::Id)
        .paginate(c, page.per_page)
        .fetch_page(page.page - 1)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for t in rows {
        out.push(transfer_view(ctx, actor, t).await?);
    }
    Ok((out, total))
}

pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<TransferView, AppError> {
    let t = transfer::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_see(ctx.db.conn(), actor, &t).await? {
        return Err(AppError::NotFound);
    }
    transfer_view(ctx, actor, t).await
}

/// TRF-2: a member's transfer history with initiators, for the member and admins in scope.
pub async fn for_member(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
) -> Result<Vec<TransferView>, AppError> {
    let c = ctx.db.conn();
    let m = queries::member::find(c, member.0)
        .await?
        .ok_or(AppError::NotFound)?;
    match actor.scope() {
        Scope::OwnRecord { member: own, .. } if own == member => {}
        Scope::OwnRecord { .. } => return Err(AppError::NotFound),
        Scope::Subtree(_) => ctx.ensure_in_scope(actor, OrgId(m.org_id)).await?,
    }
    let rows = transfer::Entity::find()
        .filter(transfer::Column::MemberId.eq(m.id))
        .order_by_desc(transfer::Column::Id)
        .all(c)
        .await?;
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
    let rows = transfer::Entity::find()
        .filter(transfer::Column::ActiveMemberId.is_not_null())
        .filter(
            Condition::any()
                .add(transfer::Column::TargetOrgId.eq(root.0))
                .add(transfer::Column::SourceOrgId.eq(root.0))
                .add(transfer::Column::Kind.eq(TransferKind::SpecialUnit.key())),
        )
        .order_by_asc(transfer::Column::Id)
        .limit(500)
        .all(c)
        .await?;
    let mut out = Vec::new();
    for t in rows {
        let Some((party, org)) = pending_org(c, &t).await? else {
            continue;
        };
        if org != root.0
            || t.initiator_account_id == Some(actor.account.0)
                && party != PendingParty::ExternalReport
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
