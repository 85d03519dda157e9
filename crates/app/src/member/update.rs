//! Editing a member record, under ACC-9 and MEM-6.

use serde::Deserialize;
use tuanwu_domain::member::MemberChanges;
use tuanwu_domain::{DomainError, MemberId};
use tuanwu_store::member as members;
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
    /// The `version` of the record the edit was made from (issue 15 item 2): when someone else
    /// saved since, the edit is refused with 409 `stale_edit` and nothing changes. Without it
    /// the edit is applied over whatever is stored.
    pub version: Option<i64>,
}

/// Issue 15 item 2: the record moved on since the form was filled in.
pub fn stale_edit() -> AppError {
    AppError::conflict("stale_edit", "该记录已被他人修改：请刷新后重新填写")
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
    let old = members::find(&*tx, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if input.version.is_some_and(|v| v != old.version) {
        return Err(stale_edit());
    }
    let old_rid = decrypt_resident_id(&ctx.cipher, &old);
    let name = input.name.as_deref().map(fields::name).transpose()?;
    let name_changes = name.as_ref().is_some_and(|n| n.as_str() != old.name);
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
    if old.is_verified() {
        if name_changes {
            return Err(locked("姓名", "ACC-9", "name"));
        }
        if rid_changes {
            return Err(locked("身份证号", "ACC-9", "resident_id"));
        }
        if input
            .joined_on
            .as_ref()
            .is_some_and(|j| j.trim() != old.joined_on.to_string())
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

    let old_joined_on = old.joined_on.to_string();
    let identity = fields::identity(
        rid_input.as_deref().unwrap_or(&old_rid),
        input.joined_on.as_deref().unwrap_or(&old_joined_on),
        input
            .development_no
            .as_deref()
            .or(old.development_no.as_deref()),
        today,
    )?;
    if rid_changes {
        let index = ctx.cipher.blind_index(identity.resident_id.as_str());
        if let Some(existing) = members::by_resident_index(&*tx, index).await? {
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
        if members::by_development_no(&*tx, no).await?.is_some() {
            return Err(duplicate_development_no(no));
        }
    }
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
    // Only what the input names, and only when it differs: an unchanged phone is not
    // re-encrypted, an untouched field keeps whatever is stored.
    let phone = phone
        .filter(|p| p.as_ref().map(|p| p.as_str()) != decrypt_phone(&ctx.cipher, &old).as_deref());
    let changes = MemberChanges {
        name,
        resident_id: rid_changes.then_some(identity.resident_id),
        joined_on: Some(identity.joined_on),
        development_no: Some(identity.development_no),
        offline_managed: Some(identity.offline_managed),
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
        ..MemberChanges::default()
    };
    let updated = members::update(
        &*tx,
        &ctx.cipher,
        id,
        input.version,
        &changes,
        ctx.clock.now(),
    )
    .await
    .map_err(|e| on_unique(e, dev_no.as_deref()))?
    .ok_or_else(stale_edit)?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::MemberUpdate, id.0)
            .org(updated.org_id.0)
            .before(before)
            .after(MemberAudit::of(&updated, &ctx.cipher)),
    )
    .await?;
    let org = updated.org_id;
    let view = member_view(&*tx, &ctx.cipher, updated, today).await?;
    // The member's row is all that changed of what pages keep: only its branch's pages (and
    // those of the orgs above) are read again.
    tx.commit_touching(&[org]).await?;
    Ok(view)
}
