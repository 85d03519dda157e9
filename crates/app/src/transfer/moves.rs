//! What approval does to the member: the branch they go to (TRF-4), the move itself with their
//! roles, or leaving tuanwu's tree (special units, external systems).

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use tuanwu_store::entity::{member, org, role, session};
use tuanwu_store::queries;

use super::decide::refuse;
use crate::{AppError, Context};

/// TRF-4: the branch the member goes to: the target itself, or a live branch under it.
pub(crate) async fn branch_for<C: ConnectionTrait>(
    c: &C,
    target: &org::Model,
    branch_id: Option<i64>,
) -> Result<org::Model, AppError> {
    if target.deleted_at.is_some() {
        return Err(refuse(
            "target_deleted",
            format!("“{}”已被删除，不能接收转入：请驳回此转接", target.name),
            "target_org_id",
        ));
    }
    if target.kind == "branch" {
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
    let b = queries::org::find(c, id)
        .await?
        .filter(|b| {
            b.kind == "branch"
                && b.deleted_at.is_none()
                && b.branch_type.as_deref() != Some("graduate")
        })
        .ok_or_else(|| {
            refuse(
                "invalid_branch",
                "所选团支部不存在、已删除、是毕业生团支部或不是团支部：请重新选择".into(),
                "branch_id",
            )
        })?;
    if !queries::org::contains(c, target.id, b.id).await? {
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
    m: &member::Model,
    status: &str,
) -> Result<Option<i64>, AppError> {
    let mut a: member::ActiveModel = m.clone().into();
    a.status = Set(status.into());
    a.updated_at = Set(ctx.clock.now());
    a.update(c).await?;
    crate::group::leave_branch(c, tuanwu_domain::MemberId(m.id), ctx.clock.today()).await?;
    let acct = queries::account::find_by_member(c, m.id).await?;
    if let Some(acct) = &acct {
        role::Entity::delete_many()
            .filter(role::Column::AccountId.eq(acct.id))
            .exec(c)
            .await?;
        session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(acct.id))
            .exec(c)
            .await?;
    }
    Ok(acct.map(|a| a.id))
}

/// The member moves to `branch`: the record, its member role, and no more admin role at the
/// branch it left (TRF-12 made sure another admin stays).
pub(crate) async fn move_member<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    m: &member::Model,
    branch: &org::Model,
) -> Result<Option<i64>, AppError> {
    let mut a: member::ActiveModel = m.clone().into();
    a.org_id = Set(branch.id);
    a.province_id = Set(branch.province_id);
    a.updated_at = Set(ctx.clock.now());
    a.update(c).await?;
    // GRP-1: members who leave the branch leave its groups.
    crate::group::leave_branch(c, tuanwu_domain::MemberId(m.id), ctx.clock.today()).await?;
    let acct = queries::account::find_by_member(c, m.id).await?;
    if let Some(acct) = &acct {
        role::Entity::update_many()
            .col_expr(role::Column::OrgId, Expr::value(branch.id))
            .col_expr(role::Column::ProvinceId, Expr::value(branch.province_id))
            .filter(role::Column::AccountId.eq(acct.id))
            .filter(role::Column::Kind.eq("member"))
            .exec(c)
            .await?;
        role::Entity::delete_many()
            .filter(role::Column::AccountId.eq(acct.id))
            .filter(role::Column::Kind.eq("admin"))
            .filter(role::Column::OrgId.eq(m.org_id))
            .exec(c)
            .await?;
    }
    Ok(acct.map(|a| a.id))
}
