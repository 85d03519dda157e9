//! SYS-1 for people: an audit entry's fields and values as an officer reads them — Chinese
//! labels for the keys the use cases write, enum keys as their words, org and member ids as
//! names, times to the minute. Personal numbers are never shown, only that they changed.

mod branch_life;
mod labels;
mod names;
mod values;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use serde_json::{Map, Value};
use tuanwu_domain::audit::AuditAction;
use tuanwu_domain::meeting::MeetingKind;
use utoipa::ToSchema;

use crate::AppError;
use labels::label_for;
pub use names::Names;
use values::value;

/// One field of an entry: its label and the values before and after, in words.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldChange {
    /// The key as the use case wrote it (`phone`, `target_org_id`, …).
    pub field: String,
    /// 手机号码, 转入组织, ….
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Keys that are internal ids or repeat what the row already says: never shown.
const HIDDEN: &[&str] = &[
    "account_id",
    "archive_id",
    "file_id",
    "code_id",
    "org_id",
    "branch_id",
    "kind_label",
];

/// Keys holding a personal number: recorded as a keyed fingerprint (older rows: masked); the
/// page says only whether it was filled in or changed.
pub(super) const PERSONAL: &[&str] = &[
    "resident_id",
    "phone",
    "contact_phone",
    "holder_resident_id",
];

/// An object's fields, with a nested `record` (an approved correction: the request and the
/// member record after it) lifted to the top so it compares field by field with `before`. A
/// list written whole (a quarter's targets, the class committee) is one field.
fn fields(entity: &str, v: &Option<Value>) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(Value::Array(items)) = v {
        let key = match entity {
            "meeting_targets" => "targets",
            "class_committee" => "posts",
            _ => "items",
        };
        out.insert(key.into(), Value::Array(items.clone()));
    }
    if let Some(Value::Object(m)) = v {
        for (k, v) in m {
            match (k.as_str(), v) {
                ("record", Value::Object(inner)) => {
                    out.extend(inner.iter().map(|(k, v)| (k.clone(), v.clone())))
                }
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
    }
    out
}

/// The fields that differ between before and after (for a creation: every filled field), in
/// words. A personal number says only 已登记 / 已更改 / 已清除.
pub async fn changes<C: ConnectionTrait>(
    c: &C,
    names: &mut Names,
    action: AuditAction,
    before: &Option<Value>,
    after: &Option<Value>,
) -> Result<Vec<FieldChange>, AppError> {
    let entity = action.entity();
    let (b, a) = (fields(entity, before), fields(entity, after));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for k in keys {
        // A key written beside its words (`deletion_reason` and `deletion_reason_label`) shows
        // once, as the words.
        let labelled = format!("{k}_label");
        if HIDDEN.contains(&k.as_str())
            || (matches!(k.as_str(), "member_name" | "name")
                && (a.contains_key("member_id") || b.contains_key("member_id")))
            || a.contains_key(&labelled)
            || b.contains_key(&labelled)
        {
            continue;
        }
        let (old, new) = (
            b.get(k).filter(|v| !v.is_null()),
            a.get(k).filter(|v| !v.is_null()),
        );
        if PERSONAL.contains(&k.as_str()) {
            let said = match (old, new) {
                (None, None) => continue,
                (Some(o), Some(n)) if o == n => continue,
                (None, Some(_)) if before.is_none() => "已登记",
                (_, Some(_)) => "已更改",
                (Some(_), None) if after.is_none() => continue,
                (Some(_), None) => "已清除",
            };
            out.push(FieldChange {
                field: k.clone(),
                label: label_for(action.entity(), k),
                before: None,
                after: Some(said.into()),
            });
            continue;
        }
        let old = match old {
            Some(v) => value(c, names, entity, k, v).await?,
            None => None,
        };
        let new = match new {
            Some(v) => value(c, names, entity, k, v).await?,
            None => None,
        };
        if old == new {
            continue;
        }
        out.push(FieldChange {
            field: k.clone(),
            label: label_for(action.entity(), k),
            before: old,
            after: new,
        });
    }
    Ok(out)
}

/// Who or what the entry is about, by name: the member, the org, the account.
pub async fn target<C: ConnectionTrait>(
    c: &C,
    names: &mut Names,
    action: AuditAction,
    entity_id: Option<i64>,
    org: Option<i64>,
    before: &Option<Value>,
    after: &Option<Value>,
) -> Result<String, AppError> {
    let named = |v: &Option<Value>, key: &str| {
        v.as_ref()
            .and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match action.entity() {
        "event" => {
            if let Some(t) = named(after, "title").or_else(|| named(before, "title")) {
                return Ok(format!("活动“{t}”"));
            }
        }
        "meeting" => {
            let kind = named(after, "kind").and_then(|k| MeetingKind::parse(&k).ok());
            if let (Some(k), Some(t)) = (kind, named(after, "topic")) {
                return Ok(format!("{}“{t}”", k.label()));
            }
        }
        _ => {}
    }
    for key in ["member_name", "name"] {
        if let Some(n) = named(after, key).or_else(|| named(before, key)) {
            if !matches!(action, AuditAction::FileUpload | AuditAction::ImportMembers) {
                return Ok(n);
            }
        }
    }
    let member_of = |v: &Option<Value>| {
        v.as_ref()
            .and_then(|v| v.get("member_id"))
            .and_then(Value::as_i64)
    };
    if let Some(m) = member_of(after).or_else(|| member_of(before)) {
        return names.member(c, m).await;
    }
    let id = entity_id.unwrap_or_default();
    Ok(match action.entity() {
        "member" | "continuity_case" | "destination" => names.member(c, id).await?,
        "org" => names.org(c, id).await?,
        "transfer" => format!("转接（编号{id}）"),
        "request" => format!("申请（编号{id}）"),
        "letter" => format!("介绍信（编号{id}）"),
        "floating" => format!("流动团员记录（编号{id}）"),
        "meeting" => format!("会议记录（编号{id}）"),
        "group" => format!("团小组（编号{id}）"),
        "event" => format!("活动（编号{id}）"),
        "file" => named(after, "name").unwrap_or_else(|| "文件".into()),
        "import" => named(after, "name").unwrap_or_else(|| "导入文件".into()),
        _ => match org {
            Some(o) => names.org(c, o).await?,
            None => String::new(),
        },
    })
}
