use sea_orm::entity::prelude::*;

/// GRD-7: a 学社衔接 special case of one graduate (the 学社衔接转出特殊情况记录 row).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "continuity_cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: i64,
    pub target_province: Option<String>,
    pub target_city: Option<String>,
    pub target_org_name: Option<String>,
    /// Whether a transfer was started (是否发起).
    pub initiated: bool,
    /// 未接受原因.
    pub refusal_reason: Option<String>,
    pub remarks: Option<String>,
    pub updated_by: i64,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
