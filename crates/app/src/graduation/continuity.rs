//! GRD-6: the 学社衔接率 of an org's subtree for one graduation year, the lists behind it, the
//! per-child figures, the weekly trend and the `continuity.xlsx` sheet.
//!
//! The cohort of year Y under an org: the members of the branches of its subtree marked with a
//! graduation month in Y (GRD-1 marks branches of a school category) —
//! - those still there (active members of such a branch), and
//! - those who left such a branch by a transfer completed in the season (on or after 1 January
//!   of Y, Beijing time; members who left earlier, e.g. by changing school in their second year,
//!   did not graduate from it).
//!
//! Each graduate's facts: an unrevoked delayed/teacher marking (GRD-3/4), the recorded
//! destination (GRD-5), and where their transfer stands. For a graduate still in the branch that
//! is their active transfer, if any. For one who left, it is their latest transfer since they left
//! (pending/awaiting report or completed; rejected and withdrawn ones do not count): a graduate
//! who went to the school's floating branch and later on to their employer's org counts as
//! complete once that second transfer is. A completed transfer into a school-domain org (a
//! floating branch, another school) is "kept at school"; into any other org, an external system
//! (TRF-9) or a special unit (TRF-6) it is complete. The formula itself is
//! `tuanwu_domain::graduation::classify` with the further-study list of `[policy] further_study` (default 升学 and 出国出境).
//!
//! Cost: four set queries whatever the cohort size (the branches of the year; the graduates still
//! in them; the graduates who left, with their transfers since; the school-domain check of the
//! few orgs they went to), the first three a join on the closure table; the tally is done here.
//! Lists add three small queries for the page shown (measured: BENCHMARKS.md).

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, Value,
};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};
use tuanwu_domain::graduation::{
    classify, Continuity, ContinuityState, Destination, GraduateFacts, TransferFact,
};
use tuanwu_domain::mask::mask_resident_id;
use tuanwu_domain::org::{ExternalSystem, UnitCategory, UNIT_CATEGORIES};
use tuanwu_domain::transfer::{TransferKind, TransferStatus};
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_sheets::{write, Sheet};
use tuanwu_store::entity::{destination, member, org, transfer};
use tuanwu_store::queries::{self, Page};
use utoipa::{IntoParams, ToSchema};

use crate::audit::{self, Change};
use crate::clock::CST;
use crate::{Actor, AppError, Context};

// ---------------------------------------------------------------------------------------------
// Inputs and outputs

#[derive(Debug, Default, Clone, Deserialize, IntoParams, ToSchema)]
pub struct ContinuityQuery {
    /// Graduation year (defaults to the current year).
    pub year: Option<i32>,
    /// The members behind one figure: `not_started` | `in_progress` | `complete` |
    /// `kept_at_school`, or `excluded` (delayed graduates, teachers, further study).
    pub list: Option<String>,
    /// Order of `children`: `name` (default) | `rate` | `denominator`.
    pub sort: Option<String>,
    /// `asc` (default) | `desc`.
    pub order: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// How many graduates stand in each state.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct ContinuityCounts {
    /// 未发起转接: in the denominator only.
    pub not_started: u64,
    /// 转接办理中.
    pub in_progress: u64,
    /// 已完成转接: the numerator.
    pub complete: u64,
    /// 保留在学校 (floating branch or another school org): not complete.
    pub kept_at_school: u64,
    /// Outside the figure: delayed graduates, teachers, further study.
    pub excluded: u64,
}

impl From<&Continuity> for ContinuityCounts {
    fn from(c: &Continuity) -> Self {
        Self {
            not_started: c.not_started,
            in_progress: c.in_progress,
            complete: c.complete,
            kept_at_school: c.kept_at_school,
            excluded: c.excluded,
        }
    }
}

/// The figure of one direct child org.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChildContinuity {
    pub org_id: i64,
    pub name: String,
    pub numerator: u64,
    pub denominator: u64,
    /// numerator / denominator in [0, 1]; `null` when the denominator is 0.
    pub rate: Option<f64>,
    pub counts: ContinuityCounts,
    /// Branches of this child marked with a graduation month of the year.
    pub branches: u64,
}

/// Where a graduate's transfer stands (the one the figure reads).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraduateTransfer {
    pub id: i64,
    /// `pending` | `awaiting_report` | `completed`.
    pub status: String,
    pub status_label: String,
    /// `internal` | `special_unit` | `external`.
    pub kind: String,
    /// The org, special unit or external system the member goes to.
    pub target: Option<String>,
}

/// One member behind a figure (resident ID masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraduateRow {
    pub member_id: i64,
    pub name: String,
    pub student_no: Option<String>,
    /// Masked: `1201**********1234`.
    pub resident_id: String,
    /// The branch they graduate from.
    pub branch_id: i64,
    pub branch_name: String,
    /// GRD-5 key, `null` when none is recorded.
    pub destination: Option<String>,
    pub destination_label: Option<String>,
    pub destination_note: Option<String>,
    /// `not_started` | `in_progress` | `complete` | `kept_at_school` | `excluded`.
    pub state: String,
    pub state_label: String,
    /// For `excluded`: why (延迟毕业或教师 / 升学 / 出国出境).
    pub excluded_reason: Option<String>,
    pub transfer: Option<GraduateTransfer>,
}

/// The members behind one figure, one page of them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraduateList {
    pub state: String,
    pub label: String,
    pub items: Vec<GraduateRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContinuityView {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    /// Graduates whose transfer to a non-school org is complete.
    pub numerator: u64,
    /// Graduates not going on to further study, delayed graduates and teachers left out.
    pub denominator: u64,
    /// numerator / denominator in [0, 1]; `null` when the denominator is 0.
    pub rate: Option<f64>,
    pub counts: ContinuityCounts,
    /// Branches of the subtree marked with a graduation month of the year.
    pub branches: u64,
    /// Further-study destinations left out of the figure (GRD-6).
    pub further_study: Vec<String>,
    /// Per direct child org (colleges of a school, branches of a college), sorted as asked.
    pub children: Vec<ChildContinuity>,
    pub sort: String,
    pub order: String,
    /// Present when `list` was asked for.
    pub list: Option<GraduateList>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendWeek {
    /// ISO week: `2026-W23`.
    pub week: String,
    /// Its Monday, `2026-06-01`.
    pub start: String,
    /// Graduates whose transfer to society completed that week.
    pub completed: u64,
    /// Completed up to the end of that week.
    pub cumulative: u64,
    /// cumulative / today's denominator.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendView {
    pub org_id: i64,
    pub year: i32,
    pub numerator: u64,
    pub denominator: u64,
    pub rate: Option<f64>,
    /// Every ISO week from the first graduation month of the year (or the first completion, if
    /// earlier) to this week (or the last completion, if later).
    pub weeks: Vec<TrendWeek>,
}

// ---------------------------------------------------------------------------------------------
// The cohort

/// A marked branch of the year.
#[derive(Debug, Clone)]
struct Branch {
    name: String,
    /// "2026-06".
    graduation: String,
    /// The direct child of the asked org that holds it (`None`: the org is the branch itself).
    child: Option<i64>,
}

/// The transfer a graduate's state comes from.
#[derive(Debug, Clone, Copy)]
struct FactTransfer {
    id: i64,
    completed_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
struct Graduate {
    member_id: i64,
    branch: i64,
    excepted: bool,
    destination: Option<Destination>,
    state: Option<ContinuityState>,
    transfer: Option<FactTransfer>,
    /// Only loaded for lists.
    name: String,
    student_no: Option<String>,
}

struct Cohort {
    branches: HashMap<i64, Branch>,
    graduates: Vec<Graduate>,
}

/// The school categories (ORG-2) as an SQL list of literals (fixed strings of this program).
fn school_categories_sql() -> String {
    UNIT_CATEGORIES
        .iter()
        .filter(|c| UnitCategory::parse(c).is_ok_and(UnitCategory::is_school))
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `?` placeholders become `$1, $2, …` on PostgreSQL: the one place the SQL differs.
fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(ch);
                }
            }
            out
        }
        _ => sql.to_string(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// 1 January of the year, 00:00 Beijing time, in UTC as timestamps are stored.
fn season_start(year: i32) -> Result<OffsetDateTime, AppError> {
    let d = Date::from_calendar_date(year, time::Month::January, 1)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(d.with_time(Time::MIDNIGHT)
        .assume_offset(CST)
        .to_offset(UtcOffset::UTC))
}

fn check_year(year: Option<i32>, today: Date) -> Result<i32, AppError> {
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

async fn load_cohort<C: ConnectionTrait>(
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
    let excepted = "CASE WHEN EXISTS (SELECT 1 FROM graduation_exceptions e \
                    WHERE e.member_id = m.id AND e.revoked_at IS NULL) THEN 1 ELSE 0 END";

    // 2. Graduates still in their branch, with their active transfer if any.
    let sql = format!(
        "SELECT m.id, m.org_id, d.destination, {excepted}, t.id{names} \
         FROM org_closure c JOIN orgs o ON o.id = c.descendant \
         JOIN members m ON m.org_id = o.id \
         LEFT JOIN destinations d ON d.member_id = m.id \
         LEFT JOIN transfers t ON t.active_member_id = m.id \
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
        if !branches.contains_key(&branch) {
            continue;
        }
        let active: Option<i64> = r.try_get_by_index(4)?;
        seen.insert(member_id);
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
         LEFT JOIN destinations d ON d.member_id = m.id \
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

/// The orgs among `ids` in the school domain: of a school category or below one. (Their
/// ancestors' categories are read and judged here: no per-row subquery for a planner to misjudge.)
async fn school_domain<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<HashSet<i64>, AppError> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "SELECT sc.descendant, sa.category FROM org_closure sc JOIN orgs sa ON sa.id = sc.ancestor \
             WHERE sc.descendant IN ({marks})"
        );
        let values = chunk.iter().map(|id| Value::from(*id)).collect();
        for r in c
            .query_all(statement(c.get_database_backend(), &sql, values))
            .await?
        {
            let category: String = r.try_get_by_index(1)?;
            if UnitCategory::parse(&category).is_ok_and(UnitCategory::is_school) {
                out.insert(r.try_get_by_index::<i64>(0)?);
            }
        }
    }
    Ok(out)
}

fn destination_of(key: Option<String>) -> Option<Destination> {
    key.as_deref().and_then(|k| Destination::parse(k).ok())
}

fn tally<'a>(graduates: impl Iterator<Item = &'a Graduate>) -> Continuity {
    let mut c = Continuity::default();
    for g in graduates {
        c.add(g.state);
    }
    c
}

fn state_key(s: Option<ContinuityState>) -> &'static str {
    s.map(ContinuityState::key).unwrap_or("excluded")
}

fn state_label(s: Option<ContinuityState>) -> &'static str {
    s.map(ContinuityState::label)
        .unwrap_or("不计入（延迟毕业、教师或升学）")
}

/// The org the figure is for: in the admin's scope, else 404.
async fn org_in_scope(ctx: &Context, actor: &Actor, id: OrgId) -> Result<org::Model, AppError> {
    ctx.ensure_in_scope(actor, id).await?;
    queries::org::find(ctx.db.conn(), id.0)
        .await?
        .ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// The figure

fn invalid(code: &'static str, message: String, field: &'static str) -> AppError {
    DomainError::new(code, message)
        .rule("GRD-6")
        .field(field)
        .into()
}

pub async fn continuity(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
    query: ContinuityQuery,
) -> Result<ContinuityView, AppError> {
    let year = check_year(query.year, ctx.clock.today())?;
    let sort = match query.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => "name",
        Some(s @ ("name" | "rate" | "denominator")) => s,
        Some(other) => {
            return Err(invalid(
                "invalid_sort",
                format!("“{other}”不是有效的排序方式：可选 name（名称）、rate（衔接率）或 denominator（应转接人数）"),
                "sort",
            ))
        }
    };
    let desc = match query
        .order
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(invalid(
                "invalid_order",
                format!("“{other}”不是有效的顺序：可选 asc（升序）或 desc（降序）"),
                "order",
            ))
        }
    };
    // `None`: no list; `Some(None)`: the excluded list.
    let list: Option<Option<ContinuityState>> = match query
        .list
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some("excluded") => Some(None),
        Some(s) => Some(Some(ContinuityState::parse(s).map_err(|e| {
            DomainError::new(e.code, format!("{}、不计入（excluded）", e.message))
                .rule("GRD-6")
                .field("list")
        })?)),
    };
    let o = org_in_scope(ctx, actor, id).await?;
    let c = ctx.db.conn();
    let cohort = load_cohort(
        c,
        o.id,
        year,
        list.is_some(),
        false,
        &ctx.policy.study_destinations(),
    )
    .await?;
    let total = tally(cohort.graduates.iter());

    // Per child: every child holding a marked branch of the year.
    let mut per_child: HashMap<i64, (Continuity, u64)> = HashMap::new();
    for b in cohort.branches.values() {
        if let Some(ch) = b.child {
            per_child.entry(ch).or_default().1 += 1;
        }
    }
    for g in &cohort.graduates {
        if let Some(ch) = cohort.branches.get(&g.branch).and_then(|b| b.child) {
            per_child.entry(ch).or_default().0.add(g.state);
        }
    }
    let child_orgs = queries::org::children(c, o.id, true).await?;
    let mut children: Vec<ChildContinuity> = child_orgs
        .into_iter()
        .filter_map(|ch| {
            let (fig, branches) = per_child.remove(&ch.id)?;
            Some(ChildContinuity {
                org_id: ch.id,
                name: ch.name,
                numerator: fig.numerator(),
                denominator: fig.denominator(),
                rate: fig.rate(),
                counts: (&fig).into(),
                branches,
            })
        })
        .collect();
    sort_children(&mut children, sort, desc);

    let list = match list {
        None => None,
        Some(state) => {
            Some(list_page(ctx, &cohort, state, Page::new(query.page, query.per_page)).await?)
        }
    };
    Ok(ContinuityView {
        org_id: o.id,
        org_name: o.name,
        year,
        numerator: total.numerator(),
        denominator: total.denominator(),
        rate: total.rate(),
        counts: (&total).into(),
        branches: cohort.branches.len() as u64,
        further_study: ctx
            .policy
            .study_destinations()
            .iter()
            .map(|d| d.label().to_string())
            .collect(),
        children,
        sort: sort.into(),
        order: if desc { "desc" } else { "asc" }.into(),
        list,
    })
}

/// Sorts by the asked key, then by name; children without a rate (nobody in the denominator)
/// come last either way.
fn sort_children(children: &mut [ChildContinuity], sort: &str, desc: bool) {
    use std::cmp::Ordering;
    children.sort_by(|a, b| {
        let key = match sort {
            "rate" => match (a.rate, b.rate) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => return Ordering::Greater,
                (Some(_), None) => return Ordering::Less,
                (Some(x), Some(y)) => x.total_cmp(&y),
            },
            "denominator" => a.denominator.cmp(&b.denominator),
            _ => Ordering::Equal,
        };
        let key = if desc { key.reverse() } else { key };
        let by_name = if sort == "name" && desc {
            b.name.cmp(&a.name)
        } else {
            a.name.cmp(&b.name)
        };
        key.then(by_name).then(a.org_id.cmp(&b.org_id))
    });
}

async fn list_page(
    ctx: &Context,
    cohort: &Cohort,
    state: Option<ContinuityState>,
    page: Page,
) -> Result<GraduateList, AppError> {
    let c = ctx.db.conn();
    let mut rows: Vec<&Graduate> = cohort
        .graduates
        .iter()
        .filter(|g| g.state == state)
        .collect();
    let branch_name = |id: i64| {
        cohort
            .branches
            .get(&id)
            .map(|b| b.name.as_str())
            .unwrap_or_default()
    };
    rows.sort_by(|a, b| {
        branch_name(a.branch)
            .cmp(branch_name(b.branch))
            .then_with(|| a.student_no.cmp(&b.student_no))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.member_id.cmp(&b.member_id))
    });
    let total = rows.len() as u64;
    let shown: Vec<&Graduate> = rows
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.per_page as usize)
        .collect();
    let member_ids: Vec<i64> = shown.iter().map(|g| g.member_id).collect();
    let members: HashMap<i64, member::Model> = member::Entity::find()
        .filter(member::Column::Id.is_in(member_ids.clone()))
        .all(c)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let notes: HashMap<i64, Option<String>> = destination::Entity::find()
        .filter(destination::Column::MemberId.is_in(member_ids))
        .all(c)
        .await?
        .into_iter()
        .map(|d| (d.member_id, d.note))
        .collect();
    let transfer_ids: Vec<i64> = shown
        .iter()
        .filter_map(|g| g.transfer.map(|t| t.id))
        .collect();
    let transfers: HashMap<i64, transfer::Model> = if transfer_ids.is_empty() {
        HashMap::new()
    } else {
        transfer::Entity::find()
            .filter(transfer::Column::Id.is_in(transfer_ids))
            .all(c)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect()
    };
    let target_ids: Vec<i64> = transfers
        .values()
        .filter_map(|t| t.assigned_branch_id.or(t.target_org_id))
        .collect();
    let targets: HashMap<i64, String> = if target_ids.is_empty() {
        HashMap::new()
    } else {
        queries::org::find_many(c, &target_ids)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    };
    let mut items = Vec::with_capacity(shown.len());
    for g in shown {
        let Some(m) = members.get(&g.member_id) else {
            continue;
        };
        let rid = ctx.cipher.decrypt(&m.resident_id_enc).unwrap_or_default();
        let transfer = g
            .transfer
            .and_then(|f| transfers.get(&f.id))
            .map(|t| transfer_brief(t, &targets));
        let excluded_reason = if g.state.is_some() {
            None
        } else if g.excepted {
            Some("延迟毕业或教师".to_string())
        } else {
            g.destination.map(|d| d.label().to_string())
        };
        items.push(GraduateRow {
            member_id: m.id,
            name: m.name.clone(),
            student_no: m.student_no.clone(),
            resident_id: mask_resident_id(&rid),
            branch_id: g.branch,
            branch_name: branch_name(g.branch).to_string(),
            destination: g.destination.map(|d| d.key().to_string()),
            destination_label: g.destination.map(|d| d.label().to_string()),
            destination_note: notes.get(&m.id).cloned().flatten(),
            state: state_key(g.state).into(),
            state_label: state_label(g.state).into(),
            excluded_reason,
            transfer,
        });
    }
    Ok(GraduateList {
        state: state_key(state).into(),
        label: state_label(state).into(),
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

fn transfer_brief(t: &transfer::Model, targets: &HashMap<i64, String>) -> GraduateTransfer {
    let target = match TransferKind::parse(&t.kind) {
        Ok(TransferKind::SpecialUnit) => t.special_destination.clone(),
        Ok(TransferKind::External) => t
            .external_system
            .as_deref()
            .and_then(|e| ExternalSystem::parse(e).ok())
            .map(|e| format!("{}团员管理系统", e.label())),
        _ => t
            .assigned_branch_id
            .or(t.target_org_id)
            .and_then(|id| targets.get(&id).cloned()),
    };
    GraduateTransfer {
        id: t.id,
        status: t.status.clone(),
        status_label: TransferStatus::parse(&t.status)
            .map(|s| s.label().to_string())
            .unwrap_or_default(),
        kind: t.kind.clone(),
        target,
    }
}

// ---------------------------------------------------------------------------------------------
// Trend

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
        false,
        true,
        &ctx.policy.study_destinations(),
    )
    .await?;
    let total = tally(cohort.graduates.iter());
    let mut per_week: BTreeMap<Date, u64> = BTreeMap::new();
    for g in &cohort.graduates {
        if g.state != Some(ContinuityState::Complete) {
            continue;
        }
        if let Some(at) = g.transfer.and_then(|t| t.completed_at) {
            *per_week
                .entry(iso_week_start(at.to_offset(CST).date()))
                .or_default() += 1;
        }
    }
    let first_month = cohort
        .branches
        .values()
        .filter_map(|b| b.graduation.parse::<tuanwu_domain::YearMonth>().ok())
        .min();
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
        org_id: o.id,
        year,
        numerator: total.numerator(),
        denominator: total.denominator(),
        rate: total.rate(),
        weeks,
    })
}

// ---------------------------------------------------------------------------------------------
// The sheet

/// Columns of `continuity.xlsx`.
pub const CONTINUITY_SHEET: [&str; 7] = [
    "组织",
    "应转接人数（分母）",
    "已完成（分子）",
    "办理中",
    "未发起",
    "保留在学校",
    "学社衔接率",
];

fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".into(),
    }
}

/// One row per direct child org, then the org's own total (audited as a report export).
pub async fn report(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
    year: Option<i32>,
) -> Result<(String, Vec<u8>), AppError> {
    let view = continuity(
        ctx,
        actor,
        id,
        ContinuityQuery {
            year,
            ..Default::default()
        },
    )
    .await?;
    let row = |name: &str, c: &ContinuityCounts, num: u64, den: u64, rate: Option<f64>| {
        vec![
            name.to_string(),
            den.to_string(),
            num.to_string(),
            c.in_progress.to_string(),
            c.not_started.to_string(),
            c.kept_at_school.to_string(),
            percent(rate),
        ]
    };
    let mut rows: Vec<Vec<String>> = view
        .children
        .iter()
        .map(|ch| row(&ch.name, &ch.counts, ch.numerator, ch.denominator, ch.rate))
        .collect();
    rows.push(row(
        &format!("合计（{}）", view.org_name),
        &view.counts,
        view.numerator,
        view.denominator,
        view.rate,
    ));
    let title = format!("{}届毕业生学社衔接情况", view.year);
    let count = rows.len();
    let bytes = write(Sheet {
        name: "学社衔接",
        title: &title,
        headers: &CONTINUITY_SHEET,
        rows,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = ctx.db.write().await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("report", id.0, "export")
            .org(id.0)
            .after(serde_json::json!({ "sheet": title, "rows": count })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("{title}-{}.xlsx", view.org_name), bytes))
}
