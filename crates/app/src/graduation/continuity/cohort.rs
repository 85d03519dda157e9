//! GRD-6: the cohort of a graduation year under an org, read in a handful of set queries, and
//! each graduate's state.

use std::collections::{HashMap, HashSet};

use sea_orm::ConnectionTrait;
use time::{Date, OffsetDateTime, Time, UtcOffset};
use tuanwu_domain::graduation::{
    classify, Continuity, ContinuityState, Destination, GraduateFacts, TransferFact,
};
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_store::entity::org;
use tuanwu_store::queries;

use super::sql::{school_categories_sql, school_domain, statement};
use crate::clock::CST;
use crate::{Actor, AppError, Context};

// ---------------------------------------------------------------------------------------------
// The cohort

/// A marked branch of the year.
#[derive(Debug, Clone)]
pub(super) struct Branch {
    pub(super) name: String,
    /// "2026-06".
    pub(super) graduation: String,
    /// The direct child of the asked org that holds it (`None`: the org is the branch itself).
    pub(super) child: Option<i64>,
}

/// The transfer a graduate's state comes from.
#[derive(Debug, Clone, Copy)]
pub(super) struct FactTransfer {
    pub(super) id: i64,
    pub(super) completed_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub(super) struct Graduate {
    pub(super) member_id: i64,
    pub(super) branch: i64,
    pub(super) excepted: bool,
    pub(super) destination: Option<Destination>,
    pub(super) state: Option<ContinuityState>,
    pub(super) transfer: Option<FactTransfer>,
    /// Only loaded for lists.
    pub(super) name: String,
    pub(super) student_no: Option<String>,
}

pub(super) struct Cohort {
    pub(super) branches: HashMap<i64, Branch>,
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

pub(super) async fn load_cohort<C: ConnectionTrait>(
    c: &C,
    root: i64,
    year: i32,
    with_names: bool,
    with_times: bool,
    study: &[Destination],
) -> Result<Cohort, AppError> {
    let backend = c.get_database_backend();
    let schools = school_categories_sql();
    let pattern = format!("{year}-%");
    let start = season_start(year)?;

    // 1. The marked school branches of the year (GRD-1 marks branches of a school category)
    // and the child of `root` holding each.
    let sql = format!(
        "SELECT o.id, o.name, o.graduation, cc.ancestor \
         FROM org_closure c JOIN orgs o ON o.id = c.descendant \
         LEFT JOIN org_closure cc ON cc.descendant = o.id AND cc.depth = c.depth - 1 \
         WHERE c.ancestor = ? AND o.kind = 'branch' AND o.graduation LIKE ? \
         AND o.category IN ({schools})"
    );
    let mut branches = HashMap::new();
    for r in c
        .query_all(statement(
            backend,
            &sql,
            vec![root.into(), pattern.clone().into()],
        ))
        .await?
    {
        let id: i64 = r.try_get_by_index(0)?;
        branches.insert(
            id,
            Branch {
                name: r.try_get_by_index(1)?,
                graduation: r.try_get_by_index::<Option<String>>(2)?.unwrap_or_default(),
                child: r.try_get_by_index(3)?,
            },
        );
    }
    if branches.is_empty() {
        return Ok(Cohort {
            branches,
            graduates: Vec::new(),
        });
    }
    let names = if with_names {
        ", m.name, m.student_no"
    } else {
        ""
    };
    // A join, not a per-row EXISTS: when PostgreSQL underestimates the rows (it guesses one
    // leaver where there are thousands) it runs an EXISTS once per row as a scan of the whole
    // exceptions table (measured 190 ms for 5,000 leavers); the join uses the member index.
    // A member has at most one live exception (GRD-3 refuses a second), so the join adds no
    // rows; the loops below would keep one row per member regardless.
    let excepted = "CASE WHEN e.id IS NULL THEN 0 ELSE 1 END";
    let exceptions =
        "LEFT JOIN graduation_exceptions e ON e.member_id = m.id AND e.revoked_at IS NULL";

    // 2. Graduates still in their branch, with their active transfer if any.
    let sql = format!(
        "SELECT m.id, m.org_id, d.destination, {excepted}, t.id{names} \
         FROM org_closure c JOIN orgs o ON o.id = c.descendant \
         JOIN members m ON m.org_id = o.id \
         LEFT JOIN destinations d ON d.member_id = m.id \
         LEFT JOIN transfers t ON t.active_member_id = m.id {exceptions} \
         WHERE c.ancestor = ? AND o.kind = 'branch' AND o.graduation LIKE ? AND m.status = 'active'"
    );
    let mut graduates = Vec::new();
    let mut seen = HashSet::new();
    for r in c
        .query_all(statement(
            backend,
            &sql,
            vec![root.into(), pattern.clone().into()],
        ))
        .await?
    {
        let member_id: i64 = r.try_get_by_index(0)?;
        let branch: i64 = r.try_get_by_index(1)?;
        if !branches.contains_key(&branch) || !seen.insert(member_id) {
            continue;
        }
        let active: Option<i64> = r.try_get_by_index(4)?;
        graduates.push(Graduate {
            member_id,
            branch,
            excepted: r.try_get_by_index::<i32>(3)? != 0,
            destination: destination_of(r.try_get_by_index(2)?),
            state: None,
            transfer: active.map(|id| FactTransfer {
                id,
                completed_at: None,
            }),
            name: if with_names {
                r.try_get_by_index(5)?
            } else {
                String::new()
            },
            student_no: if with_names {
                r.try_get_by_index(6)?
            } else {
                None
            },
        });
    }
    for g in &mut graduates {
        let fact = if g.transfer.is_some() {
            TransferFact::Active
        } else {
            TransferFact::None
        };
        g.state = classify(
            GraduateFacts {
                excepted: g.excepted,
                destination: g.destination,
                transfer: fact,
            },
            study,
        );
    }

    // 3. Graduates who left by a completed transfer in the season, each with every transfer of
    // theirs since (the departure itself included). Status and kind come back as small codes and
    // the time only when the trend needs it: this query returns one row per leaver and transfer.
    let decided = if with_times { "t2.decided_at" } else { "NULL" };
    let sql = format!(
        "SELECT t.member_id, t.id, t.source_org_id, d.destination, {excepted}, t2.id, \
                CASE WHEN t2.status = 'completed' THEN 1 ELSE 0 END, \
                CASE WHEN t2.kind = 'internal' THEN 1 ELSE 0 END, \
                COALESCE(t2.assigned_branch_id, t2.target_org_id), {decided}{names} \
         FROM org_closure c JOIN orgs o ON o.id = c.descendant \
         JOIN transfers t ON t.source_org_id = o.id \
         JOIN members m ON m.id = t.member_id \
         JOIN transfers t2 ON t2.member_id = t.member_id AND t2.id >= t.id \
         LEFT JOIN destinations d ON d.member_id = m.id {exceptions} \
         WHERE c.ancestor = ? AND o.kind = 'branch' AND o.graduation LIKE ? \
         AND t.status = 'completed' AND t.decided_at >= ? AND m.status <> 'deleted' \
         AND t2.status IN ('pending', 'awaiting_report', 'completed')"
    );
    struct Latest {
        id: i64,
        completed: bool,
        internal: bool,
        target: Option<i64>,
        decided_at: Option<OffsetDateTime>,
    }
    struct Left {
        departure: i64,
        branch: i64,
        destination: Option<Destination>,
        excepted: bool,
        latest: Latest,
        name: String,
        student_no: Option<String>,
    }
    let mut left: HashMap<i64, Left> = HashMap::new();
    for r in c
        .query_all(statement(
            backend,
            &sql,
            vec![root.into(), pattern.into(), start.into()],
        ))
        .await?
    {
        let member_id: i64 = r.try_get_by_index(0)?;
        let departure: i64 = r.try_get_by_index(1)?;
        let branch: i64 = r.try_get_by_index(2)?;
        if seen.contains(&member_id) || !branches.contains_key(&branch) {
            continue;
        }
        let latest_id: i64 = r.try_get_by_index(5)?;
        if let Some(l) = left.get(&member_id) {
            if (departure, latest_id) <= (l.departure, l.latest.id) {
                continue;
            }
        }
        let latest = Latest {
            id: latest_id,
            completed: r.try_get_by_index::<i32>(6)? != 0,
            internal: r.try_get_by_index::<i32>(7)? != 0,
            target: r.try_get_by_index(8)?,
            decided_at: if with_times {
                r.try_get_by_index(9)?
            } else {
                None
            },
        };
        left.insert(
            member_id,
            Left {
                departure,
                branch,
                destination: destination_of(r.try_get_by_index(3)?),
                excepted: r.try_get_by_index::<i32>(4)? != 0,
                latest,
                name: if with_names {
                    r.try_get_by_index(10)?
                } else {
                    String::new()
                },
                student_no: if with_names {
                    r.try_get_by_index(11)?
                } else {
                    None
                },
            },
        );
    }
    // 4. Which of the orgs they went to are school-domain (a few distinct orgs).
    let targets: Vec<i64> = left
        .values()
        .filter(|l| l.latest.completed && l.latest.internal)
        .filter_map(|l| l.latest.target)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let at_school = school_domain(c, &targets).await?;
    for (member_id, l) in left {
        let latest = l.latest;
        let fact = if !latest.completed {
            TransferFact::Active
        } else if latest.internal && latest.target.is_some_and(|t| at_school.contains(&t)) {
            TransferFact::CompletedAtSchool
        } else {
            TransferFact::CompletedToSociety
        };
        graduates.push(Graduate {
            member_id,
            branch: l.branch,
            excepted: l.excepted,
            destination: l.destination,
            state: classify(
                GraduateFacts {
                    excepted: l.excepted,
                    destination: l.destination,
                    transfer: fact,
                },
                study,
            ),
            transfer: Some(FactTransfer {
                id: latest.id,
                completed_at: latest.decided_at.filter(|_| latest.completed),
            }),
            name: l.name,
            student_no: l.student_no,
        });
    }
    Ok(Cohort {
        branches,
        graduates,
    })
}

pub(super) fn destination_of(key: Option<String>) -> Option<Destination> {
    key.as_deref().and_then(|k| Destination::parse(k).ok())
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
) -> Result<org::Model, AppError> {
    ctx.ensure_in_scope(actor, id).await?;
    queries::org::find(ctx.db.conn(), id.0)
        .await?
        .ok_or(AppError::NotFound)
}
