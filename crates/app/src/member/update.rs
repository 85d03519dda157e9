//! Editing a member record, under ACC-9 and MEM-6.

use sea_orm::{ActiveModelTrait, Set};
use serde::Deserialize;
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::{DomainError, MemberId, OrgId};
use tuanwu_store::entity::member;
use tuanwu_store::queries;
use utoipa::ToSchema;

use super::create::{duplicate_development_no, duplicate_resident_id, on_unique};
use super::fields;
use super::view::{decrypt_phone, decrypt_resident_id, member_view, MemberAudit, MemberView};
use crate::actor::{RoleKind, Scope};
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

/// Fields to change; absent fields stay as they are, an empty string clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UpdateMemberInput {
    pub name: Option<String>,
    pub resident_id: Option<String>,
    pub ethnicity: Option<String>,
    pub joined_on: Option<String>,
    pub development_no: Option<String>,
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

fn is_verified(m: &member::Model) -> bool {
    IdentityCheck::parse(&m.identity_check).is_ok_and(IdentityCheck::is_verified)
}

fn locked(what: &str, rule: &'static str, field: &'static str) -> AppError {
    DomainError::new(
        "identity_locked",
        format!("该团员身份已核验，{what}不能直接修改：请提交更正申请，附证明材料，由上级团组织审批后生效"),
    )
    .rule(rule)
    .field(field)
    .into()
}

/// A member acting as a member may change only their own contact details.
fn check_member_self_edit(
    actor: &Actor,
    id: MemberId,
    input: &UpdateMemberInput,
) -> Result<(), AppError> {
    let Scope::OwnRecord { member, .. } = actor.scope() else {
        return Ok(());
    };
    if member != id {
        return Err(AppError::NotFound);
    }
    let others = [
        &input.name,
        &input.resident_id,
        &input.ethnicity,
        &input.joined_on,
        &input.development_no,
        &input.political_status,
        &input.student_no,
        &input.admission_major,
        &input.actual_major,
        &input.native_place,
        &input.education,
        &input.offline_note,
    ];
    if others.iter().any(|f| f.is_some()) {
        return Err(AppError::forbidden(
            "团员本人只能修改手机号码和电子邮箱；其他信息请联系团支书修改",
        ));
    }
    Ok(())
}

pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: MemberId,
    input: UpdateMemberInput,
) -> Result<MemberView, AppError> {
    check_member_self_edit(actor, id, &input)?;
    if actor.role_kind() == RoleKind::Admin {
        actor.require(tuanwu_domain::account::Permission::Members)?;
    }
    let today = ctx.clock.today();
    let tx = ctx.db.write().await?;
    let old = queries::member::find(&*tx, id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    if actor.role_kind() == RoleKind::Admin {
        actor.ensure_in_scope(&*tx, OrgId(old.org_id)).await?;
    }
    let old_rid = decrypt_resident_id(&ctx.cipher, &old);
    let name = input.name.as_deref().map(fields::name).transpose()?;
    let name_changes = name.as_ref().is_some_and(|n| *n != old.name);
    let rid_input = input
        .resident_id
        .as_deref()
        .map(|r| r.trim().to_uppercase());
    let rid_changes = rid_input.as_ref().is_some_and(|r| *r != old_rid);
    if name_changes && rid_changes {
        return Err(DomainError::new(
            "name_and_resident_id_together",
            "姓名和身份证号不能在一次修改中同时更改：请先改其中一项并保存，再改另一项",
        )
        .rule("ACC-9")
        .field("resident_id")
        .into());
    }
    if is_verified(&old) {
        if name_changes {
            return Err(locked("姓名", "ACC-9", "name"));
        }
        if rid_changes {
            return Err(locked("身份证号", "ACC-9", "resident_id"));
        }
        if input
            .joined_on
            .as_ref()
            .is_some_and(|j| j.trim() != old.joined_on)
        {
            return Err(locked("入团时间", "MEM-6", "joined_on"));
        }
        let given = input.development_no.as_deref().map(str::trim);
        let given = given.map(|v| Some(v).filter(|v| !v.is_empty() && *v != "无"));
        if given.is_some_and(|g| g != old.development_no.as_deref()) {
            return Err(locked("发展团员编号", "MEM-6", "development_no"));
        }
    }
    if let Some(m) = &input.admission_major {
        if old.admission_major.is_some() && old.admission_major.as_deref() != Some(m.trim()) {
            return Err(DomainError::new(
                "admission_major_read_only",
                "录取专业（原专业）导入后不能修改：推优时请修改“推优专业”",
            )
            .rule("MEM-1")
            .field("admission_major")
            .into());
        }
    }

    let identity = fields::identity(
        rid_input.as_deref().unwrap_or(&old_rid),
        input.joined_on.as_deref().unwrap_or(&old.joined_on),
        input
            .development_no
            .as_deref()
            .or(old.development_no.as_deref()),
        today,
    )?;
    let index = ctx.cipher.blind_index(identity.resident_id.as_str());
    if rid_changes {
        if let Some(existing) = queries::member::find_by_resident_index(&*tx, index.clone()).await?
        {
            return Err(duplicate_resident_id(&*tx, actor, &existing).await?);
        }
    }
    let dev_no = identity
        .development_no
        .as_ref()
        .map(|d| d.as_str().to_string());
    if let Some(no) = dev_no
        .as_ref()
        .filter(|n| Some(n.as_str()) != old.development_no.as_deref())
    {
        if queries::member::find_by_development_no(&*tx, no)
            .await?
            .is_some()
        {
            return Err(duplicate_development_no(no));
        }
    }
    let keep =
        |new: Option<Option<String>>, old: &Option<String>| new.unwrap_or_else(|| old.clone());
    let ethnicity = input
        .ethnicity
        .as_deref()
        .map(fields::ethnicity)
        .transpose()?;
    let political_status = input
        .political_status
        .as_deref()
        .map(|s| fields::political_status(Some(s)))
        .transpose()?;
    let student_no = input
        .student_no
        .as_deref()
        .map(|s| fields::student_no(Some(s)))
        .transpose()?;
    let phone = input
        .phone
        .as_deref()
        .map(|s| fields::phone(Some(s)))
        .transpose()?;
    let email = input
        .email
        .as_deref()
        .map(|s| fields::email(Some(s)))
        .transpose()?;
    let admission_major = input
        .admission_major
        .as_deref()
        .map(|s| fields::major(Some(s), "admission_major"))
        .transpose()?;
    let actual_major = input
        .actual_major
        .as_deref()
        .map(|s| fields::major(Some(s), "actual_major"))
        .transpose()?;
    let native_place = input
        .native_place
        .as_deref()
        .map(|s| fields::native_place(Some(s)))
        .transpose()?;
    let education = input
        .education
        .as_deref()
        .map(|s| fields::education(Some(s)))
        .transpose()?;
    let offline_note = input
        .offline_note
        .as_deref()
        .map(|s| fields::offline_note(Some(s)))
        .transpose()?;

    let before = MemberAudit::of(&old, &ctx.cipher);
    let old_phone = decrypt_phone(&ctx.cipher, &old);
    let mut a: member::ActiveModel = old.clone().into();
    if let Some(n) = name {
        a.name = Set(n);
    }
    if rid_changes {
        a.resident_id_enc = Set(ctx.cipher.encrypt(identity.resident_id.as_str()));
        a.resident_id_index = Set(index);
        a.gender = Set(identity.resident_id.gender().key().into());
        a.birth_date = Set(identity.resident_id.birth_date());
    }
    a.joined_on = Set(identity.joined_on.to_string());
    a.development_no = Set(dev_no.clone());
    a.offline_managed = Set(identity.offline_managed);
    if let Some(e) = ethnicity {
        a.ethnicity = Set(e);
    }
    if let Some(p) = political_status {
        a.political_status = Set(p.key().into());
    }
    a.student_no = Set(keep(student_no, &old.student_no));
    let phone = keep(phone, &old_phone);
    if phone != old_phone {
        a.phone_enc = Set(phone.as_deref().map(|p| ctx.cipher.encrypt(p)));
    }
    a.email = Set(keep(email, &old.email));
    a.admission_major = Set(keep(admission_major, &old.admission_major));
    a.actual_major = Set(keep(actual_major, &old.actual_major));
    a.native_place = Set(keep(native_place, &old.native_place));
    a.education = Set(keep(education, &old.education));
    a.offline_note = Set(keep(offline_note, &old.offline_note));
    a.updated_at = Set(ctx.clock.now());
    let updated = a
        .update(&*tx)
        .await
        .map_err(|e| on_unique(e, dev_no.as_deref()))?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::MemberUpdate, id.0)
            .org(updated.org_id)
            .before(before)
            .after(MemberAudit::of(&updated, &ctx.cipher)),
    )
    .await?;
    let view = member_view(&*tx, &ctx.cipher, updated, today).await?;
    tx.commit().await?;
    Ok(view)
}
