//! 操作记录: the audit log of the actor's scope, in words (SYS-1).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use tuanwu_app::audit::AuditView;
use tuanwu_app::{Context, Page};
use tuanwu_domain::member::PoliticalStatus;
use tuanwu_domain::org::{BranchType, ExternalSystem, OrgKind};
use tuanwu_domain::OrgId;

use super::member::Pager;
use super::shell::{render, PageActor, PageError, Shell};

pub struct Row {
    pub at: String,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub target: String,
    pub changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    shell: Shell,
    scope_name: String,
    entries: Vec<Row>,
    pager: Pager,
}

fn action_label(entity: &str, action: &str) -> String {
    match (entity, action) {
        ("org", "create") => "新建组织",
        ("org", "update") => "修改组织",
        ("org", "delete") => "删除组织",
        ("org", "restore") => "恢复组织",
        ("member", "create") => "录入团员",
        ("member", "update") => "修改团员",
        ("member", "set_password") => "设置团员密码",
        ("role", "grant_admin") => "任命管理员",
        ("role", "revoke_admin") => "撤销管理员",
        ("account", "change_password") => "修改本人密码",
        ("member", "delete") => "删除团员（审批通过）",
        ("request", "submit") => "提交申请",
        ("request", "approve") => "审批通过",
        ("request", "reject") => "驳回申请",
        ("request", "cancel") => "撤销申请",
        ("file", "upload") => "上传文件",
        ("import", "import") => "批量导入团员",
        ("report", "export") => "导出报表",
        _ => return format!("{entity}.{action}"),
    }
    .into()
}

fn field_label(key: &str) -> &str {
    match key {
        "name" => "名称/姓名",
        "resident_id" => "身份证号",
        "phone" | "contact_phone" => "电话",
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
        "kind" => "组织类型",
        "category" => "单位类别",
        "branch_type" => "团支部类型",
        "contact_person" => "联系人",
        "address" => "地址",
        "postcode" => "邮编",
        "external_system" => "外部系统",
        "login_name" => "登录名",
        "role" => "角色",
        other => other,
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "是" } else { "否" }.into(),
        Some(other) => other.to_string(),
    }
}

/// Codes (`general_branch`, `league_member`, …) shown as the Chinese words users know.
fn value_label(key: &str, v: String) -> String {
    let label = match key {
        "kind" => OrgKind::parse(&v).map(OrgKind::label).ok(),
        "branch_type" => BranchType::parse(&v).map(BranchType::label).ok(),
        "external_system" => ExternalSystem::parse(&v).map(ExternalSystem::label).ok(),
        "political_status" => PoliticalStatus::parse(&v).map(PoliticalStatus::label).ok(),
        "role" => Some(tuanwu_app::actor::role_label(&v)),
        _ => None,
    };
    label.map(str::to_string).unwrap_or(v)
}

/// Fields whose value differs between before and after (for a creation: every filled field).
fn changes(before: &Option<Value>, after: &Option<Value>) -> Vec<(String, String, String)> {
    let empty = serde_json::Map::new();
    let b = before.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let a = after.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| *k != "org_id" && *k != "account_id")
        .filter_map(|k| {
            let (old, new) = (
                value_label(k, text(b.get(k))),
                value_label(k, text(a.get(k))),
            );
            (old != new && !(old.is_empty() && new.is_empty()))
                .then(|| (field_label(k).to_string(), old, new))
        })
        .collect()
}

impl From<AuditView> for Row {
    fn from(e: AuditView) -> Self {
        let name = |v: &Option<Value>| {
            v.as_ref()
                .and_then(|v| v.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let target = name(&e.after)
            .or_else(|| name(&e.before))
            .unwrap_or_else(|| format!("#{}", e.entity_id.unwrap_or_default()));
        Row {
            at: e.at.replace('T', " ").chars().take(19).collect(),
            actor: e.actor_name,
            role: e.role_label,
            action: action_label(&e.entity, &e.action),
            changes: changes(&e.before, &e.after),
            target,
        }
    }
}

#[derive(Deserialize)]
pub struct AuditQuery {
    org_id: Option<i64>,
    page: Option<u64>,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let page_no = q.page.unwrap_or(1).max(1);
    let (items, total) = tuanwu_app::audit::list(
        &ctx,
        &page.actor,
        q.org_id.map(OrgId),
        Page::new(Some(page_no), Some(50)),
    )
    .await?;
    let scope_name = match q.org_id {
        Some(id) => {
            tuanwu_app::org::get(&ctx, &page.actor, OrgId(id))
                .await?
                .name
        }
        None => page.active.org_name.clone(),
    };
    let base = q
        .org_id
        .map(|id| format!("org_id={id}"))
        .unwrap_or_default();
    let pager = Pager {
        page: page_no,
        pages: total.div_ceil(50).max(1),
        total,
        base,
    };
    let shell = page.shell("操作记录", "audit");
    Ok(render(
        AuditPage {
            shell,
            scope_name,
            entries: items.into_iter().map(Row::from).collect(),
            pager,
        },
        StatusCode::OK,
    ))
}
