//! GRD-1 / GRD-2 pages: the school branches of an org and their marking.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use tuanwu_app::graduation::{
    self as uc, BranchChoices, BranchMarkView, BranchesQuery, MarkBatchInput, MarkingActions,
};
use tuanwu_app::org::{self as org_uc, OrgView};
use tuanwu_app::request::{self as request_uc, SubmitInput};
use tuanwu_app::Context;
use tuanwu_domain::OrgId;

use super::{pager, pairs_get, pairs_ids, PER_PAGE};
use crate::extract::ApiPath;
use crate::pages::member::Pager;
use crate::pages::shell::{render, Form, FormErrors, PageActor, PageError, Shell};

/// The list's filters as typed (strings, so a page shows back what was typed): carried by the
/// filter form, the pager, the marking form and the redirect after marking.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    status: String,
    year: String,
    college: String,
    grade: String,
    q: String,
}

impl Filters {
    fn of(pairs: &[(String, String)]) -> Self {
        Filters {
            status: pairs_get(pairs, "status").to_string(),
            year: pairs_get(pairs, "year").trim().to_string(),
            college: pairs_get(pairs, "college").trim().to_string(),
            grade: pairs_get(pairs, "grade").trim().to_string(),
            q: pairs_get(pairs, "q").trim().to_string(),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("status", &self.status),
            ("year", &self.year),
            ("college", &self.college),
            ("grade", &self.grade),
            ("q", &self.q),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }

    /// The query string of these filters (empty ones left out).
    fn query(&self) -> String {
        serde_urlencoded::to_string(self.pairs()).unwrap_or_default()
    }

    fn with_status(&self, status: &str) -> Self {
        Filters {
            status: status.into(),
            ..self.clone()
        }
    }

    fn to_query(&self, page: u64, per_page: u64) -> BranchesQuery {
        BranchesQuery {
            status: Some(self.status.clone()),
            year: self.year.parse().ok(),
            q: Some(self.q.clone()),
            college: self.college.parse().ok(),
            grade: self.grade.parse().ok(),
            page: Some(page),
            per_page: Some(per_page),
        }
    }

    /// Some filter narrows the list (the page offers to clear them).
    fn any(&self) -> bool {
        !self.pairs().is_empty()
    }

    fn college_is(&self, id: &i64) -> bool {
        self.college == id.to_string()
    }

    fn grade_is(&self, g: &i32) -> bool {
        self.grade == g.to_string()
    }
}

#[derive(Template)]
#[template(path = "graduation/branches.html")]
struct BranchesPage {
    shell: Shell,
    org: OrgView,
    items: Vec<BranchMarkView>,
    pager: Pager,
    f: Filters,
    choices: BranchChoices,
    /// Unmarked branches matching the filters, on every page ("select all" marks them).
    unmarked_matching: u64,
    /// What the viewer may do on the list as a whole (GRD-1).
    actions: MarkingActions,
    year_month: String,
    mixed: bool,
    errors: FormErrors,
}

/// The list's query: the filters, the page, and what the last marking did.
#[derive(Deserialize, Default)]
pub struct BranchesForm {
    status: Option<String>,
    year: Option<String>,
    college: Option<String>,
    grade: Option<String>,
    q: Option<String>,
    page: Option<u64>,
    marked: Option<u64>,
    skipped: Option<u64>,
    requested: Option<i64>,
}

struct Notice {
    year_month: String,
    mixed: bool,
    errors: FormErrors,
    text: Option<String>,
}

impl Notice {
    fn text(text: Option<String>) -> Self {
        Notice {
            year_month: String::new(),
            mixed: false,
            errors: FormErrors::default(),
            text,
        }
    }
}

async fn branches_page(
    ctx: &Context,
    page: PageActor,
    id: OrgId,
    f: Filters,
    page_no: u64,
    n: Notice,
) -> Result<Response, PageError> {
    let org = org_uc::get(ctx, &page.actor, id).await?;
    let (items, total) = uc::branches(ctx, &page.actor, id, f.to_query(page_no, PER_PAGE)).await?;
    let actions = uc::marking_actions(ctx, &page.actor).await?;
    let unmarked_matching = if actions.mark {
        let q = f.with_status("unmarked").to_query(1, 1);
        uc::branches(ctx, &page.actor, id, q).await?.1
    } else {
        0
    };
    let choices = uc::branch_choices(ctx, &page.actor, id).await?;
    let status_code = n.errors.status();
    let mut shell = page.shell(format!("团支部毕业时间 · {}", org.name), "orgs");
    shell.notice = n.text;
    Ok(render(
        BranchesPage {
            shell,
            org,
            items,
            pager: pager(page_no, total, f.query()),
            f,
            choices,
            unmarked_matching,
            actions,
            year_month: n.year_month,
            mixed: n.mixed,
            errors: n.errors,
        },
        status_code,
    ))
}

pub async fn branches(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(form): Query<BranchesForm>,
) -> Result<Response, PageError> {
    let notice = match (form.marked, form.skipped, form.requested) {
        (_, _, Some(_)) => Some("修改毕业时间的申请已提交，团市委审批通过后生效".to_string()),
        (Some(m), Some(s), _) if s > 0 => Some(format!(
            "已标记{m}个团支部；另有{s}个未标记（已标记过的、非学校团支部或不在管理范围内的），已标记的请通过“申请修改”办理"
        )),
        (Some(m), _, _) => Some(format!("已标记{m}个团支部")),
        _ => None,
    };
    let page_no = form.page.unwrap_or(1).max(1);
    let text = |v: Option<String>| v.unwrap_or_default().trim().to_string();
    let f = Filters {
        status: text(form.status),
        year: text(form.year),
        college: text(form.college),
        grade: text(form.grade),
        q: text(form.q),
    };
    branches_page(&ctx, page, id, f, page_no, Notice::text(notice)).await
}

/// The marking form: `year_month`, `mixed`, the list's filters, and either `org_ids` (one pair
/// per ticked branch) or `all_matching=1` (every unmarked branch the filters match). After
/// marking, the list comes back on the same filters (POST-redirect-GET keeps the query).
pub async fn mark(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let year_month = pairs_get(&pairs, "year_month").trim().to_string();
    let mixed = !pairs_get(&pairs, "mixed").is_empty();
    let f = Filters::of(&pairs);
    let result = if pairs_get(&pairs, "all_matching") == "1" {
        let q = f.to_query(1, PER_PAGE);
        uc::mark_matching(
            &ctx,
            &page.actor,
            id,
            q,
            Some(year_month.clone()),
            Some(mixed),
        )
        .await
    } else {
        let input = MarkBatchInput {
            org_ids: pairs_ids(&pairs, "org_ids"),
            year_month: Some(year_month.clone()),
            mixed: Some(mixed),
        };
        uc::mark_batch(&ctx, &page.actor, input).await
    };
    match result {
        Ok(r) => {
            let mut q = f.pairs();
            q.push(("marked", r.marked.len().to_string()));
            q.push(("skipped", r.skipped.len().to_string()));
            let q = serde_urlencoded::to_string(q).unwrap_or_default();
            Ok(Redirect::to(&format!("/orgs/{id}/graduation?{q}")).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            let n = Notice {
                year_month,
                mixed,
                errors,
                text: None,
            };
            branches_page(&ctx, page, id, f, 1, n).await
        }
    }
}

/// GRD-2 from the branch list: a change request for one marked branch.
pub async fn request_change(
    State(ctx): State<Context>,
    ApiPath((id, branch)): ApiPath<(OrgId, OrgId)>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let year_month = pairs_get(&pairs, "year_month").trim().to_string();
    let mixed = !pairs_get(&pairs, "mixed").is_empty();
    let mut changes = serde_json::Map::new();
    if mixed {
        changes.insert("mixed".into(), json!(true));
    } else if !year_month.is_empty() {
        changes.insert("year_month".into(), json!(year_month));
    }
    let input = SubmitInput {
        kind: "graduation_change".into(),
        member_id: None,
        org_id: Some(branch.0),
        changes: Value::Object(changes),
        reason: pairs_get(&pairs, "reason").to_string(),
        file_ids: None,
    };
    match request_uc::submit(&ctx, &page.actor, input).await {
        Ok(r) => Ok(Redirect::to(&format!("/requests/{}", r.id)).into_response()),
        Err(e) => {
            let mut errors = FormErrors::from_app(e)?;
            if errors.general.is_none() {
                errors.general = errors.fields.first().map(|(_, m)| m.clone());
            }
            let n = Notice {
                errors,
                ..Notice::text(None)
            };
            branches_page(&ctx, page, id, Filters::default(), 1, n).await
        }
    }
}
