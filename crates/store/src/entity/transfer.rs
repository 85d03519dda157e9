use sea_orm::entity::prelude::*;

/// TRF-1: one organisation relationship transfer of one member.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transfers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    /// `member_id` while active, else NULL; unique (TRF-2).
    pub active_member_id: Option<i64>,
    /// `internal` | `special_unit` | `external`.
    pub kind: String,
    /// `pending` | `awaiting_report` | `completed` | `rejected` | `cancelled`.
    pub status: String,
    /// `member` | `source` | `target`.
    pub initiator: String,
    pub initiator_account_id: Option<i64>,
    pub initiator_name: String,
    /// The member's branch when the transfer started.
    pub source_org_id: i64,
    pub target_org_id: Option<i64>,
    /// The branch the member was placed in on approval.
    pub assigned_branch_id: Option<i64>,
    pub external_system: Option<String>,
    /// TRF-6: 去向单位名称.
    pub special_destination: Option<String>,
    pub reason: String,
    pub note: Option<String>,
    pub decision_reason: Option<String>,
    /// TRF-4: the approver confirmed the archives were checked.
    pub archives_checked: bool,
    /// TRF-9: the proof of the member's report to the external system.
    pub proof_file_id: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub decided_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
