//! MTG-3, EVT-1: a branch's committee (支委会) with its posts, holders and term; the term change
//! (换届) that replaces it and the cadre list with it; the branches whose 换届 is overdue; and the
//! class committee (班委, 班导师).
//!
//! The tables are read and written only through `tuanwu_store::committee`; the cadre list
//! through `tuanwu_store::cadre`; members and the branch through `crate::roster`.

pub mod class;
pub mod read;
pub mod rules;
pub mod term;

pub use class::{class_committee, set_class_committee, ClassCommitteeInput, ClassCommitteeView};
pub use read::{committee, overdue, term_picks, CommitteeView, TermPicks, TermView};
pub use rules::CommitteeActions;
pub use term::{change_term, ElectedPost, TermChangeInput, TermChangeView};
