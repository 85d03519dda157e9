//! ACC-8: the identity-check columns of a member record, and the audit row of the periodic
//! re-check. Members are not typed yet, so the record comes back as its row.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use time::OffsetDateTime;
use tuanwu_domain::account::IdentityCheck;

use crate::entity::{audit_log, member};

/// Records the outcome of an identity check on `m` (read by the caller in the same
/// transaction: an admin through its scope, or the re-check job, which acts for the system on
/// every record) and returns the updated record.
pub async fn record_check<C: ConnectionTrait>(
    c: &C,
    m: member::Model,
    status: IdentityCheck,
    note: Option<String>,
    at: OffsetDateTime,
) -> Result<member::Model, DbErr> {
    let mut a: member::ActiveModel = m.into();
    a.identity_check = Set(status.key().into());
    a.identity_note = Set(note);
    a.identity_checked_at = Set(Some(at));
    a.updated_at = Set(at);
    a.update(c).await
}

/// The audit entry the re-check job writes (SYS-1): the system instead of an account.
pub struct SystemEntry {
    pub at: OffsetDateTime,
    pub actor_name: &'static str,
    pub role: &'static str,
    pub action: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Writes the job's audit row about `m`, in the job's transaction.
pub async fn audit_by_system<C: ConnectionTrait>(
    c: &C,
    m: &member::Model,
    e: SystemEntry,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        at: Set(e.at),
        account_id: Set(None),
        actor_name: Set(e.actor_name.into()),
        role: Set(e.role.into()),
        acting_org_id: Set(None),
        org_id: Set(Some(m.org_id)),
        province_id: Set(m.province_id),
        entity: Set("member".into()),
        entity_id: Set(Some(m.id)),
        action: Set(e.action.into()),
        before: Set(e.before),
        after: Set(e.after),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}
