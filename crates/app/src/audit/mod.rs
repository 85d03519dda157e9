//! SYS-1: every state change is recorded inside the transaction that makes it; admins read the
//! entries about orgs in their subtree, in words (`words`).

mod words;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use serde_json::Value;
pub use tuanwu_domain::audit::AuditAction;
use tuanwu_domain::audit::{AuditEntry, NewAuditEntry};
use tuanwu_domain::OrgId;
use tuanwu_store::audit as store;
use tuanwu_store::crypto::Cipher;
use tuanwu_store::queries::Page;
use utoipa::ToSchema;

use crate::actor::role_label;
use crate::clock::CST;
use crate::{Actor, AppError, Context};

pub use words::FieldChange;

/// One change to record. `before`/`after` hold no personal number, masked or not: where one
/// must be compared, it goes in as [`fingerprint`].
pub struct Change {
    action: AuditAction,
    entity_id: i64,
    org_id: Option<i64>,
    before: Option<Value>,
    after: Option<Value>,
}

impl Change {
    pub fn new(action: AuditAction, entity_id: i64) -> Self {
        Self {
            action,
            entity_id,
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
        Some(id) => tuanwu_store::org::get(c, tuanwu_domain::OrgId(id))
            .await?
            .and_then(|o| o.province_id.map(|p| p.0)),
        None => None,
    };
    store::insert(
        c,
        NewAuditEntry {
            at: ctx.clock.now(),
            account: Some(actor.account()),
            actor_name: actor.name().to_string(),
            role: actor.role_name().key().to_string(),
            acting_org: Some(actor.org_id()),
            org: change.org_id.map(OrgId),
            province: province_id.map(OrgId),
            action: change.action,
            entity_id: Some(change.entity_id),
            before: change.before.map(|v| v.to_string()),
            after: change.after.map(|v| v.to_string()),
        },
    )
    .await?;
    Ok(())
}

/// What the audit log keeps of a personal number (resident ID, phone): a keyed fingerprint
/// that tells two values apart without revealing any digit — a masked copy would leave a
/// handful of candidates once the birth date is known (issue 16 item 10).
pub fn fingerprint(cipher: &Cipher, value: &str) -> String {
    cipher.fingerprint(value)
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
    /// What was done, in words: 签发重置码, 发起转接, ….
    pub action_label: String,
    /// Whom or what it concerns, by name.
    pub target: String,
    /// The fields that changed, in words (personal numbers only as 已登记/已更改).
    pub changes: Vec<FieldChange>,
}

pub fn format_time(t: time::OffsetDateTime) -> String {
    t.to_offset(CST)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl AuditView {
    async fn of<C: ConnectionTrait>(
        c: &C,
        names: &mut words::Names,
        e: AuditEntry,
    ) -> Result<Self, AppError> {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        let (before, after): (Option<Value>, Option<Value>) = (parse(e.before), parse(e.after));
        let org = e.org.map(|o| o.0);
        let target = words::target(c, names, e.action, e.entity_id, org, &before, &after).await?;
        let changes = words::changes(c, names, e.action, &before, &after).await?;
        Ok(Self {
            id: e.id.0,
            at: format_time(e.at),
            account_id: e.account.map(|a| a.0),
            actor_name: e.actor_name,
            role_label: role_label(&e.role).into(),
            role: e.role,
            acting_org_id: e.acting_org.map(|o| o.0),
            org_id: org,
            entity: e.action.entity().into(),
            entity_id: e.entity_id,
            action: e.action.action().into(),
            action_label: e.action.label().into(),
            target,
            changes,
            before,
            after,
        })
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
    match org_id {
        Some(id) => actor.ensure_in_scope(c, id).await?,
        None => {
            actor.admin_root()?;
        }
    }
    let (items, total) = store::list(c, actor.scope(), org_id, page).await?;
    let mut names = words::Names::default();
    let mut views = Vec::with_capacity(items.len());
    for e in items {
        views.push(AuditView::of(c, &mut names, e).await?);
    }
    Ok((views, total))
}
