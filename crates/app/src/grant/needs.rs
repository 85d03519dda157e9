//! ACC-4: the one table of what each write asks of the acting admin role — which delegable
//! permission, or a full (appointed) role because it is never delegated. Use cases check it
//! with `require` before acting and views compute their `actions` with `allows`, so an action
//! and the button that offers it cannot disagree, and neither can two actions on one thing.

use tuanwu_domain::account::Permission;

use crate::{Actor, AppError};

/// What a write asks of the acting admin role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A full role, or a delegated one granted this permission.
    Granted(Permission),
    /// A full role only: organisation structure, admins, registration codes and grants are
    /// never delegated (ACC-4).
    FullRole,
}

/// A write an admin role makes, as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    CreateMember,
    UpdateMember,
    ImportMembers,
    /// Q29: setting a member's password outright.
    SetMemberPassword,
    /// ACC-6.
    IssueResetCode,
    SubmitRequest,
    DecideRequest,
    StartTransfer,
    DecideTransfer,
    IssueTransferLetter,
    /// GRD-2 … GRD-5: a graduate's case, destination, batch transfer; the school-admin steps.
    GraduationWork,
    /// GRD-1: marking graduates.
    MarkGraduates,
    UploadArchive,
    ConfirmIdentity,
    ExtendFloating,
    AddFloatingContact,
    ConfirmFloatingStep,
    AddCadre,
    EndCadre,
    RemoveCadre,
    /// GRP-1: groups and who is in them.
    ManageGroups,
    /// MTG-3: a term change, which rewrites the cadre list too.
    ChangeTerm,
    /// EVT-1: the class committee.
    EditClassCommittee,
    /// EVT-2: publishing an event and recording attendance.
    PublishEvent,
    RecordAttendance,
    ManageOrgs,
    AppointAdmins,
    IssueRegistrationCode,
    Grant,
    RevokeGrant,
    /// MTG-1, MTG-2: recording, editing and deleting a branch's meeting records.
    RecordMeeting,
    /// MTG-2: restoring a deleted record (the level above).
    RestoreMeeting,
    /// MTG-1: the quarterly targets an org sets for its subtree.
    SetMeetingTargets,
}

use Need::{FullRole, Granted};
use Permission::*;

/// The table. Setting a password outright gives as much access as a reset code does (more:
/// no code to hand over), so it needs at least the reset-code permission; a write missing
/// from the table needs a full role.
pub const NEEDS: &[(Write, Need)] = &[
    (Write::CreateMember, Granted(Members)),
    (Write::UpdateMember, Granted(Members)),
    (Write::ImportMembers, Granted(Members)),
    (Write::SetMemberPassword, Granted(ResetCodes)),
    (Write::IssueResetCode, Granted(ResetCodes)),
    (Write::SubmitRequest, Granted(Requests)),
    (Write::DecideRequest, Granted(Requests)),
    (Write::StartTransfer, Granted(Members)),
    (Write::DecideTransfer, Granted(Requests)),
    (Write::IssueTransferLetter, Granted(Members)),
    (Write::GraduationWork, Granted(Members)),
    (Write::MarkGraduates, FullRole),
    (Write::UploadArchive, Granted(Archives)),
    (Write::ConfirmIdentity, Granted(Identity)),
    (Write::ExtendFloating, Granted(Members)),
    (Write::AddFloatingContact, Granted(Members)),
    (Write::ConfirmFloatingStep, FullRole),
    (Write::AddCadre, Granted(Cadres)),
    (Write::EndCadre, Granted(Cadres)),
    (Write::RemoveCadre, Granted(Cadres)),
    (Write::ManageGroups, Granted(Members)),
    (Write::ChangeTerm, Granted(Cadres)),
    (Write::EditClassCommittee, Granted(Cadres)),
    (Write::PublishEvent, Granted(Members)),
    (Write::RecordAttendance, Granted(Members)),
    (Write::ManageOrgs, FullRole),
    (Write::AppointAdmins, FullRole),
    (Write::IssueRegistrationCode, FullRole),
    (Write::Grant, FullRole),
    (Write::RevokeGrant, FullRole),
    (Write::RecordMeeting, FullRole),
    (Write::RestoreMeeting, FullRole),
    (Write::SetMeetingTargets, FullRole),
];

impl Write {
    /// What the write needs, from `NEEDS` (a full role when it is not listed).
    pub fn need(self) -> Need {
        NEEDS
            .iter()
            .find(|(w, _)| *w == self)
            .map_or(FullRole, |(_, n)| *n)
    }
}

/// Refuses (403) an actor whose active role does not meet what the write needs; members acting
/// as members are refused too.
pub fn require(actor: &Actor, write: Write) -> Result<(), AppError> {
    match write.need() {
        Granted(p) => actor.require(p),
        FullRole => actor.require_full(),
    }
}

/// Whether `require` would let the actor make the write (for a view's `actions`).
pub fn allows(actor: &Actor, write: Write) -> bool {
    require(actor, write).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_write_is_listed_once_and_every_permission_is_needed() {
        for (i, (w, _)) in NEEDS.iter().enumerate() {
            assert!(
                NEEDS[i + 1..].iter().all(|(o, _)| o != w),
                "{w:?} listed twice"
            );
        }
        for p in Permission::ALL {
            assert!(
                NEEDS.iter().any(|(_, n)| *n == Granted(*p)),
                "{p:?} is granted but no write needs it"
            );
        }
        assert_eq!(
            Write::SetMemberPassword.need(),
            Write::IssueResetCode.need()
        );
    }
}
