//! Who may do what to a branch's committee and class committee; the views carry the answers.

use serde::Serialize;
use time::Date;
use tuanwu_domain::committee::{is_student_branch, next_due};
use tuanwu_domain::org::BranchType;
use utoipa::ToSchema;

use crate::grant::needs::{self, Write};
use crate::{Actor, Policy};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct CommitteeActions {
    /// Record a term change (delegated admins need `cadres`: it rewrites the cadre list).
    pub term_change: bool,
    /// Edit the class committee.
    pub edit_class_committee: bool,
}

impl CommitteeActions {
    pub(crate) fn of(actor: &Actor) -> CommitteeActions {
        CommitteeActions {
            term_change: needs::allows(actor, Write::ChangeTerm),
            edit_class_committee: needs::allows(actor, Write::EditClassCommittee),
        }
    }
}

/// The term length of a branch, from the policy (MTG-3).
pub(crate) fn term_years(policy: &Policy, in_school: bool, t: Option<BranchType>) -> u8 {
    if is_student_branch(in_school, t) {
        policy.term_years_student
    } else {
        policy.term_years_other
    }
}

/// When the next 换届 is due and whether it is overdue today (a branch with no term on record
/// is overdue: it has never recorded one).
pub(crate) fn due(term_start: Option<Date>, years: u8, today: Date) -> (Option<Date>, bool) {
    match term_start {
        Some(s) => {
            let d = next_due(s, years);
            (Some(d), d < today)
        }
        None => (None, true),
    }
}
