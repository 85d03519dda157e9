//! GRD-1 … GRD-7: every SQL statement of the graduation area — branch markings and their change
//! requests, delayed graduates and teachers, destinations, special cases, the graduate list and
//! the cohort behind the 学社衔接率. Functions take the caller's connection (so they run in its
//! transaction) and return the domain's records; a stored value the domain does not know is an
//! error, never a default.

pub mod continuity;
pub mod destination;
pub mod exception;
pub mod graduates;
pub mod mark;

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, DbErr};
use tuanwu_domain::org::{UnitCategory, UNIT_CATEGORIES};
use tuanwu_domain::{DomainError, OrgId};

use crate::queries::in_subtree;
use crate::scope::Scope;

/// The stored state of an active member. Members get their own typed states when their area
/// moves to the store; until then graduation's queries name it here, once.
pub(crate) const ACTIVE_MEMBER: &str = "active";

/// A stored value the domain does not know: the row is refused, not guessed.
pub(crate) fn unknown(column: &str, e: DomainError) -> DbErr {
    DbErr::Type(format!("{column}: {}", e.message))
}

/// Rows whose `col` lies under `root` and inside the scope: the subtree of `root`, cut to the
/// admin's own subtree when that is another one; a member acting as member reaches no list.
pub(crate) fn within<C: ColumnTrait + Copy>(col: C, scope: Scope, root: OrgId) -> SimpleExpr {
    let below = in_subtree(col, root.0);
    match scope {
        Scope::Subtree(own) if own == root => below,
        Scope::Subtree(own) => below.and(in_subtree(col, own.0)),
        Scope::OwnRecord { .. } => below.and(Expr::val(1).eq(0)),
    }
}

/// The school categories (ORG-2): the branches that carry a graduation marking (GRD-1).
pub fn school_categories() -> Vec<&'static str> {
    UNIT_CATEGORIES
        .iter()
        .copied()
        .filter(|c| UnitCategory::parse(c).is_ok_and(UnitCategory::is_school))
        .collect()
}
