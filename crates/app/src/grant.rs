//! ACC-4: a college admin gives a member's account college-level admin rights for chosen
//! permissions (e.g. 团校学生校长). A grant is an admin role row carrying its permissions; it is
//! listed, revocable and audited. Grants are never delegated further.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use tuanwu_domain::account::Permission;
use tuanwu_domain::org::UnitCategory;
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_store::entity::{account, member, org, role, session};
use tuanwu_store::queries;
use utoipa::ToSchema;

use crate::account::roles::permissions_of;
use crate::audit::{self, Change};
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
}

/// A member of the college who could receive a grant (shown when a student number is shared).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub member_id: i64,
    pub name: String,
    pub student_no: Option<String>,
    pub branch_path: String,
}

fn is_school(o: &org::Model) -> bool {
    UnitCategory::parse(&o.category).is_ok_and(UnitCategory::is_school)
}

/// A college-level org (院系团委 / 团总支): marked as its own college (ORG-4), or, as
/// `role_name` sees it, a school-category org that is not a branch under a school org.
async fn is_college<C: ConnectionTrait>(c: &C, o: &org::Model) -> Result<bool, AppError> {
    if o.kind == "branch" {
        return Ok(false);
    }
    if o.college_id == Some(o.id) {
        return Ok(true);
    }
    if !is_school(o) {
        return Ok(false);
    }
    Ok(match o.parent_id {
        Some(p) => queries::org::find(c, p)
            .await?
            .is_some_and(|p| is_school(&p)),
        None => false,
    })
}

/// Whether an org in the actor's scope is one grants are made on (pages show the form there).
pub async fn is_college_org(ctx: &Context, actor: &Actor, id: OrgId) -> Result<bool, AppError> {
    ctx.ensure_in_scope(actor, id).await?;
    let c = ctx.db.conn();
    match queries::org::find(c, id.0).await? {
        Some(o) if o.deleted_at.is_none() => is_college(c, &o).await,
        _ => Ok(false),
    }
}

/// The college a grant is for: in the actor's scope (else NotFound), granted by a full admin,
/// a live college-level org.
async fn target_college<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: OrgId,
) -> Result<org::Model, AppError> {
    actor.ensure_in_scope(c, id).await?;
    actor.require_full()?;
    let o = queries::org::find(c, id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.deleted_at.is_some() {
        return Err(DomainError::new(
            "org_deleted",
            format!("“{}”已被删除，不能授权：请先由上级组织恢复", o.name),
        )
        .rule("ORG-6")
        .field("college_id")
        .into());
    }
    if !is_college(c, &o).await? {
        return Err(DomainError::new(
            "not_a_college",
            format!(
                "“{}”不是院级组织：权限只能按学院（院系团委、分团委、团总支）授予，请选择学院",
                o.name
            ),
        )
        .rule("ACC-4")
        .field("college_id")
        .into());
    }
    Ok(o)
}

/// Parses the ticked permissions: known keys or names, at least one, in the canonical order.
pub fn parse_permissions(raw: &[String]) -> Result<Vec<Permission>, DomainError> {
    let mut picked = Vec::new();
    for r in raw.iter().filter(|r| !r.trim().is_empty()) {
        let p = Permission::parse(r).map_err(|e| e.rule("ACC-4").field("permissions"))?;
        picked.push(p);
    }
    let ordered: Vec<Permission> = Permission::ALL
        .iter()
        .copied()
        .filter(|p| picked.contains(p))
        .collect();
    if ordered.is_empty() {
        let all: Vec<&str> = Permission::ALL.iter().map(|p| p.label()).collect();
        return Err(DomainError::new(
            "permissions_required",
            format!("请至少勾选一项权限，可选：{}", all.join("、")),
        )
        .rule("ACC-4")
        .field("permissions"));
    }
    Ok(ordered)
}

/// Active members of the college's subtree with this student number.
async fn members_by_student_no<C: ConnectionTrait>(
    c: &C,
    college: i64,
    student_no: &str,
) -> Result<Vec<member::Model>, AppError> {
    Ok(member::Entity::find()
        .filter(member::Column::StudentNo.eq(student_no))
        .filter(member::Column::Status.eq("active"))
        .filter(queries::in_subtree(member::Column::OrgId, college))
        .order_by_asc(member::Column::Id)
        .limit(20)
        .all(c)
        .await?)
}

fn student_no_of(raw: &str) -> Result<String, DomainError> {
    let v: String = raw
        .trim()
        .chars()
        .map(tuanwu_domain::text::half_width)
        .collect();
    if v.is_empty() {
        return Err(DomainError::new("required", "请填写被授权团员的学号")
            .rule("ACC-4")
            .field("student_no"));
    }
    Ok(v)
}

/// The members of a college who hold a student number, with their branches: for a form that
/// asks which one is meant. NotFound outside the actor's scope.
pub async fn candidates(
    ctx: &Context,
    actor: &Actor,
    college: OrgId,
    student_no: &str,
) -> Result<Vec<Candidate>, AppError> {
    let c = ctx.db.conn();
    ctx.ensure_in_scope(actor, college).await?;
    let Ok(no) = student_no_of(student_no) else {
        return Ok(Vec::new());
    };
    candidate_views(c, members_by_student_no(c, college.0, &no).await?).await
}

async fn candidate_views<C: ConnectionTrait>(
    c: &C,
    found: Vec<member::Model>,
) -> Result<Vec<Candidate>, AppError> {
    let branch_ids: Vec<i64> = found.iter().map(|m| m.org_id).collect();
    let paths: HashMap<i64, String> = queries::org::find_many(c, &branch_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.path))
        .collect();
    Ok(found
        .into_iter()
        .map(|m| Candidate {
            member_id: m.id,
            branch_path: paths.get(&m.org_id).cloned().unwrap_or_default(),
            name: m.name,
            student_no: m.student_no,
        })
        .collect())
}

async fn grant_views<C: ConnectionTrait>(
    c: &C,
    roles: Vec<role::Model>,
) -> Result<Vec<GrantView>, AppError> {
    let mut account_ids: Vec<i64> = roles
        .iter()
        .flat_map(|r| [Some(r.account_id), r.granted_by])
        .flatten()
        .collect();
    account_ids.sort_unstable();
    account_ids.dedup();
    let accounts: HashMap<i64, account::Model> = if account_ids.is_empty() {
        HashMap::new()
    } else {
        account::Entity::find()
            .filter(account::Column::Id.is_in(account_ids))
            .all(c)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect()
    };
    let member_ids: Vec<i64> = accounts.values().filter_map(|a| a.member_id).collect();
    let members: HashMap<i64, member::Model> = if member_ids.is_empty() {
        HashMap::new()
    } else {
        member::Entity::find()
            .filter(member::Column::Id.is_in(member_ids))
            .all(c)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect()
    };
    let org_ids: Vec<i64> = roles.iter().map(|r| r.org_id).collect();
    let orgs: HashMap<i64, String> = queries::org::find_many(c, &org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(roles
        .into_iter()
        .map(|r| {
            let acct = accounts.get(&r.account_id);
            let m = acct
                .and_then(|a| a.member_id)
                .and_then(|id| members.get(&id));
            GrantView {
                id: r.id,
                account_id: r.account_id,
                member_id: acct.and_then(|a| a.member_id),
                member_name: m
                    .map(|m| m.name.clone())
                    .or_else(|| acct.map(|a| a.display_name.clone()))
                    .unwrap_or_default(),
                student_no: m.and_then(|m| m.student_no.clone()),
                college_id: r.org_id,
                college_name: orgs.get(&r.org_id).cloned().unwrap_or_default(),
                permissions: permissions_of(&r)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| PermissionView {
                        key: p.key().into(),
                        label: p.label().into(),
                    })
                    .collect(),
                granted_by: r.granted_by,
                granted_by_name: r
                    .granted_by
                    .and_then(|g| accounts.get(&g))
                    .map(|a| a.display_name.clone()),
                granted_at: audit::format_time(r.created_at),
            }
        })
        .collect())
}

fn keys_json(permissions: &[Permission]) -> String {
    serde_json::Value::from(
        permissions
            .iter()
            .map(|p| p.key().to_string())
            .collect::<Vec<_>>(),
    )
    .to_string()
}

/// Grants (or, for a member who already holds a grant on this college, replaces) permissions.
pub async fn grant(ctx: &Context, actor: &Actor, input: GrantInput) -> Result<GrantView, AppError> {
    let tx = ctx.db.write().await?;
    let college = target_college(&*tx, actor, OrgId(input.college_id)).await?;
    let student_no = student_no_of(&input.student_no)?;
    let permissions = parse_permissions(&input.permissions)?;
    let found = members_by_student_no(&*tx, college.id, &student_no).await?;
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
            .find(|m| m.id == id)
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
            });
        }
    };
    let acct = crate::account::of_member::ensure(&*tx, &m, ctx.clock.now()).await?;
    if acct.id == actor.account().0 {
        return Err(AppError::forbidden("不能给自己授权：请由其他管理员办理"));
    }
    let existing = role::Entity::find()
        .filter(role::Column::AccountId.eq(acct.id))
        .filter(role::Column::OrgId.eq(college.id))
        .filter(role::Column::Kind.eq("admin"))
        .one(&*tx)
        .await?;
    let keys = keys_json(&permissions);
    let after = serde_json::json!({
        "account_id": acct.id,
        "member_id": m.id,
        "name": m.name,
        "student_no": m.student_no,
        "college_id": college.id,
        "permissions": permissions.iter().map(|p| p.key()).collect::<Vec<_>>(),
    });
    let saved = match existing {
        Some(r) if r.permissions.is_none() => {
            return Err(AppError::conflict(
                "already_admin",
                format!(
                    "“{}”已经是“{}”的正式管理员，拥有全部权限，无需再授权",
                    m.name, college.name
                ),
            ))
        }
        Some(r) => {
            let before = serde_json::json!({
                "permissions": permissions_of(&r)
                    .unwrap_or_default()
                    .iter()
                    .map(|p| p.key())
                    .collect::<Vec<_>>(),
            });
            let mut a: role::ActiveModel = r.into();
            a.permissions = Set(Some(keys));
            a.granted_by = Set(Some(actor.account().0));
            let updated = a.update(&*tx).await?;
            audit::record(
                ctx,
                &*tx,
                actor,
                Change::new("grant", updated.id, "update")
                    .org(college.id)
                    .before(before)
                    .after(after),
            )
            .await?;
            updated
        }
        None => {
            let created = role::ActiveModel {
                account_id: Set(acct.id),
                kind: Set("admin".into()),
                org_id: Set(college.id),
                province_id: Set(college.province_id),
                permissions: Set(Some(keys)),
                granted_by: Set(Some(actor.account().0)),
                created_at: Set(ctx.clock.now()),
                ..Default::default()
            }
            .insert(&*tx)
            .await?;
            audit::record(
                ctx,
                &*tx,
                actor,
                Change::new("grant", created.id, "grant")
                    .org(college.id)
                    .after(after),
            )
            .await?;
            created
        }
    };
    let view = grant_views(&*tx, vec![saved])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    ctx.actors.forget_account(acct.id);
    Ok(view)
}

/// The grants on an org's subtree (default: the actor's own), newest first.
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    org_id: Option<OrgId>,
) -> Result<Vec<GrantView>, AppError> {
    let root = match org_id {
        Some(id) => {
            ctx.ensure_in_scope(actor, id).await?;
            id
        }
        None => actor.admin_root()?,
    };
    let c = ctx.db.conn();
    let roles = role::Entity::find()
        .filter(role::Column::Kind.eq("admin"))
        .filter(role::Column::Permissions.is_not_null())
        .filter(queries::in_subtree(role::Column::OrgId, root.0))
        .order_by_desc(role::Column::CreatedAt)
        .order_by_desc(role::Column::Id)
        .all(c)
        .await?;
    grant_views(c, roles).await
}

/// Revokes a grant at once: the role row goes, sessions acting in it end.
pub async fn revoke(ctx: &Context, actor: &Actor, id: i64) -> Result<(), AppError> {
    let tx = ctx.db.write().await?;
    let r = role::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .filter(|r| r.kind == "admin" && r.permissions.is_some())
        .ok_or(AppError::NotFound)?;
    actor.ensure_in_scope(&*tx, OrgId(r.org_id)).await?;
    actor.require_full()?;
    let before = grant_views(&*tx, vec![r.clone()]).await?.pop().map(|g| {
        serde_json::json!({
            "account_id": g.account_id,
            "member_id": g.member_id,
            "name": g.member_name,
            "student_no": g.student_no,
            "college_id": g.college_id,
            "permissions": g.permissions.iter().map(|p| p.key.clone()).collect::<Vec<_>>(),
        })
    });
    let (account_id, org_id) = (r.account_id, r.org_id);
    session::Entity::delete_many()
        .filter(session::Column::ActiveRoleId.eq(id))
        .exec(&*tx)
        .await?;
    queries::account::delete_role(&*tx, r).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("grant", id, "revoke")
            .org(org_id)
            .before(before),
    )
    .await?;
    tx.commit().await?;
    ctx.actors.forget_account(account_id);
    Ok(())
}
