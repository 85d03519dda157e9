//! DAT-2 sheets of the meeting area: a branch's register of a year (meetings.xlsx) and a
//! subtree's compliance in a quarter (meeting-compliance.xlsx). Exports are audited (SYS-5).

use tuanwu_domain::meeting::{MeetingKind, Quarter};
use tuanwu_domain::OrgId;
use tuanwu_sheets::{write, Sheet, MEETING_COMPLIANCE, MEETING_REGISTER};
use tuanwu_store::meeting::{self as store, Filter};

use super::compliance::{bounds, quarter_of, subtree_counts, ComplianceQuery};
use super::rules::org_in_scope;
use crate::audit::{self, AuditAction, Change};
use crate::clock::CST;
use crate::{Actor, AppError, Context};

async fn audited(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    sheet: &'static str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let tx = ctx.db.write().await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::ReportExport, org.0)
            .org(org.0)
            .after(serde_json::json!({ "sheet": sheet, "detail": detail })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 会议记录台账: the live records of `org` (its subtree when it is not a branch) in `year`.
pub async fn register(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    year: Option<i32>,
) -> Result<(String, Vec<u8>), AppError> {
    let c = ctx.db.conn();
    let o = org_in_scope(c, actor, org).await?;
    let year = year.unwrap_or(ctx.clock.today().year());
    let (from, before) = bounds(
        Quarter::new(year, 1)?.first_day(),
        Quarter::new(year + 1, 1)?.first_day(),
    );
    let f = Filter {
        org: o.id,
        subtree: !o.is_branch,
        kind: None,
        from: Some(from),
        before: Some(before),
        deleted: false,
    };
    let rows = store::all(c, actor.scope(), &f).await?;
    let out: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let a = m.attendance();
            let absent: Vec<String> = m
                .attendees
                .iter()
                .filter(|a| !a.present)
                .map(|a| {
                    format!(
                        "{}（{}）",
                        a.name,
                        a.absence_reason.as_deref().unwrap_or_default()
                    )
                })
                .collect();
            vec![
                (i + 1).to_string(),
                m.kind.label().into(),
                {
                    let t = m.started_at.to_offset(CST);
                    format!(
                        "{:04}-{:02}-{:02} {:02}:{:02}",
                        t.year(),
                        u8::from(t.month()),
                        t.day(),
                        t.hour(),
                        t.minute()
                    )
                },
                m.place.clone(),
                m.topic.clone(),
                m.presenter.clone().unwrap_or_default(),
                m.recorder.clone().unwrap_or_default(),
                a.due.to_string(),
                a.present.to_string(),
                absent.join("；"),
                match a.quorate {
                    Some(true) => "是".into(),
                    Some(false) => "否".into(),
                    None => String::new(),
                },
            ]
        })
        .collect();
    let title = format!("{} {}年会议记录台账", o.name, year);
    let bytes = write(Sheet {
        name: "会议记录台账",
        title: &title,
        headers: &MEETING_REGISTER,
        rows: out,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    audited(
        ctx,
        actor,
        o.id,
        "meetings",
        serde_json::json!({ "year": year, "rows": rows.len() }),
    )
    .await?;
    Ok((format!("{}-{}年会议记录台账.xlsx", o.name, year), bytes))
}

/// 组织生活达标情况表: every live branch of the subtree in the quarter, held against target.
pub async fn compliance_sheet(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    query: ComplianceQuery,
) -> Result<(String, Vec<u8>), AppError> {
    let quarter = quarter_of(ctx, &query)?;
    let (name, branches) = subtree_counts(ctx, actor, org, quarter).await?;
    let rows: Vec<Vec<String>> = branches
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mut row = vec![(i + 1).to_string(), b.path.clone()];
            for k in MeetingKind::ALL {
                let c = b.counts.iter().find(|c| c.kind == k.key());
                row.push(match c {
                    Some(c) if c.target > 0 => format!("{}/{}", c.held, c.target),
                    Some(c) => c.held.to_string(),
                    None => String::new(),
                });
            }
            let behind: Vec<String> = b
                .counts
                .iter()
                .filter(|c| c.behind)
                .map(|c| format!("{}（{}/{}）", c.kind_label, c.held, c.target))
                .collect();
            row.push(if behind.is_empty() { "是" } else { "否" }.into());
            row.push(behind.join("、"));
            row
        })
        .collect();
    let title = format!("{} {}组织生活达标情况", name, quarter.label());
    let bytes = write(Sheet {
        name: "达标情况",
        title: &title,
        headers: &MEETING_COMPLIANCE,
        rows,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    audited(
        ctx,
        actor,
        org,
        "meeting-compliance",
        serde_json::json!({ "year": quarter.year(), "quarter": quarter.number(), "rows": branches.len() }),
    )
    .await?;
    Ok((
        format!("{}-{}组织生活达标情况.xlsx", name, quarter.label()),
        bytes,
    ))
}
