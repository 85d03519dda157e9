use sea_orm::entity::prelude::*;

/// One step of a transfer's history (who did what, when).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transfer_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub transfer_id: i64,
    pub at: TimeDateTimeWithTimeZone,
    pub account_id: Option<i64>,
    pub actor_name: String,
    /// `start` | `approve` | `reject` | `cancel` | `report`.
    pub action: String,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
