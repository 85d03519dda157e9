//! One writer for the history of every state machine (requests, transfers, and each area after
//! them): the step in the machine's history and its audit row (SYS-1), in the caller's
//! transaction.

use sea_orm::ConnectionTrait;
use serde_json::Value;
pub use tuanwu_store::history::Subject;
use tuanwu_store::history::{self as store, Step as StoredStep};

use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

/// One step: which machine, which action, the org whose admins see it in the audit log.
pub struct Step {
    subject: Subject,
    action: &'static str,
    org: i64,
    note: Option<String>,
    shown_as: Option<String>,
    after: Option<Value>,
}

impl Step {
    pub fn new(subject: Subject, action: &'static str, org: i64) -> Self {
        Self {
            subject,
            action,
            org,
            note: None,
            shown_as: None,
            after: None,
        }
    }

    /// The reason or remark the history shows beside the step.
    pub fn note(mut self, note: Option<String>) -> Self {
        self.note = note;
        self
    }

    /// The name the history shows instead of the account's (a member acting for themselves, a
    /// requester without an account).
    pub fn shown_as(mut self, name: impl Into<String>) -> Self {
        self.shown_as = Some(name.into());
        self
    }

    /// What the audit row records as the result (personal numbers already masked).
    pub fn after(mut self, after: Value) -> Self {
        self.after = Some(after);
        self
    }
}

/// Writes the step and, when someone logged in took it, its audit row.
pub async fn record<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: Option<&Actor>,
    step: Step,
) -> Result<(), AppError> {
    let actor_name = step
        .shown_as
        .or_else(|| actor.map(|a| a.name().to_string()))
        .unwrap_or_else(|| "系统".into());
    store::add(
        c,
        step.subject,
        StoredStep {
            at: ctx.clock.now(),
            account: actor.map(|a| a.account()),
            actor_name,
            action: step.action.into(),
            note: step.note,
        },
    )
    .await?;
    let Some(actor) = actor else {
        return Ok(());
    };
    let (entity, id) = match step.subject {
        Subject::Transfer(id) => ("transfer", id.0),
        Subject::Request(id) => ("request", id.0),
        Subject::Meeting(id) => ("meeting", id.0),
    };
    // Every step of every machine has its words in the audit table (a domain test walks them).
    let action = AuditAction::parse(entity, step.action).ok_or_else(|| {
        AppError::Internal(format!("no audit words for {entity}.{}", step.action))
    })?;
    let mut change = Change::new(action, id).org(step.org);
    if let Some(after) = step.after {
        change = change.after(after);
    }
    audit::record(ctx, c, actor, change).await
}
