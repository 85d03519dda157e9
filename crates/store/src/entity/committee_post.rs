use sea_orm::entity::prelude::*;

/// MTG-3: a post of a branch committee (支委会) and its holder for one term.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "committee_posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub branch_id: i64,
    /// `CommitteePost::key()`.
    pub post: String,
    pub member_id: i64,
    pub term_change_id: Option<i64>,
    pub started_on: TimeDate,
    pub ended_on: Option<TimeDate>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
