use sea_orm::entity::prelude::*;

/// MTG-3: a 换届, linked to the 支委会 that prepared it and the 支部大会 that elected.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "term_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub branch_id: i64,
    pub committee_meeting_id: i64,
    pub assembly_id: i64,
    pub held_on: TimeDate,
    pub created_by: i64,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
