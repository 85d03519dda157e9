//! SYS-3: requests to a higher level. One state machine for every kind: 待审批 → 已通过 /
//! 已驳回 / 已撤销, each step a function that refuses what the state does not allow.

mod changes;
mod record;

use crate::org::labelled_enum;
use crate::{text, DomainError};

pub use changes::{
    ArchiveReview, Correction, Deletion, GraduationChange, NumberClaim, Registration,
    RequestChanges,
};
pub use record::{Decision, NewRequest, Request, RequestStep};

labelled_enum!(
    RequestKind, "invalid_request_kind", "申请类型" {
        MemberCorrection => "member_correction", "团员信息更正",
        MemberDeletion => "member_deletion", "删除团员",
        DevelopmentNoConflict => "development_no_conflict", "发展团员编号被占用",
        MemberRegistration => "member_registration", "团员自助注册",
        ArchiveReview => "archive_review", "电子档案审核",
        GraduationChange => "graduation_change", "修改团支部毕业时间",
    }
);

labelled_enum!(
    RequestStatus, "invalid_request_status", "申请状态" {
        Pending => "pending", "待审批",
        Approved => "approved", "已通过",
        Rejected => "rejected", "已驳回",
        Cancelled => "cancelled", "已撤销",
    }
);

labelled_enum!(
    /// MEM-7: the only reasons a member record may be deleted without the school's confirmation.
    DeletionReason, "invalid_deletion_reason", "删除原因" {
        EnteredInError => "entered_in_error", "录入错误",
        Death => "death", "死亡",
        Dropout => "dropout", "退学",
        Other => "other", "其他（须经学校确认）",
    }
);

/// Which level decides a kind (SYS-3), as a depth rule on the org tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeciderLevel {
    /// The org directly above the requester's (MEM-6).
    ParentOfRequester,
    /// City level: the ancestor at depth 2, or the province where the chain is shorter (MEM-7).
    City,
    /// The province (depth 1) of the record (MEM-10).
    Province,
    /// The record's own branch (MEM-4: the branch admin approves a self-registration).
    Branch,
}

impl RequestKind {
    pub fn decider_level(self) -> DeciderLevel {
        match self {
            RequestKind::MemberCorrection => DeciderLevel::ParentOfRequester,
            RequestKind::MemberDeletion => DeciderLevel::City,
            RequestKind::DevelopmentNoConflict => DeciderLevel::Province,
            RequestKind::MemberRegistration => DeciderLevel::Branch,
            RequestKind::ArchiveReview => DeciderLevel::ParentOfRequester,
            RequestKind::GraduationChange => DeciderLevel::City,
        }
    }

    pub fn rule(self) -> &'static str {
        match self {
            RequestKind::MemberCorrection => "MEM-6",
            RequestKind::MemberDeletion => "MEM-7",
            RequestKind::DevelopmentNoConflict => "MEM-10",
            RequestKind::MemberRegistration => "MEM-4",
            RequestKind::ArchiveReview => "ARC-2",
            RequestKind::GraduationChange => "GRD-2",
        }
    }
}

fn not_pending(status: RequestStatus) -> DomainError {
    DomainError::new(
        "request_not_pending",
        format!(
            "该申请{}，不能再处理：请刷新页面查看最新状态",
            status.label()
        ),
    )
    .rule("SYS-3")
}

impl RequestStatus {
    pub fn approve(self) -> Result<RequestStatus, DomainError> {
        match self {
            RequestStatus::Pending => Ok(RequestStatus::Approved),
            other => Err(not_pending(other)),
        }
    }

    /// Rejection needs a reason; it is returned trimmed.
    pub fn reject(self, reason: &str) -> Result<(RequestStatus, String), DomainError> {
        if self != RequestStatus::Pending {
            return Err(not_pending(self));
        }
        let reason =
            text::required(reason, "reason", "驳回理由", 500).map_err(|e| e.rule("SYS-3"))?;
        Ok((RequestStatus::Rejected, reason))
    }

    pub fn cancel(self) -> Result<RequestStatus, DomainError> {
        match self {
            RequestStatus::Pending => Ok(RequestStatus::Cancelled),
            other => Err(not_pending(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pending_requests_move() {
        use RequestStatus::*;
        assert_eq!(Pending.approve().unwrap(), Approved);
        assert_eq!(
            Pending.reject(" 材料不清 ").unwrap(),
            (Rejected, "材料不清".into())
        );
        assert_eq!(Pending.cancel().unwrap(), Cancelled);
        for done in [Approved, Rejected, Cancelled] {
            assert_eq!(done.approve().unwrap_err().code, "request_not_pending");
            assert!(done.reject("x").is_err());
            assert!(done.cancel().is_err());
        }
        assert_eq!(Pending.reject("  ").unwrap_err().field, Some("reason"));
    }

    #[test]
    fn each_kind_has_its_level_and_rule() {
        assert_eq!(
            RequestKind::MemberDeletion.decider_level(),
            DeciderLevel::City
        );
        assert_eq!(
            RequestKind::parse("member_correction").unwrap().rule(),
            "MEM-6"
        );
        assert_eq!(
            RequestKind::parse("修改团支部毕业时间")
                .unwrap()
                .decider_level(),
            DeciderLevel::City
        );
        assert_eq!(RequestKind::GraduationChange.rule(), "GRD-2");
        assert_eq!(
            DeletionReason::parse("死亡").unwrap(),
            DeletionReason::Death
        );
    }
}
