//! A branch's 组织生活 tab: its records grouped by quarter, newest first, with 新建记录 when
//! the view offers it; the level above also sees the deleted ones to restore.

use super::*;

/// One quarter's records.
pub struct QuarterGroup {
    pub label: String,
    pub items: Vec<MeetingView>,
}

#[derive(Template)]
#[template(path = "meeting/list.html")]
struct ListPage {
    shell: Shell,
    org: OrgInfo,
    actions: OrgMeetingActions,
    quarters: Vec<QuarterGroup>,
    deleted: Vec<MeetingView>,
}

fn grouped(items: Vec<MeetingView>) -> Vec<QuarterGroup> {
    let mut out: Vec<QuarterGroup> = Vec::new();
    for m in items {
        match out.last_mut() {
            Some(g) if g.label == m.quarter_label => g.items.push(m),
            _ => out.push(QuarterGroup {
                label: m.quarter_label.clone(),
                items: vec![m],
            }),
        }
    }
    out
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let (org, actions) = uc::org_actions(ctx.db.conn(), &page.actor, id).await?;
    let query = |deleted: bool| ListMeetingsQuery {
        subtree: Some(!org.is_branch),
        deleted: Some(deleted),
        per_page: Some(200),
        ..Default::default()
    };
    let (items, _) = uc::list(&ctx, &page.actor, id, query(false)).await?;
    let deleted = if actions.see_deleted {
        uc::list(&ctx, &page.actor, id, query(true)).await?.0
    } else {
        Vec::new()
    };
    let mut shell = page.shell(format!("组织生活：{}", org.name), "orgs");
    shell.notice = q.notice(&[("deleted", "会议记录已删除，可由上级组织恢复。")]);
    Ok(render(
        ListPage {
            shell,
            org,
            actions,
            quarters: grouped(items),
            deleted,
        },
        StatusCode::OK,
    ))
}
