//! GRD-1 … GRD-5, GRD-7: marking branches with their graduation (one, or 30 at once), who may
//! mark, the change request decided at city level and its sheet, delayed graduates and teachers,
//! destinations, the graduate list, special cases and their sheet, scope, and the pages.

use std::io::Cursor;

use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::*;
use crate::page;

async fn put(server: &TestServer, token: &str, path: &str, body: Value) -> Resp {
    server.api(token).send(Method::PUT, path, Some(&body)).await
}

async fn mark(server: &TestServer, token: &str, org: i64, body: Value) -> Resp {
    put(
        server,
        token,
        &format!("/api/v1/orgs/{org}/graduation"),
        body,
    )
    .await
}

async fn mark_batch(server: &TestServer, token: &str, body: Value) -> Resp {
    server
        .api(token)
        .post("/api/v1/graduation/mark", &body)
        .await
}

async fn delayed(server: &TestServer, token: &str, member: i64, body: Value) -> Resp {
    server
        .api(token)
        .post(
            &format!("/api/v1/members/{member}/delayed-graduation"),
            &body,
        )
        .await
}

async fn branch_list(server: &TestServer, token: &str, org: i64, query: &str) -> Value {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/graduation?{query}"))
        .await
        .ok(200)
}

async fn graduates(server: &TestServer, token: &str, org: i64, query: &str) -> Value {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/graduates?{query}"))
        .await
        .ok(200)
}

fn ids_of(list: &Value, key: &str) -> Vec<i64> {
    let mut out: Vec<i64> = list
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .map(|v| v[key].as_i64().unwrap_or_else(|| panic!("no {key} in {v}")))
        .collect();
    out.sort_unstable();
    out
}

async fn get_bytes(server: &TestServer, token: &str, path: &str) -> (u16, Vec<u8>) {
    let r = server
        .client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    let status = r.status().as_u16();
    (status, r.bytes().await.expect("body").to_vec())
}

/// The cells of the first sheet, row by row, as text.
fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a readable xlsx");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// GRD-1: marking

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_branches_marked_at_once_and_a_marking_is_set_only_once() {
    let (server, fx) = school().await;
    let mut new_branches = Vec::new();
    for i in 0..30 {
        new_branches.push(
            branch(
                &server,
                &fx.root,
                fx.col_a,
                &format!("计算机26{i:02}团支部"),
            )
            .await,
        );
    }
    let s1 = &fx.s1_admin.token;
    let before = branch_list(&server, s1, fx.s1, "status=unmarked&per_page=200").await;
    assert_eq!(before["total"], 33, "{before}");
    assert!(before["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["graduation"].is_null() && b["graduation_label"] == "未标记"));

    // Thirty ticked branches, plus one that is not a branch and one of another school.
    let mut ticked = new_branches.clone();
    ticked.push(fx.col_a);
    ticked.push(fx.s2b);
    let r = mark_batch(
        &server,
        s1,
        json!({"org_ids": ticked, "year_month": "2030-06"}),
    )
    .await
    .ok(200);
    assert_eq!(ids_of(&r["marked"], "org_id"), {
        let mut v = new_branches.clone();
        v.sort_unstable();
        v
    });
    assert!(r["marked"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["graduation"] == "2030-06" && b["graduation_label"] == "2030年6月毕业"));
    assert_eq!(ids_of(&r["skipped"], "org_id"), {
        let mut v = vec![fx.col_a, fx.s2b];
        v.sort_unstable();
        v
    });
    let skipped = r["skipped"].as_array().unwrap();
    let reason_of = |id: i64| {
        skipped
            .iter()
            .find(|s| s["org_id"] == id)
            .map(|s| s["reason"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(reason_of(fx.col_a).contains("不是学校领域的团支部"), "{r}");
    assert!(reason_of(fx.s2b).contains("不存在或无权访问"), "{r}");
    assert!(
        !r.to_string().contains(BRANCH_S2),
        "nothing about S2 shows: {r}"
    );

    // The lists: by status and by year.
    let unmarked = branch_list(&server, s1, fx.s1, "status=unmarked").await;
    assert_eq!(ids_of(&unmarked["items"], "id"), {
        let mut v = vec![fx.a1, fx.a2, fx.b1];
        v.sort_unstable();
        v
    });
    assert_eq!(
        branch_list(&server, s1, fx.s1, "year=2030&per_page=10").await["total"],
        30
    );
    assert_eq!(
        branch_list(&server, s1, fx.s1, "year=2030&per_page=10&page=3").await["items"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    assert_eq!(
        branch_list(&server, s1, fx.s1, "status=marked").await["total"],
        30
    );
    assert_eq!(
        branch_list(&server, s1, fx.s1, "year=2031").await["total"],
        0
    );
    server
        .api(s1)
        .get(&format!("/api/v1/orgs/{}/graduation?status=odd", fx.s1))
        .await
        .err(422, "invalid_status");

    // One branch: the college admin marks; the school admin marks one as 混合支部.
    let a = mark(
        &server,
        &fx.a_admin.token,
        fx.a1,
        json!({"year_month": "2026-06"}),
    )
    .await
    .ok(200);
    assert_eq!(a["graduation"], "2026-06");
    assert_eq!(a["college_name"], COLLEGE_A);
    assert_eq!(a["member_count"], 1);
    let b = mark(&server, s1, fx.b1, json!({"mixed": true}))
        .await
        .ok(200);
    assert_eq!(b["graduation"], "mixed");
    assert_eq!(b["graduation_label"], "混合支部");
    assert_eq!(
        branch_list(&server, s1, fx.s1, "status=mixed").await["total"],
        1
    );

    // A marked branch is marked once: 409 says to ask for a change.
    let again = mark(&server, s1, fx.a1, json!({"year_month": "2027-06"})).await;
    again
        .err(409, "graduation_already_marked")
        .with_rule("GRD-2");
    assert!(again.message().contains("修改申请"), "{again:?}");
    let batch_again = mark_batch(
        &server,
        s1,
        json!({"org_ids": [fx.a1, fx.a2], "year_month": "2027-06"}),
    )
    .await
    .ok(200);
    assert_eq!(ids_of(&batch_again["marked"], "org_id"), vec![fx.a2]);
    assert_eq!(ids_of(&batch_again["skipped"], "org_id"), vec![fx.a1]);
    let a1 = branch_list(&server, s1, fx.col_a, "status=marked&per_page=100").await;
    let a1 = a1["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == fx.a1)
        .cloned()
        .unwrap();
    assert_eq!(a1["graduation"], "2026-06", "unchanged: {a1}");

    // Branch admins never mark, even their own branch (GRD-1).
    let own = mark(
        &server,
        &fx.a1_admin.token,
        fx.a1,
        json!({"year_month": "2026-06"}),
    )
    .await;
    own.fails(403);
    // GRD-1 by its meaning: officers read no rule ids (issue 15 item 8).
    assert!(
        own.message().contains("由团支部以上的团组织管理员标记"),
        "{own:?}"
    );
    let created = branch(&server, &fx.root, fx.col_a, "计算机2601新生团支部").await;
    mark(
        &server,
        &fx.a1_admin.token,
        created,
        json!({"year_month": "2030-06"}),
    )
    .await
    .fails(403);
    mark_batch(
        &server,
        &fx.a1_admin.token,
        json!({"org_ids": [created], "year_month": "2030-06"}),
    )
    .await
    .fails(403);
    assert_eq!(
        branch_list(&server, s1, fx.s1, "status=unmarked").await["total"],
        1,
        "the new branch is still unmarked"
    );

    // Bad input, non-school branches, out of scope.
    mark(&server, s1, created, json!({}))
        .await
        .err(422, "mark_required");
    mark(
        &server,
        s1,
        created,
        json!({"year_month": "2030-06", "mixed": true}),
    )
    .await
    .err(422, "mark_conflict");
    mark(&server, s1, created, json!({"year_month": "2030-13"}))
        .await
        .err(422, "invalid_year_month")
        .with_field("year_month");
    mark(&server, s1, fx.col_a, json!({"year_month": "2030-06"}))
        .await
        .err(422, "not_school_branch")
        .with_rule("GRD-1");
    let company = id_of(
        &create_org(
            &server,
            &fx.root,
            with(
                org_body(fx.province, "某国有企业团支部", "branch", "国有企业"),
                json!({"branch_type": "regular"}),
            ),
        )
        .await,
    );
    mark(
        &server,
        &fx.province_admin.token,
        company,
        json!({"year_month": "2030-06"}),
    )
    .await
    .err(422, "not_school_branch");
    mark(
        &server,
        &fx.a_admin.token,
        fx.b1,
        json!({"year_month": "2030-06"}),
    )
    .await
    .err(404, "not_found");
    mark(
        &server,
        &fx.s2_admin.token,
        created,
        json!({"year_month": "2030-06"}),
    )
    .await
    .err(404, "not_found");
    mark_batch(&server, s1, json!({"org_ids": [], "year_month": "2030-06"}))
        .await
        .err(422, "org_ids_required");

    // Each marking is in the audit log of its branch.
    let log = server
        .api(s1)
        .get(&format!("/api/v1/audit?org_id={}", fx.a1))
        .await
        .ok(200);
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "graduation_mark" && e["after"]["graduation"] == "2026-06"),
        "{log}"
    );
}

// ---------------------------------------------------------------------------------------------
// GRD-2: changing a marking

struct CityWorld {
    city: i64,
    school: i64,
    branch: i64,
    other: i64,
    city_admin: Admin,
    school_admin: Admin,
    branch_admin: Admin,
}

/// 团中央 → 河北 → 石家庄团市委 → a school → a college → two branches.
async fn city_world(server: &TestServer) -> CityWorld {
    let root = server.root_token().await;
    let top = my_org(server, &root).await;
    let province = id_of(
        &create_org(
            server,
            &root,
            org_body(top, "共青团河北省委员会", "committee", "党政机关"),
        )
        .await,
    );
    let city = id_of(
        &create_org(
            server,
            &root,
            org_body(province, "共青团石家庄市委员会", "committee", "党政机关"),
        )
        .await,
    );
    let school = id_of(
        &create_org(
            server,
            &root,
            org_body(city, "共青团石家庄某学院委员会", "committee", UNIVERSITY),
        )
        .await,
    );
    let college = college(
        server,
        &root,
        school,
        "信息工程学院团总支",
        "general_branch",
    )
    .await;
    let branch_id = branch(server, &root, college, "软件2201团支部").await;
    let other = branch(server, &root, college, "软件2202团支部").await;
    CityWorld {
        city,
        school,
        branch: branch_id,
        other,
        city_admin: admin(server, &root, city, "sjz_admin", "石家庄团市委管理员").await,
        school_admin: admin(server, &root, school, "sjz_school", "某学院校团委管理员").await,
        branch_admin: admin(server, &root, branch_id, "sjz_branch", "软件一班团支书").await,
    }
}

fn change(org: i64, changes: Value) -> Value {
    json!({"kind": "graduation_change", "org_id": org, "changes": changes, "reason": "学制由四年改为五年"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_request_decided_by_the_city_changes_the_marking_and_fills_the_sheet() {
    let server = TestServer::start().await;
    let w = city_world(&server).await;
    let school = &w.school_admin.token;
    mark(&server, school, w.branch, json!({"year_month": "2026-06"}))
        .await
        .ok(200);

    // Asking for a change of an unmarked branch, to the same value, or by a branch admin: no.
    let requests = server.api(school);
    requests
        .post(
            "/api/v1/requests",
            &change(w.other, json!({"year_month": "2027-06"})),
        )
        .await
        .err(422, "graduation_not_marked")
        .with_rule("GRD-2");
    requests
        .post(
            "/api/v1/requests",
            &change(w.branch, json!({"year_month": "2026-06"})),
        )
        .await
        .err(422, "no_change");
    requests
        .post("/api/v1/requests", &change(w.branch, json!({"name": "x"})))
        .await
        .err(422, "field_not_changeable");
    requests
        .post(
            "/api/v1/requests",
            &json!({"kind": "graduation_change", "changes": {"year_month": "2027-06"}, "reason": "x"}),
        )
        .await
        .err(422, "org_required");
    server
        .api(&w.branch_admin.token)
        .post(
            "/api/v1/requests",
            &change(w.branch, json!({"year_month": "2027-06"})),
        )
        .await
        .fails(403);
    // A member request still needs its member.
    requests
        .post(
            "/api/v1/requests",
            &json!({"kind": "member_deletion", "changes": {"deletion_reason": "death"}, "reason": "x"}),
        )
        .await
        .err(422, "member_required");

    let r = requests
        .post(
            "/api/v1/requests",
            &change(w.branch, json!({"year_month": "2027-06"})),
        )
        .await
        .ok(201);
    assert_eq!(r["kind"], "graduation_change");
    assert_eq!(r["kind_label"], "修改团支部毕业时间");
    assert_eq!(r["decider_org_id"], w.city, "GRD-2: the city decides: {r}");
    assert_eq!(r["member_id"], Value::Null);
    assert_eq!(r["org_id"], w.branch);
    assert_eq!(r["member_name"], "软件2201团支部");
    assert_eq!(r["summary"]["old_label"], "2026年6月毕业");
    assert_eq!(r["summary"]["new_label"], "2027年6月毕业");
    let rid = id_of(&r);
    requests
        .post(
            "/api/v1/requests",
            &change(w.branch, json!({"mixed": true})),
        )
        .await
        .err(409, "request_already_pending");

    // Pending: the marking is unchanged; the school cannot decide; the city has it to do.
    let list = branch_list(&server, school, w.branch, "").await;
    assert_eq!(list["items"][0]["graduation"], "2026-06");
    server
        .api(school)
        .post_empty(&format!("/api/v1/requests/{rid}/approve"))
        .await
        .fails(403);
    let todos = server
        .api(&w.city_admin.token)
        .get("/api/v1/todos")
        .await
        .items();
    assert!(
        todos
            .iter()
            .any(|t| t["id"] == rid && t["title"].as_str().unwrap().contains("软件2201团支部")),
        "{todos:?}"
    );
    let approved = server
        .api(&w.city_admin.token)
        .post_empty(&format!("/api/v1/requests/{rid}/approve"))
        .await
        .ok(200);
    assert_eq!(approved["status"], "approved");
    let list = branch_list(&server, school, w.branch, "").await;
    assert_eq!(list["items"][0]["graduation"], "2027-06", "{list}");
    assert_eq!(list["items"][0]["graduation_label"], "2027年6月毕业");
    let log = server
        .api(school)
        .get(&format!("/api/v1/audit?org_id={}", w.branch))
        .await
        .ok(200);
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "graduation_change"
                && e["before"]["graduation"] == "2026-06"
                && e["after"]["graduation"] == "2027-06"),
        "{log}"
    );

    // A second change (to 混合支部), left pending, and one rejected: the sheet lists the
    // approved and the pending ones.
    let second = id_of(
        &requests
            .post(
                "/api/v1/requests",
                &change(w.branch, json!({"mixed": true})),
            )
            .await
            .ok(201),
    );
    mark(&server, school, w.other, json!({"year_month": "2026-06"}))
        .await
        .ok(200);
    let third = id_of(
        &requests
            .post(
                "/api/v1/requests",
                &change(w.other, json!({"year_month": "2025-06"})),
            )
            .await
            .ok(201),
    );
    server
        .api(&w.city_admin.token)
        .post(
            &format!("/api/v1/requests/{third}/reject"),
            &json!({"reason": "材料不足"}),
        )
        .await
        .ok(200);
    let (status, bytes) = get_bytes(
        &server,
        school,
        &format!("/api/v1/orgs/{}/reports/graduation-changes.xlsx", w.school),
    )
    .await;
    assert_eq!(status, 200);
    let rows = xlsx_rows(&bytes);
    assert_eq!(rows[0][0], "修改团支部毕业时间汇总表");
    assert_eq!(
        rows[1],
        vec!["序号", "团支部名称（全称）", "正确毕业时间", "提交时间"]
    );
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(
        rows[2],
        vec![
            "1",
            "软件2201团支部",
            "2027年6月",
            "2026-11-29 10:00（北京时间）"
        ]
    );
    assert_eq!(rows[3][1], "软件2201团支部");
    assert_eq!(rows[3][2], "混合支部");
    let _ = second;
    // Out of scope: the branch admin's subtree holds no other branch; another city sees nothing.
    let (status, _) = get_bytes(
        &server,
        &w.branch_admin.token,
        &format!("/api/v1/orgs/{}/reports/graduation-changes.xlsx", w.school),
    )
    .await;
    assert_eq!(status, 404);
}

// ---------------------------------------------------------------------------------------------
// GRD-3: delayed graduates and teachers

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delayed_graduates_are_later_than_their_branch_single_and_in_batch_and_revocable() {
    let (server, fx) = school().await;
    let s1 = &fx.s1_admin.token;
    for b in [fx.a1, fx.a2] {
        mark(&server, s1, b, json!({"year_month": "2026-06"}))
            .await
            .ok(200);
    }
    let extra = member(&server, &fx.root, Person::new(20, "周明哲"), fx.a1).await;
    let a1 = &fx.a1_admin.token;

    // The branch admin may mark (any school-domain admin in scope); later than 2026-06 only.
    for (expected, code) in [
        ("2026-06", "expected_not_later"),
        ("2025-12", "expected_not_later"),
        ("2027-13", "invalid_year_month"),
    ] {
        delayed(
            &server,
            a1,
            fx.m_a1.id,
            json!({"expected": expected, "reason": "休学一年"}),
        )
        .await
        .err(422, code)
        .with_rule("GRD-3")
        .with_field("expected");
    }
    delayed(
        &server,
        a1,
        fx.m_a1.id,
        json!({"expected": "2027-06", "reason": " "}),
    )
    .await
    .err(422, "required")
    .with_field("reason");
    delayed(
        &server,
        a1,
        fx.m_a1.id,
        json!({"expected": "2027-06", "reason": "x", "kind": "dropout"}),
    )
    .await
    .err(422, "invalid_graduation_exception");
    let d = delayed(
        &server,
        a1,
        fx.m_a1.id,
        json!({"expected": "2027-06", "reason": "休学一年"}),
    )
    .await
    .ok(201);
    assert_eq!(d["kind"], "delayed");
    assert_eq!(d["kind_label"], "延迟毕业");
    assert_eq!(d["expected"], "2027-06");
    assert_eq!(d["member_name"], fx.m_a1.person.name.as_str());
    assert_eq!(d["revoked"], false);
    // One active marking per member.
    delayed(
        &server,
        s1,
        fx.m_a1.id,
        json!({"expected": "2028-06", "reason": "再延一年", "kind": "teacher"}),
    )
    .await
    .err(409, "graduation_exception_exists");
    // An unmarked branch, a member out of scope, an admin outside the school domain.
    delayed(
        &server,
        s1,
        fx.m_b1.id,
        json!({"expected": "2027-06", "reason": "x"}),
    )
    .await
    .err(422, "branch_not_marked");
    delayed(
        &server,
        a1,
        fx.m_a2.id,
        json!({"expected": "2027-06", "reason": "x"}),
    )
    .await
    .err(404, "not_found");
    delayed(
        &server,
        &fx.s2_admin.token,
        fx.m_a1.id,
        json!({"expected": "2027-06", "reason": "x"}),
    )
    .await
    .err(404, "not_found");
    delayed(
        &server,
        &fx.province_admin.token,
        fx.m_a2.id,
        json!({"expected": "2027-06", "reason": "x"}),
    )
    .await
    .fails(403);
    mark(&server, s1, fx.b1, json!({"mixed": true}))
        .await
        .ok(200);
    delayed(
        &server,
        s1,
        fx.m_b1.id,
        json!({"expected": "2027-06", "reason": "x"}),
    )
    .await
    .err(422, "branch_mixed");

    // The list, revoking (kept as revoked), marking again.
    let list = server
        .api(s1)
        .get(&format!("/api/v1/orgs/{}/delayed-graduates", fx.s1))
        .await
        .ok(200);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["member_id"], fx.m_a1.id);
    let path = format!("/api/v1/members/{}/delayed-graduation", fx.m_a1.id);
    server
        .api(&fx.s2_admin.token)
        .delete(&path)
        .await
        .err(404, "not_found");
    let revoked = server.api(a1).delete(&path).await.ok(200);
    assert_eq!(revoked["revoked"], true);
    assert!(revoked["revoked_at"].is_string());
    server
        .api(a1)
        .delete(&path)
        .await
        .err(409, "no_graduation_exception");
    let list = server
        .api(s1)
        .get(&format!("/api/v1/orgs/{}/delayed-graduates", fx.s1))
        .await
        .ok(200);
    assert_eq!(list["total"], 0);
    let all = server
        .api(s1)
        .get(&format!(
            "/api/v1/orgs/{}/delayed-graduates?include_revoked=true",
            fx.s1
        ))
        .await
        .ok(200);
    assert_eq!(all["total"], 1, "the revoked marking is kept: {all}");
    delayed(
        &server,
        s1,
        fx.m_a1.id,
        json!({"expected": "2026-12", "reason": "教师身份", "kind": "teacher"}),
    )
    .await
    .ok(201);

    // Batch: each member succeeds or is skipped with why.
    let r = server
        .api(s1)
        .post(
            "/api/v1/graduation/delayed",
            &json!({"member_ids": [fx.m_a2.id, extra.id, fx.m_a1.id, fx.m_b1.id, fx.m_s2.id],
                    "expected": "2027-06", "reason": "延期答辩"}),
        )
        .await
        .ok(200);
    assert_eq!(ids_of(&r["marked"], "member_id"), {
        let mut v = vec![fx.m_a2.id, extra.id];
        v.sort_unstable();
        v
    });
    assert_eq!(ids_of(&r["skipped"], "member_id"), {
        let mut v = vec![fx.m_a1.id, fx.m_b1.id, fx.m_s2.id];
        v.sort_unstable();
        v
    });
    assert!(!r.to_string().contains(&fx.m_s2.person.name), "{r}");
    server
        .api(s1)
        .post(
            "/api/v1/graduation/delayed",
            &json!({"member_ids": [fx.m_a2.id], "expected": "2026-01", "reason": "x"}),
        )
        .await
        .ok(200);
    let teachers = server
        .api(s1)
        .get(&format!(
            "/api/v1/orgs/{}/delayed-graduates?kind=teacher",
            fx.s1
        ))
        .await
        .ok(200);
    assert_eq!(teachers["total"], 1);

    // The graduate list: members of the branches marked 2026, each with its flag.
    let g = graduates(&server, s1, fx.s1, "year=2026").await;
    assert_eq!(g["total"], 3, "{g}");
    let items = g["items"].as_array().unwrap();
    assert!(items.iter().all(|m| m["excepted"] == true), "{g}");
    let a1_row = items.iter().find(|m| m["id"] == fx.m_a1.id).unwrap();
    assert_eq!(a1_row["exception_kind"], "teacher");
    assert_eq!(a1_row["exception_label"], "教师");
    assert_eq!(a1_row["graduation"], "2026-06");
    assert_eq!(a1_row["college_name"], COLLEGE_A);
    server
        .api(a1)
        .delete(&format!("/api/v1/members/{}/delayed-graduation", extra.id))
        .await
        .ok(200);
    let regular = graduates(&server, s1, fx.s1, "year=2026&exception=regular").await;
    assert_eq!(ids_of(&regular["items"], "id"), vec![extra.id]);
    assert_eq!(
        graduates(&server, s1, fx.s1, "year=2026&exception=delayed").await["total"],
        1
    );
    // Searchable by name and student number; paged; other years empty; the current year by
    // default.
    let found = graduates(&server, s1, fx.s1, "year=2026&q=周明").await;
    assert_eq!(ids_of(&found["items"], "id"), vec![extra.id]);
    let found = graduates(
        &server,
        s1,
        fx.s1,
        &format!("year=2026&q={}", fx.m_a2.person.student_no),
    )
    .await;
    assert_eq!(ids_of(&found["items"], "id"), vec![fx.m_a2.id]);
    let paged = graduates(&server, s1, fx.s1, "year=2026&per_page=2&page=2").await;
    assert_eq!(paged["total"], 3);
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);
    assert_eq!(graduates(&server, s1, fx.s1, "year=2027").await["total"], 0);
    assert_eq!(graduates(&server, s1, fx.s1, "").await["total"], 3);
    assert_eq!(graduates(&server, a1, fx.a1, "year=2026").await["total"], 2);
}

// ---------------------------------------------------------------------------------------------
// GRD-5: destinations

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destinations_by_the_member_themself_or_an_admin_in_scope() {
    let (server, fx) = school().await;
    let s1 = &fx.s1_admin.token;
    for b in [fx.a1, fx.a2] {
        mark(&server, s1, b, json!({"year_month": "2026-06"}))
            .await
            .ok(200);
    }
    let me = member_token(&server, &fx.root, &fx.m_a1).await;
    let own = format!("/api/v1/members/{}/destination", fx.m_a1.id);
    let before = server.api(&me).get(&own).await.ok(200);
    assert_eq!(before["destination"], Value::Null);
    let set = put(
        &server,
        &me,
        &own,
        json!({"destination": "employed", "note": "某科技公司"}),
    )
    .await
    .ok(200);
    assert_eq!(set["destination"], "employed");
    assert_eq!(set["destination_label"], "就业");
    assert_eq!(
        server.api(&me).get(&own).await.ok(200)["note"],
        "某科技公司"
    );
    // Not someone else's.
    let other = format!("/api/v1/members/{}/destination", fx.m_a2.id);
    put(&server, &me, &other, json!({"destination": "employed"}))
        .await
        .err(404, "not_found");
    server.api(&me).get(&other).await.err(404, "not_found");
    // Admins in scope; 其他 needs a note; unknown destinations are refused.
    let a = &fx.a_admin.token;
    put(&server, a, &other, json!({"destination": "other"}))
        .await
        .err(422, "note_required")
        .with_rule("GRD-5");
    put(&server, a, &other, json!({"destination": "moon"}))
        .await
        .err(422, "invalid_destination")
        .with_field("destination");
    put(
        &server,
        a,
        &other,
        json!({"destination": "其他", "note": "自主创业"}),
    )
    .await
    .ok(200);
    put(&server, a, &other, json!({"destination": "further_study"}))
        .await
        .ok(200);
    put(
        &server,
        &fx.s2_admin.token,
        &own,
        json!({"destination": "military"}),
    )
    .await
    .err(404, "not_found");
    put(
        &server,
        &fx.b_admin.token,
        &own,
        json!({"destination": "military"}),
    )
    .await
    .err(404, "not_found");

    let g = graduates(&server, s1, fx.s1, "year=2026").await;
    let row = |id: i64| {
        g["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(row(fx.m_a1.id)["destination"], "employed");
    assert_eq!(row(fx.m_a1.id)["destination_note"], "某科技公司");
    assert_eq!(row(fx.m_a2.id)["destination"], "further_study");
    assert_eq!(row(fx.m_a2.id)["destination_label"], "升学");
    let log = server
        .api(s1)
        .get(&format!("/api/v1/audit?org_id={}", fx.a2))
        .await
        .ok(200);
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["entity"] == "destination" && e["action"] == "update"),
        "{log}"
    );
}

// ---------------------------------------------------------------------------------------------
// GRD-7: special cases

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn special_cases_fill_the_continuity_special_cases_sheet() {
    let (server, fx) = school().await;
    let s1 = &fx.s1_admin.token;
    mark(&server, s1, fx.a1, json!({"year_month": "2026-06"}))
        .await
        .ok(200);
    put(
        &server,
        &fx.a1_admin.token,
        &format!("/api/v1/members/{}/destination", fx.m_a1.id),
        json!({"destination": "employed"}),
    )
    .await
    .ok(200);
    let case_path = |m: i64| format!("/api/v1/members/{m}/continuity-case");
    let body = json!({
        "target_province": "河北省", "target_city": "石家庄市",
        "target_org_name": "共青团石家庄市长安区某街道工作委员会",
        "initiated": true, "refusal_reason": "对方以本人未报到为由不予接收", "remarks": "已电话联系",
    });
    let c = put(
        &server,
        &fx.a_admin.token,
        &case_path(fx.m_a1.id),
        body.clone(),
    )
    .await
    .ok(200);
    assert_eq!(c["initiated"], true);
    assert_eq!(c["target_city"], "石家庄市");
    put(
        &server,
        s1,
        &case_path(fx.m_b1.id),
        json!({"initiated": false, "refusal_reason": "联系不上本人"}),
    )
    .await
    .ok(200);
    // Replaced, not added.
    put(
        &server,
        s1,
        &case_path(fx.m_b1.id),
        json!({"target_province": "天津市", "target_city": "天津市", "initiated": false, "refusal_reason": "联系不上本人", "remarks": "多次联系未果"}),
    )
    .await
    .ok(200);
    put(
        &server,
        &fx.s2_admin.token,
        &case_path(fx.m_a1.id),
        body.clone(),
    )
    .await
    .err(404, "not_found");
    put(
        &server,
        s1,
        &case_path(fx.m_a1.id),
        json!({"initiated": true, "remarks": "x".repeat(501)}),
    )
    .await
    .err(422, "too_long")
    .with_field("remarks");
    let me = member_token(&server, &fx.root, &fx.m_a2).await;
    put(
        &server,
        &me,
        &case_path(fx.m_a2.id),
        json!({"initiated": false}),
    )
    .await
    .fails(403);

    let (status, bytes) = get_bytes(
        &server,
        s1,
        &format!(
            "/api/v1/orgs/{}/reports/continuity-special-cases.xlsx",
            fx.s1
        ),
    )
    .await;
    assert_eq!(status, 200);
    let rows = xlsx_rows(&bytes);
    assert_eq!(rows[0][0], "学社衔接转出特殊情况记录");
    assert_eq!(
        rows[1],
        vec![
            "序号",
            "姓名",
            "学号",
            "学院",
            "原所在团组织名称",
            "转接类型",
            "待转入团组织所在地区（省）",
            "待转入团组织所在地区（市）",
            "待转入团组织名称",
            "是否发起",
            "未接受原因",
            "备注"
        ]
    );
    assert_eq!(rows.len(), 4, "{rows:?}");
    let a1_row = rows.iter().find(|r| r[1] == fx.m_a1.person.name).unwrap();
    assert_eq!(
        a1_row[2..],
        [
            fx.m_a1.person.student_no.as_str(),
            COLLEGE_A,
            BRANCH_A1,
            "就业",
            "河北省",
            "石家庄市",
            "共青团石家庄市长安区某街道工作委员会",
            "是",
            "对方以本人未报到为由不予接收",
            "已电话联系"
        ]
    );
    let b1_row = rows.iter().find(|r| r[1] == fx.m_b1.person.name).unwrap();
    assert_eq!(b1_row[3], COLLEGE_B);
    assert_eq!(b1_row[9], "否");
    assert_eq!(b1_row[11], "多次联系未果");
    // A college sees its own members' cases only; another school nothing.
    let (status, bytes) = get_bytes(
        &server,
        &fx.a_admin.token,
        &format!(
            "/api/v1/orgs/{}/reports/continuity-special-cases.xlsx",
            fx.col_a
        ),
    )
    .await;
    assert_eq!(status, 200);
    let rows = xlsx_rows(&bytes);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[2][1], fx.m_a1.person.name);
    let (status, _) = get_bytes(
        &server,
        &fx.s2_admin.token,
        &format!(
            "/api/v1/orgs/{}/reports/continuity-special-cases.xlsx",
            fx.s1
        ),
    )
    .await;
    assert_eq!(status, 404);
    // The case shows in the graduate list.
    let g = graduates(&server, s1, fx.a1, "year=2026").await;
    assert_eq!(
        g["items"][0]["continuity_case"]["target_province"],
        "河北省"
    );
}

// ---------------------------------------------------------------------------------------------
// Scope: another school sees nothing and changes nothing

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_school_gets_404_like_a_missing_record() {
    let (server, fx) = school().await;
    let s1 = &fx.s1_admin.token;
    mark(&server, s1, fx.a1, json!({"year_month": "2026-06"}))
        .await
        .ok(200);
    let s2 = &fx.s2_admin.token;
    let missing = 987_654_321;
    let member_body = json!({"expected": "2027-06", "reason": "x"});
    for (method, path, body) in [
        (
            Method::PUT,
            "/api/v1/orgs/{}/graduation",
            Some(json!({"year_month": "2026-06"})),
        ),
        (Method::GET, "/api/v1/orgs/{}/graduation", None),
        (Method::GET, "/api/v1/orgs/{}/graduates?year=2026", None),
        (Method::GET, "/api/v1/orgs/{}/delayed-graduates", None),
        (
            Method::GET,
            "/api/v1/orgs/{}/reports/graduation-changes.xlsx",
            None,
        ),
        (
            Method::GET,
            "/api/v1/orgs/{}/reports/continuity-special-cases.xlsx",
            None,
        ),
    ] {
        for target in [fx.a2, fx.s1, fx.col_a] {
            let hidden = server
                .api(s2)
                .send(
                    method.clone(),
                    &path.replace("{}", &target.to_string()),
                    body.as_ref(),
                )
                .await;
            let gone = server
                .api(s2)
                .send(
                    method.clone(),
                    &path.replace("{}", &missing.to_string()),
                    body.as_ref(),
                )
                .await;
            hidden.err(404, "not_found");
            assert_eq!(
                hidden.text.replace(&target.to_string(), "#"),
                gone.text.replace(&missing.to_string(), "#"),
                "{path}"
            );
        }
    }
    for (method, path, body) in [
        (
            Method::POST,
            "/api/v1/members/{}/delayed-graduation",
            Some(member_body.clone()),
        ),
        (
            Method::DELETE,
            "/api/v1/members/{}/delayed-graduation",
            None,
        ),
        (
            Method::PUT,
            "/api/v1/members/{}/destination",
            Some(json!({"destination": "employed"})),
        ),
        (Method::GET, "/api/v1/members/{}/destination", None),
        (
            Method::PUT,
            "/api/v1/members/{}/continuity-case",
            Some(json!({"initiated": true})),
        ),
    ] {
        let hidden = server
            .api(s2)
            .send(
                method.clone(),
                &path.replace("{}", &fx.m_a1.id.to_string()),
                body.as_ref(),
            )
            .await;
        let gone = server
            .api(s2)
            .send(
                method.clone(),
                &path.replace("{}", &missing.to_string()),
                body.as_ref(),
            )
            .await;
        hidden.err(404, "not_found");
        assert_eq!(hidden.status, gone.status, "{path}");
        assert!(!hidden.text.contains(&fx.m_a1.person.name), "{hidden:?}");
    }
    // A change request for a branch of another school.
    server
        .api(s2)
        .post(
            "/api/v1/requests",
            &change(fx.a1, json!({"year_month": "2027-06"})),
        )
        .await
        .err(404, "not_found");
    // Nothing changed.
    let list = branch_list(&server, s1, fx.s1, "").await;
    let marked: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| !b["graduation"].is_null())
        .collect();
    assert_eq!(marked.len(), 1, "{list}");
    assert_eq!(
        server
            .api(s1)
            .get(&format!(
                "/api/v1/orgs/{}/delayed-graduates?include_revoked=true",
                fx.s1
            ))
            .await
            .ok(200)["total"],
        0
    );
    assert_eq!(
        graduates(&server, s1, fx.s1, "year=2026").await["items"][0]["destination"],
        Value::Null
    );
}

// ---------------------------------------------------------------------------------------------
// Pages

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_mark_ticked_branches_filter_unmarked_and_edit_graduates() {
    let (server, fx) = school().await;
    let browser = page::logged_in(&server, &fx.s1_admin.login, &fx.s1_admin.password).await;
    let show = page::get(&browser, &server, &format!("/orgs/{}", fx.s1)).await;
    show.status(200).has("/graduation\"");
    let list = page::get(&browser, &server, &format!("/orgs/{}/graduation", fx.s1)).await;
    list.status(200)
        .has("未标记")
        .has(&format!("id=\"tick-{}\"", fx.a1));
    let csrf = list.csrf();
    let (a1, a2) = (fx.a1.to_string(), fx.a2.to_string());
    let done = page::post(
        &browser,
        &server,
        &format!("/orgs/{}/graduation", fx.s1),
        &[
            ("csrf", &csrf),
            ("org_ids", &a1),
            ("org_ids", &a2),
            ("year_month", "2026-06"),
        ],
    )
    .await;
    done.status(200).has("已标记2个团支部");
    assert!(done
        .row(&format!("branch-{}", fx.a1))
        .contains("2026年6月毕业"));
    // Nothing ticked: the form says so.
    page::post(
        &browser,
        &server,
        &format!("/orgs/{}/graduation", fx.s1),
        &[("csrf", &csrf), ("year_month", "2026-06")],
    )
    .await
    .status(422)
    .has("请勾选要标记毕业时间的团支部");
    let unmarked = page::get(
        &browser,
        &server,
        &format!("/orgs/{}/graduation?status=unmarked", fx.s1),
    )
    .await;
    unmarked
        .status(200)
        .has(BRANCH_B1)
        .lacks(&format!("id=\"branch-{}\"", fx.a1));
    page::post(
        &browser,
        &server,
        &format!("/orgs/{}/graduation", fx.s1),
        &[
            ("csrf", &csrf),
            ("org_ids", &fx.b1.to_string()),
            ("mixed", "1"),
        ],
    )
    .await
    .status(200)
    .has("混合支部");
    // A change request from the list goes to the request page.
    let requested = page::post(
        &browser,
        &server,
        &format!("/orgs/{}/graduation/{}/change", fx.s1, fx.a1),
        &[
            ("csrf", &csrf),
            ("year_month", "2027-06"),
            ("reason", "学制调整"),
        ],
    )
    .await;
    requested
        .status(200)
        .has("修改团支部毕业时间")
        .has("2027年6月毕业");
    assert!(
        requested.path.starts_with("/requests/"),
        "{}",
        requested.path
    );

    // The graduate list: mark one delayed, one by batch, revoke, set a destination.
    let back = fx.s1.to_string();
    let g = page::get(
        &browser,
        &server,
        &format!("/orgs/{}/graduates?year=2026", fx.s1),
    )
    .await;
    g.status(200)
        .has(&fx.m_a1.person.name)
        .has(&fx.m_a2.person.name)
        .lacks(&fx.m_b1.person.name);
    let too_early = page::post(
        &browser,
        &server,
        &format!("/members/{}/delayed-graduation", fx.m_a1.id),
        &[
            ("csrf", &csrf),
            ("back_org", &back),
            ("year", "2026"),
            ("kind", "delayed"),
            ("expected", "2026-06"),
            ("reason", "休学"),
        ],
    )
    .await;
    too_early.status(422).has("须晚于本团支部的毕业时间");
    let marked = page::post(
        &browser,
        &server,
        &format!("/members/{}/delayed-graduation", fx.m_a1.id),
        &[
            ("csrf", &csrf),
            ("back_org", &back),
            ("year", "2026"),
            ("kind", "delayed"),
            ("expected", "2027-06"),
            ("reason", "休学"),
        ],
    )
    .await;
    marked.status(200).has("已标记延迟毕业");
    assert!(marked
        .row(&format!("graduate-{}", fx.m_a1.id))
        .contains("延迟毕业（预计2027-06）"));
    let batch = page::post(
        &browser,
        &server,
        &format!("/orgs/{}/graduates/delayed", fx.s1),
        &[
            ("csrf", &csrf),
            ("year", "2026"),
            ("member_ids", &fx.m_a2.id.to_string()),
            ("kind", "teacher"),
            ("expected", "2026-09"),
            ("reason", "教师"),
        ],
    )
    .await;
    batch.status(200);
    assert!(batch
        .row(&format!("graduate-{}", fx.m_a2.id))
        .contains("教师"));
    let revoked = page::post(
        &browser,
        &server,
        &format!("/members/{}/delayed-graduation/revoke", fx.m_a2.id),
        &[("csrf", &csrf), ("back_org", &back), ("year", "2026")],
    )
    .await;
    revoked.status(200).has("已撤销标记");
    let saved = page::post(
        &browser,
        &server,
        &format!("/members/{}/destination", fx.m_a2.id),
        &[
            ("csrf", &csrf),
            ("back_org", &back),
            ("year", "2026"),
            ("destination", "preparing_job"),
            ("note", ""),
        ],
    )
    .await;
    saved.status(200).has("毕业去向已保存");
    assert!(saved
        .row(&format!("graduate-{}", fx.m_a2.id))
        .contains("value=\"preparing_job\" selected"));
    page::post(
        &browser,
        &server,
        &format!("/members/{}/destination", fx.m_a2.id),
        &[
            ("csrf", &csrf),
            ("back_org", &back),
            ("year", "2026"),
            ("destination", "other"),
            ("note", ""),
        ],
    )
    .await
    .status(422)
    .has("请在说明中写明具体去向");

    // A branch admin sees the list but no marking form.
    let branch_browser = page::logged_in(&server, &fx.a1_admin.login, &fx.a1_admin.password).await;
    page::get(
        &branch_browser,
        &server,
        &format!("/orgs/{}/graduation", fx.a1),
    )
    .await
    .status(200)
    .has("id=\"cannot-mark\"")
    .lacks("id=\"mark-form\"");
    // Another school: 404 page.
    let other = page::logged_in(&server, &fx.s2_admin.login, &fx.s2_admin.password).await;
    page::get(&other, &server, &format!("/orgs/{}/graduates", fx.s1))
        .await
        .status(404);
}
