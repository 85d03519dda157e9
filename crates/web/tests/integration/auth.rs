//! ACC-3, ACC-7: logging in, sessions, roles, the first-password gate and rate limiting.

use serde_json::{json, Value};
use time::macros::date;
use tuanwu_domain::ResidentId;

use crate::fixtures::*;
use crate::harness::{id_of, new_client, TestServer, ROOT_PASSWORD};

fn role_names(body: &Value) -> Vec<String> {
    body["roles"]
        .as_array()
        .map(|roles| {
            roles
                .iter()
                .filter_map(|r| r["role"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers() {
    let server = TestServer::start().await;
    let resp = server.anon().get("/healthz").await;
    assert_eq!(resp.status, 200, "{resp:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_logs_in_by_login_name_and_sees_the_top_org() {
    let server = TestServer::start().await;
    let body = server.login_resp("root", ROOT_PASSWORD).await.ok(200);
    assert!(
        body["token"].as_str().is_some_and(|t| t.len() >= 16),
        "{body}"
    );
    assert_eq!(body["account"]["login_name"], "root");
    assert_eq!(body["account"]["must_change_password"], false);
    assert_eq!(body["active_role"]["role"], "central_admin", "{body}");
    assert_eq!(
        body["active_role"]["org_name"], "共青团中央委员会",
        "{body}"
    );
    assert_eq!(role_names(&body), vec!["central_admin"]);

    let token = body["token"].as_str().expect("token");
    let me = server.api(token).get("/api/v1/me").await.ok(200);
    assert_eq!(me["account"]["login_name"], "root");
    assert_eq!(me["active_role"]["role"], "central_admin");
    assert_eq!(me["org_id"], body["active_role"]["org_id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_login_are_refused_alike() {
    let server = TestServer::start().await;
    server
        .login_resp("root", "Wrong-Passw0rd")
        .await
        .err(401, "invalid_credentials");
    server
        .login_resp("nobody_here", ROOT_PASSWORD)
        .await
        .err(401, "invalid_credentials");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_logs_in_by_resident_id_or_student_number_and_must_change_password() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;

    // Before any password is set, the member cannot log in.
    server
        .login_resp(&m.person.resident_id, MEMBER_INITIAL_PASSWORD)
        .await
        .client_error();

    server
        .api(&fx.a_admin.token)
        .post(
            &format!("/api/v1/members/{}/password", m.id),
            &json!({"password": MEMBER_INITIAL_PASSWORD}),
        )
        .await
        .ok(204);

    let by_id = server
        .login_resp(&m.person.resident_id, MEMBER_INITIAL_PASSWORD)
        .await
        .ok(200);
    assert_eq!(by_id["account"]["member_id"], m.id, "{by_id}");
    assert_eq!(by_id["account"]["must_change_password"], true, "{by_id}");
    assert_eq!(by_id["active_role"]["role"], "member", "{by_id}");
    assert_eq!(by_id["active_role"]["org_id"], fx.a1, "{by_id}");

    let by_student_no = server
        .login_resp(&m.person.student_no, MEMBER_INITIAL_PASSWORD)
        .await
        .ok(200);
    assert_eq!(by_student_no["account"]["id"], by_id["account"]["id"]);

    // The gate: everything but /me, /me/password and logout answers 403.
    let token = by_id["token"].as_str().expect("token").to_string();
    let api = server.api(&token);
    api.get(&format!("/api/v1/members/{}", m.id))
        .await
        .err(403, "password_change_required");
    api.get(&format!("/api/v1/orgs/{}", fx.a1))
        .await
        .err(403, "password_change_required");
    api.get("/api/v1/me").await.ok(200);

    // A wrong old password does not change it.
    let wrong = api
        .post(
            "/api/v1/me/password",
            &json!({"old_password": "Not-The-One1", "new_password": MEMBER_PASSWORD}),
        )
        .await;
    wrong.client_error();
    // Keeping the password the admin set is refused, and the gate stays shut.
    api.post(
        "/api/v1/me/password",
        &json!({"old_password": MEMBER_INITIAL_PASSWORD, "new_password": MEMBER_INITIAL_PASSWORD}),
    )
    .await
    .err(422, "same_password")
    .with_field("new_password");
    api.get(&format!("/api/v1/members/{}", m.id))
        .await
        .err(403, "password_change_required");

    api.post(
        "/api/v1/me/password",
        &json!({"old_password": MEMBER_INITIAL_PASSWORD, "new_password": MEMBER_PASSWORD}),
    )
    .await
    .ok(204);

    server
        .login_resp(&m.person.resident_id, MEMBER_INITIAL_PASSWORD)
        .await
        .err(401, "invalid_credentials");
    let fresh = server
        .login_resp(&m.person.resident_id, MEMBER_PASSWORD)
        .await
        .ok(200);
    assert_eq!(fresh["account"]["must_change_password"], false, "{fresh}");
    let fresh_token = fresh["token"].as_str().expect("token");
    let own = server
        .api(fresh_token)
        .get(&format!("/api/v1/members/{}", m.id))
        .await
        .ok(200);
    assert_eq!(own["name"], m.person.name.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_id_without_member_record_is_told_to_ask_the_branch_secretary() {
    let server = TestServer::start().await;
    let unknown = ResidentId::compose(120101, date!(2004 - 03 - 08), 555);
    let resp = server.login_resp(unknown.as_str(), "Whatever-1").await;
    // The same answer as a wrong password (a stranger learns nothing about who is in the
    // system), and it tells a member not entered yet whom to ask (Q26).
    resp.err(401, "invalid_credentials").with_rule("ACC-7");
    let msg = resp.message();
    assert!(
        msg.contains("支书") || msg.contains("团支部"),
        "message should send them to the branch secretary: {msg}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session() {
    let server = TestServer::start().await;
    let token = server.root_token().await;
    let other = server.root_token().await;
    assert_ne!(token, other, "every login gets a new session");
    server.api(&token).get("/api/v1/me").await.ok(200);
    let out = server.api(&token).post_empty("/api/v1/auth/logout").await;
    assert_eq!(out.status, 204, "{out:?}");
    server
        .api(&token)
        .get("/api/v1/me")
        .await
        .err(401, "not_logged_in");
    // Other sessions of the same account stay valid.
    server.api(&other).get("/api/v1/me").await.ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_cookie_authenticates_too() {
    let server = TestServer::start().await;
    let jar_client = new_client(true);
    let login = server
        .anon()
        .with_client(&jar_client)
        .post(
            "/api/v1/auth/login",
            &json!({"login": "root", "password": ROOT_PASSWORD}),
        )
        .await;
    let cookie = login
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite"),
        "the session cookie is HttpOnly and SameSite: {cookie:?}"
    );
    let login = login.ok(200);
    assert!(login["token"].is_string());
    let me = server
        .anon()
        .with_client(&jar_client)
        .get("/api/v1/me")
        .await;
    assert_eq!(me.status, 200, "cookie should authenticate: {me:?}");
    // A write with the cookie comes from this site's own pages (their Origin).
    let out = jar_client
        .post(server.url("/api/v1/auth/logout"))
        .header("origin", server.base.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let after = server
        .anon()
        .with_client(&jar_client)
        .get("/api/v1/me")
        .await;
    assert_eq!(after.status, 401, "{after:?}");
    // A client without the cookie was never logged in.
    server
        .anon()
        .get("/api/v1/me")
        .await
        .err(401, "not_logged_in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_who_is_also_branch_admin_switches_roles() {
    let (server, fx) = school().await;
    let m = &fx.m_a2;
    let granted = server
        .api(&fx.a_admin.token)
        .post(
            &format!("/api/v1/orgs/{}/admins", fx.a2),
            &json!({"member_id": m.id}),
        )
        .await
        .ok(201);
    assert_eq!(granted["role"], "branch_admin", "{granted}");
    assert_eq!(granted["org_id"], fx.a2);
    let admin_role_id = granted["role_id"].as_i64().expect("role_id");

    let token = member_token(&server, &fx.root, m).await;
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    let mut names = role_names(&me);
    names.sort();
    assert_eq!(names, vec!["branch_admin", "member"], "{me}");
    let member_role = me["roles"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["role"] == "member"))
        .cloned()
        .expect("member role");
    let member_role_id = member_role["id"].as_i64().expect("id");
    assert_eq!(member_role["org_id"], fx.a2);
    assert_eq!(member_role["org_name"], BRANCH_A2);

    let newcomer = Person::new(40, &name_for(40));
    let api = server.api(&token);
    for (role_id, role) in [(member_role_id, "member"), (admin_role_id, "branch_admin")] {
        let switched = api
            .post("/api/v1/me/active-role", &json!({"role_id": role_id}))
            .await
            .ok(200);
        assert_eq!(switched["active_role"]["id"], role_id, "{switched}");
        assert_eq!(switched["active_role"]["role"], role, "{switched}");
        let me = api.get("/api/v1/me").await.ok(200);
        assert_eq!(me["active_role"]["role"], role, "{me}");
        assert_eq!(me["org_id"], fx.a2, "{me}");
        // What the role may do follows the switch: only the admin role enters members.
        let entered = api.post("/api/v1/members", &newcomer.body(fx.a2)).await;
        if role == "member" {
            assert!(
                entered.status == 403 || entered.status == 404,
                "a member must not enter members: {entered:?}"
            );
        } else {
            assert_eq!(entered.status, 201, "{entered:?}");
        }
    }

    // Someone else's role cannot be taken.
    let stolen = api
        .post(
            "/api/v1/me/active-role",
            &json!({"role_id": fx.a_admin.role_id}),
        )
        .await;
    stolen.client_error();
    let me = api.get("/api/v1/me").await.ok(200);
    assert_eq!(me["active_role"]["role"], "branch_admin", "{me}");

    // Revoking the admin role takes effect on the open session and keeps the member role.
    let account = granted["account_id"].as_i64().expect("account_id");
    let revoked = server
        .api(&fx.a_admin.token)
        .delete(&format!("/api/v1/orgs/{}/admins/{account}", fx.a2))
        .await;
    assert_eq!(revoked.status, 204, "{revoked:?}");
    let late = Person::new(41, &name_for(41));
    let entered = api.post("/api/v1/members", &late.body(fx.a2)).await;
    assert!(
        (400..500).contains(&entered.status),
        "a revoked admin role still enters members: {entered:?}"
    );
    let again = server.login(&m.person.student_no, MEMBER_PASSWORD).await;
    let me = server.api(&again).get("/api/v1/me").await.ok(200);
    assert_eq!(role_names(&me), vec!["member"], "{me}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_lock_one_login_for_fifteen_minutes() {
    let server = TestServer::start().await;
    let root = server.root_token().await;
    let top = my_org(&server, &root).await;
    let province = id_of(
        &create_org(
            &server,
            &root,
            org_body(top, PROVINCE, "committee", "党政机关"),
        )
        .await,
    );
    let other = admin(&server, &root, province, "other_admin", "另一位管理员").await;

    for attempt in 1..=5 {
        let resp = server.login_resp("root", "Wrong-Passw0rd").await;
        assert_eq!(resp.status, 401, "attempt {attempt}: {resp:?}");
    }
    server
        .login_resp("root", ROOT_PASSWORD)
        .await
        .err(429, "too_many_attempts");
    // Another account from the same address is not locked.
    server.login(&other.login, &other.password).await;

    server.advance(time::Duration::minutes(10));
    server
        .login_resp("root", ROOT_PASSWORD)
        .await
        .err(429, "too_many_attempts");
    server.advance(time::Duration::minutes(6));
    server.login_resp("root", ROOT_PASSWORD).await.ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_from_one_address_lock_it() {
    let server = TestServer::start().await;
    for i in 0..30 {
        let resp = server
            .login_resp(&format!("guess_{i}"), "Wrong-Passw0rd")
            .await;
        assert_eq!(resp.status, 401, "attempt {i}: {resp:?}");
    }
    server
        .login_resp("root", ROOT_PASSWORD)
        .await
        .err(429, "too_many_attempts");
    server.advance(time::Duration::minutes(16));
    server.login_resp("root", ROOT_PASSWORD).await.ok(200);
}
