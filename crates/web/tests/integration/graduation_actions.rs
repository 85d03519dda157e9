//! Graduation views carry the actions their viewer may take (`actions`), decided by the same
//! rules the actions run: what a view offers works, what it withholds is refused, and the pages
//! show exactly the offered buttons.

use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::TestServer;
use crate::page::{get, logged_in};

/// The row of `id` in a list answer.
fn item(list: &Value, id: i64) -> Value {
    list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("no item {id} in {list}"))
}

async fn branches(server: &TestServer, token: &str, org: i64) -> Value {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/graduation"))
        .await
        .ok(200)
}

async fn graduates(server: &TestServer, token: &str, org: i64) -> Value {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/graduates?year=2026"))
        .await
        .ok(200)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graduation_views_offer_exactly_what_their_viewer_may_do() {
    let (server, fx) = school().await;
    let school = &fx.s1_admin.token;

    // GRD-1: the school may mark an unmarked branch; its branch admin is offered nothing, and
    // the marking it was not offered is refused.
    let list = branches(&server, school, fx.s1).await;
    assert_eq!(offered(&item(&list, fx.a1)), ["mark"], "{list}");
    let own = branches(&server, &fx.a1_admin.token, fx.a1).await;
    assert_eq!(offered(&item(&own, fx.a1)), Vec::<&str>::new(), "{own}");
    let path = format!("/api/v1/orgs/{}/graduation", fx.a1);
    let body = json!({"year_month": "2026-06"});
    server
        .api(&fx.a1_admin.token)
        .send(reqwest::Method::PUT, &path, Some(&body))
        .await
        .fails(403);
    let marked = server
        .api(school)
        .send(reqwest::Method::PUT, &path, Some(&body))
        .await
        .ok(200);
    // Marked: a second marking is no longer offered (and refused), a change request is.
    assert_eq!(offered(&marked), ["request_change"], "{marked}");
    server
        .api(school)
        .send(reqwest::Method::PUT, &path, Some(&body))
        .await
        .err(409, "graduation_already_marked");

    // The branch page shows the tick for the unmarked branch and the change form for the
    // marked one; the branch admin's page shows neither.
    let browser = logged_in(&server, &fx.s1_admin.login, &fx.s1_admin.password).await;
    let page = get(&browser, &server, &format!("/orgs/{}/graduation", fx.s1)).await;
    page.status(200)
        .has(&format!("id=\"tick-{}\"", fx.a2))
        .lacks(&format!("id=\"tick-{}\"", fx.a1))
        .has("id=\"mark-form\"");
    assert!(page
        .row(&format!("branch-{}", fx.a1))
        .contains("change-form"));
    assert!(!page
        .row(&format!("branch-{}", fx.a2))
        .contains("change-form"));
    let branch_browser = logged_in(&server, &fx.a1_admin.login, &fx.a1_admin.password).await;
    let page = get(
        &branch_browser,
        &server,
        &format!("/orgs/{}/graduation", fx.a1),
    )
    .await;
    page.status(200)
        .lacks("change-form")
        .lacks("id=\"tick-")
        .has("id=\"cannot-mark\"");

    // GRD-6: batch transfers are offered on the not-started list (where the graduate of the
    // marked branch is), not on the complete one.
    let figure = |list: &'static str| {
        let server = &server;
        async move {
            server
                .api(school)
                .get(&format!(
                    "/api/v1/orgs/{}/continuity?year=2026&list={list}",
                    fx.s1
                ))
                .await
                .ok(200)
        }
    };
    let not_started = figure("not_started").await;
    assert_eq!(offered(&not_started), ["batch_transfer"], "{not_started}");
    assert_eq!(offered(&not_started["list"]), ["batch_transfer"]);
    let complete = figure("complete").await;
    assert_eq!(offered(&complete["list"]), Vec::<&str>::new());
    let page = get(
        &browser,
        &server,
        &format!("/orgs/{}/continuity?year=2026&list=not_started", fx.s1),
    )
    .await;
    page.status(200).has("id=\"batch-transfer-form\"");
    let page = get(
        &browser,
        &server,
        &format!("/orgs/{}/continuity?year=2026&list=complete", fx.s1),
    )
    .await;
    page.status(200).lacks("id=\"batch-transfer-form\"");

    // GRD-3: a school-domain admin may mark a graduate delayed; a province admin (not of the
    // school domain) is offered only the destination and the special case, and refused.
    let m = fx.m_a1.id;
    let row = item(&graduates(&server, school, fx.s1).await, m);
    assert_eq!(
        offered(&row),
        ["mark_delayed", "set_case", "set_destination"],
        "{row}"
    );
    let province = &fx.province_admin.token;
    let row = item(&graduates(&server, province, fx.province).await, m);
    assert_eq!(offered(&row), ["set_case", "set_destination"], "{row}");
    let page = get(
        &browser,
        &server,
        &format!("/orgs/{}/graduates?year=2026", fx.s1),
    )
    .await;
    page.status(200).has("id=\"delayed-batch-form\"");
    let row_html = page.row(&format!("graduate-{m}"));
    assert!(row_html.contains("delayed-form"), "{row_html}");
    assert!(!row_html.contains("revoke-form"), "{row_html}");
    let delayed = format!("/api/v1/members/{m}/delayed-graduation");
    let body = json!({"expected": "2027-06", "reason": "休学一年"});
    server.api(province).post(&delayed, &body).await.fails(403);
    server.api(school).post(&delayed, &body).await.ok(201);
    // Marked: revoking is offered, a second marking is not (and is refused).
    let row = item(&graduates(&server, school, fx.s1).await, m);
    assert_eq!(
        offered(&row),
        ["revoke_delayed", "set_case", "set_destination"],
        "{row}"
    );
    server
        .api(school)
        .post(&delayed, &body)
        .await
        .err(409, "graduation_exception_exists");

    // The graduates page now shows the revoke button instead of the marking form, and no batch
    // form (nobody left to mark); the province sees none of them.
    let page = get(
        &browser,
        &server,
        &format!("/orgs/{}/graduates?year=2026", fx.s1),
    )
    .await;
    page.status(200).lacks("id=\"delayed-batch-form\"");
    let marked_row = page.row(&format!("graduate-{m}"));
    assert!(marked_row.contains("revoke-form"), "{marked_row}");
    assert!(!marked_row.contains("delayed-form"), "{marked_row}");
    let province_browser = logged_in(
        &server,
        &fx.province_admin.login,
        &fx.province_admin.password,
    )
    .await;
    let page = get(
        &province_browser,
        &server,
        &format!("/orgs/{}/graduates?year=2026", fx.province),
    )
    .await;
    page.status(200)
        .lacks("revoke-form")
        .lacks("delayed-form")
        .lacks("id=\"delayed-batch-form\"")
        .has("destination-form");
}
