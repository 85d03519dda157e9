//! Builders for the organisations, admins and members tests need.

use serde_json::{json, Value};
use time::macros::date;
use time::Date;
use tuanwu_domain::ResidentId;

use std::sync::OnceLock;

use crate::harness::{bootstrapped, build_seed, id_of, Resp, Seed, TestServer};

/// The password an admin account is created with (set by the admin above).
pub const ADMIN_PASSWORD: &str = "Admin-Pass1";
/// The password an admin chooses at first login when the server asks for a change.
pub const ADMIN_OWN_PASSWORD: &str = "Admin-Own-Pass2";
pub const MEMBER_INITIAL_PASSWORD: &str = "Init-Pass1";
pub const MEMBER_PASSWORD: &str = "Member-Pass2";
pub const UNIVERSITY: &str = "普通高等院校";

/// Body of `POST /api/v1/orgs` with the required fields.
pub fn org_body(parent: i64, name: &str, kind: &str, category: &str) -> Value {
    json!({"parent_id": parent, "name": name, "kind": kind, "category": category})
}

/// `org_body` plus extra fields.
pub fn with(mut body: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    body
}

/// Creates an org and returns its JSON (panics unless 201).
pub async fn create_org(server: &TestServer, token: &str, body: Value) -> Value {
    server.api(token).post("/api/v1/orgs", &body).await.ok(201)
}

pub async fn branch(server: &TestServer, token: &str, parent: i64, name: &str) -> i64 {
    id_of(
        &create_org(
            server,
            token,
            with(
                org_body(parent, name, "branch", UNIVERSITY),
                json!({"branch_type": "regular"}),
            ),
        )
        .await,
    )
}

pub async fn college(server: &TestServer, token: &str, parent: i64, name: &str, kind: &str) -> i64 {
    id_of(
        &create_org(
            server,
            token,
            with(
                org_body(parent, name, kind, UNIVERSITY),
                json!({"is_college": true}),
            ),
        )
        .await,
    )
}

/// The org of the caller's active role (`GET /me` → `org_id`).
pub async fn my_org(server: &TestServer, token: &str) -> i64 {
    let me = server.api(token).get("/api/v1/me").await.ok(200);
    me["org_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no org_id in /me: {me}"))
}

#[derive(Debug, Clone)]
pub struct Admin {
    pub login: String,
    pub name: String,
    pub account_id: i64,
    pub role_id: i64,
    /// The current password (after a first-login change, if the server asked for one).
    pub password: String,
    pub token: String,
}

/// Logs in with a password someone else set; when the server asks for a change
/// (`must_change_password`), changes it to `own` and logs in again. Returns the usable token and
/// the current password.
pub async fn first_login(
    server: &TestServer,
    login: &str,
    initial: &str,
    own: &str,
) -> (String, String) {
    let body = server.login_resp(login, initial).await.ok(200);
    let token = body["token"].as_str().expect("token").to_string();
    if body["account"]["must_change_password"] != true {
        return (token, initial.to_string());
    }
    server
        .api(&token)
        .post(
            "/api/v1/me/password",
            &json!({"old_password": initial, "new_password": own}),
        )
        .await
        .ok(204);
    (server.login(login, own).await, own.to_string())
}

/// Creates an admin-only account for `org` (as `token`, an admin above it) and logs it in.
pub async fn admin(server: &TestServer, token: &str, org: i64, login: &str, name: &str) -> Admin {
    let created = server
        .api(token)
        .post(
            &format!("/api/v1/orgs/{org}/admins"),
            &json!({"login": login, "password": ADMIN_PASSWORD, "name": name}),
        )
        .await
        .ok(201);
    let (token, password) = first_login(server, login, ADMIN_PASSWORD, ADMIN_OWN_PASSWORD).await;
    Admin {
        login: login.to_string(),
        name: name.to_string(),
        account_id: created["account_id"].as_i64().expect("account_id"),
        role_id: created["role_id"].as_i64().expect("role_id"),
        password,
        token,
    }
}

/// A person with a valid resident ID and unique numbers, derived from `seq`.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub resident_id: String,
    pub student_no: String,
    pub phone: String,
    pub development_no: String,
    pub joined_on: String,
    pub birth: Date,
}

impl Person {
    /// Born in 2005 (21 at the test's "now"), joined in 2020-05 with a development number.
    pub fn new(seq: u16, name: &str) -> Person {
        Person::born(
            seq,
            name,
            date!(2005 - 01 - 01) + time::Duration::days(i64::from(seq % 300)),
        )
    }

    pub fn born(seq: u16, name: &str, birth: Date) -> Person {
        let rid = ResidentId::compose(120101, birth, seq % 1000);
        Person {
            name: name.to_string(),
            resident_id: rid.as_str().to_string(),
            student_no: format!("2023{:06}", u32::from(seq) * 7 + 13),
            phone: format!("1391{:07}", u32::from(seq) * 37 + 1_000_000),
            development_no: format!("1201{:08}", u32::from(seq) * 11 + 10_000_000),
            joined_on: "2020-05".to_string(),
            birth,
        }
    }

    /// The body of `POST /api/v1/members`.
    pub fn body(&self, branch: i64) -> Value {
        json!({
            "branch_id": branch,
            "name": self.name,
            "resident_id": self.resident_id,
            "ethnicity": "汉族",
            "joined_on": self.joined_on,
            "development_no": self.development_no,
            "political_status": "league_member",
            "student_no": self.student_no,
            "phone": self.phone,
        })
    }

    /// All the strings that identify this person.
    pub fn secrets(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.resident_id.clone(),
            self.student_no.clone(),
            self.phone.clone(),
        ]
    }
}

/// A person's name made from `seq` (distinct for seq < 100).
pub fn name_for(seq: u16) -> String {
    const SURNAMES: [&str; 10] = ["赵", "钱", "孙", "李", "周", "吴", "郑", "王", "冯", "陈"];
    const GIVEN: [&str; 10] = [
        "子涵", "雨轩", "浩然", "思远", "若曦", "梓萱", "俊杰", "欣怡", "明哲", "嘉怡",
    ];
    format!(
        "{}{}",
        SURNAMES[usize::from(seq % 10)],
        GIVEN[usize::from((seq / 10) % 10)]
    )
}

/// Creates a member and returns the member JSON (panics unless 201).
pub async fn create_member(
    server: &TestServer,
    token: &str,
    person: &Person,
    branch: i64,
) -> Value {
    server
        .api(token)
        .post("/api/v1/members", &person.body(branch))
        .await
        .ok(201)
}

#[derive(Debug, Clone)]
pub struct MemberFx {
    pub id: i64,
    pub person: Person,
}

pub async fn member(server: &TestServer, token: &str, person: Person, branch: i64) -> MemberFx {
    let created = create_member(server, token, &person, branch).await;
    MemberFx {
        id: id_of(&created),
        person,
    }
}

/// Sets a member's initial password (as `admin_token`), logs in with the resident ID, changes
/// the password, and returns a fresh session token.
pub async fn member_token(server: &TestServer, admin_token: &str, m: &MemberFx) -> String {
    server
        .api(admin_token)
        .post(
            &format!("/api/v1/members/{}/password", m.id),
            &json!({"password": MEMBER_INITIAL_PASSWORD}),
        )
        .await
        .ok(204);
    let (token, _) = first_login(
        server,
        &m.person.resident_id,
        MEMBER_INITIAL_PASSWORD,
        MEMBER_PASSWORD,
    )
    .await;
    token
}

/// Members in a branch (`total` of the first page).
pub async fn member_total(server: &TestServer, token: &str, org: i64) -> i64 {
    let body = server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/members?subtree=true"))
        .await
        .ok(200);
    body["total"].as_i64().expect("total")
}

pub async fn child_total(server: &TestServer, token: &str, org: i64) -> i64 {
    let body = server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/children?include_deleted=true"))
        .await
        .ok(200);
    body["total"].as_i64().expect("total")
}

pub const PROVINCE: &str = "共青团天津市委员会";
pub const SCHOOL1: &str = "共青团某大学委员会";
pub const COLLEGE_A: &str = "计算机学院团总支";
pub const COLLEGE_B: &str = "共青团机械工程学院委员会";
pub const BRANCH_A1: &str = "计算机2301团支部";
pub const BRANCH_A2: &str = "计算机2302团支部";
pub const BRANCH_B1: &str = "机械工程2301团支部";
pub const SCHOOL2: &str = "共青团另一大学委员会";
pub const BRANCH_S2: &str = "另一大学化学2301团支部";

/// The standard world: 团中央 → 天津 → school S1 (colleges A with branches A1, A2; B with B1)
/// and school S2 (one branch), one member per branch, admins for every level below the top.
#[derive(Clone)]
pub struct Fixture {
    pub root: String,
    pub top: i64,
    pub province: i64,
    pub s1: i64,
    pub col_a: i64,
    pub col_b: i64,
    pub a1: i64,
    pub a2: i64,
    pub b1: i64,
    pub s2: i64,
    pub s2b: i64,
    pub province_admin: Admin,
    pub s1_admin: Admin,
    pub a_admin: Admin,
    pub b_admin: Admin,
    pub a1_admin: Admin,
    pub a2_admin: Admin,
    pub s2_admin: Admin,
    pub m_a1: MemberFx,
    pub m_a2: MemberFx,
    pub m_b1: MemberFx,
    pub m_s2: MemberFx,
}

/// A server whose database holds the standard world, and that world: what
/// `build_school(&TestServer::start().await)` gives, at the cost of copying a database.
///
/// The world is built through the API once per process (argon2 for every admin's password
/// and login made this most of a test's time) and each test gets its own copy of the
/// database and data dir. The tokens in the fixture are sessions in that copy, created at
/// `START`, so they are as fresh as those `build_school` returns.
pub async fn school() -> (TestServer, Fixture) {
    school_with_policy(Default::default()).await
}

/// [`school`] with a `[policy]` other than the defaults (the policy is not in the database).
pub async fn school_with_policy(policy: tuanwu_app::Policy) -> (TestServer, Fixture) {
    let (seed, fixture) = school_seed();
    (TestServer::from_seed(seed, policy).await, fixture.clone())
}

/// [`school`] with `[server]`/`[import]` settings other than the defaults.
pub async fn school_with_web(web: tuanwu_web::WebSettings) -> (TestServer, Fixture) {
    let (seed, fixture) = school_seed();
    (
        TestServer::from_seed_with(seed, Default::default(), web).await,
        fixture.clone(),
    )
}

fn school_seed() -> &'static (Seed, Fixture) {
    static SEED: OnceLock<(Seed, Fixture)> = OnceLock::new();
    SEED.get_or_init(|| {
        // The key stays with the database: the members' numbers are encrypted with it.
        build_seed(Some(bootstrapped()), true, |server| async {
            let fixture = build_school(&server).await;
            (server, fixture)
        })
    })
}

pub async fn build_school(server: &TestServer) -> Fixture {
    let root = server.root_token().await;
    let top = my_org(server, &root).await;
    let province = id_of(
        &create_org(
            server,
            &root,
            org_body(top, PROVINCE, "committee", "党政机关"),
        )
        .await,
    );
    let s1 = id_of(
        &create_org(
            server,
            &root,
            org_body(province, SCHOOL1, "committee", UNIVERSITY),
        )
        .await,
    );
    let col_a = college(server, &root, s1, COLLEGE_A, "general_branch").await;
    let col_b = college(server, &root, s1, COLLEGE_B, "committee").await;
    let a1 = branch(server, &root, col_a, BRANCH_A1).await;
    let a2 = branch(server, &root, col_a, BRANCH_A2).await;
    let b1 = branch(server, &root, col_b, BRANCH_B1).await;
    let s2 = id_of(
        &create_org(
            server,
            &root,
            org_body(province, SCHOOL2, "committee", UNIVERSITY),
        )
        .await,
    );
    let s2b = branch(server, &root, s2, BRANCH_S2).await;

    let province_admin = admin(server, &root, province, "tj_admin", "天津团市委管理员").await;
    let s1_admin = admin(server, &root, s1, "s1_admin", "某大学校团委管理员").await;
    let a_admin = admin(server, &root, col_a, "a_admin", "计算机学院管理员").await;
    let b_admin = admin(server, &root, col_b, "b_admin", "机械学院管理员甲").await;
    let a1_admin = admin(server, &root, a1, "a1_admin", "计算机一班团支书").await;
    let a2_admin = admin(server, &root, a2, "a2_admin", "计算机二班团支书").await;
    let s2_admin = admin(server, &root, s2, "s2_admin", "另一大学管理员乙").await;

    let m_a1 = member(server, &root, Person::new(1, "赵若曦"), a1).await;
    let m_a2 = member(server, &root, Person::new(2, "钱思远"), a2).await;
    let m_b1 = member(server, &root, Person::new(3, "孙浩然"), b1).await;
    let m_s2 = member(server, &root, Person::new(4, "李梓萱"), s2b).await;

    Fixture {
        root,
        top,
        province,
        s1,
        col_a,
        col_b,
        a1,
        a2,
        b1,
        s2,
        s2b,
        province_admin,
        s1_admin,
        a_admin,
        b_admin,
        a1_admin,
        a2_admin,
        s2_admin,
        m_a1,
        m_a2,
        m_b1,
        m_s2,
    }
}

/// A minimal PDF: only the leading bytes decide the type.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

/// A multipart/form-data body with one file part named `field`, built by hand (the workspace's
/// reqwest has no `multipart` feature).
pub fn multipart(field: &str, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----tuanwu-test-boundary-7d3f9a2c";
    let mut body = Vec::with_capacity(bytes.len() + 256);
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!("Content-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn send_upload(
    server: &TestServer,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> Resp {
    server
        .post_raw("/api/v1/files", token, content_type, body)
        .await
}

/// `POST /api/v1/files` with `bytes` in the `file` field.
pub async fn upload(server: &TestServer, token: &str, filename: &str, bytes: &[u8]) -> Resp {
    let (ct, body) = multipart("file", filename, bytes);
    send_upload(server, Some(token), &ct, body).await
}

/// Uploads a small PDF and returns its id (panics unless 201).
pub async fn upload_pdf(server: &TestServer, token: &str) -> i64 {
    id_of(&upload(server, token, "入团志愿书.pdf", PDF).await.ok(201))
}

/// TRF-7: identity verified offline (ACC-8) and, for members who joined in 2020 or later, an
/// approved 入团志愿书 (ARC-4). `uploader` uploads the archive; `reviewer` (the level above the
/// uploader) confirms the identity and approves the review. Without a reviewer the uploader is
/// the topmost body, whose uploads need no review, and confirms the identity itself.
pub async fn make_transferable_by_id(
    server: &TestServer,
    uploader: &str,
    reviewer: Option<&str>,
    member: i64,
) {
    server
        .api(reviewer.unwrap_or(uploader))
        .post(
            &format!("/api/v1/members/{member}/identity"),
            &json!({"status": "verified_offline"}),
        )
        .await
        .ok(200);
    let file_id = upload_pdf(server, uploader).await;
    server
        .api(uploader)
        .post(
            &format!("/api/v1/members/{member}/archives"),
            &json!({"kind": "admission_form", "file_id": file_id}),
        )
        .await
        .ok(201);
    if let Some(reviewer) = reviewer {
        let items = server
            .api(reviewer)
            .get("/api/v1/requests?role=decider&status=pending")
            .await
            .items();
        let review = items
            .iter()
            .find(|r| r["kind"] == "archive_review" && r["member_id"] == member)
            .map(id_of)
            .unwrap_or_else(|| panic!("no archive review for member {member}: {items:?}"));
        server
            .api(reviewer)
            .post_empty(&format!("/api/v1/requests/{review}/approve"))
            .await
            .ok(200);
    }
    let archives = server
        .api(uploader)
        .get(&format!("/api/v1/members/{member}/archives"))
        .await
        .ok(200);
    assert_eq!(archives["league_identity"], "certified", "{archives}");
}

/// The actions a view offers (`"actions": {"approve": true, …}`), sorted.
pub fn offered(v: &Value) -> Vec<&str> {
    let actions = v["actions"]
        .as_object()
        .unwrap_or_else(|| panic!("no actions object in {v}"));
    let mut on: Vec<&str> = actions
        .iter()
        .filter(|(_, allowed)| allowed.as_bool() == Some(true))
        .map(|(k, _)| k.as_str())
        .collect();
    on.sort_unstable();
    on
}

/// ACC-4: `granter` (a college admin) gives the member of `college` these permissions.
pub async fn grant_to(
    server: &TestServer,
    granter: &str,
    m: &MemberFx,
    college: i64,
    perms: &[&str],
) {
    server
        .api(granter)
        .post(
            "/api/v1/grants",
            &json!({"student_no": m.person.student_no, "college_id": college,
                    "permissions": perms}),
        )
        .await
        .ok(201);
}

/// The session `token` switched to its delegated admin role.
pub async fn acting_as_delegate(server: &TestServer, token: String) -> String {
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    let role = me["roles"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["role"] == "delegated_admin"))
        .map(id_of)
        .expect("delegated role");
    server
        .api(&token)
        .post("/api/v1/me/active-role", &json!({ "role_id": role }))
        .await
        .ok(200);
    token
}

/// A member granted `perms` on `college`, logged in and acting as the delegated admin.
pub async fn delegate(
    server: &TestServer,
    fx: &Fixture,
    granter: &str,
    m: &MemberFx,
    college: i64,
    perms: &[&str],
) -> String {
    grant_to(server, granter, m, college, perms).await;
    acting_as_delegate(server, member_token(server, &fx.root, m).await).await
}
