//! An org as it is stored, typed from the database up: the store maps its columns to these
//! types and refuses a kind, category or branch type it does not know.

use time::OffsetDateTime;

use super::{BranchType, ExternalSystem, OrgKind, OrgStatus, UnitCategory};
use crate::graduation::GraduationMark;
use crate::OrgId;

/// ORG-1 … ORG-8: one organisation of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub id: OrgId,
    /// `None` only for the top org.
    pub parent_id: Option<OrgId>,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub category: UnitCategory,
    /// ORG-3: branches only.
    pub branch_type: Option<BranchType>,
    /// The college (院系) the org belongs to, or itself when it is one.
    pub college_id: Option<OrgId>,
    pub contact_person: Option<String>,
    /// AES-GCM ciphertext: phones are personal data (SYS-5); the use case holds the key.
    pub contact_phone_enc: Option<Vec<u8>>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    /// ORG-8: the province's own league system, when it runs one.
    pub external_system: Option<ExternalSystem>,
    /// GRD-1: a school branch's graduation marking; `None` = 未标记.
    pub graduation: Option<GraduationMark>,
    /// The level-2 ancestor (or self at level 2); `None` only for the top org.
    pub province_id: Option<OrgId>,
    pub depth: i32,
    /// Full names from the top, joined by " / " (ORG-5 shows it with every result).
    pub path: String,
    pub status: OrgStatus,
    /// ORG-6: why it was deleted, while it is.
    pub deleted_reason: Option<String>,
    /// Issue 15: moved by every write, so that a save made from an older reading is refused.
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Org {
    pub fn is_deleted(&self) -> bool {
        self.status == OrgStatus::Deleted
    }

    pub fn is_branch(&self) -> bool {
        self.kind == OrgKind::Branch
    }

    /// A live branch of a school category (GRD-1): the orgs that carry a graduation marking.
    pub fn is_school_branch(&self) -> bool {
        self.is_branch() && !self.is_deleted() && self.category.is_school()
    }
}

/// An org to create under `parent_id` (the top org has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    pub parent_id: Option<OrgId>,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub category: UnitCategory,
    pub branch_type: Option<BranchType>,
    pub college_id: Option<OrgId>,
    pub contact_person: Option<String>,
    pub contact_phone_enc: Option<Vec<u8>>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub external_system: Option<ExternalSystem>,
    pub province_id: Option<OrgId>,
    pub depth: i32,
    pub path: String,
    /// ORG-1: a level-2 org is its own province.
    pub own_province: bool,
    /// A college (院系) is its own college.
    pub own_college: bool,
}

/// What an edit (ORG-4) writes: every field the edit form holds, and the path that follows
/// the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgEdit {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub category: UnitCategory,
    pub branch_type: Option<BranchType>,
    pub contact_person: Option<String>,
    pub contact_phone_enc: Option<Vec<u8>>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub external_system: Option<ExternalSystem>,
    pub path: String,
}

impl NewOrg {
    /// The top org of the tree (团中央), made on the first start.
    pub fn top(name: String, kind: OrgKind, category: UnitCategory) -> Self {
        NewOrg {
            parent_id: None,
            path: name.clone(),
            name,
            short_name: None,
            kind,
            category,
            branch_type: None,
            college_id: None,
            contact_person: None,
            contact_phone_enc: None,
            address: None,
            postcode: None,
            external_system: None,
            province_id: None,
            depth: 0,
            own_province: false,
            own_college: false,
        }
    }

    /// A child of `parent` with only its name and kind: it inherits the parent's province and
    /// college, and a level-2 org is its own province (ORG-1). Details are set on the result.
    pub fn child_of(parent: &Org, name: String, kind: OrgKind, category: UnitCategory) -> Self {
        let depth = parent.depth + 1;
        NewOrg {
            parent_id: Some(parent.id),
            path: format!("{} / {}", parent.path, name),
            name,
            short_name: None,
            kind,
            category,
            branch_type: None,
            college_id: parent.college_id,
            contact_person: None,
            contact_phone_enc: None,
            address: None,
            postcode: None,
            external_system: None,
            province_id: parent.province_id,
            depth,
            own_province: depth == 1,
            own_college: false,
        }
    }
}
