use sea_orm::entity::prelude::*;

/// EVT-2: an event or training an org publishes to its subtree.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    pub starts_at: TimeDateTimeWithTimeZone,
    pub place: String,
    pub capacity: Option<i32>,
    pub taken: i32,
    pub signup_deadline: TimeDateTimeWithTimeZone,
    /// `Audience::key()`.
    pub audience: String,
    pub created_by: i64,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
