//! ACC-10: adding a member to an org's cadre list, recording the end of a post, removing an
//! entry made in error. Each writer is an admin whose subtree contains the org; delegated admins
//! need the `cadres` permission (`grant::needs`).

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use tuanwu_domain::cadre::{self as rules, Cadre, NewCadre};
use tuanwu_domain::{CadreId, DomainError, MemberId, OrgId};
use tuanwu_store::cadre as store;
use utoipa::ToSchema;

use super::rules::is_active;
use super::view::{view_one, CadreView};
use crate::audit::{self, AuditAction, Change};
use crate::grant::needs::{self, Write};
use crate::{Actor, AppError, Context};

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

fn audit_of<'a>(c: &'a Cadre, member_name: &'a str) -> CadreAudit<'a> {
    CadreAudit {
        member_id: c.member.0,
        member_name,
        post: &c.post,
        started_on: c.started_on.to_string(),
        ended_on: c.ended_on.map(|d| d.to_string()),
    }
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
    actor.ensure_in_scope(&*tx, org).await?;
    needs::require(actor, Write::AddCadre)?;
    let post = rules::post(&input.post)?;
    let started_on = rules::parse_date(&input.started_on, "started_on", "任职日期")
        .map_err(|e| e.rule("ACC-10"))?;
    rules::not_in_future(started_on, today, "started_on", "任职日期")?;
    let o = tuanwu_store::org::get(&*tx, org)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.is_deleted() {
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
    let m = tuanwu_store::member::of_record(&*tx, MemberId(input.member_id))
        .await?
        .ok_or_else(not_found)?;
    if !actor.scope().contains(&*tx, m.org_id).await? {
        return Err(not_found());
    }
    if !is_active(&m) {
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
    let member = m.id;
    let overlapping = store::same_post(&*tx, org, member, &post)
        .await?
        .into_iter()
        .find(|c| c.reaches(started_on));
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
            field: None,
        });
    }
    let row = store::insert(
        &*tx,
        NewCadre {
            org,
            member,
            post,
            started_on,
            created_at: ctx.clock.now(),
        },
    )
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::CadreAdd, row.id.0)
            .org(org.0)
            .after(audit_of(&row, &m.name)),
    )
    .await?;
    let view = view_one(ctx, &*tx, actor, row).await?;
    tx.commit().await?;
    Ok(view)
}

/// The entry through the actor's scope (else NotFound), the write allowed, and the member's
/// name for the audit log.
async fn load_for_write<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: CadreId,
    write: Write,
) -> Result<(Cadre, String), AppError> {
    let row = store::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    needs::require(actor, write)?;
    let name = tuanwu_store::member::of_record(c, row.member)
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    Ok((row, name))
}

/// Records the end of a post (or corrects the end date of a former one).
pub async fn end(
    ctx: &Context,
    actor: &Actor,
    id: CadreId,
    input: EndCadreInput,
) -> Result<CadreView, AppError> {
    let today = ctx.clock.today();
    let tx = ctx.db.write().await?;
    let (row, name) = load_for_write(&*tx, actor, id, Write::EndCadre).await?;
    let ended_on =
        rules::parse_date(&input.ended_on, "ended_on", "离任日期").map_err(|e| e.rule("ACC-10"))?;
    let ended_on = row.end_on(ended_on, today)?;
    let before = serde_json::to_value(audit_of(&row, &name)).ok();
    store::set_end(&*tx, id, ended_on).await?;
    let updated = Cadre {
        ended_on: Some(ended_on),
        ..row
    };
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::CadreEnd, id.0)
            .org(updated.org.0)
            .before(before)
            .after(audit_of(&updated, &name)),
    )
    .await?;
    let view = view_one(ctx, &*tx, actor, updated).await?;
    tx.commit().await?;
    Ok(view)
}

/// Removes an entry made in error (a post that ended is ended, not removed).
pub async fn remove(ctx: &Context, actor: &Actor, id: CadreId) -> Result<(), AppError> {
    let tx = ctx.db.write().await?;
    let (row, name) = load_for_write(&*tx, actor, id, Write::RemoveCadre).await?;
    let before = serde_json::to_value(audit_of(&row, &name)).ok();
    store::delete(&*tx, id).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::CadreRemove, id.0)
            .org(row.org.0)
            .before(before),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
