//! GRP-1: a branch's groups (团小组). Add, remove or move one member at a time; a member is in
//! at most one group of their branch; every stay is kept with its dates, and members who leave
//! the branch leave its groups (`leave_branch`, called where a member leaves).
//!
//! The tables are read and written only through `tuanwu_store::group`; members and the branch
//! through `crate::roster`; `rules` decides what a viewer may do for the use cases and views.

pub mod members;
pub mod read;
pub mod rules;
pub mod view;
pub mod write;

pub use members::{
    add_member, leave_branch, move_member, remove_member, AddMemberInput, MoveInput,
};
pub use read::{get, of_branch};
pub use rules::{GroupActions, GroupsHere};
pub use view::{GroupSummary, GroupView, GroupsView};
pub use write::{create, delete, update, CreateGroupInput, UpdateGroupInput};
