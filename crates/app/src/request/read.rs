//! Reading requests: one request, the lists of both sides, and SYS-2's to-do list.

use serde::{Deserialize, Serialize};
use tuanwu_domain::request::{RequestKind, RequestStatus};
use tuanwu_domain::{DomainError, RequestId};
use tuanwu_store::queries::Page;
use tuanwu_store::request::{self as store, Filter, Side};
use utoipa::{IntoParams, ToSchema};

use super::rules::visible;
use super::view::{request_view, RequestView};
use crate::{Actor, AppError, Context};

pub async fn get(ctx: &Context, actor: &Actor, id: RequestId) -> Result<RequestView, AppError> {
    let r = visible(ctx.db.conn(), actor, id).await?;
    request_view(ctx, actor, r).await
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListRequestsQuery {
    /// `requester` (requests about records in my scope, default), `decider` (requests my
    /// level or a level below me decides) or `mine` (requests I submitted).
    pub role: Option<String>,
    /// `pending` | `approved` | `rejected` | `cancelled`.
    pub status: Option<String>,
    /// `member_correction` | `member_deletion` | `development_no_conflict`.
    pub kind: Option<String>,
    /// Part of the member's name.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

pub async fn list(
    ctx: &Context,
    actor: &Actor,
    q: ListRequestsQuery,
) -> Result<(Vec<RequestView>, u64), AppError> {
    actor.admin_root()?;
    let side = match q.role.as_deref() {
        None | Some("") | Some("requester") => Side::Requester,
        Some("decider") => Side::Decider,
        Some("mine") => Side::Mine(actor.account()),
        Some(other) => {
            return Err(DomainError::new(
                "invalid_role",
                format!("role 只能是 requester、decider 或 mine，不能是“{other}”"),
            )
            .field("role")
            .into())
        }
    };
    let filter = Filter {
        side,
        status: q
            .status
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| RequestStatus::parse(s).map_err(|e| e.field("status")))
            .transpose()?,
        kind: q
            .kind
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|k| RequestKind::parse(k).map_err(|e| e.field("kind")))
            .transpose()?,
        text: q
            .q
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    };
    let page = Page::new(q.page, q.per_page);
    let (rows, total) = store::list(ctx.db.conn(), actor.scope(), &filter, page).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(request_view(ctx, actor, r).await?);
    }
    Ok((out, total))
}

/// An item waiting for the actor (SYS-2). Later areas add their own kinds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TodoView {
    /// `request` | `transfer` | `floating` | `meeting_compliance`.
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub org_path: String,
    pub created_at: String,
    /// The page to open.
    pub link: String,
}

/// Pending requests that the actor's own org decides (not those of the levels below, which
/// their own admins handle), excluding the actor's own; then the transfers waiting for it.
pub async fn todos(ctx: &Context, actor: &Actor) -> Result<Vec<TodoView>, AppError> {
    actor.admin_root()?;
    let rows = store::waiting_for(ctx.db.conn(), actor.scope()).await?;
    let mut out = Vec::new();
    for r in rows.into_iter().filter(|r| !r.is_own(actor.account())) {
        let v = request_view(ctx, actor, r).await?;
        out.push(TodoView {
            kind: "request".into(),
            id: v.id,
            title: format!("{}：{}", v.kind_label, v.member_name),
            org_path: v.org_path,
            created_at: v.created_at,
            link: format!("/requests/{}", v.id),
        });
    }
    out.extend(crate::transfer::todos(ctx, actor).await?);
    out.extend(crate::floating::todos(ctx, actor).await?);
    out.extend(crate::meeting::todos(ctx, actor).await?);
    Ok(out)
}
