use sea_orm::entity::prelude::*;

/// ARC-5: metadata of an uploaded file; the bytes live under the data directory by SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub original_name: String,
    pub account_id: i64,
    /// The uploader's acting org: downloads are allowed within its scope.
    pub org_id: i64,
    pub province_id: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
