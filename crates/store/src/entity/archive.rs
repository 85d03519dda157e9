use sea_orm::entity::prelude::*;

/// ARC-1: one uploaded e-archive of a member. The approved one of a kind is in force until a
/// replacement is approved (ARC-3), which marks it `superseded`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "archives")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    /// `application_letter` | `admission_form`.
    pub kind: String,
    pub file_id: i64,
    /// `pending` | `approved` | `rejected` | `superseded`.
    pub status: String,
    /// The `archive_review` request deciding it (none when no review is needed).
    pub request_id: Option<i64>,
    pub uploaded_by: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
