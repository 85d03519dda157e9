//! TRF-1 … TRF-13: organisation relationship transfers (组织关系转接). A transfer moves a member
//! from their branch to another org in one transaction on approval; scope follows at once
//! because scope is the closure table of where the member's record now sits.
//!
//! The worked example of docs/conventions.md: the table is read and written only through
//! `tuanwu_store::transfer` (typed `Transfer` records, reads scoped), every step goes through
//! `crate::history::record`, and `rules` decides what an actor may do, for the use cases and
//! for the `actions` each view carries.

pub mod batch;
pub mod checks;
pub mod decide;
pub mod letter;
pub mod lookup;
pub mod moves;
pub mod read;
pub mod report;
pub mod rules;
pub mod start;
pub mod view;

pub use decide::{approve, cancel, external_report, reject, ApproveInput, ExternalReportInput};
pub use read::{for_member, get, list, todos, ListTransfersQuery};
pub use rules::TransferActions;
pub use start::{start, SpecialUnitInput, StartTransferInput};
pub use view::TransferView;
