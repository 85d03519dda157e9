//! GRD-7: special cases of 学社衔接 (the target refuses, the graduate cannot be reached, ...),
//! recorded per member, and the 学社衔接转出特殊情况记录 they produce.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use tuanwu_domain::graduation::ContinuityCase;
use tuanwu_domain::{text, MemberId, OrgId};
use tuanwu_sheets::{write, Sheet, CONTINUITY_SPECIAL_CASES};
use tuanwu_store::graduation::destination as store;
use tuanwu_store::graduation::graduates::{latest_reasons, members};
use utoipa::ToSchema;

use super::member_for_admin;
use super::rules::check_member_manager;
use crate::audit::{self, format_time, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CaseInput {
    /// 待转入团组织所在地区：省.
    pub target_province: Option<String>,
    /// 待转入团组织所在地区：市.
    pub target_city: Option<String>,
    /// 待转入团组织名称.
    pub target_org_name: Option<String>,
    /// 是否发起 (a transfer was started).
    pub initiated: bool,
    /// 未接受原因.
    pub refusal_reason: Option<String>,
    /// 备注.
    pub remarks: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseView {
    pub member_id: i64,
    pub target_province: Option<String>,
    pub target_city: Option<String>,
    pub target_org_name: Option<String>,
    pub initiated: bool,
    pub refusal_reason: Option<String>,
    pub remarks: Option<String>,
    pub updated_at: String,
}

impl From<&ContinuityCase> for CaseView {
    fn from(r: &ContinuityCase) -> Self {
        Self {
            member_id: r.member.0,
            target_province: r.target_province.clone(),
            target_city: r.target_city.clone(),
            target_org_name: r.target_org_name.clone(),
            initiated: r.initiated,
            refusal_reason: r.refusal_reason.clone(),
            remarks: r.remarks.clone(),
            updated_at: format_time(r.updated_at),
        }
    }
}

/// GRD-7: records or replaces a member's special case.
pub async fn set_case(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
    input: CaseInput,
) -> Result<CaseView, AppError> {
    let rule = |e: tuanwu_domain::DomainError| e.rule("GRD-7");
    let province = text::optional(
        input.target_province.as_deref(),
        "target_province",
        "待转入团组织所在省份",
        50,
    )
    .map_err(rule)?;
    let city = text::optional(
        input.target_city.as_deref(),
        "target_city",
        "待转入团组织所在城市",
        50,
    )
    .map_err(rule)?;
    let org_name = text::optional(
        input.target_org_name.as_deref(),
        "target_org_name",
        "待转入团组织名称",
        200,
    )
    .map_err(rule)?;
    let refusal = text::optional(
        input.refusal_reason.as_deref(),
        "refusal_reason",
        "未接受原因",
        500,
    )
    .map_err(rule)?;
    let remarks = text::optional(input.remarks.as_deref(), "remarks", "备注", 500).map_err(rule)?;
    check_member_manager(actor)?;
    let tx = ctx.db.write().await?;
    let m = member_for_admin(&*tx, actor, member).await?;
    let old = store::case(&*tx, member).await?;
    let saved = store::save_case(
        &*tx,
        ContinuityCase {
            member,
            target_province: province,
            target_city: city,
            target_org_name: org_name,
            initiated: input.initiated,
            refusal_reason: refusal,
            remarks,
            updated_by: actor.account(),
            updated_at: ctx.clock.now(),
        },
        old.is_some(),
    )
    .await?;
    let summary = |r: &ContinuityCase| {
        json!({
            "target_province": r.target_province, "target_city": r.target_city,
            "target_org_name": r.target_org_name, "initiated": r.initiated,
            "refusal_reason": r.refusal_reason, "remarks": r.remarks,
        })
    };
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(
            AuditAction::create_or_update(
                old.is_some(),
                AuditAction::ContinuityCaseCreate,
                AuditAction::ContinuityCaseUpdate,
            ),
            m.id.0,
        )
        .org(m.org_id.0)
        .before(old.as_ref().map(summary))
        .after(summary(&saved)),
    )
    .await?;
    tx.commit().await?;
    Ok(CaseView::from(&saved))
}

/// GRD-7: the 学社衔接转出特殊情况记录 of the members now in the subtree of `org`.
pub async fn special_cases(
    ctx: &Context,
    actor: &Actor,
    org_id: OrgId,
) -> Result<(String, Vec<u8>), AppError> {
    let c = ctx.db.conn();
    actor.ensure_in_scope(c, org_id).await?;
    let o = tuanwu_store::org::get(c, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = store::cases_under(c, actor.scope(), org_id).await?;
    let ids: Vec<MemberId> = rows.iter().map(|r| r.member).collect();
    let members = members(c, &ids).await?;
    let destinations = store::destinations_for(c, &ids).await?;
    // The latest transfer of each member (its reason is the 转接类型).
    let reasons = latest_reasons(c, &ids).await?;
    let mut org_names: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let Some(m) = members.get(&r.member) else {
            continue;
        };
        let branch = tuanwu_store::org::get(c, m.org_id).await?;
        let college = match branch.as_ref().and_then(|b| b.college_id) {
            Some(id) => match org_names.get(&id.0) {
                Some(n) => n.clone(),
                None => {
                    let n = tuanwu_store::org::get(c, id)
                        .await?
                        .map(|o| o.name)
                        .unwrap_or_default();
                    org_names.insert(id.0, n.clone());
                    n
                }
            },
            None => String::new(),
        };
        let kind = match reasons.get(&r.member) {
            Some(reason) => reason.label().to_string(),
            None => destinations
                .get(&r.member)
                .map(|d| d.destination.label().to_string())
                .unwrap_or_default(),
        };
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        out.push(vec![
            (out.len() + 1).to_string(),
            m.name.clone(),
            opt(&m.student_no),
            college,
            branch.map(|b| b.name).unwrap_or_default(),
            kind,
            opt(&r.target_province),
            opt(&r.target_city),
            opt(&r.target_org_name),
            if r.initiated { "是" } else { "否" }.to_string(),
            opt(&r.refusal_reason),
            opt(&r.remarks),
        ]);
    }
    let title = "学社衔接转出特殊情况记录";
    let count = out.len();
    let bytes = write(Sheet {
        name: title,
        title,
        headers: &CONTINUITY_SPECIAL_CASES,
        rows: out,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = ctx.db.write().await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::ReportExport, org_id.0)
            .org(org_id.0)
            .after(json!({ "sheet": title, "rows": count })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("{}-{}.xlsx", title, o.name), bytes))
}
