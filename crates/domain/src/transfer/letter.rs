//! TRF-13: a 团员组织关系介绍信 as it is stored. What the three parts print is fixed at issue and
//! kept encrypted (it holds the resident ID); the use case holds the key.

use time::{Date, OffsetDateTime};

use crate::{AccountId, LetterId, MemberId, OrgId, TransferId};

/// One issued letter, numbered per issuing committee per year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub id: LetterId,
    /// The issuing basic committee.
    pub org: OrgId,
    pub year: i32,
    pub seq: i64,
    /// "2026年0001号".
    pub number: String,
    pub transfer: Option<TransferId>,
    pub member: MemberId,
    /// AES-GCM ciphertext of the printed fields (JSON).
    pub fields_enc: Vec<u8>,
    pub issued_by: AccountId,
    pub issued_at: OffsetDateTime,
    /// 90 days from issue.
    pub valid_until: Date,
    pub receipt_at: Option<OffsetDateTime>,
    pub receipt_note: Option<String>,
}

/// A letter the use case checked and numbered (`number` is `letter_number(year, seq)`).
#[derive(Debug, Clone)]
pub struct NewLetter {
    pub org: OrgId,
    pub year: i32,
    pub seq: i64,
    pub number: String,
    pub transfer: Option<TransferId>,
    pub member: MemberId,
    pub fields_enc: Vec<u8>,
    pub issued_by: AccountId,
    pub issued_at: OffsetDateTime,
    pub valid_until: Date,
}
