use sea_orm::entity::prelude::*;

/// DAT-1: one import and its report (problems as JSON, capped).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub org_id: i64,
    pub file_name: String,
    pub mode: String,
    pub total_rows: i64,
    pub added: i64,
    pub skipped: i64,
    pub error_rows: i64,
    pub written: bool,
    pub report: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
