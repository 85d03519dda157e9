//! Issue 15 item 2: two people editing the same member never silently overwrite each other.
//! Every write moves the record's version; an edit made from an older version is refused with
//! 409 `stale_edit` and changes nothing. Clients that send no version keep working.

use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::{Resp, TestServer};
use crate::page::{get, logged_in, post};

const STALE: &str = "该记录已被他人修改：请刷新后重新填写";

fn member_path(id: i64) -> String {
    format!("/api/v1/members/{id}")
}

/// A PATCH with `If-Match`, as an HTTP client that read the ETag sends it.
async fn patch_if_match(
    server: &TestServer,
    token: &str,
    id: i64,
    etag: &str,
    body: &Value,
) -> Resp {
    let response = reqwest::Client::new()
        .request(Method::PATCH, server.url(&member_path(id)))
        .bearer_auth(token)
        .header("if-match", etag)
        .json(body)
        .send()
        .await
        .expect("PATCH");
    Resp::read_for_test("PATCH with If-Match", response).await
}

fn etag_of(r: &Resp) -> String {
    r.headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no ETag: {r:?}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_save_from_the_same_version_is_refused_and_the_first_is_kept() {
    let (server, fx) = school().await;
    let api = server.api(&fx.a_admin.token);
    let id = fx.m_a1.id;
    let read = api.get(&member_path(id)).await;
    let etag = etag_of(&read);
    let v = read.ok(200)["version"].as_i64().expect("version");
    assert_eq!(etag, format!("\"{v}\""), "the ETag is the version");

    // Two tabs opened at version v; the first saves.
    let first = patch_if_match(
        &server,
        &fx.a_admin.token,
        id,
        &etag,
        &json!({"actual_major": "软件工程"}),
    )
    .await;
    assert_eq!(etag_of(&first), format!("\"{}\"", v + 1));
    let first = first.ok(200);
    assert_eq!(first["version"], v + 1);

    // The second, with the same version in the header or in the body, is refused.
    let r = patch_if_match(
        &server,
        &fx.a_admin.token,
        id,
        &etag,
        &json!({"actual_major": "数据科学"}),
    )
    .await;
    r.err(409, "stale_edit");
    assert_eq!(r.message(), STALE);
    api.patch(
        &member_path(id),
        &json!({"actual_major": "人工智能", "version": v}),
    )
    .await
    .err(409, "stale_edit");

    let now = api.get(&member_path(id)).await.ok(200);
    assert_eq!(
        now["actual_major"], "软件工程",
        "the first save is kept: {now}"
    );
    assert_eq!(now["version"], v + 1, "a refused save moves nothing");

    // From the current version it goes through; a client that sends none still saves.
    let saved = api
        .patch(
            &member_path(id),
            &json!({"actual_major": "人工智能", "version": v + 1}),
        )
        .await
        .ok(200);
    assert_eq!(saved["version"], v + 2);
    let saved = api
        .patch(&member_path(id), &json!({"email": "lw@example.cn"}))
        .await
        .ok(200);
    assert_eq!(saved["actual_major"], "人工智能");
    assert_eq!(saved["version"], v + 3);

    // A malformed If-Match says what to send.
    patch_if_match(
        &server,
        &fx.a_admin.token,
        id,
        "abc",
        &json!({"actual_major": "x"}),
    )
    .await
    .err(422, "invalid_if_match");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_moves_the_version() {
    let (server, fx) = school().await;
    let api = server.api(&fx.a_admin.token);
    let id = fx.m_a1.id;
    let v = api.get(&member_path(id)).await.ok(200)["version"]
        .as_i64()
        .expect("version");
    // An identity check written by an admin is a write like any other.
    api.post(
        &format!("/api/v1/members/{id}/identity"),
        &json!({"status": "verified_offline", "reason": "已查验身份证原件"}),
    )
    .await
    .ok(200);
    let after = api.get(&member_path(id)).await.ok(200);
    assert_eq!(after["identity_check"], "verified_offline");
    assert_eq!(after["version"], v + 1, "{after}");
    api.patch(
        &member_path(id),
        &json!({"actual_major": "软件工程", "version": v}),
    )
    .await
    .err(409, "stale_edit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_edit_page_refuses_a_stale_form_and_shows_what_is_stored_now() {
    let (server, fx) = school().await;
    let id = fx.m_a1.id;
    let browser = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let form = get(&browser, &server, &format!("/members/{id}/edit")).await;
    form.status(200);
    let version = form
        .input_value("version")
        .expect("the form carries the version");
    let field = |name: &str| form.input_value(name).unwrap_or_default();
    let (csrf, branch) = (form.csrf(), field("branch_id"));
    let (name, rid, ethnicity) = (field("name"), field("resident_id"), field("ethnicity"));
    let (joined_on, dev_no) = (field("joined_on"), field("development_no"));

    // Someone else saves meanwhile.
    server
        .api(&fx.a_admin.token)
        .patch(&member_path(id), &json!({"actual_major": "软件工程"}))
        .await
        .ok(200);

    let page = post(
        &browser,
        &server,
        &format!("/members/{id}/edit"),
        &[
            ("csrf", csrf.as_str()),
            ("branch_id", branch.as_str()),
            ("version", version.as_str()),
            ("name", name.as_str()),
            ("resident_id", rid.as_str()),
            ("ethnicity", ethnicity.as_str()),
            ("joined_on", joined_on.as_str()),
            ("development_no", dev_no.as_str()),
            ("actual_major", "数据科学"),
        ],
    )
    .await;
    page.status(409)
        .has(STALE)
        .has("软件工程")
        .lacks("数据科学");
    let fresh = page.input_value("version").expect("the new version");
    assert_ne!(fresh, version, "the form now carries the current version");

    let m = server
        .api(&fx.a_admin.token)
        .get(&member_path(id))
        .await
        .ok(200);
    assert_eq!(
        m["actual_major"], "软件工程",
        "the stale form changed nothing: {m}"
    );

    // Saved again from the re-shown form, it goes through.
    let page = post(
        &browser,
        &server,
        &format!("/members/{id}/edit"),
        &[
            ("csrf", csrf.as_str()),
            ("branch_id", branch.as_str()),
            ("version", fresh.as_str()),
            ("name", name.as_str()),
            ("resident_id", rid.as_str()),
            ("ethnicity", ethnicity.as_str()),
            ("joined_on", joined_on.as_str()),
            ("development_no", dev_no.as_str()),
            ("actual_major", "数据科学"),
        ],
    )
    .await;
    page.status(200).has("已保存");
    let m = server
        .api(&fx.a_admin.token)
        .get(&member_path(id))
        .await
        .ok(200);
    assert_eq!(m["actual_major"], "数据科学");
}
