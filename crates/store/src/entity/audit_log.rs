use sea_orm::entity::prelude::*;

/// SYS-1: who (account, acting role and its org), when, what, before and after. `org_id` is the
/// org the change concerns; reads are scoped by it. Personal numbers appear only masked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: TimeDateTimeWithTimeZone,
    pub account_id: Option<i64>,
    pub actor_name: String,
    pub role: String,
    pub acting_org_id: Option<i64>,
    pub org_id: Option<i64>,
    pub province_id: Option<i64>,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    /// JSON text.
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
