//! SYS-1 for people: an audit entry's fields and values as an officer reads them — Chinese
//! labels for the keys the use cases write, enum keys as their words, org and member ids as
//! names, times to the minute. Personal numbers are never shown, only that they changed.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use serde_json::{Map, Value};
use tuanwu_domain::account::{IdentityCheck, Permission};
use tuanwu_domain::archive::ArchiveKind;
use tuanwu_domain::audit::AuditAction;
use tuanwu_domain::graduation::{Destination, ExceptionKind, GraduationMark};
use tuanwu_domain::member::PoliticalStatus;
use tuanwu_domain::org::{BranchType, ExternalSystem, OrgKind};
use tuanwu_domain::transfer::{Initiator, TransferKind, TransferReason};
use tuanwu_domain::YearMonth;
use utoipa::ToSchema;

use crate::actor::role_label;
use crate::clock::minutes;
use crate::AppError;

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
const HIDDEN: &[&str] = &["account_id", "archive_id", "file_id", "code_id", "org_id"];

/// Keys holding a personal number: recorded as a keyed fingerprint (older rows: masked); the
/// page says only whether it was filled in or changed.
const PERSONAL: &[&str] = &[
    "resident_id",
    "phone",
    "contact_phone",
    "holder_resident_id",
];

/// The label of `key` in an entry about `entity`: a name is an org's 名称, a file's 文件名 and
/// a person's 姓名.
fn label_for(entity: &str, key: &str) -> String {
    match (entity, key) {
        ("org" | "report", "name") => "名称".into(),
        ("file" | "import", "name") => "文件名".into(),
        (_, "name") => "姓名".into(),
        _ => label(key).into(),
    }
}

fn label(key: &str) -> &str {
    match key {
        "member_name" | "member_id" => "团员",
        "resident_id" => "身份证号",
        "holder_resident_id" => "占用编号团员的身份证号",
        "phone" => "手机号码",
        "contact_phone" => "联系电话",
        "joined_on" => "入团时间",
        "development_no" => "发展团员编号",
        "student_no" => "学号",
        "ethnicity" => "民族",
        "political_status" => "政治面貌",
        "email" => "电子邮箱",
        "admission_major" => "录取专业",
        "actual_major" => "推优专业",
        "native_place" => "籍贯",
        "education" => "文化程度",
        "offline_managed" => "线下管理",
        "reason" => "原因",
        "note" => "说明",
        "kind" => "类型",
        "category" => "单位类别",
        "branch_type" => "团支部类型",
        "contact_person" => "联系人",
        "address" => "地址",
        "postcode" => "邮编",
        "external_system" => "外部系统",
        "login_name" => "登录名",
        "role" => "角色",
        "initiator" => "发起方",
        "target_org_id" => "转入组织",
        "special_destination" => "去向单位",
        "transfer_id" => "转接编号",
        "request_id" => "申请编号",
        "number" => "介绍信编号",
        "expires_at" => "有效期至",
        "graduation" => "毕业时间",
        "destination" => "毕业去向",
        "expected" => "预计毕业时间",
        "identity_check" => "身份核验",
        "identity_note" => "核验说明",
        "replacement" => "替换已通过的档案",
        "size" => "文件大小",
        "content_type" => "文件类型",
        "sheet" => "报表",
        "rows" => "行数",
        "full_resident_ids" => "含完整身份证号",
        "subtree" => "含下级组织",
        "added" => "新增",
        "skipped" => "已存在跳过",
        "error_rows" => "有错误的行",
        "mode" => "导入方式",
        "college_id" => "学院",
        "permissions" => "权限",
        "post" => "职务",
        "started_on" => "任职时间",
        "ended_on" => "离任时间",
        "contacted_on" => "联系日期",
        "org" | "branch" => "组织",
        "branch_name" => "团支部",
        "holder_name" => "占用编号的团员",
        "holder_branch" => "占用编号团员的团支部",
        "deletion_reason" | "deletion_reason_label" => "删除原因",
        "changes" => "更正内容",
        "archive_kind" | "archive_kind_label" => "档案类型",
        "file_name" => "档案文件",
        "org_name" => "团支部",
        "old_label" => "原毕业时间",
        "target_province" => "去向省份",
        "target_city" => "去向城市",
        "target_org_name" => "去向单位团组织",
        "initiated" => "已联系接收方",
        "refusal_reason" => "未转接原因",
        "remarks" => "备注",
        "new_label" => "新毕业时间",
        other => other,
    }
}

/// Names of orgs and members that entries refer to by id, read once per page.
#[derive(Default)]
pub struct Names {
    orgs: HashMap<i64, String>,
    members: HashMap<i64, String>,
}

impl Names {
    pub async fn org<C: ConnectionTrait>(&mut self, c: &C, id: i64) -> Result<String, AppError> {
        if let Some(n) = self.orgs.get(&id) {
            return Ok(n.clone());
        }
        let n = tuanwu_store::org::get(c, tuanwu_domain::OrgId(id))
            .await?
            .map(|o| o.name)
            .unwrap_or_else(|| "（已不存在的组织）".into());
        self.orgs.insert(id, n.clone());
        Ok(n)
    }

    pub async fn member<C: ConnectionTrait>(&mut self, c: &C, id: i64) -> Result<String, AppError> {
        if let Some(n) = self.members.get(&id) {
            return Ok(n.clone());
        }
        // The entry is in the reader's scope; the member it names may have moved on since.
        let n = tuanwu_store::member::of_record(c, tuanwu_domain::MemberId(id))
            .await?
            .map(|m| m.name.as_str().to_string())
            .unwrap_or_else(|| "（已删除的团员）".into());
        self.members.insert(id, n.clone());
        Ok(n)
    }
}

/// A stored value in words, for the key it was written under.
async fn value<C: ConnectionTrait>(
    c: &C,
    names: &mut Names,
    key: &str,
    v: &Value,
) -> Result<Option<String>, AppError> {
    let text = match v {
        Value::Null => return Ok(None),
        Value::Bool(b) => return Ok(Some(if *b { "是" } else { "否" }.into())),
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                if let Some(t) = Box::pin(value(c, names, key, item)).await? {
                    out.push(t);
                }
            }
            return Ok((!out.is_empty()).then(|| out.join("、")));
        }
        Value::Object(row) if key == "changes" => return Ok(correction_row(row)),
        Value::Object(_) => return Ok(None),
        Value::Number(n) => {
            let Some(id) = n.as_i64() else {
                return Ok(Some(n.to_string()));
            };
            return Ok(Some(match key {
                "target_org_id" | "college_id" | "org_id" => names.org(c, id).await?,
                "member_id" | "holder_member_id" => names.member(c, id).await?,
                "size" => size(id),
                _ => id.to_string(),
            }));
        }
        Value::String(s) => s.as_str(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let word = match key {
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
        "expires_at" => {
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .map(minutes)
                .ok()
        }
        "mode" => match text {
            "all" => Some("全部正确才导入".into()),
            "valid" => Some("只导入正确的行".into()),
            _ => None,
        },
        "content_type" => Some(file_type(text).into()),
        _ => None,
    };
    Ok(Some(word.unwrap_or_else(|| text.to_string())))
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

/// An object's fields, with a nested `record` (an approved correction: the request and the
/// member record after it) lifted to the top so it compares field by field with `before`.
fn fields(v: &Option<Value>) -> Map<String, Value> {
    let mut out = Map::new();
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
    let (b, a) = (fields(before), fields(after));
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
            Some(v) => value(c, names, k, v).await?,
            None => None,
        };
        let new = match new {
            Some(v) => value(c, names, k, v).await?,
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
