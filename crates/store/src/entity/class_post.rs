use sea_orm::entity::prelude::*;

/// EVT-1: a post of a class committee (班委), or the class advisor (班导师).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "class_posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub branch_id: i64,
    pub post: String,
    pub member_id: Option<i64>,
    pub person_name: String,
    pub advisor: bool,
    pub position: i32,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
