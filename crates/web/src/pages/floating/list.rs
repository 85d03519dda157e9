//! 流动团员名单 (FLT-3): an org's floating members with their retention deadlines.

use super::*;
use tuanwu_app::tone::Tone;

const PER_PAGE: u64 = 50;

/// The list filters: (value, label, hint).
const STATES: [(&str, &str); 6] = [
    ("kept", "保留中"),
    ("approaching", "即将到期"),
    ("overdue", "已超期"),
    ("due_step", "待确认处理"),
    ("pending", "转入待审批"),
    ("all", "全部"),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListForm {
    state: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "floating/list.html")]
struct ListPage {
    shell: Shell,
    org: OrgView,
    state: String,
    states: Vec<(&'static str, &'static str)>,
    items: Vec<FloatingView>,
    pager: Pager,
    errors: FormErrors,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    let org = org_uc::get(&ctx, &page.actor, id).await?;
    let state = match f.state.trim() {
        "" => "kept".to_string(),
        s => s.to_string(),
    };
    let page_no = f.page.unwrap_or(1).max(1);
    let query = ListFloatingQuery {
        state: Some(state.clone()),
        page: Some(page_no),
        per_page: Some(PER_PAGE),
    };
    let (items, total, errors) = match uc::list(&ctx, &page.actor, id, query).await {
        Ok((items, total)) => (items, total, FormErrors::default()),
        Err(e) => (Vec::new(), 0, FormErrors::from_app(e)?),
    };
    let pager = Pager {
        page: page_no,
        pages: total.div_ceil(PER_PAGE).max(1),
        total,
        base: serde_urlencoded::to_string([("state", &state)]).unwrap_or_default(),
    };
    let status = errors.status();
    let shell = page.shell(format!("流动团员 · {}", org.name), "orgs");
    Ok(render(
        ListPage {
            shell,
            org,
            state,
            states: STATES.to_vec(),
            items,
            pager,
            errors,
        },
        status,
    ))
}
