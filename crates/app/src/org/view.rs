use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::org::{Org, OrgStatus};
use tuanwu_store::{org, Cipher};
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
    /// ORG-1: a 团支部 — members are entered and 组织生活, 团小组 and 支委会 held here; it has no
    /// child orgs.
    pub is_branch: bool,
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
    /// Moved by every write; send it back as `version` or `If-Match` to refuse a stale save.
    pub version: i64,
}

/// The label of a stored code, when it parses (member views use it for their own codes).
pub fn label<T>(
    code: &Option<String>,
    parse: fn(&str) -> Result<T, tuanwu_domain::DomainError>,
    label: fn(T) -> &'static str,
) -> Option<String> {
    code.as_deref()
        .and_then(|c| parse(c).ok())
        .map(|v| label(v).to_string())
}

pub async fn org_view<C: ConnectionTrait>(c: &C, cipher: &Cipher, o: Org) -> AppResult<OrgView> {
    let mut views = org_views(c, cipher, vec![o]).await?;
    views.pop().ok_or(crate::AppError::NotFound)
}

/// Views of several orgs with their counts, in a constant number of queries.
pub async fn org_views<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    orgs: Vec<Org>,
) -> AppResult<Vec<OrgView>> {
    let ids: Vec<_> = orgs.iter().map(|o| o.id).collect();
    let members = org::subtree_member_counts(c, &ids).await?;
    let children = org::live_child_counts(c, &ids).await?;
    Ok(orgs
        .into_iter()
        .map(|o| {
            let member_count = members.get(&o.id).copied().unwrap_or(0);
            let child_count = children.get(&o.id).copied().unwrap_or(0);
            view(cipher, o, member_count, child_count)
        })
        .collect())
}

fn view(cipher: &Cipher, o: Org, member_count: u64, child_count: u64) -> OrgView {
    OrgView {
        kind_label: o.kind.label().into(),
        is_branch: o.is_branch(),
        branch_type_label: o.branch_type.map(|t| t.label().into()),
        contact_phone: o
            .contact_phone_enc
            .as_deref()
            .and_then(|e| cipher.decrypt(e)),
        id: o.id.0,
        parent_id: o.parent_id.map(|p| p.0),
        name: o.name,
        short_name: o.short_name,
        kind: o.kind.key().into(),
        category: o.category.name().into(),
        branch_type: o.branch_type.map(|t| t.key().into()),
        college_id: o.college_id.map(|c| c.0),
        contact_person: o.contact_person,
        address: o.address,
        postcode: o.postcode,
        external_system: o.external_system.map(|e| e.key().into()),
        province_id: o.province_id.map(|p| p.0),
        depth: o.depth,
        deleted: o.status == OrgStatus::Deleted,
        path: o.path,
        deleted_reason: o.deleted_reason,
        member_count,
        child_count,
        version: o.version,
    }
}

/// ORG-5 results: public directory data only, so that registration and transfers can find any
/// org without seeing anything about its people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectoryView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    /// ORG-1: a 团支部 (a transfer to anything else leaves the branch to the other side).
    pub is_branch: bool,
    pub category: String,
    pub branch_type: Option<String>,
    pub path: String,
    pub province_id: Option<i64>,
    pub external_system: Option<String>,
    pub external_system_label: Option<String>,
}

impl From<Org> for DirectoryView {
    fn from(o: Org) -> Self {
        Self {
            external_system_label: o.external_system.map(|e| e.label().into()),
            id: o.id.0,
            is_branch: o.is_branch(),
            name: o.name,
            kind: o.kind.key().into(),
            category: o.category.name().into(),
            branch_type: o.branch_type.map(|t| t.key().into()),
            path: o.path,
            province_id: o.province_id.map(|p| p.0),
            external_system: o.external_system.map(|e| e.key().into()),
        }
    }
}

/// What the audit log keeps of an org: the phone only as a keyed fingerprint.
#[derive(Serialize)]
pub struct OrgAudit<'a> {
    pub name: &'a str,
    pub kind: &'static str,
    pub category: &'static str,
    pub branch_type: Option<&'static str>,
    pub contact_person: &'a Option<String>,
    pub contact_phone: Option<String>,
    pub address: &'a Option<String>,
    pub postcode: &'a Option<String>,
    pub external_system: Option<&'static str>,
}

impl<'a> OrgAudit<'a> {
    pub fn of(o: &'a Org, cipher: &Cipher) -> Self {
        Self {
            name: &o.name,
            kind: o.kind.key(),
            category: o.category.name(),
            branch_type: o.branch_type.map(|t| t.key()),
            contact_person: &o.contact_person,
            contact_phone: o
                .contact_phone_enc
                .as_deref()
                .and_then(|e| cipher.decrypt(e))
                .map(|p| crate::audit::fingerprint(cipher, &p)),
            address: &o.address,
            postcode: &o.postcode,
            external_system: o.external_system.map(|e| e.key()),
        }
    }
}
