//! Issue 5: admin registration codes (ACC-5), password reset codes (ACC-6) and member
//! self-registration (MEM-4), driven over HTTP as a new user would.

use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::*;

const NEW_PASSWORD: &str = "Fresh-Pass9";

fn code_of(v: &Value) -> String {
    v["code"].as_str().expect("code").to_string()
}

async fn issue_registration_code(server: &TestServer, token: &str, org: i64) -> String {
    let v = server
        .api(token)
        .post_empty(&format!("/api/v1/orgs/{org}/registration-codes"))
        .await
        .ok(201);
    assert!(
        v["expires_at"]
            .as_str()
            .is_some_and(|s| s.starts_with("2026-12-06")),
        "{v}"
    );
    code_of(&v)
}

async fn issue_reset_code(server: &TestServer, token: &str, member: i64) -> String {
    let v = server
        .api(token)
        .post_empty(&format!("/api/v1/members/{member}/reset-code"))
        .await
        .ok(201);
    code_of(&v)
}

fn officer(org: i64, code: &str) -> Value {
    let p = Person::new(301, "周明哲");
    json!({
        "org_id": org,
        "code": code,
        "name": p.name,
        "resident_id": p.resident_id,
        "phone": p.phone,
        "password": NEW_PASSWORD,
    })
}

#[tokio::test]
async fn a_registration_code_admits_one_admin_of_its_org_once() {
    let (server, fx) = school().await;
    let s1 = &fx.s1_admin.token;
    let new_college = college(&server, s1, fx.s1, "共青团外国语学院委员会", "committee").await;
    let code = issue_registration_code(&server, s1, new_college).await;
    assert_eq!(code.len(), 32, "26 symbols in groups of four: {code}");

    // The code of another org (a lowercase copy is the same code): the message names the org
    // the person chose, not the code's.
    let r = server
        .anon()
        .post(
            "/api/v1/auth/register-admin",
            &officer(fx.col_b, &code.to_lowercase()),
        )
        .await;
    r.err(422, "registration_code_mismatch");
    assert!(
        r.message()
            .contains("您所填写的管理员注册码不是 共青团机械工程学院委员会 的注册码"),
        "{r:?}"
    );
    assert!(!r.message().contains("外国语"), "{r:?}");

    // The right org and code, typed in lowercase on a phone: the officer is registered, logged
    // in, and administers the college.
    let body = server
        .anon()
        .post(
            "/api/v1/auth/register-admin",
            &officer(new_college, &format!(" {} ", code.to_lowercase())),
        )
        .await
        .ok(201);
    let token = body["token"].as_str().expect("token").to_string();
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    assert_eq!(me["org_id"], new_college, "{me}");
    assert_eq!(me["active_role"]["role"], "college_admin", "{me}");
    // They log in again by resident ID, and can work in their college.
    let p = Person::new(301, "周明哲");
    let token = server.login(&p.resident_id, NEW_PASSWORD).await;
    branch(&server, &token, new_college, "英语2301团支部").await;

    // A second use fails and says who can issue a new one.
    let r = server
        .anon()
        .post("/api/v1/auth/register-admin", &officer(new_college, &code))
        .await;
    r.err(422, "registration_code_used");
    assert!(r.message().contains("共青团某大学委员会"), "{r:?}");

    // Issued only from above, and only in scope.
    server
        .api(&token)
        .post_empty(&format!("/api/v1/orgs/{new_college}/registration-codes"))
        .await
        .err(403, "forbidden");
    server
        .api(&fx.s2_admin.token)
        .post_empty(&format!("/api/v1/orgs/{new_college}/registration-codes"))
        .await
        .err(404, "not_found");
    server
        .api(&fx.a1_admin.token)
        .post_empty(&format!("/api/v1/orgs/{}/registration-codes", fx.a1))
        .await
        .fails(403);

    // Audit: the issue and the registration are on record, the code itself is not.
    let audit = server
        .api(s1)
        .get(&format!("/api/v1/audit?org_id={new_college}"))
        .await;
    assert!(audit.text.contains("registration_code"), "{audit:?}");
    assert!(audit.text.contains("register_admin"), "{audit:?}");
    assert!(!audit.text.contains(&code), "{audit:?}");
}

#[tokio::test]
async fn an_expired_registration_code_says_so_and_a_reset_code_is_not_one() {
    let (server, fx) = school().await;
    let s1 = &fx.s1_admin.token;
    let code = issue_registration_code(&server, s1, fx.col_a).await;
    let reset = issue_reset_code(&server, s1, fx.m_a1.id).await;

    // A reset code never registers anyone, and a registration code never resets a password.
    server
        .anon()
        .post("/api/v1/auth/register-admin", &officer(fx.col_a, &reset))
        .await
        .err(422, "wrong_code_purpose");
    let p = &fx.m_a1.person;
    server
        .anon()
        .post(
            "/api/v1/auth/reset-password",
            &json!({"name": p.name, "resident_id": p.resident_id, "code": code, "new_password": NEW_PASSWORD}),
        )
        .await
        .err(422, "wrong_code_purpose");

    server.advance(time::Duration::days(7) + time::Duration::minutes(1));
    let r = server
        .anon()
        .post("/api/v1/auth/register-admin", &officer(fx.col_a, &code))
        .await;
    r.err(422, "registration_code_expired");
    assert!(
        r.message().contains("过期") && r.message().contains("共青团某大学委员会"),
        "{r:?}"
    );
    // Nothing was created by the refusals: the person cannot log in.
    server
        .login_resp(&Person::new(301, "周明哲").resident_id, NEW_PASSWORD)
        .await
        .fails(401);
}

#[tokio::test]
async fn a_reset_code_from_the_search_results_lets_the_member_set_a_new_password() {
    let (server, fx) = school().await;
    let admin = &fx.a_admin.token;
    let m = &fx.m_a1;
    let old_session = member_token(&server, &fx.root, m).await;

    // The college officer finds the member by global search and issues a code twice: only the
    // newest works.
    let found = server
        .api(admin)
        .get(&format!("/api/v1/members?q={}", m.person.student_no))
        .await
        .items();
    assert_eq!(ids(&found), vec![m.id]);
    let first = issue_reset_code(&server, admin, m.id).await;
    let code = issue_reset_code(&server, admin, m.id).await;
    assert_ne!(first, code);
    let reset = |name: &str, rid: &str, code: &str, pw: &str| json!({"name": name, "resident_id": rid, "code": code, "new_password": pw});
    let p = &m.person;
    let r = server
        .anon()
        .post(
            "/api/v1/auth/reset-password",
            &reset(&p.name, &p.resident_id, &first, NEW_PASSWORD),
        )
        .await;
    r.err(422, "invalid_reset_code");
    let generic = r.message().to_string();
    // A wrong name and an unknown person read exactly like a wrong code.
    let stranger = Person::new(302, "吴欣怡");
    for (name, rid) in [
        ("钱错名", p.resident_id.as_str()),
        (stranger.name.as_str(), stranger.resident_id.as_str()),
    ] {
        let r = server
            .anon()
            .post(
                "/api/v1/auth/reset-password",
                &reset(name, rid, &code, NEW_PASSWORD),
            )
            .await;
        r.err(422, "invalid_reset_code");
        assert_eq!(r.message(), generic);
    }
    // Passwords that hold personal numbers are refused.
    let last8 = &p.resident_id[10..];
    server
        .anon()
        .post(
            "/api/v1/auth/reset-password",
            &reset(&p.name, &p.resident_id, &code, &format!("Ab{last8}")),
        )
        .await
        .err(422, "password_contains_personal_info")
        .with_field("new_password");
    server
        .anon()
        .post(
            "/api/v1/auth/reset-password",
            &reset(&p.name, &p.resident_id, &code, &format!("x{}", p.phone)),
        )
        .await
        .err(422, "password_contains_personal_info");

    server
        .anon()
        .post(
            "/api/v1/auth/reset-password",
            &reset(&p.name, &p.resident_id, &code, NEW_PASSWORD),
        )
        .await
        .ok(204);
    // Every session of the account ended; the new password works; the code is spent.
    server.api(&old_session).get("/api/v1/me").await.fails(401);
    let token = server.login(&p.resident_id, NEW_PASSWORD).await;
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    assert_eq!(me["account"]["must_change_password"], false, "{me}");
    server
        .anon()
        .post(
            "/api/v1/auth/reset-password",
            &reset(&p.name, &p.resident_id, &code, "Other-Pass7"),
        )
        .await
        .err(422, "invalid_reset_code");
}

#[tokio::test]
async fn reset_codes_expire_respect_rank_and_scope_and_wrong_tries_are_limited() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let p = &m.person;
    let body = |code: &str| json!({"name": p.name, "resident_id": p.resident_id, "code": code, "new_password": NEW_PASSWORD});
    // The branch secretary may issue one while the member holds no higher role.
    issue_reset_code(&server, &fx.a1_admin.token, m.id).await;

    // Out of scope: 404, as for a member that does not exist.
    server
        .api(&fx.b_admin.token)
        .post_empty(&format!("/api/v1/members/{}/reset-code", m.id))
        .await
        .err(404, "not_found");
    // A member who also administers the college is out of reach of their branch secretary.
    server
        .api(&fx.s1_admin.token)
        .post(
            &format!("/api/v1/orgs/{}/admins", fx.col_a),
            &json!({"member_id": m.id}),
        )
        .await
        .ok(201);
    server
        .api(&fx.a1_admin.token)
        .post_empty(&format!("/api/v1/members/{}/reset-code", m.id))
        .await
        .err(403, "forbidden");
    let code = issue_reset_code(&server, &fx.s1_admin.token, m.id).await;
    server.advance(time::Duration::hours(72) + time::Duration::minutes(1));
    let r = server
        .anon()
        .post("/api/v1/auth/reset-password", &body(&code))
        .await;
    r.err(422, "reset_code_expired");
    assert!(r.message().contains("重新生成"), "{r:?}");

    // Five failed tries for one person (the expired code was the first), then a pause, even
    // for a right code.
    let fresh = issue_reset_code(
        &server,
        &server
            .login(&fx.s1_admin.login, &fx.s1_admin.password)
            .await,
        m.id,
    )
    .await;
    for _ in 0..4 {
        server
            .anon()
            .post(
                "/api/v1/auth/reset-password",
                &body("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-45"),
            )
            .await
            .err(422, "invalid_reset_code");
    }
    server
        .anon()
        .post("/api/v1/auth/reset-password", &body(&fresh))
        .await
        .fails(429);
}

fn registration(p: &Person, branch: i64) -> Value {
    let mut body = p.body(branch);
    body["password"] = json!(NEW_PASSWORD);
    body
}

#[tokio::test]
async fn a_member_registers_themself_and_appears_after_the_branch_approves() {
    let (server, fx) = school().await;
    // The branch is found without logging in (ORG-5), by a keyword anywhere in its name.
    let found = server.anon().get("/api/v1/auth/orgs?q=2301").await.items();
    let hit = found
        .iter()
        .find(|o| o["name"] == BRANCH_A1)
        .unwrap_or_else(|| panic!("{found:?}"));
    assert!(
        hit["path"].as_str().is_some_and(|p| p.contains(SCHOOL1)),
        "{hit}"
    );

    let p = Person::new(311, "冯嘉怡");
    let before = member_total(&server, &fx.a1_admin.token, fx.a1).await;
    let v = server
        .anon()
        .post("/api/v1/auth/register-member", &registration(&p, fx.a1))
        .await
        .ok(201);
    assert_eq!(v["status"], "pending", "{v}");
    assert!(
        v["message"].as_str().is_some_and(|m| m.contains(BRANCH_A1)),
        "{v}"
    );
    let request_id = v["request_id"].as_i64().expect("request_id");
    // Nothing is entered yet: no login, no member, and a second submission is refused.
    server
        .login_resp(&p.resident_id, NEW_PASSWORD)
        .await
        .fails(401);
    assert_eq!(
        member_total(&server, &fx.a1_admin.token, fx.a1).await,
        before
    );
    server
        .anon()
        .post("/api/v1/auth/register-member", &registration(&p, fx.a1))
        .await
        .err(409, "registration_pending");

    // It waits in the branch secretary's to-do list; another college cannot act on it.
    let todos = server.api(&fx.a1_admin.token).get("/api/v1/todos").await;
    assert!(
        todos.text.contains(&request_id.to_string()) && todos.text.contains("冯嘉怡"),
        "{todos:?}"
    );
    server
        .api(&fx.b_admin.token)
        .post_empty(&format!("/api/v1/requests/{request_id}/approve"))
        .await
        .err(404, "not_found");
    let listed = server
        .api(&fx.a1_admin.token)
        .get(&format!("/api/v1/requests/{request_id}"))
        .await
        .ok(200);
    assert_eq!(listed["kind"], "member_registration");
    assert!(
        !listed.to_string().contains(&p.resident_id),
        "masked in the request: {listed}"
    );
    server
        .api(&fx.a1_admin.token)
        .post_empty(&format!("/api/v1/requests/{request_id}/approve"))
        .await
        .ok(200);

    // Now they exist, in that branch, and log in with the password they chose.
    assert_eq!(
        member_total(&server, &fx.a1_admin.token, fx.a1).await,
        before + 1
    );
    let token = server.login(&p.resident_id, NEW_PASSWORD).await;
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    assert_eq!(me["org_id"], fx.a1, "{me}");

    // Registering again names the org that holds them.
    let r = server
        .anon()
        .post("/api/v1/auth/register-member", &registration(&p, fx.b1))
        .await;
    r.err(409, "duplicate_resident_id");
    assert!(r.message().contains(BRANCH_A1), "{r:?}");
}

#[tokio::test]
async fn a_rejected_or_invalid_self_registration_enters_nobody() {
    let (server, fx) = school().await;
    let p = Person::new(312, "陈俊杰");
    // Not a branch, bad fields, a password with the birth date: refused with the field named.
    server
        .anon()
        .post("/api/v1/auth/register-member", &registration(&p, fx.col_a))
        .await
        .err(422, "not_a_branch");
    let mut bad = registration(&p, fx.a1);
    bad["resident_id"] = json!("12010120050101001");
    server
        .anon()
        .post("/api/v1/auth/register-member", &bad)
        .await
        .client_error()
        .with_field("resident_id");
    let mut weak = registration(&p, fx.a1);
    weak["password"] = json!(format!("Pw{}", &p.resident_id[6..14]));
    server
        .anon()
        .post("/api/v1/auth/register-member", &weak)
        .await
        .err(422, "password_contains_personal_info");
    // MEM-2: joined before 14 on or after 2017 is refused before anything is stored.
    let mut young = registration(&p, fx.a1);
    young["joined_on"] = json!("2017-06");
    young["development_no"] = json!("120199999999");
    server
        .anon()
        .post("/api/v1/auth/register-member", &young)
        .await
        .client_error();

    let v = server
        .anon()
        .post("/api/v1/auth/register-member", &registration(&p, fx.a1))
        .await
        .ok(201);
    let id = v["request_id"].as_i64().expect("request_id");
    server
        .api(&fx.a1_admin.token)
        .post(
            &format!("/api/v1/requests/{id}/reject"),
            &json!({"reason": "本支部无此人"}),
        )
        .await
        .ok(200);
    server
        .login_resp(&p.resident_id, NEW_PASSWORD)
        .await
        .fails(401);
    let found = server
        .api(&fx.s1_admin.token)
        .get(&format!("/api/v1/members?q={}", p.student_no))
        .await
        .items();
    assert!(found.is_empty(), "{found:?}");
}
