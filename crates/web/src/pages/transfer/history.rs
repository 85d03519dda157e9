//! 团员的转接记录 (TRF-2): a member's transfer history.

use super::*;

#[derive(Template)]
#[template(path = "transfer/history.html")]
struct HistoryPage {
    shell: Shell,
    m: MemberView,
    items: Vec<TransferView>,
    can_start: bool,
}

pub async fn member_history(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let m = member_uc::get(&ctx, &page.actor, MemberId(id)).await?;
    let items = uc::for_member(&ctx, &page.actor, MemberId(id)).await?;
    let can_start = m.is_active()
        && !items
            .iter()
            .any(|t| TransferStatus::parse(&t.status).is_ok_and(TransferStatus::is_active));
    let section = if page.is_admin() { "transfers" } else { "me" };
    let shell = page.shell(format!("转接记录 · {}", m.name), section);
    Ok(render(
        HistoryPage {
            shell,
            m,
            items,
            can_start,
        },
        StatusCode::OK,
    ))
}
