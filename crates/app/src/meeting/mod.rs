//! MTG-1, MTG-2: a branch's 三会一课 records. Attendance is derived from the roster at the
//! meeting's date (`tuanwu_store::meeting::roster`), records are soft-deleted by the branch
//! admin and restored by the level above, and each org's quarterly targets (the nearest
//! ancestor's apply) say which branches are behind.
//!
//! Built on docs/conventions.md: the tables are reached only through `tuanwu_store::meeting`,
//! every change goes through `crate::history::record`, and `rules` decides what an actor may
//! do, for the use cases and for the `actions` each view carries.

pub mod compliance;
pub mod input;
pub mod read;
pub mod record;
pub mod remove;
pub mod report;
pub mod rules;
pub mod view;

pub use compliance::{
    compliance, set_targets, targets, todos, ComplianceQuery, ComplianceView, TargetsInput,
    TargetsView,
};
pub use input::{AbsenteeInput, MeetingInput, MeetingPatch};
pub use read::{get, list, roster_at, ListMeetingsQuery, RosterEntry};
pub use record::{create, edit};
pub use remove::{delete, restore};
pub use rules::{org_actions, MeetingActions, OrgInfo, OrgMeetingActions};
pub use view::MeetingView;
