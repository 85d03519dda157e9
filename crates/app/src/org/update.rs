use sea_orm::{ActiveModelTrait, Set};
use serde::Deserialize;
use tuanwu_domain::org::{check_kind_category, OrgKind, UnitCategory};
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_store::db::unique_violation;
use tuanwu_store::entity::org;
use tuanwu_store::queries;
use utoipa::ToSchema;

use super::create::{
    duplicate_name, encrypt_opt, parse_branch_type, parse_details, parse_kind, parse_name,
};
use super::view::{org_view, OrgAudit, OrgView};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

/// Fields to change; an absent field is left as it is, an empty string clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UpdateOrgInput {
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub kind: Option<String>,
    pub category: Option<String>,
    pub branch_type: Option<String>,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub external_system: Option<String>,
}

fn pick(new: Option<&String>, old: Option<&str>) -> Option<String> {
    new.cloned().or_else(|| old.map(str::to_string))
}

pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: OrgId,
    input: UpdateOrgInput,
) -> Result<OrgView, AppError> {
    actor.require_full()?;
    let tx = ctx.db.write().await?;
    actor.ensure_in_scope(&*tx, id).await?;
    let old = queries::org::find(&*tx, id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    if old.deleted_at.is_some() {
        return Err(DomainError::new(
            "org_deleted",
            "该组织已被删除，不能修改：请先由上级组织恢复",
        )
        .rule("ORG-6")
        .into());
    }
    let name = match &input.name {
        Some(n) => parse_name(n)?,
        None => old.name.clone(),
    };
    let kind = parse_kind(input.kind.as_deref().unwrap_or(&old.kind))?;
    let category = UnitCategory::parse(input.category.as_deref().unwrap_or(&old.category))?;
    check_kind_category(kind, category)?;
    // A branch keeps its type unless told otherwise; other kinds have none.
    let branch_type = match kind {
        OrgKind::Branch => input.branch_type.as_deref().or(old.branch_type.as_deref()),
        _ => input.branch_type.as_deref(),
    };
    let branch_type = parse_branch_type(kind, branch_type)?;
    let old_phone = old
        .contact_phone_enc
        .as_deref()
        .and_then(|e| ctx.cipher.decrypt(e));
    let d = parse_details(
        pick(input.short_name.as_ref(), old.short_name.as_deref()).as_deref(),
        pick(input.contact_person.as_ref(), old.contact_person.as_deref()).as_deref(),
        pick(input.contact_phone.as_ref(), old_phone.as_deref()).as_deref(),
        pick(input.address.as_ref(), old.address.as_deref()).as_deref(),
        pick(input.postcode.as_ref(), old.postcode.as_deref()).as_deref(),
        pick(
            input.external_system.as_ref(),
            old.external_system.as_deref(),
        )
        .as_deref(),
    )?;

    if kind.key() != old.kind {
        if kind == OrgKind::Branch && queries::org::live_child_count(&*tx, id.0).await? > 0 {
            return Err(DomainError::new(
                "kind_change_blocked",
                "该组织下还有下级组织，不能改为团支部：团支部下不能有下级组织",
            )
            .rule("ORG-1")
            .field("kind")
            .into());
        }
        if old.kind == "branch" && queries::org::direct_member_count(&*tx, id.0).await? > 0 {
            return Err(DomainError::new(
                "kind_change_blocked",
                "该团支部还有团员，不能改为其他组织类型：团员只能编入团支部",
            )
            .rule("ORG-1")
            .field("kind")
            .into());
        }
    }
    if name != old.name {
        if let Some(parent) = old.parent_id {
            if let Some(existing) = queries::org::sibling_with_name(&*tx, parent, &name).await? {
                return Err(duplicate_name(&name, existing.deleted_at.is_some()));
            }
        }
    }

    let old_path = old.path.clone();
    let new_path = match old_path.rsplit_once(" / ") {
        Some((prefix, _)) => format!("{prefix} / {name}"),
        None => name.clone(),
    };
    let before = serde_json::to_value(OrgAudit::of(&old, &ctx.cipher)).ok();
    let mut active: org::ActiveModel = old.into();
    active.name = Set(name.clone());
    active.kind = Set(kind.key().into());
    active.category = Set(category.name().into());
    active.branch_type = Set(branch_type.map(|t| t.key().into()));
    active.short_name = Set(d.short_name);
    active.contact_person = Set(d.contact_person);
    active.contact_phone_enc = Set(encrypt_opt(&ctx.cipher, &d.contact_phone));
    active.address = Set(d.address);
    active.postcode = Set(d.postcode);
    active.external_system = Set(d.external_system.map(|e| e.key().into()));
    active.path = Set(new_path.clone());
    active.updated_at = Set(ctx.clock.now());
    let updated = active
        .update(&*tx)
        .await
        .map_err(|e| match unique_violation(&e) {
            Some(_) => duplicate_name(&name, false),
            None => e.into(),
        })?;
    if new_path != old_path {
        queries::org::replace_path_prefix(&*tx, id.0, &old_path, &new_path).await?;
    }
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::OrgUpdate, id.0)
            .org(id.0)
            .before(before)
            .after(OrgAudit::of(&updated, &ctx.cipher)),
    )
    .await?;
    let view = org_view(&*tx, &ctx.cipher, updated).await?;
    tx.commit().await?;
    Ok(view)
}
