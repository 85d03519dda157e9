//! GRD-6: the weekly trend of completed transfers to society over a graduation season, with the
//! cumulative rate.

use std::collections::BTreeMap;

use time::{Date, Duration};
use tuanwu_domain::graduation::ContinuityState;
use tuanwu_domain::OrgId;
use tuanwu_store::graduation::continuity::Load;

use super::cohort::{check_year, load_cohort, org_in_scope, tally};
use super::view::{TrendView, TrendWeek};
use crate::clock::CST;
use crate::{Actor, AppError, Context};

fn iso_week_start(d: Date) -> Date {
    d - Duration::days(i64::from(d.weekday().number_days_from_monday()))
}

pub async fn trend(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
    year: Option<i32>,
) -> Result<TrendView, AppError> {
    let today = ctx.clock.today();
    let year = check_year(year, today)?;
    let o = org_in_scope(ctx, actor, id).await?;
    let cohort = load_cohort(
        ctx.db.conn(),
        o.id,
        year,
        Load {
            with_names: false,
            with_times: true,
        },
        &ctx.policy.study_destinations(),
    )
    .await?;
    let total = tally(cohort.graduates.iter());
    let mut per_week: BTreeMap<Date, u64> = BTreeMap::new();
    for g in &cohort.graduates {
        if g.state != Some(ContinuityState::Complete) {
            continue;
        }
        if let Some(at) = g.facts.transfer.and_then(|t| t.completed_at) {
            *per_week
                .entry(iso_week_start(at.to_offset(CST).date()))
                .or_default() += 1;
        }
    }
    let first_month = cohort.branches.values().map(|b| b.graduation).min();
    let mut weeks = Vec::new();
    let starts = [
        first_month.map(|m| iso_week_start(m.first_day())),
        per_week.keys().next().copied(),
    ];
    if let Some(first) = starts.into_iter().flatten().min() {
        let last_done = per_week.keys().next_back().copied().unwrap_or(first);
        let this_week = iso_week_start(today);
        let mut last = last_done.max(if this_week >= first { this_week } else { first });
        // At most two years of weeks.
        last = last.min(first + Duration::weeks(104));
        let mut cumulative = 0u64;
        let mut w = first;
        while w <= last {
            let completed = per_week.get(&w).copied().unwrap_or(0);
            cumulative += completed;
            let (iso_year, iso_week, _) = w.to_iso_week_date();
            weeks.push(TrendWeek {
                week: format!("{iso_year}-W{iso_week:02}"),
                start: format!("{:04}-{:02}-{:02}", w.year(), u8::from(w.month()), w.day()),
                completed,
                cumulative,
                rate: match total.denominator() {
                    0 => None,
                    d => Some(cumulative as f64 / d as f64),
                },
            });
            w += Duration::weeks(1);
        }
    }
    Ok(TrendView {
        org_id: o.id.0,
        year,
        numerator: total.numerator(),
        denominator: total.denominator(),
        rate: total.rate(),
        weeks,
    })
}
