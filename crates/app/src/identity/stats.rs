//! ACC-8: how many members of an org's subtree stand at each identity-check status. The list
//! behind each figure is the member list filtered by `identity`.

use serde::Serialize;
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::OrgId;
use utoipa::ToSchema;

use crate::{Actor, AppError, Context};

/// Active members per status, keyed as the API names them.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct IdentityCounts {
    pub pending: u64,
    pub verified: u64,
    pub verified_offline: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentityStatItem {
    /// `pending` | `verified` | `verified_offline` | `failed`.
    pub status: String,
    /// 待核验 | 已认证 | 线下通过 | 未通过.
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentityStats {
    pub org_id: i64,
    /// Active members in the subtree.
    pub total: u64,
    /// 已认证 + 线下通过: both count as verified (ACC-8).
    pub verified_total: u64,
    pub counts: IdentityCounts,
    /// The four statuses in a fixed order, with their Chinese labels.
    pub items: Vec<IdentityStatItem>,
}

/// The figures of `org`'s subtree; `NotFound` outside the actor's scope.
pub async fn stats(ctx: &Context, actor: &Actor, org: OrgId) -> Result<IdentityStats, AppError> {
    ctx.ensure_in_scope(actor, org).await?;
    let rows = tuanwu_store::member::identity_counts(ctx.db.conn(), org).await?;
    let count = |s: IdentityCheck| {
        rows.iter()
            .filter(|(k, _)| *k == s)
            .map(|(_, n)| *n)
            .sum::<u64>()
    };
    let counts = IdentityCounts {
        pending: count(IdentityCheck::Pending),
        verified: count(IdentityCheck::Verified),
        verified_offline: count(IdentityCheck::VerifiedOffline),
        failed: count(IdentityCheck::Failed),
    };
    let items = IdentityCheck::ALL
        .iter()
        .map(|s| IdentityStatItem {
            status: s.key().into(),
            label: s.label().into(),
            count: count(*s),
        })
        .collect();
    Ok(IdentityStats {
        org_id: org.0,
        total: rows.iter().map(|(_, n)| n).sum(),
        verified_total: counts.verified + counts.verified_offline,
        counts,
        items,
    })
}
