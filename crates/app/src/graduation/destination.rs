//! GRD-5: a graduate's destination (毕业去向), recorded by an admin in scope or by the member
//! themself.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tuanwu_domain::graduation::Destination;
use tuanwu_domain::{text, DomainError, MemberId};
use tuanwu_store::entity::destination;
use utoipa::ToSchema;

use super::member_for_reader;
use crate::audit::{self, format_time, Change};
use crate::{Actor, AppError, Context, Scope};

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
    pub fn of(member_id: i64, row: Option<&destination::Model>) -> Self {
        Self {
            member_id,
            destination: row.map(|r| r.destination.clone()),
            destination_label: row
                .and_then(|r| Destination::parse(&r.destination).ok())
                .map(|d| d.label().to_string()),
            note: row.and_then(|r| r.note.clone()),
            updated_at: row.map(|r| format_time(r.updated_at)),
        }
    }
}

pub(crate) async fn find<C: ConnectionTrait>(
    c: &C,
    member_id: i64,
) -> Result<Option<destination::Model>, AppError> {
    Ok(destination::Entity::find_by_id(member_id).one(c).await?)
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
    if !matches!(actor.scope(), Scope::OwnRecord { .. }) {
        actor.require(tuanwu_domain::account::Permission::Members)?;
    }
    let tx = ctx.db.write().await?;
    let m = member_for_reader(&*tx, actor, member).await?;
    let old = find(&*tx, m.id).await?;
    let now = ctx.clock.now();
    let row = destination::ActiveModel {
        member_id: Set(m.id),
        destination: Set(dest.key().into()),
        note: Set(note),
        updated_by: Set(actor.account().0),
        updated_at: Set(now),
    };
    let saved = match &old {
        Some(_) => row.update(&*tx).await?,
        None => row.insert(&*tx).await?,
    };
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(
            "destination",
            m.id,
            if old.is_some() { "update" } else { "create" },
        )
        .org(m.org_id)
        .before(
            old.as_ref()
                .map(|o| json!({ "destination": o.destination, "note": o.note })),
        )
        .after(json!({ "destination": saved.destination, "note": saved.note })),
    )
    .await?;
    tx.commit().await?;
    Ok(DestinationView::of(m.id, Some(&saved)))
}

/// GRD-5: the recorded destination (the member themself, or an admin in scope).
pub async fn get_destination(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
) -> Result<DestinationView, AppError> {
    let c = ctx.db.conn();
    let m = member_for_reader(c, actor, member).await?;
    Ok(DestinationView::of(m.id, find(c, m.id).await?.as_ref()))
}
