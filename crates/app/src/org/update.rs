use serde::Deserialize;
use tuanwu_domain::org::{check_kind_category, OrgEdit, OrgKind, UnitCategory};
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_store::db::unique_violation;
use tuanwu_store::org;
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
    /// The `version` of the org the edit was made from (also accepted as `If-Match`): when the
    /// org has been written since, the save is refused with 409 `stale_edit` and changes
    /// nothing. Without it the save is made over whatever is stored.
    pub version: Option<i64>,
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
    let old = org::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if input.version.is_some_and(|v| v != old.version) {
        return Err(AppError::stale_edit());
    }
    if old.is_deleted() {
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
    let kind = match input.kind.as_deref() {
        Some(k) => parse_kind(k)?,
        None => old.kind,
    };
    let category = match input.category.as_deref() {
        Some(c) => UnitCategory::parse(c)?,
        None => old.category,
    };
    check_kind_category(kind, category)?;
    // A branch keeps its type unless told otherwise; other kinds have none.
    let branch_type = match kind {
        OrgKind::Branch => input
            .branch_type
            .as_deref()
            .or(old.branch_type.map(|t| t.key())),
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
            old.external_system.map(|e| e.key()),
        )
        .as_deref(),
    )?;

    if kind != old.kind {
        if kind == OrgKind::Branch && org::live_child_count(&*tx, id).await? > 0 {
            return Err(DomainError::new(
                "kind_change_blocked",
                "该组织下还有下级组织，不能改为团支部：团支部下不能有下级组织",
            )
            .rule("ORG-1")
            .field("kind")
            .into());
        }
        if old.is_branch() && org::direct_member_count(&*tx, id).await? > 0 {
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
            if let Some(existing) = org::sibling_with_name(&*tx, parent, &name).await? {
                return Err(duplicate_name(&name, existing.is_deleted()));
            }
        }
    }

    let old_path = old.path.clone();
    let new_path = match old_path.rsplit_once(" / ") {
        Some((prefix, _)) => format!("{prefix} / {name}"),
        None => name.clone(),
    };
    let before = serde_json::to_value(OrgAudit::of(&old, &ctx.cipher)).ok();
    let edit = OrgEdit {
        name: name.clone(),
        short_name: d.short_name,
        kind,
        category,
        branch_type,
        contact_person: d.contact_person,
        contact_phone_enc: encrypt_opt(&ctx.cipher, &d.contact_phone),
        address: d.address,
        postcode: d.postcode,
        external_system: d.external_system,
        path: new_path.clone(),
    };
    // Conditional on the version read above: a write that came in between is not overwritten.
    let updated = org::update(&*tx, id, old.version, edit, ctx.clock.now())
        .await
        .map_err(|e| match unique_violation(&e) {
            Some(_) => duplicate_name(&name, false),
            None => e.into(),
        })?
        .ok_or_else(AppError::stale_edit)?;
    if new_path != old_path {
        org::replace_path_prefix(&*tx, id, &old_path, &new_path).await?;
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
