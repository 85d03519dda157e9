use sea_orm::entity::prelude::*;

/// One step of a request's history: submitted, approved, rejected, cancelled.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "request_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    pub at: TimeDateTimeWithTimeZone,
    pub account_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
