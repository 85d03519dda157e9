//! FLT-2: the fields a transfer into a floating branch carries, checked when it starts; the
//! record follows the transfer's fate (approved → retention starts; rejected or withdrawn →
//! nothing kept at school).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use tuanwu_domain::floating::{deadline, floating_destination, FloatingStatus};
use tuanwu_domain::graduation::Destination;
use tuanwu_domain::transfer::Transfer;
use tuanwu_domain::{text, DomainError};
use tuanwu_store::entity::{floating_record, graduation_exception, member, org};
use utoipa::ToSchema;

use super::{is_floating, Details};
use crate::{AppError, Context};

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AbroadInput {
    /// 去往国家（地区）.
    pub country: String,
    pub university: String,
    /// 攻读学位.
    pub degree: String,
    /// 学习期限, e.g. 2026-09 至 2028-06.
    pub period: String,
    /// 国内联系人, their relation and phone.
    pub domestic_contact: String,
    pub relation: String,
    pub phone: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct FloatingInput {
    /// `preparing_study` (继续准备升学) | `preparing_job` (继续准备就业) | `other` (其他).
    pub destination: String,
    /// Which floating case it is (没有升学、没有就业、二战考研、单位未确定…).
    pub reason: String,
    /// The member's usual contact.
    pub contact: String,
    /// 学社衔接工作负责人.
    pub responsible: String,
    pub responsible_contact: String,
    pub remarks: Option<String>,
    /// FLT-5: required for the college abroad floating branch.
    pub abroad: Option<AbroadInput>,
}

fn bad(code: &'static str, message: impl Into<String>, field: &'static str) -> AppError {
    DomainError::new(code, message)
        .rule("FLT-2")
        .field(field)
        .into()
}

fn required(v: &str, field: &'static str, label: &str) -> Result<String, AppError> {
    Ok(text::required(v, field, label, 200).map_err(|e| e.rule("FLT-2"))?)
}

fn abroad(a: &AbroadInput) -> Result<AbroadInput, AppError> {
    Ok(AbroadInput {
        country: required(&a.country, "floating", "去往国家（地区）")?,
        university: required(&a.university, "floating", "就读院校")?,
        degree: required(&a.degree, "floating", "攻读学位")?,
        period: required(&a.period, "floating", "学习期限")?,
        domestic_contact: required(&a.domestic_contact, "floating", "国内联系人")?,
        relation: required(&a.relation, "floating", "与本人关系")?,
        phone: required(&a.phone, "floating", "国内联系人电话")?,
    })
}

/// Called when a transfer starts: a floating target needs the FLT-2 fields (and, abroad, the
/// FLT-5 application); delayed graduates never enter a floating branch (GRD-4).
pub(crate) async fn attach<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    t: &Transfer,
    m: &member::Model,
    target: Option<&org::Model>,
    input: Option<&FloatingInput>,
) -> Result<(), AppError> {
    let Some(target) = target.filter(|o| is_floating(o.branch_type.as_deref())) else {
        if input.is_some() {
            return Err(bad(
                "not_a_floating_branch",
                "只有转入流动团员团支部时才填写流动团员信息：请选择流动团员团支部，或去掉这些信息",
                "floating",
            ));
        }
        return Ok(());
    };
    let delayed = graduation_exception::Entity::find()
        .filter(graduation_exception::Column::MemberId.eq(m.id))
        .filter(graduation_exception::Column::RevokedAt.is_null())
        .count(c)
        .await?
        > 0;
    if delayed {
        return Err(DomainError::new(
            "delayed_graduate_not_floating",
            format!(
                "“{}”已标记为延迟毕业，不能转入流动团员团支部：请转往其实际就读的团支部",
                m.name
            ),
        )
        .rule("GRD-4")
        .field("target_org_id")
        .into());
    }
    let Some(input) = input else {
        return Err(bad("floating_fields_required", "转入流动团员团支部须填写流动团员信息：毕业去向、转接原因、本人联系方式、学社衔接工作负责人及其联系方式", "floating"));
    };
    let destination = Destination::parse(&input.destination)
        .and_then(floating_destination)
        .map_err(|e| e.rule("FLT-2").field("floating"))?;
    let reason = required(
        &input.reason,
        "floating",
        "转接原因（属于哪种流动团员情况）",
    )?;
    let details = Details {
        contact: required(&input.contact, "floating", "本人常用联系方式")?,
        responsible: required(&input.responsible, "floating", "学社衔接工作负责人")?,
        responsible_contact: required(&input.responsible_contact, "floating", "负责人联系方式")?,
        abroad: match (target.branch_type.as_deref(), &input.abroad) {
            (Some("floating_abroad"), Some(a)) => Some(abroad(a)?),
            (Some("floating_abroad"), None) => {
                return Err(DomainError::new(
                    "retention_application_required",
                    "转入出国出境学习研究流动团员团支部须填写《关于保留团组织关系的申请》：去往国家、院校、学位、学习期限、国内联系人及电话",
                )
                .rule("FLT-5")
                .field("floating")
                .into())
            }
            _ => None,
        },
    };
    let remarks = text::optional(input.remarks.as_deref(), "floating", "备注", 500)?;
    let json = serde_json::to_string(&details).map_err(|e| AppError::Internal(e.to_string()))?;
    floating_record::ActiveModel {
        member_id: Set(m.id),
        transfer_id: Set(t.id.0),
        branch_id: Set(target.id),
        status: Set(FloatingStatus::Pending.key().into()),
        destination: Set(destination.key().into()),
        reason: Set(reason),
        details_enc: Set(ctx.cipher.encrypt(&json)),
        remarks: Set(remarks),
        extended: Set(false),
        created_at: Set(ctx.clock.now()),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

async fn set_status<C: ConnectionTrait>(
    c: &C,
    filter: sea_orm::Condition,
    status: FloatingStatus,
    on: Option<time::Date>,
) -> Result<(), AppError> {
    let mut q = floating_record::Entity::update_many()
        .col_expr(floating_record::Column::Status, Expr::value(status.key()))
        .filter(filter);
    if let Some(d) = on {
        q = q.col_expr(floating_record::Column::ClosedOn, Expr::value(d));
    }
    q.exec(c).await?;
    Ok(())
}

/// The transfer completed: a member leaving a floating branch closes their stay; a member
/// entering one starts the retention clock (FLT-3).
pub(crate) async fn on_completed<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    t: &Transfer,
) -> Result<(), AppError> {
    let today = ctx.clock.today();
    set_status(
        c,
        sea_orm::Condition::all()
            .add(floating_record::Column::MemberId.eq(t.member.0))
            .add(floating_record::Column::TransferId.ne(t.id.0))
            .add(floating_record::Column::Status.is_in([
                FloatingStatus::Active.key(),
                FloatingStatus::Suspended.key(),
            ])),
        FloatingStatus::Left,
        Some(today),
    )
    .await?;
    floating_record::Entity::update_many()
        .col_expr(
            floating_record::Column::Status,
            Expr::value(FloatingStatus::Active.key()),
        )
        .col_expr(floating_record::Column::EnteredOn, Expr::value(today))
        .col_expr(
            floating_record::Column::Deadline,
            Expr::value(deadline(today, false)),
        )
        .filter(floating_record::Column::TransferId.eq(t.id.0))
        .filter(floating_record::Column::Status.eq(FloatingStatus::Pending.key()))
        .exec(c)
        .await?;
    Ok(())
}

/// The transfer was rejected or withdrawn: nothing is kept at school.
pub(crate) async fn on_closed<C: ConnectionTrait>(c: &C, t: &Transfer) -> Result<(), AppError> {
    set_status(
        c,
        sea_orm::Condition::all()
            .add(floating_record::Column::TransferId.eq(t.id.0))
            .add(floating_record::Column::Status.eq(FloatingStatus::Pending.key())),
        FloatingStatus::Cancelled,
        None,
    )
    .await
}
