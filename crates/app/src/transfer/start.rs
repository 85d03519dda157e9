//! TRF-1 … TRF-7, TRF-9, TRF-12: starting a transfer — as the member, as the source side (转出)
//! or as the target side (转入, which finds the member by name + resident ID).

use sea_orm::ConnectionTrait;
use serde::Deserialize;
use tuanwu_domain::member::Member;
use tuanwu_domain::org::ExternalSystem;
use tuanwu_domain::request::RequestKind;
use tuanwu_domain::transfer::{
    joined_under_13, missing_prerequisites, prerequisites_error, Initiator, NewTransfer,
    TransferKind, TransferReason, TransferStep,
};
use tuanwu_domain::{text, MemberId, ResidentId};
use tuanwu_store::db::unique_violation;
use tuanwu_store::transfer as store;
use utoipa::ToSchema;

use super::checks::{bad, check_target, external_of, handover_guard, in_progress};
use super::view::{transfer_view, TransferView};
use crate::actor::RoleKind;
use crate::grant::needs::{self, Write};
use crate::history::{self, Step, Subject};
use crate::{Actor, AppError, Context, Scope};

#[derive(Debug, Deserialize, ToSchema)]
pub struct SpecialUnitInput {
    /// 去向单位名称 (TRF-6).
    pub destination: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartTransferInput {
    /// The member, for the member themself or the source side.
    pub member_id: Option<i64>,
    /// The target side, which cannot see the member: name + resident ID.
    pub name: Option<String>,
    pub resident_id: Option<String>,
    /// The org found with the ORG-5 search (a branch, or an org whose admin assigns a branch).
    pub target_org_id: Option<i64>,
    /// TRF-6: a special unit (军队, 涉密单位): no target org; the province decides.
    pub special_unit: Option<SpecialUnitInput>,
    /// TRF-9: `beijing` | `guangdong` | `fujian`.
    pub external_system: Option<String>,
    /// TRF-3: `further_study` | `school_change` | `graduation` | `job_change` |
    /// `residence_change` | `military` | `abroad` | `other` (or the Chinese words).
    pub reason: String,
    /// Required with `other`.
    pub note: Option<String>,
    /// FLT-2: required when the target is a floating branch (the 流动团员信息汇总表 fields).
    pub floating: Option<crate::floating::FloatingInput>,
}

/// The member and who is starting the transfer for them.
async fn member_and_initiator<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    input: &StartTransferInput,
) -> Result<(Member, Initiator), AppError> {
    if let Scope::OwnRecord { member: own, .. } = actor.scope() {
        if input.member_id.is_some_and(|id| id != own.0) {
            return Err(AppError::NotFound);
        }
        let m = tuanwu_store::member::of_record(c, own)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok((m, Initiator::Member));
    }
    needs::require(actor, Write::StartTransfer)?;
    if let Some(id) = input.member_id {
        let m = tuanwu_store::member::of_record(c, MemberId(id))
            .await?
            .filter(|m| m.is_active())
            .ok_or(AppError::NotFound)?;
        actor.ensure_in_scope(c, m.org_id).await?;
        return Ok((m, Initiator::Source));
    }
    let (Some(name), Some(rid)) = (input.name.as_deref(), input.resident_id.as_deref()) else {
        return Err(bad(
            "member_required",
            "请指明要转接的团员：转出时选择本组织的团员（member_id），转入时填写团员姓名和身份证号",
            "TRF-1",
            "member_id",
        ));
    };
    let rid = ResidentId::parse(rid, ctx.clock.today()).map_err(|e| e.field("resident_id"))?;
    let found = tuanwu_store::member::by_resident_index(c, ctx.cipher.blind_index(rid.as_str()))
        .await?
        .filter(|m| m.is_active() && m.name == name.trim());
    let Some(m) = found else {
        return Err(bad(
            "member_not_found",
            "未找到姓名和身份证号都相符的团员：请核对后重试；如对方尚未在系统中登记，请联系其原团组织",
            "TRF-1",
            "resident_id",
        ));
    };
    Ok((m, Initiator::Target))
}

pub async fn start(
    ctx: &Context,
    actor: &Actor,
    input: StartTransferInput,
) -> Result<TransferView, AppError> {
    let reason =
        TransferReason::parse(&input.reason).map_err(|e| e.rule("TRF-3").field("reason"))?;
    let note = text::optional(input.note.as_deref(), "note", "说明", 500)?;
    if reason == TransferReason::Other && note.is_none() {
        return Err(bad(
            "note_required",
            "转接原因为“其他”时，请在说明中写明具体原因",
            "TRF-3",
            "note",
        ));
    }
    let external = match input
        .external_system
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(e) => {
            Some(ExternalSystem::parse(e).map_err(|e| e.rule("TRF-9").field("external_system"))?)
        }
        None => None,
    };
    let destination = match &input.special_unit {
        Some(s) => Some(text::required(
            &s.destination,
            "special_unit",
            "去向单位名称",
            200,
        )?),
        None => None,
    };
    let kind = match (&destination, external, input.target_org_id) {
        (Some(_), None, None) => TransferKind::SpecialUnit,
        (None, Some(_), _) => TransferKind::External,
        (None, None, Some(_)) => TransferKind::Internal,
        (None, None, None) => {
            return Err(bad("target_required", "请用组织搜索选择转入的团组织；转往军队等特殊单位请选择“特殊单位”，转往北京/广东/福建请选择对应系统", "TRF-5", "target_org_id"))
        }
        _ => {
            return Err(bad("target_conflict", "转入组织、特殊单位、外部系统只能选择其中一项", "TRF-5", "target_org_id"))
        }
    };

    let tx = ctx.db.write().await?;
    let (m, initiator) = member_and_initiator(ctx, &*tx, actor, &input).await?;
    if !m.is_active() {
        return Err(AppError::NotFound);
    }
    if initiator == Initiator::Target && kind != TransferKind::Internal {
        return Err(bad("outbound_by_source", "转往特殊单位或北京/广东/福建的转接须由团员本人或其所在组织发起：转入方只能发起系统内转入", "TRF-1", "target_org_id"));
    }
    if initiator == Initiator::Member && kind == TransferKind::SpecialUnit {
        return Err(bad(
            "special_unit_by_admin",
            "转往特殊单位须由所在团组织的管理员发起：请联系团支书",
            "TRF-6",
            "special_unit",
        ));
    }
    let target = match (kind, input.target_org_id) {
        (TransferKind::Internal, Some(id)) => {
            let t = tuanwu_store::org::get(&*tx, tuanwu_domain::OrgId(id))
                .await?
                .ok_or_else(|| {
                    bad(
                        "target_not_found",
                        "所选转入组织不存在：请用组织搜索重新选择",
                        "TRF-5",
                        "target_org_id",
                    )
                })?;
            check_target(&*tx, &t, &m, initiator).await?;
            if initiator == Initiator::Target {
                actor.ensure_in_scope(&*tx, t.id).await?;
            }
            Some(t)
        }
        (TransferKind::External, Some(id)) => {
            tuanwu_store::org::get(&*tx, tuanwu_domain::OrgId(id)).await?
        }
        _ => None,
    };
    if let Some(existing) = store::active_of(&*tx, m.id).await? {
        return Err(in_progress(&existing));
    }
    // TRF-9: the external systems refuse members who joined under 13, automatically.
    if let Some(from) = external_of(&*tx, m.org_id.0).await? {
        if joined_under_13(m.birth_date, m.joined_on) {
            return Err(bad(
                "joined_under_13",
                format!("该团员入团时未满13周岁，{}系统与全团系统之间的转接会被自动拒绝：2017年前入团的请原单位开具介绍信线下转接，2017年及以后低龄入团的不予承认团员身份", from.label()),
                "TRF-9",
                "member_id",
            ));
        }
    }
    let identity = m.identity_check;
    let league = crate::archive::view::league_identity_of(&*tx, m.id.0, m.joined_on).await?;
    let correction =
        tuanwu_store::request::pending_exists(&*tx, m.id, RequestKind::MemberCorrection).await?;
    if let Some(e) = prerequisites_error(
        &m.name,
        &missing_prerequisites(identity, league, correction),
    ) {
        return Err(e.into());
    }
    handover_guard(&*tx, &m).await?;

    let initiator_name = match (initiator, actor.role_kind()) {
        (Initiator::Member, _) | (_, RoleKind::Member) => m.name.clone(),
        _ => actor.name().to_string(),
    };
    let row = store::insert(
        &*tx,
        NewTransfer {
            member: m.id,
            kind,
            initiator,
            initiator_account: actor.account(),
            initiator_name: initiator_name.clone(),
            source_org: m.org_id,
            target_org: target.as_ref().map(|t| t.id),
            external_system: external,
            special_destination: destination,
            reason,
            note: note.clone(),
            created_at: ctx.clock.now(),
        },
    )
    .await;
    let row = match row {
        Ok(r) => r,
        // Two starts at the same instant: the unique index lets exactly one through.
        Err(e) if unique_violation(&e).is_some() => {
            drop(tx);
            return match store::active_of(ctx.db.conn(), m.id).await? {
                Some(t) => Err(in_progress(&t)),
                None => Err(e.into()),
            };
        }
        Err(e) => return Err(e.into()),
    };
    crate::floating::enter::attach(
        ctx,
        &*tx,
        &row,
        &m,
        target.as_ref(),
        input.floating.as_ref(),
    )
    .await?;
    history::record(
        ctx,
        &*tx,
        Some(actor),
        Step::new(
            Subject::Transfer(row.id),
            TransferStep::Start.key(),
            m.org_id.0,
        )
        .note(note)
        .shown_as(initiator_name)
        .after(serde_json::json!({
            "member_id": m.id, "kind": kind.key(), "initiator": initiator.key(),
            "target_org_id": row.target_org.map(|o| o.0), "reason": reason.key(),
            "external_system": row.external_system.map(|e| e.key()),
            "special_destination": row.special_destination,
        })),
    )
    .await?;
    tx.commit().await?;
    transfer_view(ctx, actor, row).await
}
