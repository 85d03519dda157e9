//! MEM-4: a branch (or any admin above it, ACC-2) enters a member.

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::member::{Email, Member, NewMember, PersonName, Phone};
use tuanwu_domain::{DomainError, OrgId};
use tuanwu_store::db::unique_violation;
use tuanwu_store::member as members;
use utoipa::ToSchema;

use super::fields::{self, DEFAULT_OFFLINE_NOTE};
use super::view::{member_view, MemberAudit, MemberView};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreateMemberInput {
    pub branch_id: i64,
    pub name: String,
    pub resident_id: String,
    pub ethnicity: String,
    /// YYYY-MM, as in the 入团志愿书.
    pub joined_on: String,
    /// 12 digits; "无" or empty for those who joined before 2017.
    pub development_no: Option<String>,
    /// Defaults to `league_member`.
    pub political_status: Option<String>,
    pub student_no: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub admission_major: Option<String>,
    pub actual_major: Option<String>,
    pub native_place: Option<String>,
    pub education: Option<String>,
    pub offline_note: Option<String>,
}

/// The branch a member goes into: in scope, a 团支部, not deleted.
pub(super) async fn target_branch<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    id: OrgId,
) -> Result<tuanwu_domain::org::Org, AppError> {
    actor.ensure_in_scope(c, id).await?;
    let b = tuanwu_store::org::get(c, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !b.is_branch() {
        return Err(DomainError::new(
            "not_a_branch",
            format!(
                "“{}”不是团支部：团员只能编入团支部，请选择其下的团支部",
                b.name
            ),
        )
        .rule("ORG-1")
        .field("branch_id")
        .into());
    }
    if b.is_deleted() {
        return Err(DomainError::new(
            "branch_deleted",
            format!("“{}”已被删除：请选择其他团支部", b.name),
        )
        .rule("ORG-6")
        .field("branch_id")
        .into());
    }
    Ok(b)
}

/// MEM-4: a resident ID already on record. The holder's org is named only to an actor whose
/// scope contains it; others learn that the person exists elsewhere and whom to ask.
pub(super) async fn duplicate_resident_id<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    existing: &Member,
) -> Result<AppError, AppError> {
    let visible = match actor.admin_root() {
        Ok(root) => tuanwu_store::org::contains(c, root, existing.org_id).await?,
        Err(_) => false,
    };
    let message = if visible {
        let path = tuanwu_store::org::get(c, existing.org_id)
            .await?
            .map(|o| o.path)
            .unwrap_or_default();
        format!(
            "该身份证号已登记为团员“{}”，所在组织：{}。一人只能有一条团员记录：如需调整请办理组织关系转接，不要重复录入",
            existing.name, path
        )
    } else {
        "该身份证号已在其他团组织登记（不在您的管理范围内）。一人只能有一条团员记录：请让本人办理组织关系转接，或联系上级团委核实".to_string()
    };
    Ok(AppError::Conflict {
        code: "duplicate_resident_id",
        message,
        rule: Some("MEM-4"),
        field: Some("resident_id"),
    })
}

pub(super) fn duplicate_development_no(no: &str) -> AppError {
    AppError::Conflict {
        code: "duplicate_development_no",
        message: format!("发展团员编号{no}已被其他团员占用：请对照入团志愿书核对编号；确认无误的，请向上级团委反映编号冲突"),
        rule: Some("MEM-10"),
        field: Some("development_no"),
    }
}

/// Maps a unique-index race (two entries at once) to the same answer as the check before it.
pub(super) fn on_unique(e: sea_orm::DbErr, development_no: Option<&str>) -> AppError {
    match unique_violation(&e) {
        Some(detail) if detail.contains("development_no") => {
            duplicate_development_no(development_no.unwrap_or(""))
        }
        Some(_) => AppError::Conflict {
            code: "duplicate_resident_id",
            message: "该身份证号已在系统中登记，一人只能有一条团员记录：请勿重复录入".into(),
            rule: Some("MEM-4"),
            field: Some("resident_id"),
        },
        None => e.into(),
    }
}

pub async fn create(
    ctx: &Context,
    actor: &Actor,
    input: CreateMemberInput,
) -> Result<MemberView, AppError> {
    let tx = ctx.db.write().await?;
    let m = create_in(ctx, &*tx, actor, input).await?;
    let org = m.org_id;
    let view = member_view(&*tx, &ctx.cipher, m, ctx.clock.today()).await?;
    tx.commit_touching(&[org]).await?;
    Ok(view)
}

/// The MEM-1 fields of an entry, each checked.
pub(crate) struct Checked {
    pub name: PersonName,
    pub id: fields::Identity,
    pub ethnicity: String,
    pub political_status: tuanwu_domain::member::PoliticalStatus,
    pub student_no: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub admission_major: Option<String>,
    pub actual_major: Option<String>,
    pub native_place: Option<String>,
    pub education: Option<String>,
    pub offline_note: Option<String>,
}

pub(crate) fn check(input: &CreateMemberInput, today: time::Date) -> Result<Checked, AppError> {
    Ok(Checked {
        name: fields::name(&input.name)?,
        id: fields::identity(
            &input.resident_id,
            &input.joined_on,
            input.development_no.as_deref(),
            today,
        )?,
        ethnicity: fields::ethnicity(&input.ethnicity)?,
        political_status: fields::political_status(input.political_status.as_deref())?,
        student_no: fields::student_no(input.student_no.as_deref())?,
        phone: fields::phone(input.phone.as_deref())?,
        email: fields::email(input.email.as_deref())?,
        admission_major: fields::major(input.admission_major.as_deref(), "admission_major")?,
        actual_major: fields::major(input.actual_major.as_deref(), "actual_major")?,
        native_place: fields::native_place(input.native_place.as_deref())?,
        education: fields::education(input.education.as_deref())?,
        offline_note: fields::offline_note(input.offline_note.as_deref())?,
    })
}

/// Validates and enters a member inside the caller's transaction (MEM-4: also what approving a
/// self-registration does). The member's account is made when first needed
/// (`account::of_member`).
pub(crate) async fn create_in<C: ConnectionTrait>(
    ctx: &Context,
    tx: &C,
    actor: &Actor,
    input: CreateMemberInput,
) -> Result<Member, AppError> {
    actor.require(tuanwu_domain::account::Permission::Members)?;
    let today = ctx.clock.today();
    let Checked {
        name,
        id,
        ethnicity,
        political_status,
        student_no,
        phone,
        email,
        admission_major,
        actual_major,
        native_place,
        education,
        offline_note,
    } = check(&input, today)?;

    let branch = target_branch(tx, actor, OrgId(input.branch_id)).await?;
    let index = ctx.cipher.blind_index(id.resident_id.as_str());
    if let Some(existing) = members::by_resident_index(tx, index).await? {
        return Err(duplicate_resident_id(tx, actor, &existing).await?);
    }
    // MEM-10: a number someone else holds is not refused: the record is saved without it and a
    // conflict case goes to the province.
    let holder = match &id.development_no {
        Some(no) => members::by_development_no(tx, no.as_str()).await?,
        None => None,
    };
    let claimed_no = id.development_no.clone();
    let new = NewMember {
        branch: branch.id,
        province: branch.province_id,
        name,
        resident_id: id.resident_id,
        ethnicity,
        joined_on: id.joined_on,
        development_no: if holder.is_some() {
            None
        } else {
            id.development_no
        },
        student_no,
        political_status,
        phone,
        email,
        admission_major,
        actual_major,
        native_place,
        education,
        offline_managed: id.offline_managed,
        offline_note: match id.offline_managed {
            true => offline_note.or_else(|| Some(DEFAULT_OFFLINE_NOTE.into())),
            false => offline_note,
        },
        identity_check: IdentityCheck::Pending,
    };
    let dev_no = new.development_no.as_ref().map(|d| d.as_str().to_string());
    let m = members::insert(tx, &ctx.cipher, &new, ctx.clock.now())
        .await
        .map_err(|e| on_unique(e, dev_no.as_deref()))?;
    audit::record(
        ctx,
        tx,
        actor,
        Change::new(AuditAction::MemberCreate, m.id.0)
            .org(branch.id.0)
            .after(MemberAudit::of(&m, &ctx.cipher)),
    )
    .await?;
    if let (Some(holder), Some(no)) = (&holder, &claimed_no) {
        crate::request::open_development_no_conflict(ctx, tx, actor, &m, holder, no.as_str())
            .await?;
    }
    Ok(m)
}
