//! SYS-1: every state change is recorded inside the transaction that makes it; admins read the
//! entries about orgs in their subtree.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::Serialize;
use serde_json::Value;
use tuanwu_domain::OrgId;
use tuanwu_store::entity::audit_log;
use tuanwu_store::queries::{self, Page};
use utoipa::ToSchema;

use crate::actor::role_label;
use crate::clock::CST;
use crate::{Actor, AppError, Context};

/// One change to record. `before`/`after` must already have personal numbers masked.
pub struct Change {
    entity: &'static str,
    entity_id: i64,
    action: &'static str,
    org_id: Option<i64>,
    before: Option<Value>,
    after: Option<Value>,
}

impl Change {
    pub fn new(entity: &'static str, entity_id: i64, action: &'static str) -> Self {
        Self {
            entity,
            entity_id,
            action,
            org_id: None,
            before: None,
            after: None,
        }
    }

    /// The org the change concerns: the entry is visible to admins whose subtree contains it.
    pub fn org(mut self, org_id: i64) -> Self {
        self.org_id = Some(org_id);
        self
    }

    pub fn before(mut self, v: impl Serialize) -> Self {
        self.before = serde_json::to_value(v).ok();
        self
    }

    pub fn after(mut self, v: impl Serialize) -> Self {
        self.after = serde_json::to_value(v).ok();
        self
    }
}

pub async fn record<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    change: Change,
) -> Result<(), AppError> {
    let province_id = match change.org_id {
        Some(id) => queries::org::find(c, id).await?.and_then(|o| o.province_id),
        None => None,
    };
    audit_log::ActiveModel {
        at: Set(ctx.clock.now()),
        account_id: Set(Some(actor.account().0)),
        actor_name: Set(actor.name().to_string()),
        role: Set(actor.role_name().to_string()),
        acting_org_id: Set(Some(actor.org_id().0)),
        org_id: Set(change.org_id),
        province_id: Set(province_id),
        entity: Set(change.entity.into()),
        entity_id: Set(Some(change.entity_id)),
        action: Set(change.action.into()),
        before: Set(change.before.map(|v| v.to_string())),
        after: Set(change.after.map(|v| v.to_string())),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub id: i64,
    /// RFC 3339, China Standard Time.
    pub at: String,
    pub account_id: Option<i64>,
    pub actor_name: String,
    pub role: String,
    pub role_label: String,
    pub acting_org_id: Option<i64>,
    pub org_id: Option<i64>,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    #[schema(value_type = Object)]
    pub before: Option<Value>,
    #[schema(value_type = Object)]
    pub after: Option<Value>,
}

pub fn format_time(t: time::OffsetDateTime) -> String {
    t.to_offset(CST)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl From<audit_log::Model> for AuditView {
    fn from(m: audit_log::Model) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Self {
            id: m.id,
            at: format_time(m.at),
            account_id: m.account_id,
            actor_name: m.actor_name,
            role_label: role_label(&m.role).into(),
            role: m.role,
            acting_org_id: m.acting_org_id,
            org_id: m.org_id,
            entity: m.entity,
            entity_id: m.entity_id,
            action: m.action,
            before: parse(m.before),
            after: parse(m.after),
        }
    }
}

/// The log of the actor's subtree, or of one org's subtree inside it.
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    org_id: Option<OrgId>,
    page: Page,
) -> Result<(Vec<AuditView>, u64), AppError> {
    let c = ctx.db.conn();
    let root = match org_id {
        Some(id) => {
            actor.ensure_in_scope(c, id).await?;
            id
        }
        None => actor.admin_root()?,
    };
    let (items, total) = queries::audit::list(c, root.0, page).await?;
    Ok((items.into_iter().map(AuditView::from).collect(), total))
}
