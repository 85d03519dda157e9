use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orgs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub category: String,
    pub branch_type: Option<String>,
    pub college_id: Option<i64>,
    pub contact_person: Option<String>,
    /// AES-GCM ciphertext: phones are personal data (SYS-5).
    pub contact_phone_enc: Option<Vec<u8>>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub external_system: Option<String>,
    /// GRD-1: a branch's graduation marking, "YYYY-MM" or "mixed"; `None` = 未标记.
    pub graduation: Option<String>,
    /// The level-2 ancestor (or self at level 2); `None` only for the top org.
    pub province_id: Option<i64>,
    pub depth: i32,
    /// Full names from the top, joined by " / " (ORG-5 shows it with every result).
    pub path: String,
    pub deleted_at: Option<TimeDateTimeWithTimeZone>,
    pub deleted_reason: Option<String>,
    /// Moved by every write (issue 15): a save made from an older reading is refused.
    pub version: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
