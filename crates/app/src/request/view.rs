use serde::Serialize;
use serde_json::Value;
use tuanwu_domain::request::{Request, RequestStep};
use tuanwu_store::history::{self, Subject};
use tuanwu_store::request as store;
use utoipa::ToSchema;

use super::rules::RequestActions;
use crate::audit::format_time;
use crate::file::FileView;
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
    /// How the state reads at a glance (the page's tag colour).
    #[serde(skip)]
    pub tone: crate::tone::Tone,
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
    /// What the actor may do with it now.
    pub actions: RequestActions,
}

fn action_label(a: &str) -> &'static str {
    RequestStep::parse(a).map_or("处理", RequestStep::label)
}

pub async fn request_view(
    ctx: &Context,
    actor: &Actor,
    r: Request,
) -> Result<RequestView, AppError> {
    let c = ctx.db.conn();
    let org_path = tuanwu_store::org::get(c, r.org)
        .await?
        .map(|o| o.path)
        .unwrap_or_default();
    let decider_org_name = tuanwu_store::org::get(c, r.decider_org)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let history = history::of(c, Subject::Request(r.id)).await?;
    let requester_name = history
        .first()
        .map(|e| e.actor_name.clone())
        .unwrap_or_else(|| "系统".into());
    let files = store::files_of(c, r.id).await?;
    let actions = RequestActions::of(c, actor, &r).await?;
    let mut summary = r.summary.clone();
    crate::sealed::open(&ctx.cipher, &mut summary);
    Ok(RequestView {
        id: r.id.0,
        kind: r.kind.key().into(),
        kind_label: r.kind.label().into(),
        status: r.status.key().into(),
        status_label: r.status.label().into(),
        tone: r.status.into(),
        // Org-level requests (GRD-2) name their branch instead.
        member_name: r
            .summary
            .get("member_name")
            .or_else(|| r.summary.get("org_name"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        can_decide: actions.approve || actions.reject,
        can_cancel: actions.cancel,
        actions,
        member_id: r.member.map(|m| m.0),
        org_id: r.org.0,
        org_path,
        requester_name,
        requester_org_id: r.requester_org.0,
        decider_org_id: r.decider_org.0,
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
