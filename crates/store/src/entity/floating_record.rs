use sea_orm::entity::prelude::*;

/// FLT-2 / FLT-3: one stay of a graduate in a floating branch, from the transfer that brings
/// them in to the day they leave (or are suspended or removed, FLT-4).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "floating_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub transfer_id: i64,
    /// The floating branch.
    pub branch_id: i64,
    /// `pending` | `active` | `suspended` | `removed` | `left` | `cancelled`.
    pub status: String,
    /// `preparing_study` | `preparing_job` | `other`.
    pub destination: String,
    pub reason: String,
    /// AES-GCM ciphertext of the contact details and the FLT-5 application (JSON).
    pub details_enc: Vec<u8>,
    pub remarks: Option<String>,
    pub entered_on: Option<TimeDate>,
    pub deadline: Option<TimeDate>,
    pub extended: bool,
    pub extension_reason: Option<String>,
    pub last_contact_on: Option<TimeDate>,
    pub suspended_on: Option<TimeDate>,
    pub closed_on: Option<TimeDate>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
