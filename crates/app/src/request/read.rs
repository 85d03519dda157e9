//! Reading requests: one request, the lists of both sides, and SYS-2's to-do list.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use tuanwu_domain::request::{RequestKind, RequestStatus};
use tuanwu_domain::DomainError;
use tuanwu_store::entity::request;
use tuanwu_store::queries::{in_subtree, Page};
use utoipa::{IntoParams, ToSchema};

use super::view::{request_view, RequestView};
use crate::{Actor, AppError, Context};

pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<RequestView, AppError> {
    let r = request::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    if !super::may_see(ctx, actor, &r).await? {
        return Err(AppError::NotFound);
    }
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
    let root = actor.admin_root()?;
    let mut query = request::Entity::find();
    query = match q.role.as_deref() {
        None | Some("") | Some("requester") => {
            query.filter(in_subtree(request::Column::OrgId, root.0))
        }
        Some("decider") => query.filter(in_subtree(request::Column::DeciderOrgId, root.0)),
        Some("mine") => query.filter(request::Column::RequesterAccountId.eq(actor.account().0)),
        Some(other) => {
            return Err(DomainError::new(
                "invalid_role",
                format!("role 只能是 requester、decider 或 mine，不能是“{other}”"),
            )
            .field("role")
            .into())
        }
    };
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(
            request::Column::Status.eq(RequestStatus::parse(s)
                .map_err(|e| e.field("status"))?
                .key()),
        );
    }
    if let Some(k) = q.kind.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(
            request::Column::Kind.eq(RequestKind::parse(k).map_err(|e| e.field("kind"))?.key()),
        );
    }
    if let Some(name) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // The summary holds the member's name (and no clear personal numbers).
        query = query.filter(request::Column::Summary.contains(name));
    }
    let page = Page::new(q.page, q.per_page);
    let total = query.clone().count(ctx.db.conn()).await?;
    let rows = query
        .order_by_desc(request::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(ctx.db.conn())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(request_view(ctx, actor, r).await?);
    }
    Ok((out, total))
}

/// An item waiting for the actor (SYS-2). Later areas add their own kinds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TodoView {
    /// `request` | `transfer` | `floating`.
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
    let root = actor.admin_root()?;
    let rows = request::Entity::find()
        .filter(request::Column::DeciderOrgId.eq(root.0))
        .filter(request::Column::Status.eq(RequestStatus::Pending.key()))
        .order_by_asc(request::Column::Id)
        .limit(500)
        .all(ctx.db.conn())
        .await?;
    let mut out = Vec::new();
    for r in rows
        .into_iter()
        .filter(|r| r.requester_account_id != Some(actor.account().0))
    {
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
    Ok(out)
}
