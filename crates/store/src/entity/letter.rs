use sea_orm::entity::prelude::*;

/// TRF-13: a 团员组织关系介绍信, numbered per issuing committee per year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "letters")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The issuing basic committee.
    pub org_id: i64,
    pub year: i32,
    pub seq: i64,
    /// "2026年0001号".
    pub number: String,
    pub transfer_id: Option<i64>,
    pub member_id: i64,
    /// AES-GCM ciphertext of the letter's fields (JSON): it holds the resident ID.
    pub fields: Vec<u8>,
    pub issued_by: i64,
    pub issued_at: TimeDateTimeWithTimeZone,
    pub valid_until: TimeDate,
    pub receipt_at: Option<TimeDateTimeWithTimeZone>,
    pub receipt_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
