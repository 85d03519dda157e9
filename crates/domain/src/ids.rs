//! Typed identifiers: an `OrgId` can never be passed where a `MemberId` is meant.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($name:ident),+) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

id_type!(
    OrgId,
    MemberId,
    AccountId,
    RoleId,
    AuditId,
    TransferId,
    RequestId,
    FileId,
    LetterId,
    CadreId,
    FloatingId,
    ArchiveId,
    ExceptionId,
    GroupId,
    EventId,
    TermChangeId,
    MeetingId,
    CodeId
);
