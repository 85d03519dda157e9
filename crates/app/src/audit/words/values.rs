//! A stored value in words: enum keys as their labels, ids as names, times to the minute.

use sea_orm::ConnectionTrait;
use serde_json::{Map, Value};
use tuanwu_domain::account::{IdentityCheck, Permission};
use tuanwu_domain::archive::ArchiveKind;
use tuanwu_domain::event::Audience;
use tuanwu_domain::graduation::{Destination, ExceptionKind, GraduationMark};
use tuanwu_domain::meeting::MeetingKind;
use tuanwu_domain::member::PoliticalStatus;
use tuanwu_domain::org::{BranchType, ExternalSystem, OrgKind};
use tuanwu_domain::transfer::{Initiator, TransferKind, TransferReason};
use tuanwu_domain::YearMonth;

use super::names::Names;
use super::{branch_life, PERSONAL};
use crate::actor::role_label;
use crate::clock::minutes;
use crate::AppError;

/// A stored value in words, for the key it was written under.
pub(super) async fn value<C: ConnectionTrait>(
    c: &C,
    names: &mut Names,
    entity: &str,
    key: &str,
    v: &Value,
) -> Result<Option<String>, AppError> {
    let text = match v {
        Value::Null => return Ok(None),
        Value::Bool(b) => return Ok(Some(if *b { "是" } else { "否" }.into())),
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                if let Some(t) = Box::pin(value(c, names, entity, key, item)).await? {
                    out.push(t);
                }
            }
            return Ok((!out.is_empty()).then(|| out.join("、")));
        }
        Value::Object(row) if key == "changes" => return Ok(correction_row(row)),
        Value::Object(row) => return branch_life::row(c, names, key, row).await,
        Value::Number(n) => {
            let Some(id) = n.as_i64() else {
                return Ok(Some(n.to_string()));
            };
            return Ok(Some(match key {
                "target_org_id" | "college_id" | "org_id" => names.org(c, id).await?,
                "member_id" | "holder_member_id" | "leader_id" | "attended_ids" => {
                    names.member(c, id).await?
                }
                "group_id" | "to_group_id" => names.group(c, id).await?,
                "committee_meeting_id" | "assembly_id" => names.meeting(c, id).await?,
                "capacity" | "due_count" | "present_count" | "absent_count" | "signed_up" => {
                    format!("{id}人")
                }
                "size" => size(id),
                _ => id.to_string(),
            }));
        }
        Value::String(s) => s.as_str(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let word = match (entity, key) {
        ("meeting", "kind") => MeetingKind::parse(text).map(|k| k.label().into()).ok(),
        (_, "audience") => Audience::parse(text).map(|k| k.label().into()).ok(),
        (_, "started_at" | "starts_at" | "signup_deadline" | "expires_at") => moment(text),
        (_, key) => plain(key, text),
    };
    Ok(Some(word.unwrap_or_else(|| text.to_string())))
}

/// A time as written (RFC 3339, or the minutes a form sends) to the minute, in Beijing time.
fn moment(text: &str) -> Option<String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(minutes)
        .ok()
        .or_else(|| {
            let t = text.replace('T', " ");
            (t.len() == 16).then_some(t)
        })
}

/// The words of a key's value that need no look-up.
fn plain(key: &str, text: &str) -> Option<String> {
    match key {
        "kind" => OrgKind::parse(text)
            .map(|k| k.label().to_string())
            .or_else(|_| ArchiveKind::parse(text).map(|k| k.label().to_string()))
            .or_else(|_| TransferKind::parse(text).map(|k| k.label().to_string()))
            .or_else(|_| ExceptionKind::parse(text).map(|k| k.label().to_string()))
            .ok(),
        "branch_type" => BranchType::parse(text).map(|k| k.label().into()).ok(),
        "external_system" => ExternalSystem::parse(text).map(|k| k.label().into()).ok(),
        "political_status" => PoliticalStatus::parse(text).map(|k| k.label().into()).ok(),
        "role" => Some(role_label(text).into()),
        "initiator" => Initiator::parse(text).map(|k| k.label().into()).ok(),
        "reason" => TransferReason::parse(text).map(|k| k.label().into()).ok(),
        "destination" => Destination::parse(text).map(|k| k.label().into()).ok(),
        "identity_check" => IdentityCheck::parse(text).map(|k| k.label().into()).ok(),
        "permissions" => Permission::parse(text).map(|k| k.label().into()).ok(),
        "graduation" => GraduationMark::parse(text).map(|m| m.label()).ok(),
        "expected" => text
            .parse::<YearMonth>()
            .map(|m| format!("{}年{}月", m.year(), m.month()))
            .ok(),
        "mode" => match text {
            "all" => Some("全部正确才导入".into()),
            "valid" => Some("只导入正确的行".into()),
            _ => None,
        },
        "content_type" => Some(file_type(text).into()),
        _ => None,
    }
}

/// One row of a correction request (`{field, label, old, new}`): a personal number says only
/// that it is to change.
fn correction_row(row: &Map<String, Value>) -> Option<String> {
    let get = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or_default();
    let label = get("label");
    if PERSONAL.contains(&get("field")) {
        return Some(format!("{label}：更正"));
    }
    Some(format!("{label}：{} → {}", get("old"), get("new")))
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

fn file_type(mime: &str) -> &'static str {
    match mime {
        "application/pdf" => "PDF文件",
        "image/jpeg" | "image/png" => "图片",
        _ => "其他文件",
    }
}
