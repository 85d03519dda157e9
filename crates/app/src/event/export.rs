//! EVT-2: the sign-up and attendance list as xlsx, for the organiser.

use tuanwu_domain::EventId;
use tuanwu_sheets::{write, Sheet};

use super::read::signups;
use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

const HEADERS: [&str; 5] = ["序号", "姓名", "所在团支部", "报名时间", "出席情况"];

/// The file name and bytes of the event's sign-up sheet.
pub async fn signup_sheet(
    ctx: &Context,
    actor: &Actor,
    id: EventId,
) -> Result<(String, Vec<u8>), AppError> {
    let s = signups(ctx, actor, id).await?;
    let rows: Vec<Vec<String>> = s
        .items
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.name.clone(),
                r.branch_name.clone(),
                r.signed_up_at.clone(),
                match r.attended {
                    Some(true) => "出席",
                    Some(false) => "缺席",
                    None => "未记录",
                }
                .to_string(),
            ]
        })
        .collect();
    let title = format!("{} 报名及出席名单", s.event.title);
    let count = rows.len();
    let bytes = write(Sheet {
        name: "报名名单",
        title: &title,
        headers: &HEADERS,
        rows,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = ctx.db.write().await?;
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new(AuditAction::ReportExport, s.event.org_id)
            .org(s.event.org_id)
            .after(serde_json::json!({ "sheet": title, "rows": count })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("{title}.xlsx"), bytes))
}
