use sea_orm::entity::prelude::*;

/// MTG-1: one held meeting of a branch.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    /// `assembly` | `committee` | `group` | `lecture` | `theme_day` | `org_life`.
    pub kind: String,
    pub started_at: TimeDateTimeWithTimeZone,
    pub place: String,
    pub topic: String,
    pub content: String,
    pub presenter: Option<String>,
    pub recorder: Option<String>,
    pub speaker: Option<String>,
    pub invitees: Option<String>,
    pub group_id: Option<i64>,
    pub created_by: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// MTG-2: soft delete.
    pub deleted_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
