use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Admin-only accounts log in by name; members by resident ID or student number.
    pub login_name: Option<String>,
    pub display_name: String,
    /// argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    pub member_id: Option<i64>,
    pub must_change_password: bool,
    pub created_at: TimeDateTimeWithTimeZone,
    /// ACC-5: the keyed hash of an admin-only account's resident ID (members' live on `members`).
    pub resident_id_index: Option<Vec<u8>>,
    /// AES-GCM ciphertext of an admin-only account's phone.
    pub phone_enc: Option<Vec<u8>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
