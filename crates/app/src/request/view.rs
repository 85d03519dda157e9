use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::Value;
use tuanwu_domain::request::{RequestKind, RequestStatus};
use tuanwu_store::entity::{file, request, request_file};
use tuanwu_store::queries;
use utoipa::ToSchema;

use crate::audit::format_time;
use crate::file::FileView;
use crate::org::view::label;
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub at: String,
    pub actor_name: String,
    /// `submit` | `approve` | `reject` | `cancel`.
    pub action: String,
    pub action_label: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestView {
    pub id: i64,
    /// `member_correction` | `member_deletion` | `development_no_conflict` | ... |
    /// `graduation_change`.
    pub kind: String,
    pub kind_label: String,
    /// `pending` | `approved` | `rejected` | `cancelled`.
    pub status: String,
    pub status_label: String,
    pub member_id: Option<i64>,
    pub member_name: String,
    /// The org the request concerns (the member's branch) and its full path.
    pub org_id: i64,
    pub org_path: String,
    pub requester_name: String,
    pub requester_org_id: i64,
    pub decider_org_id: i64,
    pub decider_org_name: String,
    /// What is proposed, as lists show it (personal numbers masked).
    #[schema(value_type = Object)]
    pub summary: Value,
    pub reason: String,
    pub decision_reason: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub files: Vec<FileView>,
    pub history: Vec<EventView>,
    /// The actor may approve or reject it now.
    pub can_decide: bool,
    /// The actor may cancel it now.
    pub can_cancel: bool,
}

fn action_label(a: &str) -> &'static str {
    match a {
        "submit" => "提交申请",
        "approve" => "审批通过",
        "reject" => "驳回",
        "cancel" => "撤销申请",
        _ => "处理",
    }
}

pub async fn request_view(
    ctx: &Context,
    actor: &Actor,
    r: request::Model,
) -> Result<RequestView, AppError> {
    let c = ctx.db.conn();
    let summary: Value = serde_json::from_str(&r.summary).unwrap_or(Value::Null);
    let org_path = queries::org::find(c, r.org_id)
        .await?
        .map(|o| o.path)
        .unwrap_or_default();
    let decider_org_name = queries::org::find(c, r.decider_org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let history = tuanwu_store::history::of(
        c,
        tuanwu_store::history::Subject::Request(tuanwu_domain::RequestId(r.id)),
    )
    .await?;
    let requester_name = history
        .first()
        .map(|e| e.actor_name.clone())
        .unwrap_or_else(|| "系统".into());
    let links = request_file::Entity::find()
        .filter(request_file::Column::RequestId.eq(r.id))
        .all(c)
        .await?;
    let files = file::Entity::find()
        .filter(file::Column::Id.is_in(links.iter().map(|l| l.file_id)))
        .order_by_asc(file::Column::Id)
        .all(c)
        .await?;
    let pending = r.status == RequestStatus::Pending.key();
    let can_decide = pending && super::may_decide(c, actor, &r).await?;
    Ok(RequestView {
        id: r.id,
        kind_label: label(
            &Some(r.kind.clone()),
            RequestKind::parse,
            RequestKind::label,
        )
        .unwrap_or_default(),
        status_label: label(
            &Some(r.status.clone()),
            RequestStatus::parse,
            RequestStatus::label,
        )
        .unwrap_or_default(),
        // Org-level requests (GRD-2) name their branch instead.
        member_name: summary
            .get("member_name")
            .or_else(|| summary.get("org_name"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        can_cancel: pending && r.requester_account_id == Some(actor.account().0),
        can_decide,
        kind: r.kind,
        status: r.status,
        member_id: r.member_id,
        org_id: r.org_id,
        org_path,
        requester_name,
        requester_org_id: r.requester_org_id,
        decider_org_id: r.decider_org_id,
        decider_org_name,
        summary,
        reason: r.reason,
        decision_reason: r.decision_reason,
        created_at: format_time(r.created_at),
        decided_at: r.decided_at.map(format_time),
        files: files.into_iter().map(FileView::from).collect(),
        history: history
            .into_iter()
            .map(|e| EventView {
                at: format_time(e.at),
                action_label: action_label(&e.action).into(),
                actor_name: e.actor_name,
                action: e.action,
                note: e.note,
            })
            .collect(),
    })
}
