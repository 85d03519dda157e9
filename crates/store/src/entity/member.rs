use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The branch (团支部) the member belongs to.
    pub org_id: i64,
    pub province_id: Option<i64>,
    pub name: String,
    /// AES-GCM ciphertext of the resident ID.
    pub resident_id_enc: Vec<u8>,
    /// Keyed HMAC of the resident ID: unique, and the only way to look a number up.
    pub resident_id_index: Vec<u8>,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: TimeDate,
    /// "YYYY-MM".
    pub joined_on: String,
    pub development_no: Option<String>,
    pub student_no: Option<String>,
    pub admission_major: Option<String>,
    pub actual_major: Option<String>,
    pub native_place: Option<String>,
    pub education: Option<String>,
    pub political_status: String,
    pub phone_enc: Option<Vec<u8>>,
    pub email: Option<String>,
    pub offline_managed: bool,
    pub offline_note: Option<String>,
    /// ACC-8: `pending` | `verified` | `verified_offline` | `failed`.
    pub identity_check: String,
    /// Why the check failed, or who confirmed it offline.
    pub identity_note: Option<String>,
    pub identity_checked_at: Option<TimeDateTimeWithTimeZone>,
    pub status: String,
    /// Moves on every write (issue 15 item 2): a stale edit is refused.
    pub version: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
