//! A request as it is stored, typed from the database up: the store maps its columns to these
//! enums and refuses a value it does not know.

use serde_json::Value;
use time::OffsetDateTime;

use super::{RequestChanges, RequestKind, RequestStatus};
use crate::org::labelled_enum;
use crate::{AccountId, MemberId, OrgId, RequestId};

/// SYS-3: one request to a higher level. What it proposes (encrypted, it may hold a resident
/// ID) is read separately, only where it is applied or reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: RequestId,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub member: Option<MemberId>,
    /// The org the request concerns (the member's branch, or the branch itself for GRD-2).
    pub org: OrgId,
    pub province: Option<OrgId>,
    /// `None` for a self-registration (MEM-4): no one was logged in.
    pub requester_account: Option<AccountId>,
    pub requester_org: OrgId,
    /// The org whose admins decide (or any admin above it).
    pub decider_org: OrgId,
    /// The change as lists show it, personal numbers masked.
    pub summary: Value,
    pub reason: String,
    pub decision_reason: Option<String>,
    pub created_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_by: Option<AccountId>,
}

impl Request {
    /// The account that asked (a requester never decides their own request).
    pub fn is_own(&self, account: AccountId) -> bool {
        self.requester_account == Some(account)
    }
}

labelled_enum!(
    /// One step of a request's history.
    RequestStep, "invalid_request_step", "申请步骤" {
        Submit => "submit", "提交申请",
        Approve => "approve", "审批通过",
        Reject => "reject", "驳回",
        Cancel => "cancel", "撤销申请",
    }
);

impl RequestStep {
    /// The step that moves a pending request into `to`.
    pub fn into_status(to: RequestStatus) -> Option<RequestStep> {
        match to {
            RequestStatus::Approved => Some(RequestStep::Approve),
            RequestStatus::Rejected => Some(RequestStep::Reject),
            RequestStatus::Cancelled => Some(RequestStep::Cancel),
            RequestStatus::Pending => None,
        }
    }
}

/// A new request, checked by the use case before the store writes it (always 待审批).
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub changes: RequestChanges,
    pub member: Option<MemberId>,
    pub org: OrgId,
    pub province: Option<OrgId>,
    pub requester_account: Option<AccountId>,
    pub requester_org: OrgId,
    pub decider_org: OrgId,
    pub summary: Value,
    pub reason: String,
    pub created_at: OffsetDateTime,
}

/// What a decision (not a withdrawal) records besides the new state.
#[derive(Debug, Clone)]
pub struct Decision {
    pub by: AccountId,
    pub at: OffsetDateTime,
    /// SYS-3: the reason of a rejection.
    pub reason: Option<String>,
}
