use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::{DomainError, MemberId, OrgId, ResidentId};
use tuanwu_store::member::{self as members, Sort, Within};
use tuanwu_store::queries::Page;
use utoipa::IntoParams;

use super::view::{member_view, summaries, MemberSummary, MemberView};
use crate::{Actor, AppError, Context};

/// A member's own page: admins in scope, or the member themself.
pub async fn get(ctx: &Context, actor: &Actor, id: MemberId) -> Result<MemberView, AppError> {
    let c = ctx.db.conn();
    let m = members::find(c, actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    member_view(c, &ctx.cipher, m, ctx.clock.today()).await
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// Include members of every org below (default: only the org's own members).
    pub subtree: Option<bool>,
    /// `name` (default) | `student_no` | `joined_on`.
    pub sort: Option<String>,
    /// Only members whose identity check (ACC-8) is `pending` | `verified` | `verified_offline`
    /// | `failed`.
    pub identity: Option<String>,
    /// Only members whose name or student number contains this text (the list's search box).
    pub q: Option<String>,
}

/// One page of a member list, as every admin allowed to see the org sees it (the numbers are
/// masked for all of them), so one copy serves all of them while the data is unchanged.
pub struct MemberPage {
    pub items: Vec<MemberSummary>,
    pub total: u64,
    rendered: OnceLock<Vec<u8>>,
}

impl MemberPage {
    /// The page in the caller's wire form, made once per page and then reused.
    pub fn rendered(&self, render: impl FnOnce(&MemberPage) -> Vec<u8>) -> &[u8] {
        self.rendered.get_or_init(|| render(self))
    }
}

/// What a page's content depends on. `today` is in it: age-out is computed from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    org: OrgId,
    within_subtree: bool,
    identity: Option<IdentityCheck>,
    text: Option<String>,
    sort: Sort,
    page: Page,
    today: time::Date,
}

pub async fn list(
    ctx: &Context,
    actor: &Actor,
    org: OrgId,
    q: ListQuery,
) -> Result<Arc<MemberPage>, AppError> {
    ctx.ensure_in_scope(actor, org).await?;
    let sort = match q.sort.as_deref() {
        None | Some("") | Some("name") => Sort::Name,
        Some("student_no") => Sort::StudentNo,
        Some("joined_on") => Sort::JoinedOn,
        Some(other) => {
            return Err(DomainError::new(
                "invalid_sort",
                format!("不能按“{other}”排序：可按 name（姓名）、student_no（学号）、joined_on（入团时间）排序"),
            )
            .field("sort")
            .into())
        }
    };
    let identity = match q.identity.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(IdentityCheck::parse(s).map_err(|e| {
            DomainError::new(
                "invalid_identity_check",
                format!(
                    "{}：请按身份核验状态的代码筛选（pending、verified、verified_offline、failed）",
                    e.message
                ),
            )
            .field("identity")
        })?),
    };
    let key = PageKey {
        org,
        within_subtree: q.subtree.unwrap_or(false),
        identity,
        text: q
            .q
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        sort,
        page: Page::new(q.page, q.per_page),
        today: ctx.clock.today(),
    };
    // Taken before reading: a commit during the read leaves the copy under an old generation.
    let generation = ctx.db.generation_of(org);
    if let Some(page) = ctx.member_pages.get(&key, generation) {
        return Ok(page);
    }
    let c = ctx.db.conn();
    let within = if key.within_subtree {
        Within::Subtree(org)
    } else {
        Within::Org(org)
    };
    let (items, total) =
        members::list(c, within, identity, key.text.as_deref(), sort, key.page).await?;
    let page = Arc::new(MemberPage {
        items: summaries(c, &ctx.cipher, items, key.today).await?,
        total,
        rendered: OnceLock::new(),
    });
    ctx.member_pages.put(key, generation, page.clone());
    Ok(page)
}

/// MEM-8: global search inside the actor's scope.
pub async fn search(
    ctx: &Context,
    actor: &Actor,
    q: &str,
    page: Page,
) -> Result<(Vec<MemberSummary>, u64), AppError> {
    let root = actor.admin_root()?;
    let q = q.trim();
    if q.is_empty() {
        return Err(
            DomainError::new("empty_query", "请输入要查找的姓名、身份证号或学号")
                .field("q")
                .into(),
        );
    }
    let c = ctx.db.conn();
    let index = ResidentId::parse(q, ctx.clock.today())
        .ok()
        .map(|r| ctx.cipher.blind_index(r.as_str()));
    let (items, total) = members::search(c, root, q, index, page).await?;
    Ok((
        summaries(c, &ctx.cipher, items, ctx.clock.today()).await?,
        total,
    ))
}
