//! Queries, one module per area. Every function that returns user data takes the subtree it may
//! look in; there is no unscoped list of members or audit entries.

use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::ColumnTrait;

use crate::entity::org_closure;

/// `col IN (SELECT descendant FROM org_closure WHERE ancestor = root)`.
pub fn in_subtree(col: impl ColumnTrait, root: i64) -> SimpleExpr {
    col.in_subquery(
        Query::select()
            .column(org_closure::Column::Descendant)
            .from(org_closure::Entity)
            .and_where(Expr::col(org_closure::Column::Ancestor).eq(root))
            .to_owned(),
    )
}

/// Page numbers start at 1; `per_page` is clamped to 1..=200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Page {
    pub page: u64,
    pub per_page: u64,
}

impl Page {
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(20).clamp(1, 200),
        }
    }

    pub fn offset(self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}
