//! GRD-6: the cohort of a graduation year under an org, read in four set queries whatever its
//! size (the branches of the year; the graduates still in them; the graduates who left, with
//! their transfers since; the school-domain check of the few orgs they went to), the first
//! three a join on the closure table. The SQL is written by hand for the planners of both
//! databases (measured: BENCHMARKS.md); `statement` is the one place it differs between them.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, Statement, Value,
};
use time::OffsetDateTime;
use tuanwu_domain::graduation::{
    Cohort, CohortBranch, CohortGraduate, CohortTransfer, Destination, TransferBrief, TransferFact,
};
use tuanwu_domain::org::{ExternalSystem, UnitCategory};
use tuanwu_domain::transfer::{TransferKind, TransferStatus};
use tuanwu_domain::{MemberId, OrgId, TransferId, YearMonth};

use super::{school_categories, unknown};
use crate::entity::transfer;

/// The school categories (ORG-2) as an SQL list of literals (fixed strings of this program).
fn school_categories_sql() -> String {
    school_categories()
        .iter()
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

/// The orgs among `ids` in the school domain: of a school category or below one. (Their
/// ancestors' categories are read and judged here: no per-row subquery for a planner to misjudge.)
async fn school_domain<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<HashSet<i64>, DbErr> {
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

fn destination_of(key: Option<String>) -> Result<Option<Destination>, DbErr> {
    key.as_deref()
        .map(Destination::parse)
        .transpose()
        .map_err(|e| unknown("destinations.destination", e))
}

/// What to read besides the facts: names for the lists, completion times for the trend.
#[derive(Debug, Clone, Copy, Default)]
pub struct Load {
    pub with_names: bool,
    pub with_times: bool,
}

/// GRD-6: the cohort of `year` under `root` — the members of its marked school branches still
/// there, and those who left such a branch by a transfer completed on or after `season_start`
/// — each with their delayed/teacher marking, destination and where their transfer stands.
///
/// Takes no `Scope`: the figure is for an org the caller has already checked is in the actor's
/// scope, and everything read lies below it.
pub async fn cohort<C: ConnectionTrait>(
    c: &C,
    root: OrgId,
    year: i32,
    season_start: OffsetDateTime,
    load: Load,
) -> Result<Cohort, DbErr> {
    let Load {
        with_names,
        with_times,
    } = load;
    let root = root.0;
    let backend = c.get_database_backend();
    let schools = school_categories_sql();
    let pattern = format!("{year}-%");
    let start = season_start;

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
        let graduation: Option<String> = r.try_get_by_index(2)?;
        branches.insert(
            OrgId(id),
            CohortBranch {
                name: r.try_get_by_index(1)?,
                graduation: graduation
                    .unwrap_or_default()
                    .parse::<YearMonth>()
                    .map_err(|e| unknown("orgs.graduation", e))?,
                child: r.try_get_by_index::<Option<i64>>(3)?.map(OrgId),
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
        if !branches.contains_key(&OrgId(branch)) || !seen.insert(member_id) {
            continue;
        }
        let active: Option<i64> = r.try_get_by_index(4)?;
        graduates.push(CohortGraduate {
            member: MemberId(member_id),
            branch: OrgId(branch),
            excepted: r.try_get_by_index::<i32>(3)? != 0,
            destination: destination_of(r.try_get_by_index(2)?)?,
            fact: if active.is_some() {
                TransferFact::Active
            } else {
                TransferFact::None
            },
            transfer: active.map(|id| CohortTransfer {
                id: TransferId(id),
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
        destination: Option<String>,
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
        if seen.contains(&member_id) || !branches.contains_key(&OrgId(branch)) {
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
                destination: r.try_get_by_index(3)?,
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
        graduates.push(CohortGraduate {
            member: MemberId(member_id),
            branch: OrgId(l.branch),
            excepted: l.excepted,
            destination: destination_of(l.destination)?,
            fact,
            transfer: Some(CohortTransfer {
                id: TransferId(latest.id),
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

/// Where the transfers behind a listed page of graduates go. The caller read their ids from a
/// cohort under an org in its scope.
pub async fn transfer_briefs<C: ConnectionTrait>(
    c: &C,
    ids: &[TransferId],
) -> Result<HashMap<TransferId, TransferBrief>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    transfer::Entity::find()
        .filter(transfer::Column::Id.is_in(ids.iter().map(|t| t.0)))
        .all(c)
        .await?
        .into_iter()
        .map(|t| {
            let brief = TransferBrief {
                id: TransferId(t.id),
                status: TransferStatus::parse(&t.status)
                    .map_err(|e| unknown("transfers.status", e))?,
                kind: TransferKind::parse(&t.kind).map_err(|e| unknown("transfers.kind", e))?,
                org: t.assigned_branch_id.or(t.target_org_id).map(OrgId),
                special_destination: t.special_destination,
                external_system: t
                    .external_system
                    .as_deref()
                    .map(ExternalSystem::parse)
                    .transpose()
                    .map_err(|e| unknown("transfers.external_system", e))?,
            };
            Ok((brief.id, brief))
        })
        .collect()
}
