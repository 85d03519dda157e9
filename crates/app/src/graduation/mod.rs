//! GRD-1 … GRD-7: graduation markings of school branches (and their change requests), delayed
//! graduates and teachers, graduate destinations, the graduate list, 学社衔接 special cases and
//! the continuity rate. Every statement is in `tuanwu_store::graduation`; who may do what is
//! in `rules.rs`, and the views carry the same answers as `actions`.

pub mod batch;
pub mod case;
pub mod change;
pub mod continuity;
pub mod destination;
pub mod exception;
pub mod graduates;
pub mod list;
pub mod mark;
pub mod rules;

pub use case::{set_case, CaseInput, CaseView};
pub use destination::{get_destination, set_destination, DestinationInput, DestinationView};
pub use exception::{
    delayed_list, mark_delayed, mark_delayed_batch, revoke_delayed, DelayedBatchInput,
    DelayedInput, DelayedListQuery, DelayedResults, ExceptionView,
};
pub use graduates::{graduates, GraduateView, GraduatesQuery};
pub use list::{
    branch_choices, branches, mark_matching, BranchChoices, BranchesQuery, CollegeChoice,
};
pub use mark::{
    mark_batch, mark_one, marking_actions, BranchMarkView, MarkBatchInput, MarkInput, MarkResults,
};
pub use rules::{BranchActions, ContinuityActions, GraduateActions, MarkingActions};

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::graduation::GraduationMark;
use tuanwu_domain::member::Member;
use tuanwu_domain::MemberId;
use tuanwu_store::graduation::graduates as store;
use utoipa::ToSchema;

use crate::{Actor, AppError, Scope};

/// A branch of a school category (GRD-1): the orgs that carry a graduation marking.
pub(crate) fn is_school_branch(o: &tuanwu_domain::org::Org) -> bool {
    o.is_school_branch()
}

/// The stored marking; `None` = 未标记 (the store refused a marking it does not know).
pub(crate) fn mark_of(o: &tuanwu_domain::org::Org) -> Result<Option<GraduationMark>, AppError> {
    Ok(o.graduation)
}

/// 未标记, 2026年6月毕业 or 混合支部.
pub(crate) fn mark_label(mark: Option<GraduationMark>) -> String {
    mark.map(GraduationMark::label)
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

/// An active member the actor may act on as an admin (404 otherwise), in the caller's
/// transaction.
pub(crate) async fn member_for_admin<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: MemberId,
) -> Result<Member, AppError> {
    let m = store::active_member(c, id)
        .await?
        .ok_or(AppError::NotFound)?;
    actor.ensure_in_scope(c, m.org_id).await?;
    Ok(m)
}

/// An active member the actor may see: an admin in scope or the member themself.
pub(crate) async fn member_for_reader<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: MemberId,
) -> Result<Member, AppError> {
    match actor.scope() {
        Scope::OwnRecord { member, .. } if member == id => {
            store::active_member(c, id).await?.ok_or(AppError::NotFound)
        }
        Scope::OwnRecord { .. } => Err(AppError::NotFound),
        Scope::Subtree(_) => member_for_admin(c, actor, id).await,
    }
}
