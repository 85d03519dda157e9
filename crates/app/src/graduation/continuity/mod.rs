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

mod cohort;
mod sheet;
mod trend;
mod view;

pub use sheet::{report, CONTINUITY_SHEET};
pub use trend::trend;
pub use view::*;

use std::collections::HashMap;

use tuanwu_domain::graduation::{Continuity, ContinuityState, TransferBrief};
use tuanwu_domain::mask::mask_resident_id;
use tuanwu_domain::transfer::TransferKind;
use tuanwu_domain::{DomainError, MemberId, OrgId, TransferId};
use tuanwu_store::graduation::continuity::{transfer_briefs, Load};
use tuanwu_store::graduation::destination::destinations_for;
use tuanwu_store::graduation::graduates::members;
use tuanwu_store::queries::Page;

use super::rules::ContinuityActions;
use crate::{Actor, AppError, Context};

use cohort::*;

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
    let actions = ContinuityActions::of(actor)?;
    let cohort = load_cohort(
        c,
        o.id,
        year,
        Load {
            with_names: list.is_some(),
            with_times: false,
        },
        &ctx.policy.study_destinations(),
    )
    .await?;
    let total = tally(cohort.graduates.iter());

    // Per child: every child holding a marked branch of the year.
    let mut per_child: HashMap<OrgId, (Continuity, u64)> = HashMap::new();
    for b in cohort.branches.values() {
        if let Some(ch) = b.child {
            per_child.entry(ch).or_default().1 += 1;
        }
    }
    for g in &cohort.graduates {
        if let Some(ch) = cohort.branches.get(&g.facts.branch).and_then(|b| b.child) {
            per_child.entry(ch).or_default().0.add(g.state);
        }
    }
    let child_orgs = tuanwu_store::org::children(c, o.id, true).await?;
    let mut children: Vec<ChildContinuity> = child_orgs
        .into_iter()
        .filter_map(|ch| {
            let (fig, branches) = per_child.remove(&ch.id)?;
            Some(ChildContinuity {
                org_id: ch.id.0,
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
        Some(state) => Some(
            list_page(
                ctx,
                &cohort,
                state,
                actions.for_list(state),
                Page::new(query.page, query.per_page),
            )
            .await?,
        ),
    };
    Ok(ContinuityView {
        org_id: o.id.0,
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
        actions,
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
    cohort: &Classified,
    state: Option<ContinuityState>,
    actions: ContinuityActions,
    page: Page,
) -> Result<GraduateList, AppError> {
    let c = ctx.db.conn();
    let mut rows: Vec<&Graduate> = cohort
        .graduates
        .iter()
        .filter(|g| g.state == state)
        .collect();
    let branch_name = |id: OrgId| {
        cohort
            .branches
            .get(&id)
            .map(|b| b.name.as_str())
            .unwrap_or_default()
    };
    rows.sort_by(|a, b| {
        let (a, b) = (&a.facts, &b.facts);
        branch_name(a.branch)
            .cmp(branch_name(b.branch))
            .then_with(|| a.student_no.cmp(&b.student_no))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.member.cmp(&b.member))
    });
    let total = rows.len() as u64;
    let shown: Vec<&Graduate> = rows
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.per_page as usize)
        .collect();
    let member_ids: Vec<MemberId> = shown.iter().map(|g| g.facts.member).collect();
    let members = members(c, &member_ids).await?;
    let notes = destinations_for(c, &member_ids).await?;
    let transfer_ids: Vec<TransferId> = shown
        .iter()
        .filter_map(|g| g.facts.transfer.map(|t| t.id))
        .collect();
    let transfers = transfer_briefs(c, &transfer_ids).await?;
    let target_ids: Vec<i64> = transfers
        .values()
        .filter_map(|t| t.org)
        .map(|o| o.0)
        .collect();
    let targets: HashMap<i64, String> = if target_ids.is_empty() {
        HashMap::new()
    } else {
        tuanwu_store::org::get_many(
            c,
            &target_ids
                .iter()
                .copied()
                .map(tuanwu_domain::OrgId)
                .collect::<Vec<_>>(),
        )
        .await?
        .into_iter()
        .map(|o| (o.id.0, o.name))
        .collect()
    };
    let mut items = Vec::with_capacity(shown.len());
    for g in shown {
        let Some(m) = members.get(&g.facts.member) else {
            continue;
        };
        let f = &g.facts;
        let rid = ctx.cipher.decrypt(&m.resident_id_enc).unwrap_or_default();
        let transfer = f
            .transfer
            .and_then(|t| transfers.get(&t.id))
            .map(|t| transfer_brief(t, &targets));
        let excluded_reason = if g.state.is_some() {
            None
        } else if f.excepted {
            Some("延迟毕业或教师".to_string())
        } else {
            f.destination.map(|d| d.label().to_string())
        };
        items.push(GraduateRow {
            member_id: m.id.0,
            name: m.name.clone(),
            student_no: m.student_no.clone(),
            resident_id: mask_resident_id(&rid),
            branch_id: f.branch.0,
            branch_name: branch_name(f.branch).to_string(),
            destination: f.destination.map(|d| d.key().to_string()),
            destination_label: f.destination.map(|d| d.label().to_string()),
            destination_note: notes.get(&f.member).and_then(|d| d.note.clone()),
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
        actions,
    })
}

fn transfer_brief(t: &TransferBrief, targets: &HashMap<i64, String>) -> GraduateTransfer {
    let target = match t.kind {
        TransferKind::SpecialUnit => t.special_destination.clone(),
        TransferKind::External => t
            .external_system
            .map(|e| format!("{}团员管理系统", e.label())),
        TransferKind::Internal => t.org.and_then(|id| targets.get(&id.0).cloned()),
    };
    GraduateTransfer {
        id: t.id.0,
        status: t.status.key().into(),
        status_label: t.status.label().into(),
        kind: t.kind.key().into(),
        target,
    }
}
