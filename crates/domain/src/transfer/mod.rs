//! TRF-1 … TRF-13: organisation relationship transfers (组织关系转接) — their reasons, states,
//! whose move it is, the prerequisites, and the letter numbering.

mod letter;
mod record;

use time::Date;

use crate::account::IdentityCheck;
use crate::age::age_on;
use crate::archive::LeagueIdentity;
use crate::org::labelled_enum;
use crate::{DomainError, YearMonth};

pub use letter::{Letter, NewLetter};
pub use record::{Decision, NewTransfer, Transfer, TransferStep};

labelled_enum!(
    /// TRF-3.
    TransferReason, "invalid_transfer_reason", "转接原因" {
        FurtherStudy => "further_study", "升学",
        SchoolChange => "school_change", "转学",
        Graduation => "graduation", "毕业",
        JobChange => "job_change", "工作调动/单位变更",
        ResidenceChange => "residence_change", "居住地变更",
        Military => "military", "参军入伍",
        Abroad => "abroad", "出国出境",
        Other => "other", "其他",
    }
);

labelled_enum!(
    TransferStatus, "invalid_transfer_status", "转接状态" {
        Pending => "pending", "待审批",
        AwaitingReport => "awaiting_report", "待报到（外部系统）",
        Completed => "completed", "已完成",
        Rejected => "rejected", "已驳回",
        Cancelled => "cancelled", "已撤销",
    }
);

/// The list filter for every active state at once (待审批 and 待报到), beside the states'
/// own keys.
pub const ANY_ACTIVE: &str = "active";

labelled_enum!(
    /// TRF-1: who started it.
    Initiator, "invalid_initiator", "发起方" {
        Member => "member", "团员本人",
        Source => "source", "转出方",
        Target => "target", "转入方",
    }
);

labelled_enum!(
    /// What kind of move it is, which decides who acts next.
    TransferKind, "invalid_transfer_kind", "转接类型" {
        Internal => "internal", "系统内转接",
        SpecialUnit => "special_unit", "转往特殊单位",
        External => "external", "转往北京/广东/福建",
    }
);

labelled_enum!(
    /// TRF-13: what happens to the paper archive.
    ArchiveDisposition, "invalid_archive_disposition", "档案处理方式" {
        Kept => "kept", "继续保存",
        WithPersonnelFile => "with_personnel_file", "随学籍（人事）档案转递",
        Mailed => "mailed", "邮寄转递",
        Carried => "carried", "本人自带",
        Other => "other", "其他",
    }
);

/// Whose move a pending transfer waits for (TRF-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingParty {
    /// The target org's admins approve or reject (TRF-4).
    Target,
    /// A target-started transfer (转入) is released by the source side.
    Source,
    /// TRF-6: the source's province-level admin.
    Province,
    /// TRF-9: an admin records the member's report in the external system.
    ExternalReport,
}

impl PendingParty {
    /// The stable code used in the API.
    pub fn key(self) -> &'static str {
        match self {
            PendingParty::Target => "target",
            PendingParty::Source => "source",
            PendingParty::Province => "province",
            PendingParty::ExternalReport => "external_report",
        }
    }

    pub fn of(kind: TransferKind, initiator: Initiator) -> PendingParty {
        match (kind, initiator) {
            (TransferKind::SpecialUnit, _) => PendingParty::Province,
            (TransferKind::External, _) => PendingParty::ExternalReport,
            (TransferKind::Internal, Initiator::Target) => PendingParty::Source,
            (TransferKind::Internal, _) => PendingParty::Target,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PendingParty::Target => "待转入组织审批",
            PendingParty::Source => "待转出组织审批",
            PendingParty::Province => "待省级团委审批",
            PendingParty::ExternalReport => "待团员在外部系统报到",
        }
    }
}

impl TransferKind {
    /// The state a new transfer starts in.
    pub fn first_status(self) -> TransferStatus {
        match self {
            TransferKind::External => TransferStatus::AwaitingReport,
            _ => TransferStatus::Pending,
        }
    }
}

fn not_open(status: TransferStatus) -> DomainError {
    DomainError::new(
        "transfer_not_pending",
        format!(
            "该转接{}，不能再处理：请刷新页面查看最新状态",
            status.label()
        ),
    )
    .rule("TRF-2")
}

impl TransferStatus {
    /// Still in progress: one of these per member at most (TRF-2).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            TransferStatus::Pending | TransferStatus::AwaitingReport
        )
    }

    pub fn approve(self) -> Result<TransferStatus, DomainError> {
        match self {
            TransferStatus::Pending => Ok(TransferStatus::Completed),
            other => Err(not_open(other)),
        }
    }

    pub fn reject(self, reason: &str) -> Result<(TransferStatus, String), DomainError> {
        if self != TransferStatus::Pending {
            return Err(not_open(self));
        }
        let reason = crate::text::required(reason, "reason", "驳回理由", 500)
            .map_err(|e| e.rule("TRF-4"))?;
        Ok((TransferStatus::Rejected, reason))
    }

    pub fn cancel(self) -> Result<TransferStatus, DomainError> {
        if self.is_active() {
            Ok(TransferStatus::Cancelled)
        } else {
            Err(not_open(self))
        }
    }

    /// TRF-9: the member reported to the external system.
    pub fn report(self) -> Result<TransferStatus, DomainError> {
        match self {
            TransferStatus::AwaitingReport => Ok(TransferStatus::Completed),
            other => Err(not_open(other)),
        }
    }
}

/// One missing prerequisite (TRF-7) with who can fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub what: &'static str,
    pub fix: &'static str,
}

/// TRF-7: identity verified (ACC-8), league identity certified (ARC-4), no correction pending.
pub fn missing_prerequisites(
    identity: IdentityCheck,
    league: LeagueIdentity,
    correction_pending: bool,
) -> Vec<Missing> {
    let mut out = Vec::new();
    if !identity.is_verified() {
        out.push(Missing {
            what: "身份未核验（姓名和身份证号须通过核验或线下核验）",
            fix: "请所在团支部或上级管理员核对身份证后在团员页面点击“线下核验通过”",
        });
    }
    if league == LeagueIdentity::Uncertified {
        out.push(Missing {
            what: "团员身份未认证（2020年及以后入团的须有审核通过的入团志愿书）",
            fix: "请所在团支部上传入团志愿书，并由上级团组织审核通过",
        });
    }
    if correction_pending {
        out.push(Missing {
            what: "有待审批的信息更正申请",
            fix: "请等待上级团组织审批该更正申请，或由提交人撤销",
        });
    }
    out
}

/// The refusal for a list of missing prerequisites: every item and who can fix it.
pub fn prerequisites_error(name: &str, missing: &[Missing]) -> Option<DomainError> {
    if missing.is_empty() {
        return None;
    }
    let items: Vec<String> = missing
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{}. {}——{}", i + 1, m.what, m.fix))
        .collect();
    Some(
        DomainError::new(
            "transfer_prerequisites",
            format!("“{name}”暂不能办理组织关系转接，还缺：{}", items.join("；")),
        )
        .rule("TRF-7"),
    )
}

/// TRF-9: the external systems refuse members who joined under 13 automatically.
pub fn joined_under_13(birth: Date, joined_on: YearMonth) -> bool {
    age_on(birth, joined_on.last_day()) < 13
}

/// Whole days a transfer has waited.
pub fn days_waiting(started: Date, today: Date) -> i64 {
    (today - started).whole_days().max(0)
}

/// TRF-13: "2026年0001号" — four digits, more when a committee issues more than 9999 in a year.
pub fn letter_number(year: i32, seq: i64) -> String {
    format!("{year}年{seq:04}号")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn who_moves_next_follows_the_kind_and_the_initiator() {
        assert_eq!(
            PendingParty::of(TransferKind::Internal, Initiator::Member),
            PendingParty::Target
        );
        assert_eq!(
            PendingParty::of(TransferKind::Internal, Initiator::Source),
            PendingParty::Target
        );
        assert_eq!(
            PendingParty::of(TransferKind::Internal, Initiator::Target),
            PendingParty::Source
        );
        assert_eq!(
            PendingParty::of(TransferKind::SpecialUnit, Initiator::Source),
            PendingParty::Province
        );
        assert_eq!(
            PendingParty::of(TransferKind::External, Initiator::Member),
            PendingParty::ExternalReport
        );
        assert_eq!(
            TransferKind::External.first_status(),
            TransferStatus::AwaitingReport
        );
    }

    #[test]
    fn no_state_is_skipped() {
        use TransferStatus::*;
        assert_eq!(Pending.approve().unwrap(), Completed);
        assert!(AwaitingReport.approve().is_err());
        assert_eq!(AwaitingReport.report().unwrap(), Completed);
        assert!(Pending.report().is_err());
        assert_eq!(AwaitingReport.cancel().unwrap(), Cancelled);
        for done in [Completed, Rejected, Cancelled] {
            assert!(done.approve().is_err());
            assert!(done.reject("x").is_err());
            assert!(done.cancel().is_err());
            assert!(done.report().is_err());
            assert!(!done.is_active());
        }
        assert_eq!(Pending.reject(" ").unwrap_err().field, Some("reason"));
        // The state's own word reads after 该转接 (no 「已已驳回」).
        assert!(Rejected
            .cancel()
            .unwrap_err()
            .message
            .starts_with("该转接已驳回，"));
    }

    #[test]
    fn prerequisites_list_everything_missing() {
        let all = missing_prerequisites(IdentityCheck::Pending, LeagueIdentity::Uncertified, true);
        assert_eq!(all.len(), 3);
        let e = prerequisites_error("张三", &all).unwrap();
        assert!(e.message.contains("1.") && e.message.contains("3."));
        assert!(missing_prerequisites(
            IdentityCheck::VerifiedOffline,
            LeagueIdentity::NotRequired,
            false
        )
        .is_empty());
        assert!(prerequisites_error("张三", &[]).is_none());
    }

    #[test]
    fn under_13_and_numbers() {
        assert!(joined_under_13(
            date!(2008 - 06 - 15),
            "2021-05".parse().unwrap()
        ));
        assert!(!joined_under_13(
            date!(2008 - 06 - 15),
            "2021-06".parse().unwrap()
        ));
        assert_eq!(letter_number(2026, 1), "2026年0001号");
        assert_eq!(letter_number(2026, 12345), "2026年12345号");
        assert_eq!(
            days_waiting(date!(2026 - 11 - 01), date!(2026 - 11 - 12)),
            11
        );
    }
}
