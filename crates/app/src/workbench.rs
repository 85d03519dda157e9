//! SYS-2, issue 15 item 14: the 工作台 of each level shows its own work first — a school or
//! city admin the 学社衔接率 and the branches not yet marked; a college admin the transfers
//! waiting for it and the members 待核验; a branch secretary the roster, this quarter's meetings
//! and the to-do. Every figure comes from the area's own use case, read through the actor's
//! scope; the to-do list itself stays `request::todos`.

use serde::Serialize;
use tuanwu_domain::meeting::Quarter;
use tuanwu_domain::org::Org;

use crate::graduation::continuity::{continuity, ContinuityQuery};
use crate::graduation::{self, BranchesQuery};
use crate::meeting::{self, ListMeetingsQuery, MeetingView};
use crate::member::{self, ListQuery};
use crate::request::TodoView;
use crate::{Actor, AppError, Context};

/// How many names a panel lists before its link to the full list.
const SHOWN: u64 = 8;

/// Which 工作台 the actor's org gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A committee above the colleges whose subtree holds school branches (a school, the city).
    School,
    /// A college (院系): its subtree belongs to it (ORG-4).
    College,
    Branch,
    /// Any other org (a district, a street): the counts and the to-do only.
    Other,
}

/// GRD-6 at a glance: this year's 学社衔接率 of the subtree.
#[derive(Debug, Clone, Serialize)]
pub struct ContinuityTile {
    pub year: i32,
    pub numerator: u64,
    pub denominator: u64,
    /// `12.5%`, or `—` while nobody is in the denominator.
    pub rate_label: String,
    /// Branches marked as graduating this year.
    pub branches: u64,
}

/// GRD-1: the school branches still without a graduation marking.
#[derive(Debug, Clone, Serialize)]
pub struct UnmarkedTile {
    pub total: u64,
    /// The first few, by path.
    pub names: Vec<String>,
}

/// A college's work: transfers waiting for it and members whose identity is not checked yet.
#[derive(Debug, Clone, Serialize)]
pub struct CollegeTile {
    pub transfers: Vec<TodoView>,
    /// ACC-8 待核验 in the subtree.
    pub pending_identity: u64,
}

/// A branch's roster and this quarter's meetings.
#[derive(Debug, Clone, Serialize)]
pub struct BranchTile {
    pub members: u64,
    /// The first few names of the roster, by name.
    pub names: Vec<String>,
    /// `2026年第4季度`.
    pub quarter_label: String,
    pub meetings: Vec<MeetingView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workbench {
    pub org_id: i64,
    pub level: Level,
    pub continuity: Option<ContinuityTile>,
    pub unmarked: Option<UnmarkedTile>,
    pub college: Option<CollegeTile>,
    pub branch: Option<BranchTile>,
}

async fn level(ctx: &Context, actor: &Actor, org: &Org) -> Result<Level, AppError> {
    if org.is_branch() {
        return Ok(Level::Branch);
    }
    if org.college_id == Some(org.id) {
        return Ok(Level::College);
    }
    let probe = BranchesQuery {
        per_page: Some(1),
        ..Default::default()
    };
    let (_, schools) = graduation::branches(ctx, actor, org.id, probe).await?;
    Ok(if schools > 0 {
        Level::School
    } else {
        Level::Other
    })
}

/// The 工作台 of the actor's active admin role.
pub async fn workbench(ctx: &Context, actor: &Actor) -> Result<Workbench, AppError> {
    let root = actor.admin_root()?;
    let org = tuanwu_store::org::find(ctx.db.conn(), actor.scope(), root)
        .await?
        .ok_or(AppError::NotFound)?;
    let level = level(ctx, actor, &org).await?;
    let mut out = Workbench {
        org_id: root.0,
        level,
        continuity: None,
        unmarked: None,
        college: None,
        branch: None,
    };
    match level {
        Level::School => {
            let c = continuity(ctx, actor, root, ContinuityQuery::default()).await?;
            out.continuity = Some(ContinuityTile {
                year: c.year,
                numerator: c.numerator,
                denominator: c.denominator,
                rate_label: c
                    .rate
                    .map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0)),
                branches: c.branches,
            });
            let q = BranchesQuery {
                status: Some("unmarked".into()),
                per_page: Some(SHOWN),
                ..Default::default()
            };
            let (items, total) = graduation::branches(ctx, actor, root, q).await?;
            out.unmarked = Some(UnmarkedTile {
                total,
                names: items.into_iter().map(|b| b.name).collect(),
            });
        }
        Level::College => {
            out.college = Some(CollegeTile {
                transfers: crate::transfer::todos(ctx, actor).await?,
                pending_identity: crate::identity::stats(ctx, actor, root)
                    .await?
                    .counts
                    .pending,
            });
        }
        Level::Branch => {
            let q = ListQuery {
                per_page: Some(SHOWN),
                ..Default::default()
            };
            let roster = member::list(ctx, actor, root, q).await?;
            let quarter = Quarter::of(ctx.clock.today());
            let day = |d: time::Date| {
                format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
            };
            let q = ListMeetingsQuery {
                from: Some(day(quarter.first_day())),
                to: Some(day(quarter.end().previous_day().unwrap_or(quarter.end()))),
                per_page: Some(50),
                ..Default::default()
            };
            let (meetings, _) = meeting::list(ctx, actor, root, q).await?;
            out.branch = Some(BranchTile {
                members: roster.total,
                names: roster.items.iter().map(|m| m.name.clone()).collect(),
                quarter_label: quarter.label(),
                meetings,
            });
        }
        Level::Other => {}
    }
    Ok(out)
}
