//! ACC-4: granting (or, for a member who already holds a grant on the college, replacing)
//! permissions, found by student number.

use serde::Deserialize;
use tuanwu_domain::grant::{AdminRole, NewGrant};
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_store::grant as store;
use utoipa::ToSchema;

use super::rules::{parse_permissions, student_no_of, target_college};
use super::view::{candidate_views, views, GrantView};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct GrantInput {
    /// 学号 of the member who receives the rights.
    pub student_no: String,
    /// The college-level org the rights apply to.
    pub college_id: i64,
    /// Permission keys (or their Chinese names): `members`, `requests`, `archives`,
    /// `identity`, `cadres`, `reset_codes`.
    pub permissions: Vec<String>,
    /// When several members of the college share the student number: the one meant.
    pub member_id: Option<i64>,
}

/// Grants (or, for a member who already holds a grant on this college, replaces) permissions.
pub async fn grant(ctx: &Context, actor: &Actor, input: GrantInput) -> Result<GrantView, AppError> {
    let tx = ctx.db.write().await?;
    let college = target_college(&*tx, actor, OrgId(input.college_id)).await?;
    let student_no = student_no_of(&input.student_no)?;
    let permissions = parse_permissions(&input.permissions)?;
    let found = store::members_by_student_no(&*tx, actor.scope(), college.id, &student_no).await?;
    let m = match (found.len(), input.member_id) {
        (0, _) => {
            return Err(DomainError::new(
                "member_not_found",
                format!(
                    "在“{}”中没有学号为 {student_no} 的团员：请核对学号，或确认该团员已录入本学院的团支部",
                    college.name
                ),
            )
            .rule("ACC-4")
            .field("student_no")
            .into())
        }
        (1, None) => found.into_iter().next().ok_or(AppError::NotFound)?,
        (_, Some(id)) => found
            .into_iter()
            .find(|m| m.id.0 == id)
            .ok_or_else(|| -> AppError {
                DomainError::new(
                    "member_not_found",
                    format!("所选团员的学号不是 {student_no}，或不在“{}”中：请重新选择", college.name),
                )
                .rule("ACC-4")
                .field("member_id")
                .into()
            })?,
        (_, None) => {
            let listed: Vec<String> = candidate_views(&*tx, found)
                .await?
                .into_iter()
                .map(|c| format!("{}（{}，member_id={}）", c.name, c.branch_path, c.member_id))
                .collect();
            return Err(AppError::Conflict {
                code: "ambiguous_student_no",
                message: format!(
                    "“{}”中有{}名团员的学号是 {student_no}：{}。请选择其中一人（接口请加上 member_id）",
                    college.name,
                    listed.len(),
                    listed.join("；")
                ),
                rule: Some("ACC-4"),
                field: None,
            });
        }
    };
    let acct = crate::account::of_member::ensure(&*tx, &m, ctx.clock.now()).await?;
    if acct.id == actor.account() {
        return Err(AppError::forbidden("不能给自己授权：请由其他管理员办理"));
    }
    let account = acct.id;
    let after = serde_json::json!({
        "account_id": acct.id,
        "member_id": m.id,
        "name": m.name,
        "student_no": m.student_no,
        "college_id": college.id,
        "permissions": permissions.iter().map(|p| p.key()).collect::<Vec<_>>(),
    });
    let saved = match store::admin_role(&*tx, account, college.id).await? {
        Some(AdminRole::Full) => {
            return Err(AppError::conflict(
                "already_admin",
                format!(
                    "“{}”已经是“{}”的正式管理员，拥有全部权限，无需再授权",
                    m.name, college.name
                ),
            ))
        }
        Some(AdminRole::Delegated(g)) => {
            let before = serde_json::json!({
                "permissions": g.permissions.iter().map(|p| p.key()).collect::<Vec<_>>(),
            });
            let updated = store::replace(&*tx, g, permissions, actor.account()).await?;
            audit::record(
                ctx,
                &*tx,
                actor,
                Change::new(AuditAction::GrantUpdate, updated.id.0)
                    .org(college.id.0)
                    .before(before)
                    .after(after),
            )
            .await?;
            updated
        }
        None => {
            let created = store::insert(
                &*tx,
                NewGrant {
                    account,
                    college: college.id,
                    province: college.province_id,
                    permissions,
                    granted_by: actor.account(),
                    created_at: ctx.clock.now(),
                },
            )
            .await?;
            audit::record(
                ctx,
                &*tx,
                actor,
                Change::new(AuditAction::GrantCreate, created.id.0)
                    .org(college.id.0)
                    .after(after),
            )
            .await?;
            created
        }
    };
    let view = views(&*tx, actor, vec![saved])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    ctx.actors.forget_account(acct.id);
    Ok(view)
}
