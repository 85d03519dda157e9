//! A grant as the college's admins see it: who holds it, on which college, which permissions,
//! who granted it, and what the viewer may do with it.

use std::collections::HashMap;
use tuanwu_domain::member::Member;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::grant::Grant;
use tuanwu_domain::{AccountId, MemberId};
use tuanwu_store::grant as store;
use utoipa::ToSchema;

use super::rules::GrantActions;
use crate::audit::format_time;
use crate::{Actor, AppError};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PermissionView {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantView {
    /// The delegated role's id (the id to revoke).
    pub id: i64,
    pub account_id: i64,
    pub member_id: Option<i64>,
    pub member_name: String,
    pub student_no: Option<String>,
    pub college_id: i64,
    pub college_name: String,
    pub permissions: Vec<PermissionView>,
    pub granted_by: Option<i64>,
    pub granted_by_name: Option<String>,
    /// RFC 3339, China Standard Time.
    pub granted_at: String,
    /// What the viewer may do with it now, each checked again by the action itself.
    pub actions: GrantActions,
}

/// A member of the college who could receive a grant (shown when a student number is shared).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub member_id: i64,
    pub name: String,
    pub student_no: Option<String>,
    pub branch_path: String,
}

pub(crate) async fn candidate_views<C: ConnectionTrait>(
    c: &C,
    found: Vec<Member>,
) -> Result<Vec<Candidate>, AppError> {
    let branch_ids: Vec<tuanwu_domain::OrgId> = found.iter().map(|m| m.org_id).collect();
    let paths: HashMap<i64, String> = tuanwu_store::org::get_many(c, &branch_ids)
        .await?
        .into_iter()
        .map(|o| (o.id.0, o.path))
        .collect();
    Ok(found
        .into_iter()
        .map(|m| Candidate {
            member_id: m.id.0,
            branch_path: paths.get(&m.org_id.0).cloned().unwrap_or_default(),
            name: m.name,
            student_no: m.student_no,
        })
        .collect())
}

/// Views of grants the actor read through its scope.
pub(crate) async fn views<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    grants: Vec<Grant>,
) -> Result<Vec<GrantView>, AppError> {
    let mut account_ids: Vec<AccountId> = grants
        .iter()
        .flat_map(|g| [Some(g.account), g.granted_by])
        .flatten()
        .collect();
    account_ids.sort_unstable();
    account_ids.dedup();
    let accounts = store::accounts(c, &account_ids).await?;
    let member_ids: Vec<MemberId> = accounts
        .values()
        .filter_map(|a| a.member_id.map(MemberId))
        .collect();
    let members = store::members(c, &member_ids).await?;
    let org_ids: Vec<i64> = grants.iter().map(|g| g.college.0).collect();
    let orgs: HashMap<i64, String> = tuanwu_store::org::get_many(
        c,
        &org_ids
            .iter()
            .copied()
            .map(tuanwu_domain::OrgId)
            .collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|o| (o.id.0, o.name))
    .collect();
    let actions = GrantActions::of(actor);
    Ok(grants
        .into_iter()
        .map(|g| {
            let acct = accounts.get(&g.account);
            let member_id = acct.and_then(|a| a.member_id);
            let m = member_id.and_then(|id| members.get(&MemberId(id)));
            GrantView {
                id: g.id.0,
                account_id: g.account.0,
                member_id,
                member_name: m
                    .map(|m| m.name.clone())
                    .or_else(|| acct.map(|a| a.display_name.clone()))
                    .unwrap_or_default(),
                student_no: m.and_then(|m| m.student_no.clone()),
                college_id: g.college.0,
                college_name: orgs.get(&g.college.0).cloned().unwrap_or_default(),
                permissions: g
                    .permissions
                    .iter()
                    .map(|p| PermissionView {
                        key: p.key().into(),
                        label: p.label().into(),
                    })
                    .collect(),
                granted_by: g.granted_by.map(|a| a.0),
                granted_by_name: g
                    .granted_by
                    .and_then(|a| accounts.get(&a))
                    .map(|a| a.display_name.clone()),
                granted_at: format_time(g.created_at),
                actions,
            }
        })
        .collect())
}

/// What the audit log keeps of a grant.
pub(crate) fn audit_of(g: &GrantView) -> serde_json::Value {
    serde_json::json!({
        "account_id": g.account_id,
        "member_id": g.member_id,
        "name": g.member_name,
        "student_no": g.student_no,
        "college_id": g.college_id,
        "permissions": g.permissions.iter().map(|p| p.key.clone()).collect::<Vec<_>>(),
    })
}
