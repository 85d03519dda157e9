//! What approval does to the member: the branch they go to (TRF-4), the move itself with their
//! roles, or leaving tuanwu's tree (special units, external systems).

use sea_orm::ConnectionTrait;
use tuanwu_domain::member::{Member, MemberChanges, MemberStatus};
use tuanwu_domain::org::BranchType;

use tuanwu_store::member as members;

use super::decide::refuse;
use crate::{AppError, Context};

/// TRF-4: the branch the member goes to: the target itself, or a live branch under it.
pub(crate) async fn branch_for<C: ConnectionTrait>(
    c: &C,
    target: &tuanwu_domain::org::Org,
    branch_id: Option<i64>,
) -> Result<tuanwu_domain::org::Org, AppError> {
    if target.is_deleted() {
        return Err(refuse(
            "target_deleted",
            format!("“{}”已被删除，不能接收转入：请驳回此转接", target.name),
            "target_org_id",
        ));
    }
    if target.is_branch() {
        return Ok(target.clone());
    }
    let Some(id) = branch_id else {
        return Err(refuse(
            "branch_required",
            format!(
                "“{}”不是团支部：请选择把团员编入其下的哪个团支部",
                target.name
            ),
            "branch_id",
        ));
    };
    let b = tuanwu_store::org::get(c, tuanwu_domain::OrgId(id))
        .await?
        .filter(|b| b.is_branch() && !b.is_deleted() && b.branch_type != Some(BranchType::Graduate))
        .ok_or_else(|| {
            refuse(
                "invalid_branch",
                "所选团支部不存在、已删除、是毕业生团支部或不是团支部：请重新选择".into(),
                "branch_id",
            )
        })?;
    if !tuanwu_store::org::contains(c, target.id, b.id).await? {
        return Err(refuse(
            "branch_outside_target",
            format!(
                "“{}”不在“{}”之下：请选择转入组织下属的团支部",
                b.name, target.name
            ),
            "branch_id",
        ));
    }
    Ok(b)
}

/// The member leaves tuanwu's tree (`transferred_out` to a special unit or an external system,
/// `removed` by FLT-4): the record stays, its roles and sessions end.
pub(crate) async fn leave<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    m: &Member,
    status: MemberStatus,
) -> Result<Option<tuanwu_domain::AccountId>, AppError> {
    let changes = MemberChanges::status(status);
    members::update(c, &ctx.cipher, m.id, None, &changes, ctx.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    // GRP-1: members who leave the branch leave its groups.
    crate::group::leave_branch(c, m.id, ctx.clock.today()).await?;
    let acct = tuanwu_store::account::role::end_access_of_member(c, m.id).await?;
    Ok(acct)
}

/// The member moves to `branch`: the record, its member role, and no more admin role at the
/// branch it left (TRF-12 made sure another admin stays).
pub(crate) async fn move_member<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    m: &Member,
    branch: &tuanwu_domain::org::Org,
) -> Result<Option<tuanwu_domain::AccountId>, AppError> {
    let changes = MemberChanges::move_to(branch.id, branch.province_id);
    members::update(c, &ctx.cipher, m.id, None, &changes, ctx.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    // GRP-1: members who leave the branch leave its groups.
    crate::group::leave_branch(c, m.id, ctx.clock.today()).await?;
    let acct = tuanwu_store::account::role::follow_member(
        c,
        m.id,
        m.org_id,
        branch.id,
        branch.province_id,
    )
    .await?;
    Ok(acct)
}
