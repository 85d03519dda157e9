//! GRD-5: a graduate's destination (毕业去向), recorded by an admin in scope or by the member
//! themself.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tuanwu_domain::graduation::{Destination, DestinationRecord};
use tuanwu_domain::{text, DomainError, MemberId};
use tuanwu_store::graduation::destination as store;
use utoipa::ToSchema;

use super::member_for_reader;
use super::rules::check_destination_writer;
use crate::audit::{self, format_time, AuditAction, Change};
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DestinationInput {
    /// `further_study` | `employed` | `abroad` | `military` | `preparing_study` |
    /// `preparing_job` | `other` (or the Chinese words).
    pub destination: String,
    /// Required with `other`.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DestinationView {
    pub member_id: i64,
    /// `null` when nothing is recorded yet.
    pub destination: Option<String>,
    pub destination_label: Option<String>,
    pub note: Option<String>,
    pub updated_at: Option<String>,
}

impl DestinationView {
    pub fn of(member: MemberId, row: Option<&DestinationRecord>) -> Self {
        Self {
            member_id: member.0,
            destination: row.map(|r| r.destination.key().to_string()),
            destination_label: row.map(|r| r.destination.label().to_string()),
            note: row.and_then(|r| r.note.clone()),
            updated_at: row.map(|r| format_time(r.updated_at)),
        }
    }
}

/// GRD-5: records or replaces the destination.
pub async fn set_destination(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
    input: DestinationInput,
) -> Result<DestinationView, AppError> {
    let dest =
        Destination::parse(&input.destination).map_err(|e| e.rule("GRD-5").field("destination"))?;
    let note = text::optional(input.note.as_deref(), "note", "说明", 500)?;
    if dest == Destination::Other && note.is_none() {
        return Err(DomainError::new(
            "note_required",
            "毕业去向为“其他”时，请在说明中写明具体去向",
        )
        .rule("GRD-5")
        .field("note")
        .into());
    }
    check_destination_writer(actor)?;
    let tx = ctx.db.write().await?;
    let m = member_for_reader(&*tx, actor, member).await?;
    let old = store::destination(&*tx, member).await?;
    let saved = store::save_destination(
        &*tx,
        DestinationRecord {
            member,
            destination: dest,
            note,
            updated_by: actor.account(),
            updated_at: ctx.clock.now(),
        },
        old.is_some(),
    )
    .await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(
            AuditAction::create_or_update(
                old.is_some(),
                AuditAction::DestinationCreate,
                AuditAction::DestinationUpdate,
            ),
            m.id.0,
        )
        .org(m.org_id.0)
        .before(
            old.as_ref()
                .map(|o| json!({ "destination": o.destination.key(), "note": o.note })),
        )
        .after(json!({ "destination": saved.destination.key(), "note": saved.note })),
    )
    .await?;
    tx.commit().await?;
    Ok(DestinationView::of(member, Some(&saved)))
}

/// GRD-5: the recorded destination (the member themself, or an admin in scope).
pub async fn get_destination(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
) -> Result<DestinationView, AppError> {
    let c = ctx.db.conn();
    member_for_reader(c, actor, member).await?;
    Ok(DestinationView::of(
        member,
        store::destination(c, member).await?.as_ref(),
    ))
}
