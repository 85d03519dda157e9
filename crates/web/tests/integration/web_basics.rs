//! The web's basics: every error in the API format and in Chinese (no library English), page
//! addresses answer pages, and every answer carries the headers that keep personal data out of
//! other sites' frames and out of caches.

use reqwest::Method;
use serde_json::json;

use crate::fixtures::*;
use crate::harness::{is_chinese, new_client, TestServer};
use crate::page::logged_in;
use crate::transfers::{ready_member, reject, started, to_org};

/// Library messages that must never reach a user.
const ENGLISH: [&str; 6] = [
    "Failed to deserialize",
    "invalid digit",
    "invalid type",
    "expected",
    "missing field",
    "at line",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_input_is_explained_in_chinese_with_its_field() {
    let (server, fx) = school().await;
    let api = server.api(&fx.root);
    let bad_query = api.get("/api/v1/audit?per_page=abc").await;
    bad_query.err(400, "invalid_query").with_field("per_page");
    let bad_type = api
        .send_raw(
            Method::POST,
            "/api/v1/orgs",
            r#"{"parent_id": "abc", "name": 7}"#,
        )
        .await;
    bad_type.err(400, "invalid_fields");
    let missing = api
        .send_raw(Method::POST, "/api/v1/requests", r#"{"member_id": 1}"#)
        .await;
    missing.err(400, "invalid_fields");
    for resp in [&bad_query, &bad_type, &missing] {
        for english in ENGLISH {
            assert!(!resp.message().contains(english), "{resp:?}");
        }
    }
    // A method the address does not take: 405 in the API's format.
    let wrong = api.send(Method::PUT, "/api/v1/audit", None).await;
    wrong.err(405, "method_not_allowed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_gets_pages_and_the_api_gets_json() {
    let server = TestServer::start().await;
    let client = new_client(false);
    for path in ["/no-such-page", "/members/abc/def", "/transfers/1/nothing"] {
        let resp = client.get(server.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 404, "{path}");
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        let html = resp.text().await.unwrap();
        assert!(is_chinese(&html) && !html.contains("{\"error\""), "{html}");
    }
    let api = client
        .get(server.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404);
    assert!(api.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_pages_are_never_cached_or_framed() {
    let (server, fx) = school().await;
    let member = fx.m_a1.id;
    let api = server
        .client
        .get(server.url(&format!("/api/v1/members/{member}")))
        .bearer_auth(&fx.root)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 200);
    let browser = logged_in(&server, "a_admin", &fx.a_admin.password).await;
    let page = browser
        .get(server.url(&format!("/members/{member}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let login = new_client(false)
        .get(server.url("/login"))
        .send()
        .await
        .unwrap();
    for (what, h) in [
        ("API member", api.headers()),
        ("member page", page.headers()),
        ("login page", login.headers()),
    ] {
        assert_eq!(h["cache-control"], "no-store", "{what}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(h["x-frame-options"], "DENY", "{what}");
        assert_eq!(h["referrer-policy"], "same-origin", "{what}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_read_as_officers_write() {
    let (server, fx) = school().await;
    let m = ready_member(&server, &fx, 80, fx.a1).await;
    // An empty choice asks for one, instead of calling "" an invalid value.
    let empty = server
        .api(&fx.a_admin.token)
        .post(
            "/api/v1/transfers",
            &json!({"member_id": m.id, "target_org_id": fx.b1, "reason": ""}),
        )
        .await;
    empty.fails(422).with_field("reason");
    assert_eq!(empty.message(), "请选择转接原因", "{empty:?}");
    // A decision on a transfer already rejected names its state once (no 「已已驳回」).
    let id = started(
        &server,
        &fx.a_admin.token,
        to_org(m.id, fx.b1, "job_change"),
    )
    .await;
    reject(&server, &fx.b_admin.token, id, "材料不全")
        .await
        .ok(200);
    let again = reject(&server, &fx.b_admin.token, id, "材料不全").await;
    again.fails(409);
    assert!(again.message().starts_with("该转接已驳回，"), "{again:?}");
    assert!(!again.message().contains("已已"), "{again:?}");
}
