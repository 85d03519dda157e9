//! 转接进度 (TRF-8): the progress list with its filters, and the batch decision.

use super::*;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListForm {
    status: String,
    direction: String,
    initiator: String,
    reason: String,
    kind: String,
    from: String,
    to: String,
    q: String,
    overdue: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "transfer/list.html")]
struct ListPage {
    shell: Shell,
    f: ListForm,
    is_admin: bool,
    statuses: Vec<(&'static str, &'static str)>,
    initiators: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    items: Vec<TransferView>,
    pager: Pager,
    errors: FormErrors,
    /// FLT-2: the answers of a batch decision just made, one per ticked transfer.
    batch: Option<BatchResult>,
    batch_reason: String,
    /// Some row waits for the viewer's decision: the batch form and its ticks.
    decidable: bool,
    /// The filters, carried by the batch form so the list comes back the same.
    hidden_filters: Vec<(&'static str, String)>,
}

/// One answer of a batch decision as the list shows it.
pub struct BatchRow {
    pub id: i64,
    pub name: String,
    pub ok: bool,
    pub status_label: String,
    pub error: String,
}

pub struct BatchResult {
    pub approving: bool,
    pub decided: usize,
    pub failed: usize,
    pub rows: Vec<BatchRow>,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    list_page(&ctx, page, f, FormErrors::default(), None, String::new()).await
}

async fn list_page(
    ctx: &Context,
    page: PageActor,
    f: ListForm,
    action_errors: FormErrors,
    batch: Option<BatchResult>,
    batch_reason: String,
) -> Result<Response, PageError> {
    let page_no = f.page.unwrap_or(1).max(1);
    let keep = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let query = ListTransfersQuery {
        status: keep(&f.status),
        direction: keep(&f.direction).filter(|_| page.is_admin()),
        initiator: keep(&f.initiator),
        reason: keep(&f.reason),
        kind: keep(&f.kind),
        from: keep(&f.from),
        to: keep(&f.to),
        q: keep(&f.q),
        overdue: Some(!f.overdue.is_empty()).filter(|o| *o),
        page: Some(page_no),
        per_page: Some(PER_PAGE),
    };
    let (items, total, errors) = match uc::list(ctx, &page.actor, query).await {
        Ok((items, total)) => (items, total, action_errors),
        Err(e) => (Vec::new(), 0, FormErrors::from_app(e)?),
    };
    let base = serde_urlencoded::to_string([
        ("status", &f.status),
        ("direction", &f.direction),
        ("initiator", &f.initiator),
        ("reason", &f.reason),
        ("kind", &f.kind),
        ("from", &f.from),
        ("to", &f.to),
        ("q", &f.q),
        ("overdue", &f.overdue),
    ])
    .unwrap_or_default();
    let pager = Pager {
        page: page_no,
        pages: total.div_ceil(PER_PAGE).max(1),
        total,
        base,
    };
    let status = errors.status();
    let hidden_filters = vec![
        ("status", f.status.clone()),
        ("direction", f.direction.clone()),
        ("initiator", f.initiator.clone()),
        ("reason", f.reason.clone()),
        ("kind", f.kind.clone()),
        ("from", f.from.clone()),
        ("to", f.to.clone()),
        ("q", f.q.clone()),
        ("overdue", f.overdue.clone()),
    ];
    let shell = page.shell("组织关系转接", "transfers");
    let mut statuses = vec![(tuanwu_domain::transfer::ANY_ACTIVE, "进行中")];
    statuses.extend(choices(
        TransferStatus::ALL,
        TransferStatus::key,
        TransferStatus::label,
    ));
    Ok(render(
        ListPage {
            shell,
            f,
            is_admin: page.is_admin(),
            statuses,
            initiators: choices(Initiator::ALL, Initiator::key, Initiator::label),
            reasons: choices(
                TransferReason::ALL,
                TransferReason::key,
                TransferReason::label,
            ),
            kinds: choices(TransferKind::ALL, TransferKind::key, TransferKind::label),
            pager,
            errors,
            // A batch decision approves or rejects: offered where a rejection is.
            decidable: items.iter().any(|t| t.actions.reject),
            hidden_filters,
            items,
            batch,
            batch_reason,
        },
        status,
    ))
}

/// FLT-2: the batch form of the progress list — the ticked transfers (`ids`) approved or
/// rejected (`action`, `batch_reason`) one by one; the list comes back with every answer.
pub async fn batch_decide(
    State(ctx): State<Context>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let filters: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "ids" | "action" | "batch_reason"))
        .collect();
    let f: ListForm = serde_urlencoded::to_string(&filters)
        .ok()
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let action = value("action");
    // The batch's two buttons are two steps of a transfer; anything else is left to the use
    // case, which names the field.
    let step = TransferStep::parse(&action).ok();
    let reason = value("batch_reason");
    if step == Some(TransferStep::Reject) && reason.is_empty() {
        let errors = field_error(
            "batch_reason",
            "批量驳回须填写驳回理由，理由将告知每一位申请人",
        );
        return list_page(&ctx, page, f, errors, None, reason).await;
    }
    let input = BatchDecideInput {
        ids,
        action: action.clone(),
        reason: Some(reason.clone()).filter(|r| !r.is_empty()),
    };
    let result = match batch_uc::batch_decide(&ctx, &page.actor, input).await {
        Ok(r) => r,
        Err(e) => {
            let errors = action_errors(e)?;
            return list_page(&ctx, page, f, errors, None, reason).await;
        }
    };
    let mut rows = Vec::with_capacity(result.items.len());
    for item in result.items {
        let name = match uc::get(&ctx, &page.actor, TransferId(item.id)).await {
            Ok(t) => t.member_name,
            Err(_) => format!("#{}", item.id),
        };
        rows.push(BatchRow {
            id: item.id,
            name,
            ok: item.ok,
            status_label: item
                .status
                .as_deref()
                .and_then(|s| TransferStatus::parse(s).ok())
                .map(|s| s.label().to_string())
                .unwrap_or_default(),
            error: item.error.map(|e| e.message).unwrap_or_default(),
        });
    }
    let batch = BatchResult {
        approving: step == Some(TransferStep::Approve),
        decided: result.decided,
        failed: result.failed,
        rows,
    };
    list_page(
        &ctx,
        page,
        f,
        FormErrors::default(),
        Some(batch),
        String::new(),
    )
    .await
}
