//! Issue 15 item 2: two admins editing the same org never silently overwrite each other. A GET
//! hands out the org's version (`ETag`, `version`); an edit made from an older one is refused
//! with 409 `stale_edit` and changes nothing; an edit without a version still saves.

use reqwest::Method;
use serde_json::json;

use crate::fixtures::*;
use crate::harness::{id_of, TestServer, ROOT_PASSWORD};
use crate::page;

const STALE: &str = "该记录已被他人修改：请刷新后重新填写";

async fn patch_if_match(
    server: &TestServer,
    token: &str,
    id: i64,
    tag: &str,
    body: serde_json::Value,
) -> crate::harness::Resp {
    let response = reqwest::Client::new()
        .request(Method::PATCH, server.url(&format!("/api/v1/orgs/{id}")))
        .bearer_auth(token)
        .header("if-match", tag)
        .json(&body)
        .send()
        .await
        .unwrap();
    crate::harness::Resp::read_for_test("PATCH org with If-Match", response).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_edit_from_an_older_version_is_refused_and_changes_nothing() {
    let server = TestServer::start().await;
    let root = server.root_token().await;
    let top = my_org(&server, &root).await;
    let province = create_org(
        &server,
        &root,
        org_body(top, PROVINCE, "committee", "党政机关"),
    )
    .await;
    let id = id_of(&province);
    assert_eq!(province["version"], 1, "{province}");

    let read = server.api(&root).get(&format!("/api/v1/orgs/{id}")).await;
    let tag = read
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert_eq!(tag, "\"1\"", "GET of one org sends its version as ETag");

    // The first admin saves from version 1: accepted, and the version moves on.
    let first = patch_if_match(
        &server,
        &root,
        id,
        &tag,
        json!({"contact_person": "张老师"}),
    )
    .await
    .ok(200);
    assert_eq!(first["version"], 2, "{first}");
    assert_eq!(first["contact_person"], "张老师");

    // The second admin read version 1 too: refused, by header and by body field alike.
    let stale = patch_if_match(
        &server,
        &root,
        id,
        &tag,
        json!({"contact_person": "李老师"}),
    )
    .await;
    stale.err(409, "stale_edit");
    assert_eq!(stale.message(), STALE);
    server
        .api(&root)
        .patch(
            &format!("/api/v1/orgs/{id}"),
            &json!({"contact_person": "李老师", "version": 1}),
        )
        .await
        .err(409, "stale_edit");
    let now = server
        .api(&root)
        .get(&format!("/api/v1/orgs/{id}"))
        .await
        .ok(200);
    assert_eq!(
        now["contact_person"], "张老师",
        "the refused edits changed nothing: {now}"
    );
    assert_eq!(now["version"], 2);

    // Reading again and saving with the current version works; so does a save without one.
    let again = patch_if_match(
        &server,
        &root,
        id,
        "\"2\"",
        json!({"contact_person": "李老师"}),
    )
    .await
    .ok(200);
    assert_eq!(again["version"], 3);
    let blind = server
        .api(&root)
        .patch(
            &format!("/api/v1/orgs/{id}"),
            &json!({"address": "天津市河西区友谊路"}),
        )
        .await
        .ok(200);
    assert_eq!(blind["version"], 4);
    assert_eq!(blind["contact_person"], "李老师");

    // A malformed If-Match is the client's mistake, said in Chinese.
    let bad = patch_if_match(&server, &root, id, "latest", json!({"address": "x"})).await;
    bad.err(400, "invalid_if_match");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_save_of_the_edit_page_shows_the_current_values_and_the_message() {
    let server = TestServer::start().await;
    let root = server.root_token().await;
    let top = my_org(&server, &root).await;
    let id = id_of(
        &create_org(
            &server,
            &root,
            org_body(top, PROVINCE, "committee", "党政机关"),
        )
        .await,
    );
    let browser = page::logged_in(&server, "root", ROOT_PASSWORD).await;
    let path = format!("/orgs/{id}/edit");

    let form = page::get(&browser, &server, &path).await;
    form.status(200);
    assert_eq!(
        form.input_value("version").as_deref(),
        Some("1"),
        "the form carries its version"
    );
    let csrf = form.csrf();

    // Meanwhile another admin changes the contact person.
    server
        .api(&root)
        .patch(
            &format!("/api/v1/orgs/{id}"),
            &json!({"contact_person": "张老师"}),
        )
        .await
        .ok(200);

    let fields = |person: &'static str, version: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("name", PROVINCE.to_string()),
            ("kind", "committee".to_string()),
            ("category", "党政机关".to_string()),
            ("contact_person", person.to_string()),
            ("version", version.to_string()),
        ]
    };
    let stale_fields = fields("王老师", "1");
    let stale_form: Vec<(&str, &str)> =
        stale_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = page::post(&browser, &server, &path, &stale_form).await;
    refused.status(409).has(STALE);
    assert_eq!(
        refused.input_value("contact_person").as_deref(),
        Some("张老师"),
        "the form shows what is stored now"
    );
    assert_eq!(refused.input_value("version").as_deref(), Some("2"));
    let stored = server
        .api(&root)
        .get(&format!("/api/v1/orgs/{id}"))
        .await
        .ok(200);
    assert_eq!(
        stored["contact_person"], "张老师",
        "the stale save changed nothing"
    );

    // Filled again from the current version, the save goes through.
    let fresh_fields = fields("王老师", "2");
    let fresh_form: Vec<(&str, &str)> =
        fresh_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    page::post(&browser, &server, &path, &fresh_form)
        .await
        .status(200);
    let saved = server
        .api(&root)
        .get(&format!("/api/v1/orgs/{id}"))
        .await
        .ok(200);
    assert_eq!(saved["contact_person"], "王老师");
    assert_eq!(saved["version"], 3);
}
