use sea_orm::entity::prelude::*;

/// One step of a meeting record's history (who recorded, edited, deleted or restored it).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub at: TimeDateTimeWithTimeZone,
    pub account_id: Option<i64>,
    pub actor_name: String,
    /// `record` | `edit` | `delete` | `restore`.
    pub action: String,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
