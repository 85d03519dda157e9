//! The history of every state machine (requests, transfers, and each area after them): one
//! row per step, written in the transaction that makes the step, read in order.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use sea_orm::{QueryOrder, Set};
use time::OffsetDateTime;
use tuanwu_domain::{AccountId, MeetingId, RequestId, TransferId};

use crate::entity::{meeting_event, request_event, transfer_event};

/// Whose history a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Transfer(TransferId),
    Request(RequestId),
    Meeting(MeetingId),
}

/// One step: who took it, when, and the note that went with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub at: OffsetDateTime,
    pub account: Option<AccountId>,
    pub actor_name: String,
    /// The machine's own step key (`approve`, `submit`, …).
    pub action: String,
    pub note: Option<String>,
}

pub async fn add<C: ConnectionTrait>(c: &C, subject: Subject, step: Step) -> Result<(), DbErr> {
    let account = step.account.map(|a| a.0);
    match subject {
        Subject::Transfer(id) => {
            transfer_event::ActiveModel {
                transfer_id: Set(id.0),
                at: Set(step.at),
                account_id: Set(account),
                actor_name: Set(step.actor_name),
                action: Set(step.action),
                note: Set(step.note),
                ..Default::default()
            }
            .insert(c)
            .await?;
        }
        Subject::Request(id) => {
            request_event::ActiveModel {
                request_id: Set(id.0),
                at: Set(step.at),
                account_id: Set(account),
                actor_name: Set(step.actor_name),
                action: Set(step.action),
                note: Set(step.note),
                ..Default::default()
            }
            .insert(c)
            .await?;
        }
        Subject::Meeting(id) => {
            meeting_event::ActiveModel {
                meeting_id: Set(id.0),
                at: Set(step.at),
                account_id: Set(account),
                actor_name: Set(step.actor_name),
                action: Set(step.action),
                note: Set(step.note),
                ..Default::default()
            }
            .insert(c)
            .await?;
        }
    }
    Ok(())
}

/// The steps of one subject, oldest first. The caller has already read the subject itself
/// through its scope.
pub async fn of<C: ConnectionTrait>(c: &C, subject: Subject) -> Result<Vec<Step>, DbErr> {
    let step = |at, account: Option<i64>, actor_name, action, note| Step {
        at,
        account: account.map(AccountId),
        actor_name,
        action,
        note,
    };
    Ok(match subject {
        Subject::Transfer(id) => transfer_event::Entity::find()
            .filter(transfer_event::Column::TransferId.eq(id.0))
            .order_by_asc(transfer_event::Column::Id)
            .all(c)
            .await?
            .into_iter()
            .map(|e| step(e.at, e.account_id, e.actor_name, e.action, e.note))
            .collect(),
        Subject::Request(id) => request_event::Entity::find()
            .filter(request_event::Column::RequestId.eq(id.0))
            .order_by_asc(request_event::Column::Id)
            .all(c)
            .await?
            .into_iter()
            .map(|e| step(e.at, e.account_id, e.actor_name, e.action, e.note))
            .collect(),
        Subject::Meeting(id) => meeting_event::Entity::find()
            .filter(meeting_event::Column::MeetingId.eq(id.0))
            .order_by_asc(meeting_event::Column::Id)
            .all(c)
            .await?
            .into_iter()
            .map(|e| step(e.at, e.account_id, e.actor_name, e.action, e.note))
            .collect(),
    })
}
