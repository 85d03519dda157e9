use sea_orm::entity::prelude::*;

/// GRD-3: a member marked as delayed graduate or teacher; revoked ones are kept for history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "graduation_exceptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    /// `delayed` | `teacher`.
    pub kind: String,
    /// Expected graduation, "YYYY-MM": strictly later than the branch's.
    pub expected: String,
    pub reason: String,
    pub created_by: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub revoked_at: Option<TimeDateTimeWithTimeZone>,
    pub revoked_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
