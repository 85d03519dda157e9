//! The checks a transfer must pass before it starts or completes: TRF-2 (one at a time), TRF-5
//! (valid targets), TRF-9 (external systems) and TRF-12 (the last branch admin hands over).

use sea_orm::ConnectionTrait;
use tuanwu_domain::member::Member;
use tuanwu_domain::org::{BranchType, ExternalSystem};
use tuanwu_domain::transfer::{Initiator, Transfer};
use tuanwu_domain::DomainError;

use crate::clock::human_time;
use crate::AppError;

pub(crate) fn bad(
    code: &'static str,
    message: impl Into<String>,
    rule: &'static str,
    field: &'static str,
) -> AppError {
    DomainError::new(code, message)
        .rule(rule)
        .field(field)
        .into()
}

/// The external system an org belongs to: its own marking or an ancestor's (ORG-8).
pub(crate) async fn external_of<C: ConnectionTrait>(
    c: &C,
    org_id: i64,
) -> Result<Option<ExternalSystem>, AppError> {
    let mut chain = vec![tuanwu_domain::OrgId(org_id)];
    chain.extend(tuanwu_store::org::ancestors(c, tuanwu_domain::OrgId(org_id)).await?);
    for id in chain {
        if let Some(o) = tuanwu_store::org::get(c, id).await? {
            if let Some(e) = o.external_system {
                return Ok(Some(e));
            }
        }
    }
    Ok(None)
}

/// TRF-5: a live, ordinary org inside tuanwu, not the member's own branch, not for graduates.
pub(crate) async fn check_target<C: ConnectionTrait>(
    c: &C,
    target: &tuanwu_domain::org::Org,
    m: &Member,
    initiator: Initiator,
) -> Result<(), AppError> {
    let refuse = |code, msg: String| bad(code, msg, "TRF-5", "target_org_id");
    if target.is_deleted() {
        return Err(refuse(
            "target_deleted",
            format!(
                "“{}”已被删除，不能接收转入：请重新搜索并选择正确的组织",
                target.name
            ),
        ));
    }
    let mut chain = vec![target.id];
    chain.extend(tuanwu_store::org::ancestors(c, target.id).await?);
    for id in &chain {
        if let Some(o) = tuanwu_store::org::get(c, *id).await? {
            if o.branch_type == Some(BranchType::Graduate) {
                return Err(refuse("target_graduate_org", format!("“{}”是毕业生团组织，不能接收转入：请选择团员将要去的学校、单位或居住地的团组织", target.name)));
            }
            if o.external_system.is_some() {
                return Err(refuse(
                    "target_external",
                    format!(
                        "“{}”属于北京/广东/福建的团员管理系统：请选择“转往北京/广东/福建”办理",
                        target.name
                    ),
                ));
            }
        }
    }
    if target.id == m.org_id {
        return Err(refuse(
            "target_is_current",
            format!("团员已在“{}”，无需转接", target.name),
        ));
    }
    if initiator == Initiator::Target && !target.is_branch() {
        return Err(refuse(
            "target_branch_required",
            "转入方发起时请直接选择要编入的团支部：审批由转出方完成，转出方不能替您分配团支部"
                .into(),
        ));
    }
    Ok(())
}

/// TRF-12: the last admin of a branch with members hands over first. Checked again when the
/// member actually leaves: two co-admins may both have started leaving.
pub(crate) async fn handover_guard<C: ConnectionTrait>(c: &C, m: &Member) -> Result<(), AppError> {
    let Some(acct) = tuanwu_store::account::find_by_member(c, m.id).await? else {
        return Ok(());
    };
    let admins = tuanwu_store::account::role::admins_of(c, m.org_id).await?;
    let is_admin = admins.iter().any(|(_, a)| a.id == acct.id);
    if !is_admin || admins.len() > 1 {
        return Ok(());
    }
    let others = tuanwu_store::member::others_in_branch(c, m.org_id, m.id).await?;
    if others > 0 {
        return Err(bad(
            "last_branch_admin",
            format!("“{}”是本团支部唯一的管理员，支部还有{others}名团员：请先任命另一名团员为团支部管理员，再办理转出", m.name),
            "TRF-12",
            "member_id",
        ));
    }
    Ok(())
}

/// TRF-2: the refusal that names who started the active transfer and when.
pub(crate) fn in_progress(t: &Transfer) -> AppError {
    let who = t.initiator.label();
    AppError::Conflict {
        code: "transfer_in_progress",
        message: format!(
            "已有业务正在办理，不能重复发起：该团员的组织关系转接已由{}（{}）于{}发起，请等待办理结果，或由发起人或团员本人撤销后重新发起",
            t.initiator_name,
            who,
            human_time(t.created_at)
        ),
        rule: Some("TRF-2"),
        field: None,
    }
}
