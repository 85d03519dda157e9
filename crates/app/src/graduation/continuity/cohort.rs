//! GRD-6: the cohort of a graduation year under an org (read by `tuanwu_store::graduation::
//! continuity` in a handful of set queries) and each graduate's state.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use time::{Date, OffsetDateTime, Time, UtcOffset};
use tuanwu_domain::graduation::{
    classify, Cohort, CohortBranch, CohortGraduate, Continuity, ContinuityState, Destination,
    GraduateFacts,
};
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_store::graduation::continuity::{self as store, Load};

use crate::clock::CST;
use crate::{Actor, AppError, Context};

/// A graduate of the cohort and where they stand in the figure (`None`: outside it).
#[derive(Debug, Clone)]
pub(super) struct Graduate {
    pub(super) facts: CohortGraduate,
    pub(super) state: Option<ContinuityState>,
}

pub(super) struct Classified {
    pub(super) branches: HashMap<OrgId, CohortBranch>,
    pub(super) graduates: Vec<Graduate>,
}

/// 1 January of the year, 00:00 Beijing time, in UTC as timestamps are stored.
pub(super) fn season_start(year: i32) -> Result<OffsetDateTime, AppError> {
    let d = Date::from_calendar_date(year, time::Month::January, 1)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(d.with_time(Time::MIDNIGHT)
        .assume_offset(CST)
        .to_offset(UtcOffset::UTC))
}

pub(super) fn check_year(year: Option<i32>, today: Date) -> Result<i32, AppError> {
    let y = year.unwrap_or(today.year());
    if !(2000..=today.year() + 10).contains(&y) {
        return Err(DomainError::new(
            "invalid_year",
            format!(
                "“{y}”不是有效的毕业年份：请填写 2000 年至 {} 年之间的年份，如 2026",
                today.year() + 10
            ),
        )
        .rule("GRD-6")
        .field("year")
        .into());
    }
    Ok(y)
}

/// The cohort of `year` under `root` (which the caller checked is in scope), each graduate
/// classified with the further-study list `study` (GRD-6).
pub(super) async fn load_cohort<C: ConnectionTrait>(
    c: &C,
    root: OrgId,
    year: i32,
    load: Load,
    study: &[Destination],
) -> Result<Classified, AppError> {
    let Cohort {
        branches,
        graduates,
    } = store::cohort(c, root, year, season_start(year)?, load).await?;
    let graduates = graduates
        .into_iter()
        .map(|g| Graduate {
            state: classify(
                GraduateFacts {
                    excepted: g.excepted,
                    destination: g.destination,
                    transfer: g.fact,
                },
                study,
            ),
            facts: g,
        })
        .collect();
    Ok(Classified {
        branches,
        graduates,
    })
}

pub(super) fn tally<'a>(graduates: impl Iterator<Item = &'a Graduate>) -> Continuity {
    let mut c = Continuity::default();
    for g in graduates {
        c.add(g.state);
    }
    c
}

pub(super) fn state_key(s: Option<ContinuityState>) -> &'static str {
    s.map(ContinuityState::key).unwrap_or("excluded")
}

pub(super) fn state_label(s: Option<ContinuityState>) -> &'static str {
    s.map(ContinuityState::label)
        .unwrap_or("不计入（延迟毕业、教师或升学）")
}

/// The org the figure is for: in the admin's scope, else 404.
pub(super) async fn org_in_scope(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
) -> Result<tuanwu_domain::org::Org, AppError> {
    ctx.ensure_in_scope(actor, id).await?;
    tuanwu_store::org::get(ctx.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}
