//! A floating record as it is stored, typed from the database up: the store maps its columns to
//! these enums and refuses a value it does not know.

use time::{Date, OffsetDateTime};

use super::{due_step, DeadlineState, FloatingStatus, Step};
use crate::graduation::Destination;
use crate::{AccountId, FloatingId, MemberId, OrgId, TransferId};

/// FLT-1: one member's stay in a floating branch, from the transfer that brought them there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloatingRecord {
    pub id: FloatingId,
    pub member: MemberId,
    /// The transfer into the floating branch (FLT-2).
    pub transfer: TransferId,
    /// The floating branch.
    pub branch: OrgId,
    pub status: FloatingStatus,
    pub destination: Destination,
    /// Which floating case it is (没有升学、二战考研…).
    pub reason: String,
    /// The personal parts (contacts, FLT-5 application), encrypted: only the app holds the key.
    pub details_enc: Vec<u8>,
    pub remarks: Option<String>,
    /// FLT-3: set when the transfer is approved.
    pub entered_on: Option<Date>,
    pub deadline: Option<Date>,
    pub extended: bool,
    pub extension_reason: Option<String>,
    pub last_contact_on: Option<Date>,
    pub suspended_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub created_at: OffsetDateTime,
}

impl FloatingRecord {
    /// FLT-4: the step the system proposes today, if any.
    pub fn due_step(&self, today: Date) -> Option<Step> {
        self.entered_on.and_then(|e| {
            due_step(
                self.status,
                e,
                self.last_contact_on,
                self.suspended_on,
                today,
            )
        })
    }

    /// FLT-3: where the deadline stands, while the stay runs (not once suspended).
    pub fn deadline_state(&self, today: Date) -> Option<DeadlineState> {
        self.deadline
            .filter(|_| self.status == FloatingStatus::Active)
            .map(|d| DeadlineState::of(d, today))
    }
}

/// A floating record written when a transfer into a floating branch starts (FLT-2).
#[derive(Debug, Clone)]
pub struct NewFloating {
    pub member: MemberId,
    pub transfer: TransferId,
    pub branch: OrgId,
    pub destination: Destination,
    pub reason: String,
    pub details_enc: Vec<u8>,
    pub remarks: Option<String>,
    pub created_at: OffsetDateTime,
}

/// FLT-4: one contact with the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub contacted_on: Date,
    pub note: String,
}

/// A contact an admin logs.
#[derive(Debug, Clone)]
pub struct NewContact {
    pub record: FloatingId,
    pub contacted_on: Date,
    pub note: String,
    pub recorded_by: AccountId,
    pub created_at: OffsetDateTime,
}
