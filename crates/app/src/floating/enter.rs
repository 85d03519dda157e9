//! FLT-2: the fields a transfer into a floating branch carries, checked when it starts; the
//! record follows the transfer's fate (approved → retention starts; rejected or withdrawn →
//! nothing kept at school).

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use tuanwu_domain::floating::{deadline, floating_destination, NewFloating};
use tuanwu_domain::graduation::Destination;
use tuanwu_domain::member::Member;
use tuanwu_domain::org::BranchType;
use tuanwu_domain::transfer::Transfer;
use tuanwu_domain::{text, DomainError};
use tuanwu_store::floating as store;
use utoipa::ToSchema;

use super::{floating_branch, Details};
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
    m: &Member,
    target: Option<&tuanwu_domain::org::Org>,
    input: Option<&FloatingInput>,
) -> Result<(), AppError> {
    let floating =
        target.and_then(|o| floating_branch(o.branch_type.map(|t| t.key())).map(|b| (o, b)));
    let Some((target, branch_type)) = floating else {
        if input.is_some() {
            return Err(bad(
                "not_a_floating_branch",
                "只有转入流动团员团支部时才填写流动团员信息：请选择流动团员团支部，或去掉这些信息",
                "floating",
            ));
        }
        return Ok(());
    };
    if store::delayed_graduate(c, m.id).await? {
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
        abroad: match (branch_type, &input.abroad) {
            (BranchType::FloatingAbroad, Some(a)) => Some(abroad(a)?),
            (BranchType::FloatingAbroad, None) => {
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
    store::insert(
        c,
        NewFloating {
            member: m.id,
            transfer: t.id,
            branch: target.id,
            destination,
            reason,
            details_enc: ctx.cipher.encrypt(&json),
            remarks,
            created_at: ctx.clock.now(),
        },
    )
    .await?;
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
    store::leave(c, t.member, t.id, today).await?;
    store::enter(c, t.id, today, deadline(today, false)).await?;
    Ok(())
}

/// The transfer was rejected or withdrawn: nothing is kept at school.
pub(crate) async fn on_closed<C: ConnectionTrait>(c: &C, t: &Transfer) -> Result<(), AppError> {
    Ok(store::cancel(c, t.id).await?)
}
