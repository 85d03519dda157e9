//! MTG-1: a branch's records (or a subtree's) by kind and date, one record, and the roster at
//! a date for the form's tick boxes.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Time};
use tuanwu_domain::meeting::MeetingKind;
use tuanwu_domain::{DomainError, MeetingId, OrgId};
use tuanwu_store::meeting::{self as store, Filter};
use tuanwu_store::queries::Page;
use utoipa::{IntoParams, ToSchema};

use super::input::parse_start;
use super::rules::{branch_in_scope, org_in_scope, visible};
use super::view::{meeting_view, MeetingView};
use crate::clock::CST;
use crate::{Actor, AppError, Context};

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ListMeetingsQuery {
    /// `assembly` | `committee` | `group` | `lecture` | `theme_day` | `org_life`.
    pub kind: Option<String>,
    /// Started on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Started on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// The whole subtree of the org, not only its own records.
    pub subtree: Option<bool>,
    /// Deleted records instead (the level above restores from them).
    pub deleted: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

pub(crate) fn date_param(s: Option<&str>, field: &'static str) -> Result<Option<Date>, AppError> {
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

pub async fn list(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    query: ListMeetingsQuery,
) -> Result<(Vec<MeetingView>, u64), AppError> {
    let c = ctx.db.conn();
    let o = org_in_scope(c, actor, org).await?;
    let kind = match query
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(k) => Some(MeetingKind::parse(k).map_err(|e| e.field("kind"))?),
        None => None,
    };
    let f = Filter {
        org: o.id,
        subtree: query.subtree.unwrap_or(false),
        kind,
        from: date_param(query.from.as_deref(), "from")?
            .map(|d| d.with_time(Time::MIDNIGHT).assume_offset(CST)),
        before: date_param(query.to.as_deref(), "to")?
            .map(|d| d.with_time(Time::MIDNIGHT).assume_offset(CST) + Duration::days(1)),
        deleted: query.deleted.unwrap_or(false),
    };
    let page = Page::new(query.page, query.per_page);
    let (rows, total) = store::list(c, actor.scope(), &f, page).await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        out.push(meeting_view(ctx, actor, m).await?);
    }
    Ok((out, total))
}

pub async fn get(ctx: &Context, actor: &Actor, id: MeetingId) -> Result<MeetingView, AppError> {
    let m = visible(ctx.db.conn(), actor, id).await?;
    meeting_view(ctx, actor, m).await
}

/// One member on the roster at a date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterEntry {
    pub member_id: i64,
    pub name: String,
}

/// The branch roster at `at` (a start time as the form sends it; now when blank), for the
/// form's tick boxes.
pub async fn roster_at(
    ctx: &Context,
    actor: &Actor,
    branch: OrgId,
    at: Option<&str>,
) -> Result<Vec<RosterEntry>, AppError> {
    let c = ctx.db.conn();
    let b = branch_in_scope(c, actor, branch).await?;
    let at = match at.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse_start(s)?,
        None => ctx.clock.now(),
    };
    Ok(store::roster(c, b.id, at)
        .await?
        .into_iter()
        .map(|(m, name)| RosterEntry {
            member_id: m.0,
            name,
        })
        .collect())
}
