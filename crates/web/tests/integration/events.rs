//! EVT-2: events published to a subtree — sign-up by members in the audience until the deadline,
//! full events refusing with their capacity, exactly one of two sign-ups for the last seat,
//! attendance and the sheet — on both databases.

use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::{id_of, Resp, TestServer};

pub fn event_body(org: i64, title: &str, capacity: Option<i64>, audience: &str) -> Value {
    json!({
        "org_id": org, "title": title, "starts_at": "2026-12-10T19:00", "place": "学生活动中心201",
        "capacity": capacity, "signup_deadline": "2026-12-08 18:00", "audience": audience
    })
}

pub async fn publish(server: &TestServer, token: &str, body: Value) -> i64 {
    id_of(
        &server
            .api(token)
            .post("/api/v1/events", &body)
            .await
            .ok(201),
    )
}

pub async fn sign_up(server: &TestServer, token: &str, event: i64) -> Resp {
    server
        .api(token)
        .post_empty(&format!("/api/v1/events/{event}/signups"))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_sign_up_until_the_deadline_and_a_full_event_names_its_capacity() {
    let (server, fx) = school().await;
    let admin = fx.a_admin.token.as_str();
    let e = server
        .api(admin)
        .post(
            "/api/v1/events",
            &event_body(fx.col_a, "团课培训", Some(1), "all"),
        )
        .await
        .ok(201);
    assert_eq!(e["starts_at"], "2026-12-10 19:00", "{e}");
    assert_eq!(e["signup_deadline"], "2026-12-08 18:00");
    assert_eq!(e["audience_label"], "全体团员");
    assert_eq!(e["taken"], 0);
    let id = id_of(&e);

    let one = member_token(&server, &fx.root, &fx.m_a1).await;
    let two = member_token(&server, &fx.root, &fx.m_a2).await;
    let seen = server.api(&one).get("/api/v1/events").await.items();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["actions"]["sign_up"], true, "{seen:?}");

    let mine = sign_up(&server, &one, id).await.ok(201);
    assert_eq!(mine["signed_up"], true);
    assert_eq!(mine["taken"], 1);
    assert_eq!(mine["actions"]["cancel"], true);
    sign_up(&server, &one, id)
        .await
        .err(409, "already_signed_up");
    let r = sign_up(&server, &two, id).await;
    r.err(409, "event_full").with_rule("EVT-2");
    assert!(r.message().contains("共1个名额"), "{r:?}");

    // Cancelling frees the seat.
    server
        .api(&one)
        .delete(&format!("/api/v1/events/{id}/signups/me"))
        .await
        .ok(200);
    sign_up(&server, &two, id).await.ok(201);

    // An admin acting as admin does not sign up; a member outside the subtree does not see it.
    sign_up(&server, admin, id).await.err(403, "forbidden");
    let outsider = member_token(&server, &fx.root, &fx.m_b1).await;
    sign_up(&server, &outsider, id).await.err(404, "not_found");
    assert!(server
        .api(&outsider)
        .get("/api/v1/events")
        .await
        .items()
        .is_empty());

    // After the deadline: neither sign-up nor cancellation.
    server.advance(time::Duration::days(10));
    let one = server
        .login(&fx.m_a1.person.resident_id, MEMBER_PASSWORD)
        .await;
    let two = server
        .login(&fx.m_a2.person.resident_id, MEMBER_PASSWORD)
        .await;
    let r = sign_up(&server, &one, id).await;
    r.err(422, "signup_closed");
    assert!(r.message().contains("2026-12-08 18:00"), "{r:?}");
    server
        .api(&two)
        .delete(&format!("/api/v1/events/{id}/signups/me"))
        .await
        .err(422, "signup_closed");

    // The organiser records attendance and exports the list.
    let admin = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let r = server
        .api(&admin)
        .send(
            Method::PUT,
            &format!("/api/v1/events/{id}/attendance"),
            Some(&json!({"attended_ids": [fx.m_a1.id]})),
        )
        .await;
    r.err(422, "not_signed_up").with_field("attended_ids");
    assert!(
        r.message().contains(fx.m_a1.person.name.as_str()),
        "the one who did not sign up is named: {r:?}"
    );
    let list = server
        .api(&admin)
        .send(
            Method::PUT,
            &format!("/api/v1/events/{id}/attendance"),
            Some(&json!({"attended_ids": [fx.m_a2.id]})),
        )
        .await
        .ok(200);
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["name"], "钱思远");
    assert_eq!(list["items"][0]["branch_name"], BRANCH_A2);
    assert_eq!(list["items"][0]["attended"], true);
    let sheet = server
        .client
        .get(server.url(&format!("/api/v1/events/{id}/signups.xlsx")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(sheet.status(), 200);
    let bytes = sheet.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let sibling = server.login(&fx.b_admin.login, &fx.b_admin.password).await;
    server
        .api(&sibling)
        .get(&format!("/api/v1/events/{id}/signups"))
        .await
        .err(404, "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_events_and_audiences_are_refused() {
    let (server, fx) = school().await;
    let admin = fx.a_admin.token.as_str();
    let api = server.api(admin);
    for (patch, code, field) in [
        (
            json!({"signup_deadline": "2026-11-01 18:00"}),
            "deadline_passed",
            "signup_deadline",
        ),
        (
            json!({"signup_deadline": "2026-12-11 18:00"}),
            "deadline_after_start",
            "signup_deadline",
        ),
        (
            json!({"starts_at": "12月10日"}),
            "invalid_datetime",
            "starts_at",
        ),
        (json!({"capacity": 0}), "invalid_capacity", "capacity"),
        (
            json!({"audience": "everyone"}),
            "invalid_audience",
            "audience",
        ),
        (json!({"title": " "}), "required", "title"),
    ] {
        let body = with(event_body(fx.col_a, "团课培训", Some(10), "all"), patch);
        api.post("/api/v1/events", &body)
            .await
            .err(422, code)
            .with_field(field);
    }
    assert!(api
        .get(&format!("/api/v1/events?org_id={}", fx.col_a))
        .await
        .items()
        .is_empty());
    server
        .api(&fx.b_admin.token)
        .post(
            "/api/v1/events",
            &event_body(fx.col_a, "团课培训", None, "all"),
        )
        .await
        .err(404, "not_found");

    // An event for branch secretaries: a member who is none is refused and does not see it.
    let id = publish(
        &server,
        admin,
        event_body(fx.col_a, "支书培训", None, "secretaries"),
    )
    .await;
    let one = member_token(&server, &fx.root, &fx.m_a1).await;
    sign_up(&server, &one, id).await.err(422, "not_in_audience");
    assert!(server
        .api(&one)
        .get("/api/v1/events")
        .await
        .items()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sign_ups_for_the_last_seat_at_once_exactly_one_succeeds() {
    let (server, fx) = school().await;
    let admin = fx.a_admin.token.as_str();
    let one = member_token(&server, &fx.root, &fx.m_a1).await;
    let two = member_token(&server, &fx.root, &fx.m_a2).await;
    for round in 0..5 {
        let id = publish(
            &server,
            admin,
            event_body(fx.col_a, &format!("第{round}期团课"), Some(1), "all"),
        )
        .await;
        let (a, b) = tokio::join!(sign_up(&server, &one, id), sign_up(&server, &two, id));
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409], "round {round}: {a:?} {b:?}");
        let loser = if a.status == 409 { &a } else { &b };
        loser.err(409, "event_full");
        let list = server
            .api(admin)
            .get(&format!("/api/v1/events/{id}/signups"))
            .await
            .ok(200);
        assert_eq!(list["total"], 1, "round {round}: {list}");
        assert_eq!(list["event"]["taken"], 1, "round {round}: {list}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_signs_up_for_a_training_on_the_events_page() {
    use crate::page::{get, logged_in, post};
    let (server, fx) = school().await;
    let id = publish(
        &server,
        &fx.a_admin.token,
        event_body(fx.col_a, "团干部培训班", Some(30), "all"),
    )
    .await;
    member_token(&server, &fx.root, &fx.m_a1).await;
    let client = logged_in(&server, &fx.m_a1.person.resident_id, MEMBER_PASSWORD).await;
    let page = get(&client, &server, "/events").await;
    page.status(200)
        .has("团干部培训班")
        .has("名额 0/30")
        .has("报名")
        .lacks("发布活动")
        .lacks("取消报名");
    let page = post(
        &client,
        &server,
        &format!("/events/{id}/signups"),
        &[("csrf", &page.csrf())],
    )
    .await;
    page.status(200)
        .has("报名成功")
        .has("您已报名")
        .has("取消报名");
    // The organiser sees the sign-up and records attendance on the phone.
    let admin = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let list = get(&admin, &server, &format!("/events/{id}/signups")).await;
    list.status(200).has("赵若曦").has("保存出席情况");
    let member = fx.m_a1.id.to_string();
    post(
        &admin,
        &server,
        &format!("/events/{id}/attendance"),
        &[("csrf", &list.csrf()), ("attended", &member)],
    )
    .await
    .status(200)
    .has("出席情况已保存");
}
