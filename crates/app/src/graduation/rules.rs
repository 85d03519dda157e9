//! Who may do what in graduation, decided once: the use cases call these before acting, and the
//! views carry the same answers as `actions`, so pages and clients only show them.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::account::Permission;
use tuanwu_domain::graduation::{ContinuityState, Exception, GraduationMark};
use tuanwu_domain::member::Member;
use tuanwu_domain::{DomainError, YearMonth};
use utoipa::ToSchema;

use super::{is_school_branch, mark_of};
use crate::{Actor, AppError, Scope};

/// A refusal means "not offered"; a failure to find out is still an error.
fn allowed(r: Result<(), AppError>) -> Result<bool, AppError> {
    match r {
        Ok(()) => Ok(true),
        Err(
            AppError::Forbidden(_)
            | AppError::NotFound
            | AppError::Domain(_)
            | AppError::Conflict { .. }
            | AppError::Unauthorized { .. },
        ) => Ok(false),
        Err(e) => Err(e),
    }
}

/// GRD-1: full admins above branch level mark and change; branch admins never do.
pub(crate) async fn check_marker<C: ConnectionTrait>(c: &C, actor: &Actor) -> Result<(), AppError> {
    actor.require_full()?;
    let own = tuanwu_store::org::get(c, actor.org_id())
        .await?
        .ok_or(AppError::NotFound)?;
    if own.is_branch() {
        return Err(AppError::forbidden(
            "团支部管理员不能标记或修改团支部毕业时间（由团支部以上的团组织管理员标记）：请联系学院或学校团委的管理员办理",
        ));
    }
    Ok(())
}

/// Admins of the school domain (a school, its colleges and branches), whose own org is of a
/// school category: GRD-3 lets any of them mark delayed graduates in their scope.
pub(crate) async fn require_school_admin<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
) -> Result<(), AppError> {
    actor.require(Permission::Members)?;
    let own = tuanwu_store::org::get(c, actor.org_id())
        .await?
        .ok_or(AppError::NotFound)?;
    if !own.category.is_school() {
        return Err(AppError::forbidden(
            "延迟毕业团员和教师只能由学校领域的团组织管理员标记：请联系该团员所在学校、学院或团支部的管理员",
        ));
    }
    Ok(())
}

fn delayed_error(code: &'static str, message: String) -> AppError {
    DomainError::new(code, message)
        .rule("GRD-3")
        .field("member_id")
        .into()
}

/// GRD-3: the graduation month of the member's branch, which a delayed graduate's expected
/// graduation must be later than; refused for a branch that is not a school's or has no month.
pub(crate) fn branch_month(
    m: &Member,
    branch: &tuanwu_domain::org::Org,
) -> Result<YearMonth, AppError> {
    if !is_school_branch(branch) {
        return Err(delayed_error(
            "not_school_branch",
            format!(
                "“{}”所在的“{}”不是学校领域的团支部：只有学校团支部的团员才能标记为延迟毕业或教师",
                m.name, branch.name
            ),
        ));
    }
    match mark_of(branch)? {
        Some(GraduationMark::On(ym)) => Ok(ym),
        Some(GraduationMark::Mixed) => Err(delayed_error(
            "branch_mixed",
            format!(
                "“{}”是混合支部，没有统一的毕业时间，不能标记延迟毕业：请先由学院或学校团委将团支部毕业时间改为具体年月",
                branch.name
            ),
        )),
        None => Err(delayed_error(
            "branch_not_marked",
            format!(
                "“{}”尚未标记毕业时间：请先由学院或学校团委标记团支部毕业时间，再标记延迟毕业",
                branch.name
            ),
        )),
    }
}

/// GRD-5: the member records their own; an admin needs 团员管理.
pub(crate) fn check_destination_writer(actor: &Actor) -> Result<(), AppError> {
    if matches!(actor.scope(), Scope::OwnRecord { .. }) {
        return Ok(());
    }
    actor.require(Permission::Members)
}

/// GRD-7 special cases and the batch transfers for graduates are member management (ACC-4).
pub(crate) fn check_member_manager(actor: &Actor) -> Result<(), AppError> {
    actor.require(Permission::Members)
}

/// The lists whose graduates can be sent on in a batch: not started and kept at school.
pub(crate) fn batchable(state: Option<ContinuityState>) -> bool {
    matches!(
        state,
        Some(ContinuityState::NotStarted | ContinuityState::KeptAtSchool)
    )
}

/// What the viewer may do on the branch list as a whole (GRD-1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct MarkingActions {
    /// GRD-1: mark branches (a full admin above branch level).
    pub mark: bool,
}

impl MarkingActions {
    pub(crate) async fn of<C: ConnectionTrait>(
        c: &C,
        actor: &Actor,
    ) -> Result<MarkingActions, AppError> {
        Ok(MarkingActions {
            mark: allowed(check_marker(c, actor).await)?,
        })
    }
}

/// What the viewer may do with one branch's marking now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct BranchActions {
    /// GRD-1: the first marking (the branch is unmarked).
    pub mark: bool,
    /// GRD-2: request a change of the marking (marked, no change request waiting).
    pub request_change: bool,
}

impl BranchActions {
    pub(crate) fn of(
        marker: MarkingActions,
        o: &tuanwu_domain::org::Org,
        mark: Option<GraduationMark>,
        change_pending: bool,
    ) -> BranchActions {
        let open = marker.mark && is_school_branch(o);
        BranchActions {
            mark: open && mark.is_none(),
            request_change: open && mark.is_some() && !change_pending,
        }
    }
}

/// What the viewer may do for one graduate now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct GraduateActions {
    /// GRD-3: mark as delayed graduate or teacher (a school-domain admin; no marking yet).
    pub mark_delayed: bool,
    /// GRD-3: revoke the marking.
    pub revoke_delayed: bool,
    /// GRD-5: record the destination.
    pub set_destination: bool,
    /// GRD-7: record a special case.
    pub set_case: bool,
}

/// The viewer's standing, asked once for a page of graduates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GraduateRights {
    school_admin: bool,
    destination: bool,
    case: bool,
}

impl GraduateRights {
    pub(crate) async fn of<C: ConnectionTrait>(
        c: &C,
        actor: &Actor,
    ) -> Result<GraduateRights, AppError> {
        Ok(GraduateRights {
            school_admin: allowed(require_school_admin(c, actor).await)?,
            destination: allowed(check_destination_writer(actor))?,
            case: allowed(check_member_manager(actor))?,
        })
    }

    pub(crate) fn actions(
        self,
        m: &Member,
        branch: Option<&tuanwu_domain::org::Org>,
        exception: Option<&Exception>,
    ) -> GraduateActions {
        let markable = branch.is_some_and(|b| branch_month(m, b).is_ok());
        GraduateActions {
            mark_delayed: self.school_admin && exception.is_none() && markable,
            revoke_delayed: self.school_admin && exception.is_some_and(Exception::is_active),
            set_destination: self.destination,
            set_case: self.case,
        }
    }
}

/// What the viewer may do with the graduates of the figure (or of the list shown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ContinuityActions {
    /// Start transfers for the ticked graduates in one go (TRF-1 per graduate). On a list: only
    /// the not-started and kept-at-school ones.
    pub batch_transfer: bool,
}

impl ContinuityActions {
    pub(crate) fn of(actor: &Actor) -> Result<ContinuityActions, AppError> {
        Ok(ContinuityActions {
            batch_transfer: allowed(check_member_manager(actor))?,
        })
    }

    pub(crate) fn for_list(self, state: Option<ContinuityState>) -> ContinuityActions {
        ContinuityActions {
            batch_transfer: self.batch_transfer && batchable(state),
        }
    }
}
