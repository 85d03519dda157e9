//! SYS-1: one entry of the audit log — who (account, acting role and its org), when, what,
//! before and after — as stored. `before`/`after` are JSON text that holds no personal number,
//! not even masked (a masked ID plus the birth date leaves a handful of candidates): a changed
//! number is recorded as a keyed fingerprint.

mod action;

use time::OffsetDateTime;

pub use action::AuditAction;

use crate::{AccountId, AuditId, OrgId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: OffsetDateTime,
    /// Absent for the system's own jobs.
    pub account: Option<AccountId>,
    pub actor_name: String,
    /// The acting role's display code (`college_admin`, …, `system`).
    pub role: String,
    pub acting_org: Option<OrgId>,
    /// The org the change concerns: admins whose subtree contains it read the entry.
    pub org: Option<OrgId>,
    /// What was done, to which kind of record (stored as `entity` and `action`).
    pub action: AuditAction,
    pub entity_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An entry to write, in the transaction of the change it records.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: OffsetDateTime,
    pub account: Option<AccountId>,
    pub actor_name: String,
    pub role: String,
    pub acting_org: Option<OrgId>,
    pub org: Option<OrgId>,
    /// The province above `org`, kept for province-level reports.
    pub province: Option<OrgId>,
    pub action: AuditAction,
    pub entity_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
}
