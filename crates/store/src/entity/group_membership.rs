use sea_orm::entity::prelude::*;

/// GRP-1: one stay of a member in a group, from a date until an optional end date.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "group_memberships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub group_id: i64,
    pub branch_id: i64,
    pub member_id: i64,
    pub from_on: TimeDate,
    pub to_on: Option<TimeDate>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
