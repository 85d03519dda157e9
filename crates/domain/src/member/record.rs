//! A member as it is stored, typed from the database up, and the two shapes a write takes: a
//! new member (entry, approved self-registration, import) and changes to one (edit, approved
//! correction, transfer, identity check, deletion). The store maps both onto the columns in one
//! place, so every writer stores a field the same way.

use time::{Date, OffsetDateTime};

use super::{DevelopmentNo, Email, Gender, PersonName, Phone, PoliticalStatus};
use crate::account::IdentityCheck;
use crate::org::labelled_enum;
use crate::{MemberId, OrgId, ResidentId, YearMonth};

labelled_enum!(
    /// Whether the record is on the roll (MEM-7, TRF-6, TRF-9, FLT-4). Only `Active` members are
    /// listed, counted and acted on; the others stay for history.
    MemberStatus, "invalid_member_status", "团员记录状态" {
        Active => "active", "在册",
        Deleted => "deleted", "已删除",
        TransferredOut => "transferred_out", "已转出",
        Removed => "removed", "已除名",
    }
);

/// MEM-1: one member record. The resident ID and the phone stay encrypted here: whoever shows
/// them decrypts them with the `Cipher` and decides about masking (SYS-5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    /// The branch (团支部) the member belongs to.
    pub org_id: OrgId,
    pub province_id: Option<OrgId>,
    /// As stored: a name entered before the name rule was tightened stays readable, which is
    /// why this is not a `PersonName` (every write goes through `PersonName::parse`).
    pub name: String,
    pub resident_id_enc: Vec<u8>,
    pub gender: Gender,
    pub ethnicity: String,
    pub birth_date: Date,
    pub joined_on: YearMonth,
    pub development_no: Option<String>,
    pub student_no: Option<String>,
    pub admission_major: Option<String>,
    pub actual_major: Option<String>,
    pub native_place: Option<String>,
    pub education: Option<String>,
    pub political_status: PoliticalStatus,
    pub phone_enc: Option<Vec<u8>>,
    pub email: Option<String>,
    pub offline_managed: bool,
    pub offline_note: Option<String>,
    pub identity_check: IdentityCheck,
    /// Why the check failed, or who confirmed it offline.
    pub identity_note: Option<String>,
    pub identity_checked_at: Option<OffsetDateTime>,
    pub status: MemberStatus,
    /// Moves on every write: an edit made from an older version is refused, not applied over
    /// someone else's (issue 15 item 2).
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Member {
    pub fn is_active(&self) -> bool {
        self.status == MemberStatus::Active
    }

    /// ACC-9 / MEM-6: a verified identity is changed only by an approved correction.
    pub fn is_verified(&self) -> bool {
        self.identity_check.is_verified()
    }
}

/// A member about to be entered, every field checked (MEM-1, MEM-2, MEM-4).
#[derive(Debug, Clone)]
pub struct NewMember {
    pub branch: OrgId,
    pub province: Option<OrgId>,
    pub name: PersonName,
    pub resident_id: ResidentId,
    pub ethnicity: String,
    pub joined_on: YearMonth,
    pub development_no: Option<DevelopmentNo>,
    pub student_no: Option<String>,
    pub political_status: PoliticalStatus,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub admission_major: Option<String>,
    pub actual_major: Option<String>,
    pub native_place: Option<String>,
    pub education: Option<String>,
    pub offline_managed: bool,
    pub offline_note: Option<String>,
    pub identity_check: IdentityCheck,
}

/// What a write changes; `None` leaves a field as it is, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct MemberChanges {
    /// TRF-4: the branch the member moves to, and its province.
    pub branch: Option<(OrgId, Option<OrgId>)>,
    pub name: Option<PersonName>,
    /// Also sets the gender and birth date it carries.
    pub resident_id: Option<ResidentId>,
    pub ethnicity: Option<String>,
    pub joined_on: Option<YearMonth>,
    pub development_no: Option<Option<DevelopmentNo>>,
    pub student_no: Option<Option<String>>,
    pub political_status: Option<PoliticalStatus>,
    pub phone: Option<Option<Phone>>,
    pub email: Option<Option<Email>>,
    pub admission_major: Option<Option<String>>,
    pub actual_major: Option<Option<String>>,
    pub native_place: Option<Option<String>>,
    pub education: Option<Option<String>>,
    pub offline_managed: Option<bool>,
    pub offline_note: Option<Option<String>>,
    /// ACC-8: the check's status, its note and when it was decided.
    pub identity: Option<(IdentityCheck, Option<String>, Option<OffsetDateTime>)>,
    pub status: Option<MemberStatus>,
}

impl MemberChanges {
    /// The member leaves the roll (MEM-7 deletion, TRF-6/TRF-9 transfer out, FLT-4 removal).
    pub fn status(status: MemberStatus) -> Self {
        Self {
            status: Some(status),
            ..Self::default()
        }
    }

    /// TRF-4: the member moves to another branch.
    pub fn move_to(branch: OrgId, province: Option<OrgId>) -> Self {
        Self {
            branch: Some((branch, province)),
            ..Self::default()
        }
    }
}
