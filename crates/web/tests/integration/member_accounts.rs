//! A member's account (ACC-3) is made the first time it is needed, not when the member is
//! entered or imported: until then logging in says the password is not set yet; a reset code, a
//! password set by an admin or an admin registration (ACC-5) then makes exactly one account, with
//! its member role at the branch the member is in at that moment.

use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::{id_of, TestServer};
use crate::imports::{import, person, required_csv, row};
use crate::transfers::{approve, ready_member, started, to_org};

const NEW_PASSWORD: &str = "Fresh-Pass9";

async fn account_of(server: &TestServer, token: &str, member: i64) -> Value {
    server
        .api(token)
        .get(&format!("/api/v1/members/{member}"))
        .await
        .ok(200)["account_id"]
        .clone()
}

async fn me(server: &TestServer, token: &str) -> Value {
    server.api(token).get("/api/v1/me").await.ok(200)
}

/// The (role, org) pairs of an account, as `/api/v1/me` lists them.
fn roles(me: &Value) -> Vec<(String, i64)> {
    me["roles"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["role"].as_str().unwrap_or_default().to_string(),
                r["org_id"].as_i64().unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_member_gets_an_account_from_a_reset_code_and_logs_in() {
    let (server, fx) = school().await;
    let admin = &fx.a_admin.token;
    let p = person(1500);
    let report = import(
        &server,
        admin,
        "新生.csv",
        &required_csv(&[row(&p, BRANCH_A1), row(&person(1501), BRANCH_A1)]),
        "all",
    )
    .await;
    assert_eq!(report["added"], 2, "{report}");
    let found = server
        .api(admin)
        .get(&format!("/api/v1/members?q={}", p.student_no))
        .await
        .items();
    let id = id_of(&found[0]);
    assert_eq!(account_of(&server, admin, id).await, Value::Null);

    // No account yet: by resident ID or student number, the answer is the one a wrong
    // password gets (nobody learns who has no password yet), and it says whom to ask.
    for login in [&p.resident_id, &p.student_no] {
        let r = server.login_resp(login, NEW_PASSWORD).await;
        r.err(401, "invalid_credentials");
        assert!(r.message().contains("团支书"), "{r:?}");
    }

    // The reset code makes the account; the member sets a password with it and logs in to their
    // own branch.
    let issued = server
        .api(admin)
        .post_empty(&format!("/api/v1/members/{id}/reset-code"))
        .await
        .ok(201);
    let account = account_of(&server, admin, id).await;
    assert!(account.is_i64(), "{account}");
    server
        .anon()
        .post(
            "/api/v1/auth/reset-password",
            &json!({"name": p.name, "resident_id": p.resident_id, "code": issued["code"],
                    "new_password": NEW_PASSWORD}),
        )
        .await
        .ok(204);
    let token = server.login(&p.student_no, NEW_PASSWORD).await;
    let me = me(&server, &token).await;
    assert_eq!(me["account"]["id"], account, "{me}");
    assert_eq!(roles(&me), vec![("member".to_string(), fx.a1)], "{me}");
    // A second code goes to the same account.
    server
        .api(admin)
        .post_empty(&format!("/api/v1/members/{id}/reset-code"))
        .await
        .ok(201);
    assert_eq!(account_of(&server, admin, id).await, account);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_moved_before_having_an_account_is_a_member_of_the_new_branch() {
    let (server, fx) = school().await;
    let m = ready_member(&server, &fx, 1510, fx.a1).await;
    assert_eq!(account_of(&server, &fx.root, m.id).await, Value::Null);
    let t = started(
        &server,
        &fx.a_admin.token,
        to_org(m.id, fx.b1, "further_study"),
    )
    .await;
    approve(&server, &fx.b_admin.token, t, json!({}))
        .await
        .ok(200);

    // The admin of the branch the member is in now sets the first password.
    let token = member_token(&server, &fx.b_admin.token, &m).await;
    assert_eq!(
        roles(&me(&server, &token).await),
        vec![("member".to_string(), fx.b1)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_without_an_account_who_registers_as_admin_has_one_account_with_both_roles() {
    let (server, fx) = school().await;
    let m = member(&server, &fx.a_admin.token, person(1520), fx.a2).await;
    assert_eq!(account_of(&server, &fx.root, m.id).await, Value::Null);
    let new_college = college(
        &server,
        &fx.s1_admin.token,
        fx.s1,
        "共青团外国语学院委员会",
        "committee",
    )
    .await;
    let code = server
        .api(&fx.s1_admin.token)
        .post_empty(&format!("/api/v1/orgs/{new_college}/registration-codes"))
        .await
        .ok(201)["code"]
        .clone();
    let p = &m.person;
    server
        .anon()
        .post(
            "/api/v1/auth/register-admin",
            &json!({"org_id": new_college, "code": code, "name": p.name,
                    "resident_id": p.resident_id, "phone": p.phone, "password": NEW_PASSWORD}),
        )
        .await
        .ok(201);

    let token = server.login(&p.resident_id, NEW_PASSWORD).await;
    let me = me(&server, &token).await;
    let mut held = roles(&me);
    held.sort();
    assert_eq!(
        held,
        vec![
            ("college_admin".to_string(), new_college),
            ("member".to_string(), fx.a2)
        ],
        "{me}"
    );
    assert_eq!(
        account_of(&server, &fx.root, m.id).await,
        me["account"]["id"],
        "the admin role is on the member's own account"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_left_before_having_an_account_cannot_log_in_after_a_password_is_set() {
    let (server, fx) = school().await;
    let m = ready_member(&server, &fx, 1530, fx.a1).await;
    let t = started(
        &server,
        &fx.a1_admin.token,
        json!({"member_id": m.id, "special_unit": {"destination": "某部队"}, "reason": "military"}),
    )
    .await;
    approve(&server, &fx.province_admin.token, t, json!({}))
        .await
        .ok(200);

    // The record stays with its old branch; a password set on it now opens nothing.
    server
        .api(&fx.root)
        .post(
            &format!("/api/v1/members/{}/password", m.id),
            &json!({"password": MEMBER_INITIAL_PASSWORD}),
        )
        .await
        .ok(204);
    for login in [&m.person.student_no, &m.person.resident_id] {
        server
            .login_resp(login, MEMBER_INITIAL_PASSWORD)
            .await
            .fails(401);
    }
}
