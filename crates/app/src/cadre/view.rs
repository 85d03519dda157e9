//! An entry of a cadre list as admins see it: the member (resident ID masked), their branch,
//! the post and its dates, and what the viewer may do with it.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::cadre::Cadre;
use tuanwu_domain::mask::mask_resident_id;
use tuanwu_domain::MemberId;
use tuanwu_store::cadre as store;
use utoipa::ToSchema;

use super::rules::CadreActions;
use crate::member::view::decrypt_resident_id;
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CadreView {
    pub id: i64,
    pub org_id: i64,
    pub member_id: i64,
    pub member_name: String,
    /// Masked: 1201**********1234.
    pub resident_id: String,
    pub student_no: Option<String>,
    /// The member's branch and its full path.
    pub branch_id: i64,
    pub branch_path: String,
    /// 职务, e.g. 团委书记.
    pub post: String,
    /// YYYY-MM-DD.
    pub started_on: String,
    /// YYYY-MM-DD; absent while in post.
    pub ended_on: Option<String>,
    /// In post now (no end date).
    pub current: bool,
    /// The member's login account; null until it is first needed (a reset code from this list
    /// makes it, ACC-6).
    pub account_id: Option<i64>,
    /// What the viewer may do with it now, each checked again by the action itself.
    pub actions: CadreActions,
}

/// Views of entries the actor read through its scope, in the order given.
pub(crate) async fn views<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    rows: Vec<Cadre>,
) -> Result<Vec<CadreView>, AppError> {
    let mut member_ids: Vec<MemberId> = rows.iter().map(|r| r.member).collect();
    member_ids.sort_unstable();
    member_ids.dedup();
    let members = store::members(c, &member_ids).await?;
    let accounts = store::accounts_of(c, &member_ids).await?;
    let mut branch_ids: Vec<i64> = members.values().map(|m| m.org_id.0).collect();
    branch_ids.sort_unstable();
    branch_ids.dedup();
    let paths: HashMap<i64, String> = tuanwu_store::org::get_many(
        c,
        &branch_ids
            .iter()
            .copied()
            .map(tuanwu_domain::OrgId)
            .collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|o| (o.id.0, o.path))
    .collect();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let m = members.get(&r.member);
        let account = accounts.get(&r.member).copied();
        let branch_id = m.map(|m| m.org_id.0).unwrap_or_default();
        out.push(CadreView {
            id: r.id.0,
            org_id: r.org.0,
            member_id: r.member.0,
            member_name: m.map(|m| m.name.clone()).unwrap_or_default(),
            resident_id: m
                .map(|m| mask_resident_id(&decrypt_resident_id(&ctx.cipher, m)))
                .unwrap_or_default(),
            student_no: m.and_then(|m| m.student_no.clone()),
            branch_id,
            branch_path: paths.get(&branch_id).cloned().unwrap_or_default(),
            current: r.is_current(),
            started_on: r.started_on.to_string(),
            ended_on: r.ended_on.map(|d| d.to_string()),
            post: r.post,
            account_id: account.map(|a| a.0),
            actions: CadreActions::of(c, actor, m, account).await?,
        });
    }
    Ok(out)
}

pub(crate) async fn view_one<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    row: Cadre,
) -> Result<CadreView, AppError> {
    views(ctx, c, actor, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}
