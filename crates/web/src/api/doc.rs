//! The served OpenAPI document, finished so that standard validators and client generators take
//! it: every response described, error answers referencing `ErrorBody`, the 400 and 401 that
//! every route can give, operation ids unique as `{area}_{action}`, and both ways to
//! authenticate (bearer token and session cookie) declared.

use serde_json::{json, Map, Value};

use crate::extract::SESSION_COOKIE;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Finishes the document utoipa generated from the route annotations.
pub fn finish(doc: &mut Value) {
    declare_security(doc);
    refer_list_items(doc);
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if METHODS.contains(&method.as_str()) {
                finish_operation(op);
            }
        }
    }
}

fn declare_security(doc: &mut Value) {
    let schemes = &mut doc["components"]["securitySchemes"];
    schemes["bearer"] = json!({
        "type": "http",
        "scheme": "bearer",
        "description": "POST /api/v1/auth/login 返回的 token，放在 Authorization: Bearer 中",
    });
    schemes["cookie"] = json!({
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "网页登录后的会话 Cookie；用它调用写操作时须来自本站页面",
    });
    doc["security"] = json!([{ "bearer": [] }, { "cookie": [] }]);
}

/// utoipa copies a list's item schema into every `ListView_X`; a reference to `X` instead lets
/// a generated client name the item type (`MemberSummary`, not `ListViewMemberSummaryItemsItem`).
fn refer_list_items(doc: &mut Value) {
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    let known: Vec<String> = schemas.keys().cloned().collect();
    for (name, schema) in schemas.iter_mut() {
        let Some(item) = name.strip_prefix("ListView_") else {
            continue;
        };
        if known.iter().any(|k| k == item) {
            schema["properties"]["items"]["items"] =
                json!({ "$ref": format!("#/components/schemas/{item}") });
        }
    }
}

fn finish_operation(op: &mut Value) {
    let area = op["tags"][0].as_str().unwrap_or("api").replace('-', "_");
    if let Some(action) = op["operationId"].as_str() {
        if !action.starts_with(&format!("{area}_")) {
            op["operationId"] = Value::String(format!("{area}_{action}"));
        }
    }
    let public = op["security"]
        .as_array()
        .is_some_and(|s| s.iter().all(|r| r.as_object().is_some_and(Map::is_empty)));
    if public {
        // `[{}]` reads as "a login is optional"; a public route needs none.
        op["security"] = json!([]);
    }
    let takes_input = op.get("requestBody").is_some()
        || op["parameters"].as_array().is_some_and(|ps| !ps.is_empty());
    let Some(responses) = op
        .as_object_mut()
        .map(|o| o.entry("responses").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    if takes_input {
        responses.entry("400").or_insert_with(|| json!({}));
    }
    if !public {
        responses.entry("401").or_insert_with(|| json!({}));
    }
    for (status, resp) in responses.iter_mut() {
        let Some(resp) = resp.as_object_mut() else {
            continue;
        };
        if resp
            .get("description")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            resp.insert("description".into(), describe(status).into());
        }
        if status.starts_with('4') || status.starts_with('5') {
            resp.entry("content").or_insert_with(|| {
                json!({ "application/json": {
                    "schema": { "$ref": "#/components/schemas/ErrorBody" }
                }})
            });
        }
    }
}

/// What an answer with this status means, for a response the annotation left undescribed.
fn describe(status: &str) -> &'static str {
    match status {
        "200" => "成功",
        "201" => "已创建",
        "204" => "成功（无内容）",
        "400" => "请求格式不对（JSON、参数或路径）：按接口说明修改后重试",
        "401" => "未登录或登录已失效：请重新登录",
        "403" => "当前身份无权进行此操作",
        "404" => "不存在，或不在你的管辖范围内",
        "409" => "与记录的当前状态冲突：请刷新后再试",
        "413" => "请求体过大",
        "422" => "内容不符合规则：message 说明错在哪里，field 指出字段",
        "429" => "尝试过于频繁：请稍后再试",
        _ => "见 error.message",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_gets_its_area_errors_and_descriptions() {
        let mut doc = json!({"paths": {"/api/v1/x/{id}": {"post": {
            "tags": ["transfers"], "operationId": "approve",
            "parameters": [{"name": "id", "in": "path", "required": true}],
            "responses": {"200": {}, "404": {"description": "找不到"}}
        }}}});
        finish(&mut doc);
        let op = &doc["paths"]["/api/v1/x/{id}"]["post"];
        assert_eq!(op["operationId"], "transfers_approve");
        assert_eq!(op["responses"]["200"]["description"], "成功");
        assert_eq!(op["responses"]["404"]["description"], "找不到");
        for status in ["400", "401", "404"] {
            assert_eq!(
                op["responses"][status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody"
            );
        }
    }

    #[test]
    fn a_public_operation_is_not_said_to_need_a_login() {
        let mut doc = json!({"paths": {"/api/v1/auth/login": {"post": {
            "tags": ["auth"], "operationId": "login", "security": [{}],
            "responses": {"200": {"description": "ok"}}
        }}}});
        finish(&mut doc);
        let op = &doc["paths"]["/api/v1/auth/login"]["post"];
        assert!(op["responses"].get("401").is_none());
        assert_eq!(op["operationId"], "auth_login");
    }
}
