//! The data the browser tests start from, made through the JSON API: 团中央 → 天津 → a university
//! with college A (branch A1, an admin) and college B (branch B1 with one member).

use serde_json::{json, Value};
use time::macros::date;
use tuanwu_domain::ResidentId;

use crate::harness::{id_of, TestServer};

pub const ADMIN_LOGIN: &str = "jsj_admin";
pub const ADMIN_NAME: &str = "计算机学院团总支书记";
const ADMIN_FIRST_PASSWORD: &str = "Browser-Init1";
pub const ADMIN_PASSWORD: &str = "Browser-Pass2";

pub const SCHOOL: &str = "共青团天津某大学委员会";
pub const COLLEGE_A: &str = "共青团计算机学院总支部委员会";
pub const BRANCH_A1: &str = "计算机2301团支部";
pub const COLLEGE_B: &str = "共青团机械工程学院委员会";
pub const BRANCH_B1: &str = "机械工程2301团支部";
const UNIVERSITY: &str = "普通高等院校";

pub struct World {
    pub server: TestServer,
    pub school: i64,
    pub col_a: i64,
    pub a1: i64,
    pub col_b: i64,
    /// The member in college B's branch (out of the college A admin's scope).
    pub b_member: i64,
    /// An API token of the college A admin (password already changed).
    pub admin_token: String,
}

/// A person with a valid resident ID (born 2005-03-01) and numbers derived from `seq`.
pub struct Person {
    pub name: String,
    pub resident_id: String,
    pub student_no: String,
    pub phone: String,
    pub development_no: String,
    pub joined_on: String,
}

impl Person {
    pub fn new(seq: u16, name: &str) -> Person {
        Person {
            name: name.to_string(),
            resident_id: ResidentId::compose(120101, date!(2005 - 03 - 01), seq)
                .as_str()
                .to_string(),
            student_no: format!("2023{:06}", u32::from(seq) * 7 + 13),
            phone: format!("1391{:07}", u32::from(seq) * 37 + 1_000_000),
            development_no: format!("1201{:08}", u32::from(seq) * 11 + 10_000_000),
            joined_on: "2020-05".to_string(),
        }
    }

    /// The same ID with a wrong check digit.
    pub fn bad_resident_id(&self) -> String {
        let mut id = self.resident_id.clone();
        let last = id.pop();
        id.push(if last == Some('1') { '2' } else { '1' });
        id
    }
}

/// Distinct Chinese names for `seq` < 100.
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

async fn org(server: &TestServer, token: &str, body: Value) -> i64 {
    id_of(&server.api(token).post("/api/v1/orgs", &body).await.ok(201))
}

/// Creates a member through the API (as `token`) and returns its id.
pub async fn add_member(server: &TestServer, token: &str, branch: i64, p: &Person) -> i64 {
    let body = json!({
        "branch_id": branch,
        "name": p.name,
        "resident_id": p.resident_id,
        "ethnicity": "汉族",
        "joined_on": p.joined_on,
        "development_no": p.development_no,
        "political_status": "league_member",
        "student_no": p.student_no,
        "phone": p.phone,
    });
    id_of(
        &server
            .api(token)
            .post("/api/v1/members", &body)
            .await
            .ok(201),
    )
}

/// Members of an org (its subtree), as the API counts them.
pub async fn member_total(server: &TestServer, token: &str, org: i64) -> i64 {
    let body = server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/members?subtree=true"))
        .await
        .ok(200);
    body["total"]
        .as_i64()
        .unwrap_or_else(|| panic!("no total in {body}"))
}

pub async fn world() -> World {
    let server = TestServer::start().await;
    let root = server.root_token().await;
    let me = server.api(&root).get("/api/v1/me").await.ok(200);
    let top = me["org_id"].as_i64().expect("root's org_id");
    let province = org(
        &server,
        &root,
        json!({"parent_id": top, "name": "共青团天津市委员会", "kind": "committee", "category": "党政机关"}),
    )
    .await;
    let school = org(
        &server,
        &root,
        json!({"parent_id": province, "name": SCHOOL, "kind": "committee", "category": UNIVERSITY}),
    )
    .await;
    let col_a = org(
        &server,
        &root,
        json!({"parent_id": school, "name": COLLEGE_A, "kind": "general_branch", "category": UNIVERSITY, "is_college": true}),
    )
    .await;
    let col_b = org(
        &server,
        &root,
        json!({"parent_id": school, "name": COLLEGE_B, "kind": "committee", "category": UNIVERSITY, "is_college": true}),
    )
    .await;
    let branch = |parent: i64, name: &str| json!({"parent_id": parent, "name": name, "kind": "branch", "category": UNIVERSITY, "branch_type": "regular"});
    let a1 = org(&server, &root, branch(col_a, BRANCH_A1)).await;
    let b1 = org(&server, &root, branch(col_b, BRANCH_B1)).await;
    let b_member = add_member(&server, &root, b1, &Person::new(900, "孙浩然")).await;

    server
        .api(&root)
        .post(
            &format!("/api/v1/orgs/{col_a}/admins"),
            &json!({"login": ADMIN_LOGIN, "password": ADMIN_FIRST_PASSWORD, "name": ADMIN_NAME}),
        )
        .await
        .ok(201);
    // New admin accounts must change the password first: do it here, not in the browser.
    let first = server.login(ADMIN_LOGIN, ADMIN_FIRST_PASSWORD).await;
    server
        .api(&first)
        .post(
            "/api/v1/me/password",
            &json!({"old_password": ADMIN_FIRST_PASSWORD, "new_password": ADMIN_PASSWORD}),
        )
        .await
        .ok(204);
    let admin_token = server.login(ADMIN_LOGIN, ADMIN_PASSWORD).await;

    World {
        server,
        school,
        col_a,
        a1,
        col_b,
        b_member,
        admin_token,
    }
}
