//! Cadre entries and grants carry the actions their viewer may take (`actions`), decided by the
//! same table (`grant::needs`) the actions run: what a view offers works, what it withholds is
//! refused, and the pages show exactly the offered buttons.

use reqwest::header::{HeaderMap, HeaderValue, COOKIE};
use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::{id_of, TestServer};
use crate::page::{get, logged_in};

async fn cadres(server: &TestServer, token: &str, org: i64) -> Vec<Value> {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/cadres"))
        .await
        .items()
}

async fn add(
    server: &TestServer,
    token: &str,
    org: i64,
    m: &MemberFx,
    post: &str,
    since: &str,
) -> i64 {
    id_of(
        &server
            .api(token)
            .post(
                &format!("/api/v1/orgs/{org}/cadres"),
                &json!({"member_id": m.id, "post": post, "started_on": since}),
            )
            .await
            .ok(201),
    )
}

/// A browser on an existing session (its cookie), for the pages a delegated admin sees.
fn browser_of(token: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    let cookie = HeaderValue::from_str(&format!("tuanwu_session={token}")).expect("cookie");
    headers.insert(COOKIE, cookie);
    reqwest::Client::builder()
        .no_proxy()
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_viewer_is_offered_exactly_what_they_may_do_with_cadres_and_grants() {
    let (server, fx) = school().await;
    let admin = &fx.a_admin.token;
    let current = add(&server, admin, fx.col_a, &fx.m_a2, "组织委员", "2025-09-01").await;
    let past = add(&server, admin, fx.col_a, &fx.m_a2, "宣传委员", "2024-09-01").await;
    server
        .api(admin)
        .patch(
            &format!("/api/v1/cadres/{past}"),
            &json!({"ended_on": "2025-06-30"}),
        )
        .await
        .ok(200);

    // The college's own admin may do everything with both entries.
    for c in cadres(&server, admin, fx.col_a).await {
        assert_eq!(offered(&c), ["end", "remove", "reset_code"], "{c}");
    }
    let page = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let shown = get(&page, &server, &format!("/orgs/{}/cadres", fx.col_a)).await;
    shown.status(200).has("id=\"cadre-search\"");
    for id in [current, past] {
        let row = shown.row(&format!("cadre-{id}"));
        assert!(
            row.contains("end-form") && row.contains("remove-form"),
            "{row}"
        );
    }
    assert!(shown
        .row(&format!("cadre-{current}"))
        .contains("reset-code"));

    // A delegated admin of the college with only 录入和维护团员信息 is offered nothing, sees no
    // button, and each withheld action is refused.
    grant_to(&server, admin, &fx.m_a1, fx.col_a, &["members"]).await;
    let token = acting_as_delegate(&server, member_token(&server, &fx.root, &fx.m_a1).await).await;
    for c in cadres(&server, &token, fx.col_a).await {
        assert_eq!(offered(&c), Vec::<&str>::new(), "{c}");
    }
    let api = server.api(&token);
    api.patch(
        &format!("/api/v1/cadres/{current}"),
        &json!({"ended_on": "2026-06-30"}),
    )
    .await
    .err(403, "forbidden");
    api.delete(&format!("/api/v1/cadres/{past}"))
        .await
        .err(403, "forbidden");
    api.post_empty(&format!("/api/v1/members/{}/reset-code", fx.m_a2.id))
        .await
        .err(403, "forbidden");
    let as_delegated = browser_of(&token);
    let shown = get(
        &as_delegated,
        &server,
        &format!("/orgs/{}/cadres", fx.col_a),
    )
    .await;
    shown
        .status(200)
        .lacks("end-form")
        .lacks("remove-form")
        .lacks("reset-code")
        .lacks("id=\"cadre-search\"");

    // Grants: the full admin may revoke and grant; the delegated admin sees the same grants
    // with nothing offered, and its revocation is refused.
    let grants = server
        .api(admin)
        .get(&format!("/api/v1/grants?org_id={}", fx.col_a))
        .await
        .items();
    let grant = id_of(&grants[0]);
    assert_eq!(offered(&grants[0]), ["revoke"]);
    let seen = server
        .api(&token)
        .get(&format!("/api/v1/grants?org_id={}", fx.col_a))
        .await
        .items();
    assert_eq!(offered(&seen[0]), Vec::<&str>::new(), "{}", seen[0]);
    api.delete(&format!("/api/v1/grants/{grant}"))
        .await
        .err(403, "forbidden");
    get(&page, &server, &format!("/orgs/{}/grants", fx.col_a))
        .await
        .status(200)
        .has("revoke-form")
        .has("id=\"grant-form\"");
    get(
        &as_delegated,
        &server,
        &format!("/orgs/{}/grants", fx.col_a),
    )
    .await
    .status(200)
    .lacks("revoke-form")
    .lacks("id=\"grant-form\"");

    // With 维护团干部名单 added, the delegated admin is offered the list's writes (not the reset
    // code), sees exactly those buttons, and they work.
    grant_to(&server, admin, &fx.m_a1, fx.col_a, &["members", "cadres"]).await;
    for c in cadres(&server, &token, fx.col_a).await {
        assert_eq!(offered(&c), ["end", "remove"], "{c}");
    }
    let shown = get(
        &as_delegated,
        &server,
        &format!("/orgs/{}/cadres", fx.col_a),
    )
    .await;
    shown
        .status(200)
        .has("end-form")
        .has("remove-form")
        .lacks("reset-code")
        .has("id=\"cadre-search\"");
    api.patch(
        &format!("/api/v1/cadres/{current}"),
        &json!({"ended_on": "2026-06-30"}),
    )
    .await
    .ok(200);
    api.delete(&format!("/api/v1/cadres/{past}")).await.ok(204);
    assert_eq!(cadres(&server, admin, fx.col_a).await.len(), 1);
}
