//! MTG-1 compliance: the quarterly targets an org sets for its subtree (the nearest ancestor's
//! apply, else the defaults), the branches of a subtree behind target in a quarter, and the
//! branch's own to-do in the quarter's last two weeks (SYS-2).

use serde::{Deserialize, Serialize};
use time::Time;
use tuanwu_domain::meeting::{MeetingKind, Quarter, Targets};
use tuanwu_domain::OrgId;
use tuanwu_store::meeting::{self as store, BranchCount};
use utoipa::{IntoParams, ToSchema};

use super::rules::org_in_scope;
use crate::audit::{self, AuditAction, Change};
use crate::clock::CST;
use crate::grant::needs::{self, Write};
use crate::request::TodoView;
use crate::{Actor, AppError, Context};

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ComplianceQuery {
    /// Default: this year.
    pub year: Option<i32>,
    /// 1 … 4; default: this quarter.
    pub quarter: Option<u8>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindCount {
    pub kind: String,
    pub kind_label: String,
    /// Held this quarter.
    pub held: u32,
    /// The target that applies (0: none).
    pub target: u32,
    pub behind: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BranchComplianceView {
    pub org_id: i64,
    pub name: String,
    pub path: String,
    /// Every kind, held against target.
    pub counts: Vec<KindCount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplianceActions {
    /// Download meeting-compliance.xlsx.
    pub export: bool,
    /// Set this org's targets.
    pub set_targets: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplianceView {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    pub quarter: u8,
    pub quarter_label: String,
    /// Live branches in the subtree.
    pub branch_count: usize,
    /// The branches behind target in the quarter, with counts per kind.
    pub branches: Vec<BranchComplianceView>,
    pub actions: ComplianceActions,
}

pub(crate) fn quarter_of(ctx: &Context, q: &ComplianceQuery) -> Result<Quarter, AppError> {
    let now = Quarter::of(ctx.clock.today());
    Ok(Quarter::new(
        q.year.unwrap_or(now.year()),
        q.quarter
            .unwrap_or(if q.year.is_some() { 1 } else { now.number() }),
    )?)
}

/// The quarter's bounds as instants in Beijing time.
pub(crate) fn bounds(
    first: time::Date,
    end: time::Date,
) -> (time::OffsetDateTime, time::OffsetDateTime) {
    let at = |d: time::Date| d.with_time(Time::MIDNIGHT).assume_offset(CST);
    (at(first), at(end))
}

fn counts_view(b: &BranchCount) -> BranchComplianceView {
    BranchComplianceView {
        org_id: b.branch.0,
        name: b.name.clone(),
        path: b.path.clone(),
        counts: MeetingKind::ALL
            .iter()
            .map(|k| {
                let held = b.held.iter().find(|(h, _)| h == k).map_or(0, |(_, n)| *n);
                let target = b.targets.of(*k);
                KindCount {
                    kind: k.key().into(),
                    kind_label: k.label().into(),
                    held,
                    target,
                    behind: held < target,
                }
            })
            .collect(),
    }
}

/// Every live branch of the subtree with its counts in the quarter (the sheet lists them all).
pub(crate) async fn subtree_counts(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    quarter: Quarter,
) -> Result<(String, Vec<BranchComplianceView>), AppError> {
    let c = ctx.db.conn();
    let o = org_in_scope(c, actor, org).await?;
    let (from, before) = bounds(quarter.first_day(), quarter.end());
    let rows = store::branch_counts(c, o.id, from, before).await?;
    Ok((o.name, rows.iter().map(counts_view).collect()))
}

pub async fn compliance(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    query: ComplianceQuery,
) -> Result<ComplianceView, AppError> {
    let quarter = quarter_of(ctx, &query)?;
    let (org_name, all) = subtree_counts(ctx, actor, org, quarter).await?;
    let branch_count = all.len();
    Ok(ComplianceView {
        org_id: org.0,
        org_name,
        year: quarter.year(),
        quarter: quarter.number(),
        quarter_label: quarter.label(),
        branch_count,
        branches: all
            .into_iter()
            .filter(|b| b.counts.iter().any(|k| k.behind))
            .collect(),
        actions: ComplianceActions {
            export: true,
            set_targets: needs::allows(actor, Write::SetMeetingTargets),
        },
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TargetEntry {
    pub kind: String,
    #[serde(default)]
    pub kind_label: String,
    /// Meetings of this kind a branch should hold a quarter (0: no target).
    pub per_quarter: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetsActions {
    pub edit: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetsView {
    pub org_id: i64,
    /// This org set its own targets (else they come from `source_org_id` or the defaults).
    pub set_here: bool,
    /// The org whose targets apply; `null` for the defaults.
    pub source_org_id: Option<i64>,
    /// Every kind with its target a quarter.
    pub targets: Vec<TargetEntry>,
    pub actions: TargetsActions,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TargetsInput {
    /// Kinds not listed get no target (0).
    pub targets: Vec<TargetEntry>,
}

fn entries(t: &Targets) -> Vec<TargetEntry> {
    MeetingKind::ALL
        .iter()
        .map(|k| TargetEntry {
            kind: k.key().into(),
            kind_label: k.label().into(),
            per_quarter: t.of(*k),
        })
        .collect()
}

pub async fn targets(ctx: &Context, actor: &Actor, org: OrgId) -> Result<TargetsView, AppError> {
    let c = ctx.db.conn();
    let o = org_in_scope(c, actor, org).await?;
    let (t, source) = store::targets_for(c, o.id).await?;
    Ok(TargetsView {
        org_id: o.id.0,
        set_here: source == Some(o.id),
        source_org_id: source.map(|s| s.0),
        targets: entries(&t),
        actions: TargetsActions {
            edit: needs::allows(actor, Write::SetMeetingTargets),
        },
    })
}

pub async fn set_targets(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    input: TargetsInput,
) -> Result<TargetsView, AppError> {
    let mut pairs = Vec::with_capacity(input.targets.len());
    for e in &input.targets {
        let kind = MeetingKind::parse(&e.kind).map_err(|e| e.field("targets"))?;
        pairs.push((kind, e.per_quarter));
    }
    let t = Targets::new(&pairs)?;
    let tx = ctx.db.write().await?;
    let o = org_in_scope(&*tx, actor, org).await?;
    needs::require(actor, Write::SetMeetingTargets)?;
    let (before, _) = store::targets_for(&*tx, o.id).await?;
    store::set_targets(&*tx, o.id, &t).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::MeetingTargetsSet, o.id.0)
            .org(o.id.0)
            .before(entries(&before))
            .after(entries(&t)),
    )
    .await?;
    tx.commit().await?;
    targets(ctx, actor, org).await
}

/// SYS-2: a branch admin whose branch is behind target gets a to-do in the quarter's last two
/// weeks.
pub async fn todos(ctx: &Context, actor: &Actor) -> Result<Vec<TodoView>, AppError> {
    let root = actor.admin_root()?;
    let today = ctx.clock.today();
    let quarter = Quarter::of(today);
    if !quarter.in_last_two_weeks(today) {
        return Ok(Vec::new());
    }
    let c = ctx.db.conn();
    let o = org_in_scope(c, actor, root).await?;
    if !o.is_branch {
        return Ok(Vec::new());
    }
    let (from, before) = bounds(quarter.first_day(), quarter.end());
    let mut out = Vec::new();
    for b in store::branch_counts(c, o.id, from, before).await? {
        let missing: Vec<String> = b
            .targets
            .shortfalls(&b.held)
            .iter()
            .map(|s| format!("{}{}/{}次", s.kind.label(), s.held, s.target))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let days = (quarter.end() - today).whole_days();
        out.push(TodoView {
            kind: "meeting_compliance".into(),
            id: b.branch.0,
            title: format!(
                "{}组织生活未达标（{}），距季度结束还有{}天：请按时召开并登记",
                quarter.label(),
                missing.join("、"),
                days
            ),
            org_path: b.path,
            created_at: audit::format_time(from),
            link: format!("/orgs/{}/meetings", b.branch.0),
        });
    }
    Ok(out)
}
