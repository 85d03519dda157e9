//! ACC-10: an org's cadres (团干部), members holding a post from a start date until an end date.
//! Committee-level orgs keep their own list; admins above may keep it for them (ACC-2);
//! delegated admins only with the `cadres` permission (ACC-4).

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use time::Date;
use tuanwu_domain::account::Permission;
use tuanwu_domain::mask::mask_resident_id;
use tuanwu_domain::{text, DomainError, OrgId};
use tuanwu_store::entity::{account, cadre, member};
use tuanwu_store::queries;
use utoipa::ToSchema;

use crate::audit::{self, Change};
use crate::member::view::decrypt_resident_id;
use crate::{Actor, AppError, Context};

/// The longest post name (the column's width).
const POST_MAX: usize = 64;

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
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddCadreInput {
    pub member_id: i64,
    /// 职务, at most 64 characters.
    pub post: String,
    /// YYYY-MM-DD, not in the future.
    pub started_on: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EndCadreInput {
    /// YYYY-MM-DD: the last day in post, not before the start and not in the future.
    pub ended_on: String,
}

/// What the audit log keeps of an entry: the resident ID is never in it.
#[derive(Serialize)]
struct CadreAudit<'a> {
    member_id: i64,
    member_name: &'a str,
    post: &'a str,
    started_on: String,
    ended_on: Option<String>,
}

fn audit_of<'a>(c: &'a cadre::Model, member_name: &'a str) -> CadreAudit<'a> {
    CadreAudit {
        member_id: c.member_id,
        member_name,
        post: &c.post,
        started_on: c.started_on.to_string(),
        ended_on: c.ended_on.map(|d| d.to_string()),
    }
}

/// A date as typed (`2025-09-01`; full-width digits from an input method accepted).
pub fn parse_date(value: &str, field: &'static str, label: &str) -> Result<Date, DomainError> {
    let v: String = value
        .trim()
        .chars()
        .map(tuanwu_domain::text::half_width)
        .collect();
    if v.is_empty() {
        return Err(DomainError::new("required", format!("请填写{label}")).field(field));
    }
    Date::parse(
        &v,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        DomainError::new(
            "invalid_date",
            format!("“{v}”不是有效的{label}：请按 年-月-日 填写，如 2025-09-01"),
        )
        .field(field)
    })
}

fn not_in_future(
    d: Date,
    today: Date,
    field: &'static str,
    label: &str,
) -> Result<(), DomainError> {
    if d > today {
        return Err(DomainError::new(
            "date_in_future",
            format!("{label}不能晚于今天（{today}）：请填写实际日期"),
        )
        .rule("ACC-10")
        .field(field));
    }
    Ok(())
}

/// Writes to an org's list: an admin whose subtree contains it (the org's own admins and those
/// above), delegated admins only with the `cadres` permission. Out of scope answers NotFound.
async fn check_writer<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    org: OrgId,
) -> Result<(), AppError> {
    actor.ensure_in_scope(c, org).await?;
    actor.require(Permission::Cadres)
}

async fn views<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    rows: Vec<cadre::Model>,
) -> Result<Vec<CadreView>, AppError> {
    let mut member_ids: Vec<i64> = rows.iter().map(|r| r.member_id).collect();
    member_ids.sort_unstable();
    member_ids.dedup();
    let members: HashMap<i64, member::Model> = if member_ids.is_empty() {
        HashMap::new()
    } else {
        member::Entity::find()
            .filter(member::Column::Id.is_in(member_ids.iter().copied()))
            .all(c)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect()
    };
    let accounts: HashMap<i64, i64> = if member_ids.is_empty() {
        HashMap::new()
    } else {
        account::Entity::find()
            .filter(account::Column::MemberId.is_in(member_ids.iter().copied()))
            .all(c)
            .await?
            .into_iter()
            .filter_map(|a| a.member_id.map(|m| (m, a.id)))
            .collect()
    };
    let mut branch_ids: Vec<i64> = members.values().map(|m| m.org_id).collect();
    branch_ids.sort_unstable();
    branch_ids.dedup();
    let paths: HashMap<i64, String> = queries::org::find_many(c, &branch_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.path))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let m = members.get(&r.member_id);
            let branch_id = m.map(|m| m.org_id).unwrap_or_default();
            CadreView {
                id: r.id,
                org_id: r.org_id,
                member_id: r.member_id,
                member_name: m.map(|m| m.name.clone()).unwrap_or_default(),
                resident_id: m
                    .map(|m| mask_resident_id(&decrypt_resident_id(&ctx.cipher, m)))
                    .unwrap_or_default(),
                student_no: m.and_then(|m| m.student_no.clone()),
                branch_id,
                branch_path: paths.get(&branch_id).cloned().unwrap_or_default(),
                post: r.post,
                started_on: r.started_on.to_string(),
                ended_on: r.ended_on.map(|d| d.to_string()),
                current: r.ended_on.is_none(),
                account_id: accounts.get(&r.member_id).copied(),
            }
        })
        .collect())
}

async fn view_one<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    row: cadre::Model,
) -> Result<CadreView, AppError> {
    views(ctx, c, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// An org's cadres: those in post first (longest-serving first), then former ones (latest
/// end first). Any admin whose subtree contains the org may read it.
pub async fn list(ctx: &Context, actor: &Actor, org: OrgId) -> Result<Vec<CadreView>, AppError> {
    ctx.ensure_in_scope(actor, org).await?;
    let c = ctx.db.conn();
    let mut rows = cadre::Entity::find()
        .filter(cadre::Column::OrgId.eq(org.0))
        .order_by_asc(cadre::Column::StartedOn)
        .order_by_asc(cadre::Column::Id)
        .all(c)
        .await?;
    rows.sort_by(|a, b| match (a.ended_on, b.ended_on) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => y.cmp(&x),
    });
    views(ctx, c, rows).await
}

/// Adds a member to an org's cadre list.
pub async fn add(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    input: AddCadreInput,
) -> Result<CadreView, AppError> {
    let today = ctx.clock.today();
    let tx = ctx.db.write().await?;
    check_writer(&*tx, actor, org).await?;
    let post =
        text::required(&input.post, "post", "职务", POST_MAX).map_err(|e| e.rule("ACC-10"))?;
    let started_on =
        parse_date(&input.started_on, "started_on", "任职日期").map_err(|e| e.rule("ACC-10"))?;
    not_in_future(started_on, today, "started_on", "任职日期")?;
    let o = queries::org::find(&*tx, org.0)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.deleted_at.is_some() {
        return Err(DomainError::new(
            "org_deleted",
            format!("“{}”已被删除，不能添加团干部：请先由上级组织恢复", o.name),
        )
        .rule("ORG-6")
        .into());
    }
    let not_found = || -> AppError {
        DomainError::new(
            "member_not_found",
            "在您的管理范围内找不到该团员：请按姓名或学号重新查找后选择",
        )
        .rule("ACC-10")
        .field("member_id")
        .into()
    };
    let m = queries::member::find(&*tx, input.member_id)
        .await?
        .ok_or_else(not_found)?;
    if actor.ensure_in_scope(&*tx, OrgId(m.org_id)).await.is_err() {
        return Err(not_found());
    }
    if m.status != "active" {
        return Err(DomainError::new(
            "member_not_active",
            format!(
                "“{}”的团员记录已删除，不能担任团干部：请选择其他团员",
                m.name
            ),
        )
        .rule("ACC-10")
        .field("member_id")
        .into());
    }
    // The same post twice at once: an entry of the same post whose period reaches the new
    // start date (still open, or ended on or after it).
    let overlapping = cadre::Entity::find()
        .filter(cadre::Column::OrgId.eq(org.0))
        .filter(cadre::Column::MemberId.eq(m.id))
        .filter(cadre::Column::Post.eq(post.as_str()))
        .all(&*tx)
        .await?
        .into_iter()
        .find(|c| c.ended_on.is_none_or(|e| e >= started_on));
    if let Some(existing) = overlapping {
        let since = existing.started_on;
        return Err(AppError::Conflict {
            code: "duplicate_cadre",
            message: match existing.ended_on {
                None => format!(
                    "“{}”自{since}起已在“{}”任“{post}”，不能重复添加：如是新一届任职，请先为原任职填写离任日期",
                    m.name, o.name
                ),
                Some(end) => format!(
                    "“{}”在“{}”任“{post}”的时间（{since}至{end}）与新的任职日期重叠：请把任职日期改为{end}之后",
                    m.name, o.name
                ),
            },
            rule: Some("ACC-10"),
        });
    }
    let row = cadre::ActiveModel {
        org_id: Set(org.0),
        member_id: Set(m.id),
        post: Set(post),
        started_on: Set(started_on),
        ended_on: Set(None),
        created_at: Set(ctx.clock.now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("cadre", row.id, "add")
            .org(org.0)
            .after(audit_of(&row, &m.name)),
    )
    .await?;
    let view = view_one(ctx, &*tx, row).await?;
    tx.commit().await?;
    Ok(view)
}

async fn load_for_write<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: i64,
) -> Result<(cadre::Model, String), AppError> {
    let row = cadre::Entity::find_by_id(id)
        .one(c)
        .await?
        .ok_or(AppError::NotFound)?;
    check_writer(c, actor, OrgId(row.org_id)).await?;
    let name = queries::member::find(c, row.member_id)
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    Ok((row, name))
}

/// Records the end of a post (or corrects the end date of a former one).
pub async fn end(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    input: EndCadreInput,
) -> Result<CadreView, AppError> {
    let today = ctx.clock.today();
    let tx = ctx.db.write().await?;
    let (row, name) = load_for_write(&*tx, actor, id).await?;
    let ended_on =
        parse_date(&input.ended_on, "ended_on", "离任日期").map_err(|e| e.rule("ACC-10"))?;
    if ended_on < row.started_on {
        return Err(DomainError::new(
            "ended_before_start",
            format!(
                "离任日期不能早于任职日期（{}）：请检查后重新填写",
                row.started_on
            ),
        )
        .rule("ACC-10")
        .field("ended_on")
        .into());
    }
    not_in_future(ended_on, today, "ended_on", "离任日期")?;
    let before = audit_of(&row, &name);
    let before = serde_json::to_value(before).ok();
    let mut a: cadre::ActiveModel = row.into();
    a.ended_on = Set(Some(ended_on));
    let updated = a.update(&*tx).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("cadre", updated.id, "end")
            .org(updated.org_id)
            .before(before)
            .after(audit_of(&updated, &name)),
    )
    .await?;
    let view = view_one(ctx, &*tx, updated).await?;
    tx.commit().await?;
    Ok(view)
}

/// Removes an entry made in error (a post that ended is ended, not removed).
pub async fn remove(ctx: &Context, actor: &Actor, id: i64) -> Result<(), AppError> {
    let tx = ctx.db.write().await?;
    let (row, name) = load_for_write(&*tx, actor, id).await?;
    let (org_id, before) = (row.org_id, serde_json::to_value(audit_of(&row, &name)).ok());
    row.delete(&*tx).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("cadre", id, "remove")
            .org(org_id)
            .before(before),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Members an admin may pick for a post: the MEM-8 search inside the actor's scope.
pub async fn candidates(
    ctx: &Context,
    actor: &Actor,
    q: &str,
) -> Result<Vec<crate::member::MemberSummary>, AppError> {
    let (items, _) =
        crate::member::search(ctx, actor, q, crate::Page::new(Some(1), Some(20))).await?;
    Ok(items)
}
