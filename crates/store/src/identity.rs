//! ACC-8: the audit row of the periodic identity re-check (the check itself is written through
//! `member::update`, like every member write).

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use time::OffsetDateTime;
use tuanwu_domain::member::Member;

use crate::entity::audit_log;

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
    m: &Member,
    e: SystemEntry,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        at: Set(e.at),
        account_id: Set(None),
        actor_name: Set(e.actor_name.into()),
        role: Set(e.role.into()),
        acting_org_id: Set(None),
        org_id: Set(Some(m.org_id.0)),
        province_id: Set(m.province_id.map(|p| p.0)),
        entity: Set("member".into()),
        entity_id: Set(Some(m.id.0)),
        action: Set(e.action.into()),
        before: Set(e.before),
        after: Set(e.after),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}
