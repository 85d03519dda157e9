//! SYS-1: the audit log, typed. Entries are written in the transaction of the change they
//! record and read by the admins whose subtree contains the org they concern.

use sea_orm::{
    ActiveModelTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use tuanwu_domain::audit::{AuditAction, AuditEntry, NewAuditEntry};
use tuanwu_domain::{AccountId, AuditId, OrgId};

use crate::entity::audit_log;
use crate::queries::{in_subtree, Page};
use crate::scope::Scope;

use audit_log::Column as A;

/// An entry as stored; a pair of entity and action the code never writes is refused, not
/// guessed.
fn record(m: audit_log::Model) -> Result<AuditEntry, DbErr> {
    let action = AuditAction::parse(&m.entity, &m.action).ok_or_else(|| {
        DbErr::Type(format!(
            "audit_log {}: unknown action {}.{}",
            m.id, m.entity, m.action
        ))
    })?;
    Ok(AuditEntry {
        id: AuditId(m.id),
        at: m.at,
        account: m.account_id.map(AccountId),
        actor_name: m.actor_name,
        role: m.role,
        acting_org: m.acting_org_id.map(OrgId),
        org: m.org_id.map(OrgId),
        action,
        entity_id: m.entity_id,
        before: m.before,
        after: m.after,
    })
}

pub async fn insert<C: ConnectionTrait>(c: &C, e: NewAuditEntry) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        at: Set(e.at),
        account_id: Set(e.account.map(|a| a.0)),
        actor_name: Set(e.actor_name),
        role: Set(e.role),
        acting_org_id: Set(e.acting_org.map(|o| o.0)),
        org_id: Set(e.org.map(|o| o.0)),
        province_id: Set(e.province.map(|o| o.0)),
        entity: Set(e.action.entity().into()),
        entity_id: Set(e.entity_id),
        action: Set(e.action.action().into()),
        before: Set(e.before),
        after: Set(e.after),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

/// The entries about orgs in the scope's subtree (and in `within`'s, when given), newest
/// first, and how many there are. A member's own record reaches no audit entry.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    within: Option<OrgId>,
    page: Page,
) -> Result<(Vec<AuditEntry>, u64), DbErr> {
    let Some(root) = scope.root() else {
        return Ok((Vec::new(), 0));
    };
    let mut cond = Condition::all().add(in_subtree(A::OrgId, root.0));
    if let Some(org) = within {
        cond = cond.add(in_subtree(A::OrgId, org.0));
    }
    let q = audit_log::Entity::find().filter(cond);
    let total = q.clone().count(c).await?;
    let items = q
        .order_by_desc(A::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?;
    let items = items.into_iter().map(record).collect::<Result<_, _>>()?;
    Ok((items, total))
}
