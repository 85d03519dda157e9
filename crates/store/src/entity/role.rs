use sea_orm::entity::prelude::*;

/// A role held by an account: `member` (bound to the member's branch) or `admin` (bound to one
/// org; scope = its subtree).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub kind: String,
    pub org_id: i64,
    pub province_id: Option<i64>,
    /// ACC-4: a delegated grant's permissions (JSON array of keys); `None` for a full role.
    pub permissions: Option<String>,
    /// ACC-4: the account that made the grant.
    pub granted_by: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
