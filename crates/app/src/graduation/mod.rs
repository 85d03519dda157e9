//! GRD-1 … GRD-7: graduation markings of school branches (and their change requests), delayed
//! graduates and teachers, graduate destinations, the graduate list, 学社衔接 special cases and
//! the continuity rate.

pub mod batch;
pub mod case;
pub mod change;
pub mod continuity;
pub mod destination;
pub mod exception;
pub mod graduates;
pub mod mark;

pub use case::{set_case, CaseInput, CaseView};
pub use destination::{get_destination, set_destination, DestinationInput, DestinationView};
pub use exception::{
    delayed_list, mark_delayed, mark_delayed_batch, revoke_delayed, DelayedBatchInput,
    DelayedInput, DelayedListQuery, DelayedResults, ExceptionView,
};
pub use graduates::{graduates, GraduateView, GraduatesQuery};
pub use mark::{
    branches, mark_batch, mark_one, BranchMarkView, BranchesQuery, MarkBatchInput, MarkInput,
    MarkResults,
};

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::graduation::GraduationMark;
use tuanwu_domain::org::{OrgKind, UnitCategory};
use tuanwu_domain::MemberId;
use tuanwu_store::entity::{member, org};
use tuanwu_store::queries;
use utoipa::ToSchema;

use crate::{Actor, AppError, Scope};

/// A branch of a school category (GRD-1): the orgs that carry a graduation marking.
pub(crate) fn is_school_branch(o: &org::Model) -> bool {
    o.kind == OrgKind::Branch.key()
        && o.deleted_at.is_none()
        && UnitCategory::parse(&o.category).is_ok_and(UnitCategory::is_school)
}

/// The stored marking; `None` = 未标记.
pub(crate) fn mark_of(o: &org::Model) -> Option<GraduationMark> {
    o.graduation
        .as_deref()
        .and_then(|g| GraduationMark::parse(g).ok())
}

/// 未标记, 2026年6月毕业 or 混合支部.
pub(crate) fn mark_label(o: &org::Model) -> String {
    mark_of(o)
        .map(GraduationMark::label)
        .unwrap_or_else(|| "未标记".into())
}

/// One entry a batch could not do, with why (the batch itself goes on).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Skipped {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<i64>,
    pub reason: String,
}

/// What an out-of-scope or missing id says in a batch: the same words for both.
pub(crate) const NOT_FOUND_REASON: &str = "不存在或无权访问：请确认它在您的管理范围内";

/// Admins of the school domain (a school, its colleges and branches), whose own org is of a
/// school category: GRD-3 lets any of them mark delayed graduates in their scope.
pub(crate) async fn require_school_admin<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
) -> Result<(), AppError> {
    actor.require(tuanwu_domain::account::Permission::Members)?;
    let own = queries::org::find(c, actor.org_id().0)
        .await?
        .ok_or(AppError::NotFound)?;
    if !UnitCategory::parse(&own.category).is_ok_and(UnitCategory::is_school) {
        return Err(AppError::forbidden(
            "延迟毕业团员和教师只能由学校领域的团组织管理员标记（GRD-3）：请联系该团员所在学校、学院或团支部的管理员",
        ));
    }
    Ok(())
}

/// An active member the actor may act on as an admin (404 otherwise), in the caller's
/// transaction.
pub(crate) async fn member_for_admin<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: i64,
) -> Result<member::Model, AppError> {
    let m = queries::member::find(c, id)
        .await?
        .filter(|m| m.status == "active")
        .ok_or(AppError::NotFound)?;
    actor
        .ensure_in_scope(c, tuanwu_domain::OrgId(m.org_id))
        .await?;
    Ok(m)
}

/// An active member the actor may see: an admin in scope or the member themself.
pub(crate) async fn member_for_reader<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: MemberId,
) -> Result<member::Model, AppError> {
    match actor.scope() {
        Scope::OwnRecord { member, .. } if member == id => queries::member::find(c, id.0)
            .await?
            .filter(|m| m.status == "active")
            .ok_or(AppError::NotFound),
        Scope::OwnRecord { .. } => Err(AppError::NotFound),
        Scope::Subtree(_) => member_for_admin(c, actor, id.0).await,
    }
}
