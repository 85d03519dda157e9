//! Graduation records as they are stored, typed from the database up: the store maps their
//! columns to these enums and refuses a value it does not know.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::{Destination, ExceptionKind, TransferFact};
use crate::org::ExternalSystem;
use crate::request::RequestStatus;
use crate::transfer::{TransferKind, TransferStatus};
use crate::{AccountId, ExceptionId, MemberId, OrgId, RequestId, TransferId, YearMonth};

/// GRD-3: a member marked as delayed graduate or teacher; a revoked one is kept for history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub id: ExceptionId,
    pub member: MemberId,
    pub kind: ExceptionKind,
    /// Strictly later than the branch's marking.
    pub expected: YearMonth,
    pub reason: String,
    pub created_by: AccountId,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
    pub revoked_by: Option<AccountId>,
}

impl Exception {
    /// GRD-4: only an unrevoked marking keeps the member out of the figures.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// A new marking, checked by the use case (GRD-3) before the store writes it.
#[derive(Debug, Clone)]
pub struct NewException {
    pub member: MemberId,
    pub kind: ExceptionKind,
    pub expected: YearMonth,
    pub reason: String,
    pub created_by: AccountId,
    pub created_at: OffsetDateTime,
}

/// GRD-5: a graduate's recorded destination (毕业去向).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestinationRecord {
    pub member: MemberId,
    pub destination: Destination,
    /// Required with 其他.
    pub note: Option<String>,
    pub updated_by: AccountId,
    pub updated_at: OffsetDateTime,
}

/// GRD-7: one graduate's 学社衔接 special case (a row of the 学社衔接转出特殊情况记录).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContinuityCase {
    pub member: MemberId,
    pub target_province: Option<String>,
    pub target_city: Option<String>,
    pub target_org_name: Option<String>,
    /// 是否发起.
    pub initiated: bool,
    /// 未接受原因.
    pub refusal_reason: Option<String>,
    pub remarks: Option<String>,
    pub updated_by: AccountId,
    pub updated_at: OffsetDateTime,
}

/// GRD-2: a `graduation_change` request as the 修改团支部毕业时间汇总表 reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRequest {
    pub id: RequestId,
    pub org: OrgId,
    pub status: RequestStatus,
    /// The JSON summary written when it was submitted (branch name, old and new marking).
    pub summary: String,
    pub created_at: OffsetDateTime,
}

/// GRD-6: a marked school branch of the year in a cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortBranch {
    pub name: String,
    pub graduation: YearMonth,
    /// The direct child of the asked org that holds it (`None`: the org is the branch itself).
    pub child: Option<OrgId>,
}

/// The transfer a graduate's state comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CohortTransfer {
    pub id: TransferId,
    /// Only read when the trend needs it.
    pub completed_at: Option<OffsetDateTime>,
}

/// One graduate of a cohort with the facts the formula reads (`classify`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortGraduate {
    pub member: MemberId,
    pub branch: OrgId,
    pub excepted: bool,
    pub destination: Option<Destination>,
    pub fact: TransferFact,
    pub transfer: Option<CohortTransfer>,
    /// Only loaded for lists.
    pub name: String,
    pub student_no: Option<String>,
}

/// GRD-6: the cohort of a graduation year under an org.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cohort {
    pub branches: HashMap<OrgId, CohortBranch>,
    pub graduates: Vec<CohortGraduate>,
}

/// Where a listed graduate's transfer goes, as the list behind a figure shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferBrief {
    pub id: TransferId,
    pub status: TransferStatus,
    pub kind: TransferKind,
    /// The branch it was placed in, else its target org.
    pub org: Option<OrgId>,
    pub special_destination: Option<String>,
    pub external_system: Option<ExternalSystem>,
}
