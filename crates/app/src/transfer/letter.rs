//! TRF-13: the 团员组织关系介绍信 (存根, 正本, 回执), issued only by basic committees for a completed
//! or offline transfer, numbered per committee per year without gaps, valid 90 days, with its
//! receipt recorded when it comes back.

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use time::Duration;
use tuanwu_domain::age::age_on;
use tuanwu_domain::org::OrgKind;
use tuanwu_domain::transfer::{
    letter_number, ArchiveDisposition, Letter, NewLetter, TransferReason,
};
use tuanwu_domain::{text, DomainError, LetterId, TransferId};
use tuanwu_store::letter as store;
use utoipa::ToSchema;

use crate::audit::{self, format_time, AuditAction, Change};
use crate::clock::CST;
use crate::grant::needs::{self, Write};
use crate::member::view::{decrypt_phone, decrypt_resident_id};
use crate::{Actor, AppError, Context};

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct IssueLetterInput {
    /// `kept` | `with_personnel_file` | `mailed` | `carried` | `other` (default `with_personnel_file`).
    pub archive_disposition: Option<String>,
    /// 转出经办人 (default: the issuing admin's name).
    pub handler: Option<String>,
    /// 团费交至 (YYYY-MM); left blank until dues are recorded in tuanwu.
    pub dues_paid_until: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReceiptInput {
    pub note: Option<String>,
}

/// Everything the three parts print, fixed at issue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LetterFields {
    pub issuing_committee: String,
    /// 转入团委 (the basic committee above the target), or the destination named.
    pub target_committee: String,
    pub name: String,
    pub gender: String,
    pub age: i32,
    pub ethnicity: String,
    pub resident_id: String,
    /// 12 digits or 无.
    pub development_no: String,
    pub reason: String,
    pub from_org: String,
    pub to_org: String,
    pub dues_paid_until: Option<String>,
    pub archive_disposition: String,
    pub member_phone: Option<String>,
    pub issuing_phone: Option<String>,
    pub handler: String,
    pub address: Option<String>,
    pub postcode: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LetterView {
    pub id: i64,
    /// "2026年0001号".
    pub number: String,
    pub org_id: i64,
    pub transfer_id: Option<i64>,
    pub member_id: i64,
    pub issued_at: String,
    /// YYYY-MM-DD: 90 days from issue.
    pub valid_until: String,
    pub expired: bool,
    pub receipt_at: Option<String>,
    pub receipt_note: Option<String>,
    pub fields: LetterFields,
}

fn refuse(code: &'static str, message: impl Into<String>) -> AppError {
    DomainError::new(code, message).rule("TRF-13").into()
}

/// The nearest basic committee at or above an org (团委, a street or industry 团工委, or a 团总支
/// that stands alone): a community branch's letter is addressed to its street's 团工委, not to
/// the district committee above it (issue 15 item 1).
async fn basic_committee<C: ConnectionTrait>(
    c: &C,
    org_id: i64,
) -> Result<Option<tuanwu_domain::org::Org>, AppError> {
    let mut chain = vec![tuanwu_domain::OrgId(org_id)];
    chain.extend(tuanwu_store::org::ancestors(c, tuanwu_domain::OrgId(org_id)).await?);
    for id in chain {
        if let Some(o) = tuanwu_store::org::get(c, id).await? {
            if is_basic_committee(o.kind) {
                return Ok(Some(o));
            }
        }
    }
    Ok(None)
}

/// Who issues letters and whom they are addressed to (TRF-13), on both sides alike.
fn is_basic_committee(kind: OrgKind) -> bool {
    matches!(
        kind,
        OrgKind::Committee | OrgKind::WorkingCommittee | OrgKind::GeneralBranch
    )
}

fn view(ctx: &Context, l: Letter) -> Result<LetterView, AppError> {
    let fields: LetterFields = ctx
        .cipher
        .decrypt(&l.fields_enc)
        .and_then(|s| serde_json::from_str(&s).ok())
        .ok_or_else(|| AppError::Internal(format!("letter {} unreadable", l.id)))?;
    Ok(LetterView {
        id: l.id.0,
        number: l.number,
        org_id: l.org.0,
        transfer_id: l.transfer.map(|t| t.0),
        member_id: l.member.0,
        issued_at: format_time(l.issued_at),
        valid_until: l.valid_until.to_string(),
        expired: ctx.clock.today() > l.valid_until,
        receipt_at: l.receipt_at.map(format_time),
        receipt_note: l.receipt_note,
        fields,
    })
}

pub async fn issue(
    ctx: &Context,
    actor: &Actor,
    transfer_id: i64,
    input: IssueLetterInput,
) -> Result<LetterView, AppError> {
    needs::require(actor, Write::IssueTransferLetter)?;
    let disposition = match input
        .archive_disposition
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(d) => ArchiveDisposition::parse(d)
            .map_err(|e| e.rule("TRF-13").field("archive_disposition"))?,
        None => ArchiveDisposition::WithPersonnelFile,
    };
    // Left blank, the printed letter has a blank to sign: an account's name is often a title
    // (「XX学院团委书记」), not the person who handles the letter.
    let handler =
        text::optional_name(input.handler.as_deref(), "handler", "经办人", 50)?.unwrap_or_default();
    let dues = match input
        .dues_paid_until
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(d) => Some(
            d.parse::<tuanwu_domain::YearMonth>()
                .map_err(|e| e.field("dues_paid_until"))?
                .to_string(),
        ),
        None => None,
    };
    let tx = ctx.db.write().await?;
    let t = tuanwu_store::transfer::lock(&*tx, TransferId(transfer_id))
        .await?
        .ok_or(AppError::NotFound)?;
    actor.ensure_in_scope(&*tx, t.source_org).await?;
    let issuer = tuanwu_store::org::get(&*tx, actor.org_id())
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_basic_committee(issuer.kind) {
        return Err(refuse("not_a_basic_committee", "介绍信只能由基层团委（或独立单位的团总支）开具，团支部不得开具：请联系所在学院或学校团委"));
    }
    if !t.takes_letter() {
        return Err(refuse(
            "transfer_not_done",
            format!(
                "该转接{}，不能开具介绍信：介绍信只为已完成的转接或线下转接开具",
                t.status.label()
            ),
        ));
    }
    if let Some((_, number)) = store::of_transfer(&*tx, t.id).await? {
        return Err(AppError::Conflict {
            code: "letter_exists",
            message: format!("该转接已开具介绍信 {number}：请直接打印，不要重复开具"),
            rule: Some("TRF-13"),
            field: None,
        });
    }
    let m = tuanwu_store::member::of_record(&*tx, t.member)
        .await?
        .ok_or(AppError::NotFound)?;
    let from = tuanwu_store::org::get(&*tx, t.source_org)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let dest = t.assigned_branch.or(t.target_org).map(|o| o.0);
    let (to_org, target_committee) = match dest {
        Some(id) => {
            let to = tuanwu_store::org::get(&*tx, tuanwu_domain::OrgId(id))
                .await?
                .map(|o| o.name)
                .unwrap_or_default();
            let committee = basic_committee(&*tx, id)
                .await?
                .map(|o| o.name)
                .unwrap_or_else(|| to.clone());
            (to, committee)
        }
        None => {
            let external = t
                .external_system
                .map(|e| format!("{}团员管理系统", e.label()));
            let d = t
                .special_destination
                .clone()
                .or(external)
                .unwrap_or_default();
            (d.clone(), d)
        }
    };
    let now = ctx.clock.now();
    let today = now.to_offset(CST).date();
    let seq = store::next_number(&*tx, issuer.id, today.year()).await?;
    let reason = t.reason.label();
    let fields = LetterFields {
        issuing_committee: issuer.name.clone(),
        target_committee,
        name: m.name.clone(),
        gender: m.gender.label().into(),
        age: age_on(m.birth_date, today),
        ethnicity: m.ethnicity.clone(),
        resident_id: decrypt_resident_id(&ctx.cipher, &m),
        development_no: m.development_no.clone().unwrap_or_else(|| "无".into()),
        reason: match &t.note {
            Some(n) if t.reason == TransferReason::Other => format!("{reason}（{n}）"),
            _ => reason.into(),
        },
        from_org: from,
        to_org,
        dues_paid_until: dues,
        archive_disposition: disposition.label().into(),
        member_phone: decrypt_phone(&ctx.cipher, &m),
        issuing_phone: issuer
            .contact_phone_enc
            .as_deref()
            .and_then(|p| ctx.cipher.decrypt(p)),
        handler,
        address: issuer.address.clone(),
        postcode: issuer.postcode.clone(),
    };
    let json = serde_json::to_string(&fields).map_err(|e| AppError::Internal(e.to_string()))?;
    let row = store::insert(
        &*tx,
        NewLetter {
            org: issuer.id,
            year: today.year(),
            seq,
            number: letter_number(today.year(), seq),
            transfer: Some(t.id),
            member: m.id,
            fields_enc: ctx.cipher.encrypt(&json),
            issued_by: actor.account(),
            issued_at: now,
            valid_until: today + Duration::days(90),
        },
    )
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::LetterIssue, row.id.0)
            .org(issuer.id.0)
            .after(serde_json::json!({ "number": row.number, "transfer_id": t.id.0 })),
    )
    .await?;
    tx.commit().await?;
    view(ctx, row)
}

/// Admins whose scope holds the issuing committee.
async fn load<C: ConnectionTrait>(c: &C, actor: &Actor, id: LetterId) -> Result<Letter, AppError> {
    store::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<LetterView, AppError> {
    view(ctx, load(ctx.db.conn(), actor, LetterId(id)).await?)
}

/// The 回执 came back: recorded once.
pub async fn record_receipt(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    input: ReceiptInput,
) -> Result<LetterView, AppError> {
    let note = text::optional(input.note.as_deref(), "note", "回执说明", 500)?;
    let l = load(ctx.db.conn(), actor, LetterId(id)).await?;
    let recorded = || AppError::Conflict {
        code: "receipt_recorded",
        message: "该介绍信的回执已登记过".into(),
        rule: Some("TRF-13"),
        field: None,
    };
    if l.receipt_at.is_some() {
        return Err(recorded());
    }
    let tx = ctx.db.write().await?;
    // Only if still unrecorded: of two at once, one records and the other is told.
    if !store::record_receipt(&*tx, l.id, ctx.clock.now(), note).await? {
        return Err(recorded());
    }
    let l = load(&*tx, actor, l.id).await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::LetterReceipt, l.id.0).org(l.org.0),
    )
    .await?;
    tx.commit().await?;
    view(ctx, l)
}
