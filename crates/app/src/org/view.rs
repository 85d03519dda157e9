use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::org::{BranchType, ExternalSystem, OrgKind};
use tuanwu_store::entity::org;
use tuanwu_store::{queries, Cipher};
use utoipa::ToSchema;

use crate::error::AppResult;

/// An org as its admins see it (ORG-4), with counts for the tree view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub short_name: Option<String>,
    /// `committee` | `working_committee` | `general_branch` | `branch`.
    pub kind: String,
    pub kind_label: String,
    /// 单位类别 (ORG-2), in Chinese.
    pub category: String,
    /// Branches only: `regular` | `staff` | `graduate` | `floating` | `floating_abroad`.
    pub branch_type: Option<String>,
    pub branch_type_label: Option<String>,
    pub college_id: Option<i64>,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    /// `beijing` | `guangdong` | `fujian` (ORG-8).
    pub external_system: Option<String>,
    pub province_id: Option<i64>,
    pub depth: i32,
    /// Full path from the top, joined by " / ".
    pub path: String,
    pub deleted: bool,
    pub deleted_reason: Option<String>,
    /// Active members in the whole subtree.
    pub member_count: u64,
    /// Child orgs not deleted.
    pub child_count: u64,
}

pub fn label<T>(
    code: &Option<String>,
    parse: fn(&str) -> Result<T, tuanwu_domain::DomainError>,
    label: fn(T) -> &'static str,
) -> Option<String> {
    code.as_deref()
        .and_then(|c| parse(c).ok())
        .map(|v| label(v).to_string())
}

pub async fn org_view<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    o: org::Model,
) -> AppResult<OrgView> {
    let mut views = org_views(c, cipher, vec![o]).await?;
    views.pop().ok_or(crate::AppError::NotFound)
}

/// Views of several orgs with their counts, in a constant number of queries.
pub async fn org_views<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    orgs: Vec<org::Model>,
) -> AppResult<Vec<OrgView>> {
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let members = queries::org::subtree_member_counts(c, &ids).await?;
    let children = queries::org::live_child_counts(c, &ids).await?;
    Ok(orgs
        .into_iter()
        .map(|o| {
            let member_count = members.get(&o.id).copied().unwrap_or(0);
            let child_count = children.get(&o.id).copied().unwrap_or(0);
            view(cipher, o, member_count, child_count)
        })
        .collect())
}

fn view(cipher: &Cipher, o: org::Model, member_count: u64, child_count: u64) -> OrgView {
    OrgView {
        kind_label: OrgKind::parse(&o.kind)
            .map(OrgKind::label)
            .unwrap_or("")
            .into(),
        branch_type_label: label(&o.branch_type, BranchType::parse, BranchType::label),
        contact_phone: o
            .contact_phone_enc
            .as_deref()
            .and_then(|e| cipher.decrypt(e)),
        id: o.id,
        parent_id: o.parent_id,
        name: o.name,
        short_name: o.short_name,
        kind: o.kind,
        category: o.category,
        branch_type: o.branch_type,
        college_id: o.college_id,
        contact_person: o.contact_person,
        address: o.address,
        postcode: o.postcode,
        external_system: o.external_system,
        province_id: o.province_id,
        depth: o.depth,
        path: o.path,
        deleted: o.deleted_at.is_some(),
        deleted_reason: o.deleted_reason,
        member_count,
        child_count,
    }
}

/// ORG-5 results: public directory data only, so that registration and transfers can find any
/// org without seeing anything about its people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectoryView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub category: String,
    pub branch_type: Option<String>,
    pub path: String,
    pub province_id: Option<i64>,
    pub external_system: Option<String>,
    pub external_system_label: Option<String>,
}

impl From<org::Model> for DirectoryView {
    fn from(o: org::Model) -> Self {
        Self {
            external_system_label: label(
                &o.external_system,
                ExternalSystem::parse,
                ExternalSystem::label,
            ),
            id: o.id,
            name: o.name,
            kind: o.kind,
            category: o.category,
            branch_type: o.branch_type,
            path: o.path,
            province_id: o.province_id,
            external_system: o.external_system,
        }
    }
}

/// What the audit log keeps of an org: the phone only as a keyed fingerprint.
#[derive(Serialize)]
pub struct OrgAudit<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub category: &'a str,
    pub branch_type: &'a Option<String>,
    pub contact_person: &'a Option<String>,
    pub contact_phone: Option<String>,
    pub address: &'a Option<String>,
    pub postcode: &'a Option<String>,
    pub external_system: &'a Option<String>,
}

impl<'a> OrgAudit<'a> {
    pub fn of(o: &'a org::Model, cipher: &Cipher) -> Self {
        Self {
            name: &o.name,
            kind: &o.kind,
            category: &o.category,
            branch_type: &o.branch_type,
            contact_person: &o.contact_person,
            contact_phone: o
                .contact_phone_enc
                .as_deref()
                .and_then(|e| cipher.decrypt(e))
                .map(|p| crate::audit::fingerprint(cipher, &p)),
            address: &o.address,
            postcode: &o.postcode,
            external_system: &o.external_system,
        }
    }
}
