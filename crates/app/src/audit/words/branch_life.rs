//! The rows of branch-life entries (issue 18) in words: a quarter's targets per meeting kind,
//! the posts a term change elected and the cadre posts it ended, the class committee's lines.

use sea_orm::ConnectionTrait;
use serde_json::{Map, Value};
use tuanwu_domain::committee::CommitteePost;
use tuanwu_domain::meeting::MeetingKind;

use super::names::Names;
use crate::AppError;

/// One object inside a list, for the key the list was written under; `None` for a shape the
/// page does not know (it shows nothing rather than code).
pub(super) async fn row<C: ConnectionTrait>(
    c: &C,
    names: &mut Names,
    key: &str,
    row: &Map<String, Value>,
) -> Result<Option<String>, AppError> {
    let text = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or_default();
    // The holder by the name written with the row, else by the member's current name.
    let person = match (
        Some(text("name")).filter(|n| !n.is_empty()),
        row.get("member_id").and_then(Value::as_i64),
    ) {
        (Some(n), _) => n.to_string(),
        (None, Some(id)) => names.member(c, id).await?,
        (None, None) => String::new(),
    };
    Ok(match key {
        "targets" => {
            let kind = MeetingKind::parse(text("kind"))
                .map(|k| k.label().to_string())
                .unwrap_or_else(|_| text("kind_label").to_string());
            match row.get("per_quarter").and_then(Value::as_u64) {
                Some(0) | None => Some(format!("{kind}不作要求")),
                Some(n) => Some(format!("{kind}每季度{n}次")),
            }
        }
        "elected" => {
            let post = CommitteePost::parse(text("post"))
                .map(|p| p.label().to_string())
                .unwrap_or_else(|_| text("post").to_string());
            Some(format!("{post}：{person}"))
        }
        "cadres_ended" | "posts" => Some(format!("{}：{person}", text("post"))),
        _ => None,
    })
}
