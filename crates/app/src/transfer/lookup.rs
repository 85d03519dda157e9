//! TRF-10: a target admin looking for a lost member (name + resident ID) sees the member's
//! current organisation and its admin contact — even outside scope — and nothing else.

use serde::Serialize;
use tuanwu_domain::{DomainError, ResidentId};

use utoipa::ToSchema;

use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Serialize, ToSchema)]
pub struct LookupView {
    /// The member's current organisation (full name).
    pub org_name: String,
    /// Whom to contact there: the org's contact person and phone, or its admins' names.
    pub admin_contact: String,
}

fn not_found() -> AppError {
    DomainError::new(
        "member_not_found",
        "未找到姓名和身份证号都相符的团员：请核对后重试；如仍找不到，可能尚未在系统中登记，请联系其原团组织",
    )
    .rule("TRF-10")
    .into()
}

pub async fn lookup(
    ctx: &Context,
    actor: &Actor,
    name: &str,
    resident_id: &str,
    address: &str,
) -> Result<LookupView, AppError> {
    actor.admin_root()?;
    let now = ctx.clock.now();
    let key = format!("lookup:{}", actor.account().0);
    ctx.limiter.check(&key, address, now)?;
    let rid =
        ResidentId::parse(resident_id, ctx.clock.today()).map_err(|e| e.field("resident_id"))?;
    let c = ctx.db.conn();
    let found = tuanwu_store::member::by_resident_index(c, ctx.cipher.blind_index(rid.as_str()))
        .await?
        .filter(|m| m.is_active() && m.name == name.trim());
    let Some(m) = found else {
        ctx.limiter.record_failure(&key, address, now);
        return Err(not_found());
    };
    let o = tuanwu_store::org::get(c, m.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let phone = o
        .contact_phone_enc
        .as_deref()
        .and_then(|p| ctx.cipher.decrypt(p));
    let admin_contact = match (o.contact_person.as_deref(), phone) {
        (Some(p), Some(ph)) => format!("{p} {ph}"),
        (Some(p), None) => p.to_string(),
        (None, Some(ph)) => ph,
        (None, None) => {
            let admins: Vec<String> = tuanwu_store::account::role::admins_of(c, o.id)
                .await?
                .into_iter()
                .map(|(_, a)| {
                    let phone = a.phone_enc.as_deref().and_then(|p| ctx.cipher.decrypt(p));
                    match phone {
                        Some(p) => format!("{} {p}", a.display_name),
                        None => a.display_name,
                    }
                })
                .collect();
            if admins.is_empty() {
                "该组织暂无管理员，请联系其上级团组织".into()
            } else {
                format!("管理员：{}", admins.join("、"))
            }
        }
    };
    let tx = ctx.db.write().await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::MemberTransferLookup, m.id.0).org(actor.org_id().0),
    )
    .await?;
    tx.commit().await?;
    Ok(LookupView {
        org_name: o.path,
        admin_contact,
    })
}
