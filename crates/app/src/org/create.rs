use serde::Deserialize;
use tuanwu_domain::member::parse_phone;
use tuanwu_domain::org::{
    check_branch_type, check_child_allowed, check_kind_category, check_postcode, BranchType,
    ExternalSystem, NewOrg, OrgKind, UnitCategory,
};
use tuanwu_domain::{text, DomainError, OrgId};
use tuanwu_store::db::unique_violation;
use tuanwu_store::{org, Cipher};
use utoipa::ToSchema;

use super::view::{org_view, OrgAudit, OrgView};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateOrgInput {
    pub parent_id: i64,
    /// 全称: unique among siblings; the name forms and letters print.
    pub name: String,
    pub short_name: Option<String>,
    /// `committee` | `working_committee` | `general_branch` | `branch` (or the Chinese word).
    pub kind: String,
    /// 单位类别 in Chinese, e.g. "普通高等院校".
    pub category: String,
    pub branch_type: Option<String>,
    /// Marks a college-level org (院系团委 / 团总支): its subtree belongs to it (ORG-4).
    pub is_college: Option<bool>,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub external_system: Option<String>,
}

/// The checked, typed form of the ORG-4 fields shared by create and update.
pub(super) struct Details {
    pub short_name: Option<String>,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub external_system: Option<ExternalSystem>,
}

pub(super) fn parse_name(name: &str) -> Result<String, DomainError> {
    text::required_name(name, "name", "组织全称", 100)
}

pub(super) fn parse_details(
    short_name: Option<&str>,
    contact_person: Option<&str>,
    contact_phone: Option<&str>,
    address: Option<&str>,
    postcode: Option<&str>,
    external_system: Option<&str>,
) -> Result<Details, DomainError> {
    let postcode = text::optional(postcode, "postcode", "邮政编码", 6)?;
    if let Some(p) = &postcode {
        check_postcode(p)?;
    }
    Ok(Details {
        short_name: text::optional_name(short_name, "short_name", "组织简称", 50)?,
        contact_person: text::optional_name(contact_person, "contact_person", "联系人", 50)?,
        contact_phone: text::optional(contact_phone, "contact_phone", "联系电话", 20)?
            .map(|p| parse_phone(&p, "contact_phone"))
            .transpose()?,
        address: text::optional_name(address, "address", "通讯地址", 200)?,
        postcode,
        external_system: text::optional(external_system, "external_system", "外部系统", 16)?
            .map(|e| {
                ExternalSystem::parse(&e).map_err(|e| e.rule("ORG-8").field("external_system"))
            })
            .transpose()?,
    })
}

pub(super) fn parse_kind(kind: &str) -> Result<OrgKind, DomainError> {
    OrgKind::parse(kind).map_err(|e| e.rule("ORG-2").field("kind"))
}

pub(super) fn parse_branch_type(
    kind: OrgKind,
    t: Option<&str>,
) -> Result<Option<BranchType>, DomainError> {
    let t = text::optional(t, "branch_type", "团支部类型", 32)?
        .map(|t| BranchType::parse(&t).map_err(|e| e.rule("ORG-3").field("branch_type")))
        .transpose()?;
    check_branch_type(kind, t)?;
    Ok(match kind {
        OrgKind::Branch => Some(t.unwrap_or(BranchType::Regular)),
        _ => None,
    })
}

pub(super) fn duplicate_name(name: &str, existing_deleted: bool) -> AppError {
    let hint = if existing_deleted {
        "同名组织已被删除，可由上级组织恢复它，无需新建"
    } else {
        "请使用不同的全称，或在组织列表中找到已有的组织"
    };
    AppError::Conflict {
        code: "duplicate_org_name",
        message: format!("同一上级组织下已有名为“{name}”的组织：{hint}"),
        rule: Some("ORG-4"),
        field: Some("name"),
    }
}

pub(super) fn encrypt_opt(cipher: &Cipher, v: &Option<String>) -> Option<Vec<u8>> {
    v.as_deref().map(|p| cipher.encrypt(p))
}

pub async fn create(
    ctx: &Context,
    actor: &Actor,
    input: CreateOrgInput,
) -> Result<OrgView, AppError> {
    actor.require_full()?;
    let name = parse_name(&input.name)?;
    let kind = parse_kind(&input.kind)?;
    let category = UnitCategory::parse(&input.category)?;
    check_kind_category(kind, category)?;
    let branch_type = parse_branch_type(kind, input.branch_type.as_deref())?;
    let d = parse_details(
        input.short_name.as_deref(),
        input.contact_person.as_deref(),
        input.contact_phone.as_deref(),
        input.address.as_deref(),
        input.postcode.as_deref(),
        input.external_system.as_deref(),
    )?;

    let tx = ctx.db.write().await?;
    let parent = org::find(&*tx, actor.scope(), OrgId(input.parent_id))
        .await?
        .ok_or(AppError::NotFound)?;
    if parent.is_deleted() {
        return Err(DomainError::new(
            "parent_deleted",
            format!(
                "上级组织“{}”已被删除，不能在其下建立组织：请先恢复它",
                parent.name
            ),
        )
        .rule("ORG-6")
        .field("parent_id")
        .into());
    }
    check_child_allowed(parent.kind)?;
    if let Some(existing) = org::sibling_with_name(&*tx, parent.id, &name).await? {
        return Err(duplicate_name(&name, existing.is_deleted()));
    }
    let mut new = NewOrg::child_of(&parent, name.clone(), kind, category);
    new.short_name = d.short_name;
    new.branch_type = branch_type;
    new.contact_person = d.contact_person;
    new.contact_phone_enc = encrypt_opt(&ctx.cipher, &d.contact_phone);
    new.address = d.address;
    new.postcode = d.postcode;
    new.external_system = d.external_system;
    // A college-level org (ORG-4): its subtree belongs to it.
    new.own_college = input.is_college.unwrap_or(false);
    let created =
        org::insert(&*tx, new, ctx.clock.now())
            .await
            .map_err(|e| match unique_violation(&e) {
                Some(_) => duplicate_name(&name, false),
                None => e.into(),
            })?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::OrgCreate, created.id.0)
            .org(created.id.0)
            .after(OrgAudit::of(&created, &ctx.cipher)),
    )
    .await?;
    let view = org_view(&*tx, &ctx.cipher, created).await?;
    tx.commit().await?;
    Ok(view)
}
