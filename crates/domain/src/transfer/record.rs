//! A transfer as it is stored, typed from the database up: the store maps its columns to these
//! enums and refuses a value it does not know.

use time::OffsetDateTime;

use super::{Initiator, PendingParty, TransferKind, TransferReason, TransferStatus};
use crate::org::{labelled_enum, ExternalSystem};
use crate::{AccountId, FileId, MemberId, OrgId, TransferId};

/// TRF-1: one organisation relationship transfer of one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id: TransferId,
    pub member: MemberId,
    pub kind: TransferKind,
    pub status: TransferStatus,
    pub initiator: Initiator,
    pub initiator_account: Option<AccountId>,
    pub initiator_name: String,
    /// The member's branch when the transfer started.
    pub source_org: OrgId,
    pub target_org: Option<OrgId>,
    /// TRF-4: the branch the member was placed in on approval.
    pub assigned_branch: Option<OrgId>,
    pub external_system: Option<ExternalSystem>,
    /// TRF-6: 去向单位名称.
    pub special_destination: Option<String>,
    pub reason: TransferReason,
    pub note: Option<String>,
    pub decision_reason: Option<String>,
    /// TRF-4: the approver confirmed the archives were checked.
    pub archives_checked: bool,
    /// TRF-9: the proof of the member's report to the external system.
    pub proof_file: Option<FileId>,
    pub created_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_by: Option<AccountId>,
}

impl Transfer {
    /// Whose move it is while the transfer is active (TRF-8).
    pub fn pending_party(&self) -> Option<PendingParty> {
        self.status
            .is_active()
            .then(|| PendingParty::of(self.kind, self.initiator))
    }

    /// TRF-2: the initiator or the member may withdraw it.
    pub fn is_own(&self, account: AccountId, member: Option<MemberId>) -> bool {
        self.initiator_account == Some(account) || member == Some(self.member)
    }

    /// TRF-13: a letter is issued only for a completed transfer or one handled offline (an
    /// external system's, awaiting the member's report).
    pub fn takes_letter(&self) -> bool {
        matches!(
            self.status,
            TransferStatus::Completed | TransferStatus::AwaitingReport
        )
    }

    /// The orgs whose admins see the transfer (TRF-8: both sides).
    pub fn sides(&self) -> impl Iterator<Item = OrgId> {
        [Some(self.source_org), self.target_org, self.assigned_branch]
            .into_iter()
            .flatten()
    }
}

labelled_enum!(
    /// One step of a transfer's history.
    TransferStep, "invalid_transfer_step", "转接步骤" {
        Start => "start", "发起转接",
        Approve => "approve", "审批通过",
        Reject => "reject", "驳回",
        Cancel => "cancel", "撤销申请",
        Report => "report", "登记外部系统报到",
    }
);

/// A new transfer, checked by the use case (TRF-1 … TRF-9) before the store writes it.
#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub member: MemberId,
    pub kind: TransferKind,
    pub initiator: Initiator,
    pub initiator_account: AccountId,
    pub initiator_name: String,
    pub source_org: OrgId,
    pub target_org: Option<OrgId>,
    pub external_system: Option<ExternalSystem>,
    pub special_destination: Option<String>,
    pub reason: TransferReason,
    pub note: Option<String>,
    pub created_at: OffsetDateTime,
}

/// What a decision records on the transfer besides its new state.
#[derive(Debug, Clone)]
pub struct Decision {
    pub by: AccountId,
    pub at: OffsetDateTime,
    /// TRF-4: the reason of a rejection.
    pub reason: Option<String>,
}
