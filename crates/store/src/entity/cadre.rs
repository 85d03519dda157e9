use sea_orm::entity::prelude::*;

/// ACC-10: a member holding a post in an org, from a start date until an optional end date.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cadres")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub member_id: i64,
    pub post: String,
    pub started_on: TimeDate,
    pub ended_on: Option<TimeDate>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
