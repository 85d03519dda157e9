use sea_orm::entity::prelude::*;

/// A one-time code (ACC-5 registration, ACC-6 password reset). Only its keyed hash is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `registration` | `reset`.
    pub purpose: String,
    pub code_hash: Vec<u8>,
    /// Registration: the org the code admits an admin to. Reset: the person's org (for scope).
    pub org_id: i64,
    /// Reset: the account whose password the code resets.
    pub account_id: Option<i64>,
    pub issued_by: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub expires_at: TimeDateTimeWithTimeZone,
    pub used_at: Option<TimeDateTimeWithTimeZone>,
    /// Set when a newer code for the same person replaced this one.
    pub revoked_at: Option<TimeDateTimeWithTimeZone>,
    /// Issued from a page: the code (AES-GCM ciphertext) waiting for its one showing, cleared
    /// when shown (issue 15 item 3).
    pub display_enc: Option<Vec<u8>>,
    /// The session (its token's hash) that issued the code and alone may see it.
    pub display_session: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
