//! MEM-4: a person registers themself: they find their branch (ORG-5), fill in the MEM-1 fields
//! and a password, and the branch admin approves (the request lands in their to-do list) or
//! rejects. Nothing is entered until the branch approves.

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tuanwu_domain::mask::{mask_phone, mask_resident_id};
use tuanwu_domain::request::{Registration, RequestChanges, RequestKind};
use tuanwu_domain::{DomainError, OrgId};
use utoipa::ToSchema;

use super::create::{check, create_in, CreateMemberInput};
use crate::account::password;
use crate::request::submit::{insert, Subject};
use crate::{Actor, AppError, Context};

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterMemberInput {
    /// The MEM-1 fields, with `branch_id` the branch found by the organisation search.
    #[serde(flatten)]
    pub member: CreateMemberInput,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationView {
    /// The `member_registration` request the branch decides.
    pub request_id: i64,
    pub status: String,
    pub branch_name: String,
    pub message: String,
}

fn refused(code: &'static str, message: String, field: &'static str) -> AppError {
    DomainError::new(code, message)
        .rule("MEM-4")
        .field(field)
        .into()
}

/// The resident ID of a pending registration (only there, encrypted with the rest).
fn pending_resident_id(changes: &RequestChanges) -> Option<&str> {
    match changes {
        RequestChanges::MemberRegistration(r) => r.member.get("resident_id")?.as_str(),
        _ => None,
    }
}

pub async fn register_member(
    ctx: &Context,
    input: RegisterMemberInput,
    address: &str,
) -> Result<RegistrationView, AppError> {
    let now = ctx.clock.now();
    let key = format!(
        "self-register:{}",
        input.member.resident_id.trim().to_uppercase()
    );
    ctx.limiter.check(&key, address, now)?;
    // Every submission counts against the address: registration is not a way to probe IDs.
    ctx.limiter.record_failure(&key, address, now);
    let checked = check(&input.member, ctx.clock.today())?;
    let rid = checked.id.resident_id.as_str().to_string();
    password::check_strength(&input.password, "password")?;
    password::check_personal(
        &input.password,
        Some(&rid),
        checked.phone.as_ref().map(|p| p.as_str()),
        "password",
    )?;
    let c = ctx.db.conn();
    let branch = tuanwu_store::org::get(c, tuanwu_domain::OrgId(input.member.branch_id))
        .await?
        .filter(|o| !o.is_deleted())
        .ok_or_else(|| {
            refused(
                "branch_not_found",
                "所选团支部不存在或已被删除：请重新搜索并选择您所在的团支部".into(),
                "branch_id",
            )
        })?;
    if !branch.is_branch() {
        return Err(refused(
            "not_a_branch",
            format!(
                "“{}”不是团支部：请选择您所在的团支部（通常以“团支部”结尾）",
                branch.name
            ),
            "branch_id",
        ));
    }
    // MEM-4: no duplicate records; the message names the organisation that holds the person.
    let index = ctx.cipher.blind_index(&rid);
    if let Some(existing) = tuanwu_store::member::by_resident_index(c, index).await? {
        let holder = tuanwu_store::org::get(c, existing.org_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        return Err(AppError::Conflict {
            code: "duplicate_resident_id",
            message: format!(
                "该身份证号已在“{holder}”登记为团员，不能重复注册：请直接登录（忘记密码可使用“忘记密码”）；如已换了组织，请办理组织关系转接"
            ),
            rule: Some("MEM-4"),
            field: Some("resident_id"),
        });
    }
    let pending = tuanwu_store::request::pending_with_changes(
        c,
        &ctx.cipher,
        RequestKind::MemberRegistration,
    )
    .await?;
    if let Some((p, _)) = pending
        .iter()
        .find(|(_, changes)| pending_resident_id(changes) == Some(rid.as_str()))
    {
        let at = tuanwu_store::org::get(c, p.org)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        return Err(AppError::Conflict {
            code: "registration_pending",
            message: format!(
                "该身份证号已提交过注册申请，正等待“{at}”审批：请联系该团支部的团支书尽快审批，不要重复提交"
            ),
            rule: Some("MEM-4"),
            field: None,
        });
    }
    if let Some(no) = &checked.id.development_no {
        if tuanwu_store::member::by_development_no(c, no.as_str())
            .await?
            .is_some()
        {
            return Err(refused(
                "duplicate_development_no",
                format!("发展团员编号{}已被其他团员占用：请对照入团志愿书核对；确认无误的，请联系团支书录入并向上级反映编号冲突", no.as_str()),
                "development_no",
            ));
        }
    }
    let hash = password::hash_blocking(input.password).await?;
    let mut member = input.member;
    member.resident_id = rid.clone();
    let summary = json!({
        "member_name": checked.name.as_str(),
        "branch": branch.path,
        "resident_id": crate::sealed::seal(&ctx.cipher, &mask_resident_id(&rid)),
        "student_no": checked.student_no,
        "joined_on": checked.id.joined_on.to_string(),
        "phone": checked.phone.as_ref().map(|p| crate::sealed::seal(&ctx.cipher, &mask_phone(p.as_str()))),
    });
    let tx = ctx.db.write().await?;
    let r = insert(
        ctx,
        &*tx,
        None,
        Subject {
            member_id: None,
            org_id: branch.id.0,
            province_id: branch.province_id.map(|i| i.0),
            anonymous_requester: Some(format!("{}（本人注册）", checked.name)),
        },
        branch.id,
        RequestChanges::MemberRegistration(Registration {
            member: json!(member),
            password_hash: hash,
        }),
        summary,
        "本人在注册页面提交的团员注册申请".into(),
        &[],
    )
    .await?;
    tx.commit().await?;
    Ok(RegistrationView {
        request_id: r.id.0,
        status: r.status.key().into(),
        message: format!(
            "注册申请已提交，等待“{}”的团支书审批；审批通过后即可用身份证号或学号和刚才设置的密码登录",
            branch.name
        ),
        branch_name: branch.name,
    })
}

/// Approving a registration enters the member (all of MEM-4's checks again, now in the branch
/// admin's scope) and gives their account the password they chose.
pub(crate) async fn approve<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    changes: &Map<String, Value>,
) -> Result<(), AppError> {
    let unreadable = || AppError::Internal("registration request unreadable".into());
    let input: CreateMemberInput = changes
        .get("member")
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(unreadable)?;
    let hash = changes
        .get("password_hash")
        .and_then(Value::as_str)
        .ok_or_else(unreadable)?
        .to_string();
    actor.ensure_in_scope(c, OrgId(input.branch_id)).await?;
    let m = create_in(ctx, c, actor, input).await?;
    let acct = crate::account::of_member::ensure(c, &m, ctx.clock.now()).await?;
    tuanwu_store::account::set_password(c, acct.id, &hash, false).await?;
    Ok(())
}
