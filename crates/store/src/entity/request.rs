use sea_orm::entity::prelude::*;

/// SYS-3: a request to a higher level.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub member_id: Option<i64>,
    /// The org the request concerns (the member's branch): requester-side visibility.
    pub org_id: i64,
    pub province_id: Option<i64>,
    pub requester_account_id: Option<i64>,
    pub requester_org_id: i64,
    /// The org whose admins decide (or any admin above it).
    pub decider_org_id: i64,
    /// AES-GCM ciphertext of the proposed change (it may hold a resident ID).
    pub changes_enc: Vec<u8>,
    /// The change as lists show it, personal numbers masked (JSON).
    pub summary: String,
    pub reason: String,
    pub decision_reason: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub decided_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
