//! GRD-6: the 学社衔接率 through the API on crafted cohorts — who is in the denominator, who in
//! the numerator, the list behind each figure, the per-child numbers, the rate moving as a batch
//! of transfers completes, the trend, the sheet, the page, and scope.

use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::*;
use crate::page;
use crate::transfers::{approve, ready_member, started, to_org, TRANSFERS};

const YEAR: i32 = 2026;

fn continuity_path(org: i64, query: &str) -> String {
    format!("/api/v1/orgs/{org}/continuity?year={YEAR}{query}")
}

async fn figure(server: &TestServer, token: &str, org: i64) -> Value {
    server
        .api(token)
        .get(&continuity_path(org, ""))
        .await
        .ok(200)
}

/// The member ids behind one figure (all pages), checking `total`.
async fn list_ids(server: &TestServer, token: &str, org: i64, list: &str) -> Vec<i64> {
    let body = server
        .api(token)
        .get(&continuity_path(org, &format!("&list={list}&per_page=200")))
        .await
        .ok(200);
    let l = &body["list"];
    assert_eq!(l["state"], list, "{body}");
    let items = l["items"].as_array().expect("list items");
    assert_eq!(l["total"], items.len(), "{body}");
    let mut ids: Vec<i64> = items
        .iter()
        .map(|i| i["member_id"].as_i64().expect("member_id"))
        .collect();
    ids.sort();
    ids
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort();
    v
}

/// (numerator, denominator, rate) of a figure.
fn nums(v: &Value) -> (i64, i64, Option<f64>) {
    (
        v["numerator"].as_i64().expect("numerator"),
        v["denominator"].as_i64().expect("denominator"),
        v["rate"].as_f64(),
    )
}

fn child(v: &Value, org: i64) -> &Value {
    v["children"]
        .as_array()
        .expect("children")
        .iter()
        .find(|c| c["org_id"] == org)
        .unwrap_or_else(|| panic!("no child {org} in {v}"))
}

async fn mark(server: &TestServer, token: &str, branch: i64, year_month: &str) {
    server
        .api(token)
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/orgs/{branch}/graduation"),
            Some(&json!({ "year_month": year_month })),
        )
        .await
        .ok(200);
}

async fn destination(server: &TestServer, token: &str, member: i64, d: &str) {
    server
        .api(token)
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/members/{member}/destination"),
            Some(&json!({ "destination": d })),
        )
        .await
        .ok(200);
}

/// The crafted world on top of the standard school S1:
/// college A: branch GA (2026-06) with six graduates g1…g6, branch OLD (2025-06) with one;
/// college B: branch GB (2026-06) with two graduates; the school's floating branch; and a
/// company (a society org) under the province with one branch.
struct World {
    fx: Fixture,
    ga: i64,
    gb: i64,
    old: i64,
    floating: i64,
    company_branch: i64,
    /// delayed, further study, nothing, completed to society, in progress, kept at school.
    g: Vec<MemberFx>,
    gb_members: Vec<MemberFx>,
    old_member: MemberFx,
    /// The in-progress transfer of g5.
    g5_transfer: i64,
}

async fn world() -> (TestServer, World) {
    let (server, fx) = school().await;
    let world = world_on(&server, fx).await;
    (server, world)
}

async fn world_on(server: &TestServer, fx: Fixture) -> World {
    let root = fx.root.clone();
    let ga = branch(server, &root, fx.col_a, "计算机2201团支部").await;
    let old = branch(server, &root, fx.col_a, "计算机2101团支部").await;
    let gb = branch(server, &root, fx.col_b, "机械工程2201团支部").await;
    let floating = id_of(
        &create_org(
            server,
            &root,
            with(
                org_body(fx.s1, "某大学流动团员团支部", "branch", UNIVERSITY),
                json!({"branch_type": "floating"}),
            ),
        )
        .await,
    );
    let company = id_of(
        &create_org(
            server,
            &root,
            org_body(
                fx.province,
                "共青团某集团公司委员会",
                "committee",
                "国有企业",
            ),
        )
        .await,
    );
    let company_branch = id_of(
        &create_org(
            server,
            &root,
            with(
                org_body(company, "某集团公司第一团支部", "branch", "国有企业"),
                json!({"branch_type": "regular"}),
            ),
        )
        .await,
    );
    let college = fx.a_admin.token.clone();
    mark(server, &college, ga, "2026-06").await;
    mark(server, &college, old, "2025-06").await;
    mark(server, &fx.b_admin.token, gb, "2026-07").await;

    let mut g = Vec::new();
    for seq in 0..6u16 {
        g.push(ready_member(server, &fx, 101 + seq, ga).await);
    }
    let gb_members = vec![
        ready_member(server, &fx, 111, gb).await,
        ready_member(server, &fx, 112, gb).await,
    ];
    let old_member = ready_member(server, &fx, 121, old).await;

    // g1: delayed graduate (excluded even with a job and a transfer).
    server
        .api(&college)
        .post(
            &format!("/api/v1/members/{}/delayed-graduation", g[0].id),
            &json!({"expected": "2027-06", "reason": "学分未修满，延长一年"}),
        )
        .await
        .ok(201);
    // g2: further study (excluded).
    destination(server, &college, g[1].id, "further_study").await;
    // g3: nothing recorded, no transfer: denominator only.
    // g4: employed, transferred to the company and approved there: complete.
    destination(server, &college, g[3].id, "employed").await;
    let t4 = started(
        server,
        &college,
        to_org(g[3].id, company_branch, "graduation"),
    )
    .await;
    approve(server, &fx.province_admin.token, t4, json!({}))
        .await
        .ok(200);
    // g5: employed, transfer started, not yet decided: in progress.
    destination(server, &college, g[4].id, "employed").await;
    let g5_transfer = started(
        server,
        &college,
        to_org(g[4].id, company_branch, "graduation"),
    )
    .await;
    // g6: preparing for a job, kept in the school's floating branch: not complete.
    destination(server, &college, g[5].id, "preparing_job").await;
    let mut to_floating = to_org(g[5].id, floating, "graduation");
    to_floating["floating"] = json!({"destination": "preparing_job", "reason": "单位未确定",
        "contact": "13900001111", "responsible": "王老师", "responsible_contact": "022-27400000"});
    let t6 = started(server, &college, to_floating).await;
    approve(server, &fx.s1_admin.token, t6, json!({}))
        .await
        .ok(200);

    World {
        fx,
        ga,
        gb,
        old,
        floating,
        company_branch,
        g,
        gb_members,
        old_member,
        g5_transfer,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_counts_completed_transfers_to_society_over_graduates_not_studying_on() {
    let (server, w) = world().await;
    let s1 = w.fx.s1_admin.token.as_str();
    let g = |i: usize| w.g[i].id;

    let v = figure(&server, s1, w.fx.s1).await;
    assert_eq!(v["year"], YEAR);
    assert_eq!(v["org_id"], w.fx.s1);
    // GA: g3, g4, g5, g6 in the denominator, g4 alone in the numerator; GB: two not started.
    assert_eq!(nums(&v), (1, 6, Some(1.0 / 6.0)), "{v}");
    assert_eq!(
        v["counts"],
        json!({"not_started": 3, "in_progress": 1, "complete": 1, "kept_at_school": 1, "excluded": 2}),
        "{v}"
    );
    assert_eq!(v["branches"], 2, "GA and GB are the 2026 branches: {v}");

    // The list behind each figure.
    assert_eq!(list_ids(&server, s1, w.fx.s1, "complete").await, [g(3)]);
    assert_eq!(list_ids(&server, s1, w.fx.s1, "in_progress").await, [g(4)]);
    assert_eq!(
        list_ids(&server, s1, w.fx.s1, "kept_at_school").await,
        [g(5)]
    );
    assert_eq!(
        list_ids(&server, s1, w.fx.s1, "not_started").await,
        sorted(vec![g(2), w.gb_members[0].id, w.gb_members[1].id])
    );
    assert_eq!(
        list_ids(&server, s1, w.fx.s1, "excluded").await,
        sorted(vec![g(0), g(1)])
    );

    // What a list row shows: masked ID, branch, destination, the transfer and where it goes.
    let body = server
        .api(s1)
        .get(&continuity_path(w.fx.s1, "&list=kept_at_school"))
        .await
        .ok(200);
    let row = &body["list"]["items"][0];
    let p = &w.g[5].person;
    assert_eq!(row["name"], p.name.as_str(), "{row}");
    assert_eq!(row["student_no"], p.student_no.as_str());
    assert_eq!(
        row["resident_id"],
        tuanwu_domain::mask::mask_resident_id(&p.resident_id)
    );
    assert!(!body.to_string().contains(&p.resident_id), "full ID leaked");
    assert_eq!(row["branch_id"], w.ga);
    assert_eq!(row["branch_name"], "计算机2201团支部");
    assert_eq!(row["destination"], "preparing_job");
    assert_eq!(row["destination_label"], "继续准备就业");
    assert_eq!(row["transfer"]["status"], "completed");
    assert_eq!(row["transfer"]["target"], "某大学流动团员团支部");
    let body = server
        .api(s1)
        .get(&continuity_path(w.fx.s1, "&list=in_progress"))
        .await
        .ok(200);
    let row = &body["list"]["items"][0];
    assert_eq!(row["transfer"]["id"], w.g5_transfer, "{row}");
    assert_eq!(row["transfer"]["status"], "pending");
    assert_eq!(row["transfer"]["target"], "某集团公司第一团支部");
    let body = server
        .api(s1)
        .get(&continuity_path(w.fx.s1, "&list=excluded"))
        .await
        .ok(200);
    let reasons: Vec<&str> = body["list"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["excluded_reason"].as_str().unwrap_or_default())
        .collect();
    assert!(
        reasons.contains(&"延迟毕业或教师") && reasons.contains(&"升学"),
        "{body}"
    );
    let body = server
        .api(s1)
        .get(&continuity_path(
            w.fx.s1,
            "&list=not_started&per_page=2&page=2",
        ))
        .await
        .ok(200);
    assert_eq!(body["list"]["total"], 3);
    assert_eq!(body["list"]["items"].as_array().unwrap().len(), 1);

    // Per child: college A 1/4, college B 0/2; sorted by rate (descending) A comes first.
    let a = child(&v, w.fx.col_a);
    assert_eq!(nums(a), (1, 4, Some(0.25)), "{a}");
    assert_eq!(a["name"], COLLEGE_A);
    assert_eq!(a["counts"]["excluded"], 2);
    assert_eq!(a["counts"]["kept_at_school"], 1);
    let b = child(&v, w.fx.col_b);
    assert_eq!(nums(b), (0, 2, Some(0.0)), "{b}");
    assert_eq!(v["children"].as_array().unwrap().len(), 2, "{v}");
    let by_rate = server
        .api(s1)
        .get(&continuity_path(w.fx.s1, "&sort=rate&order=desc"))
        .await
        .ok(200);
    let order: Vec<i64> = by_rate["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["org_id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, [w.fx.col_a, w.fx.col_b]);
    let by_den = server
        .api(s1)
        .get(&continuity_path(w.fx.s1, "&sort=denominator&order=asc"))
        .await
        .ok(200);
    assert_eq!(by_den["children"][0]["org_id"], w.fx.col_b);
    server
        .api(s1)
        .get(&continuity_path(w.fx.s1, "&sort=size"))
        .await
        .err(422, "invalid_sort");
    server
        .api(s1)
        .get(&continuity_path(w.fx.s1, "&list=everyone"))
        .await
        .err(422, "invalid_continuity_list")
        .with_field("list");

    // The same figure seen from the college and from the branch, and from the city above.
    let fa = figure(&server, &w.fx.a_admin.token, w.fx.col_a).await;
    assert_eq!(nums(&fa), (1, 4, Some(0.25)));
    assert_eq!(child(&fa, w.ga)["denominator"], 4);
    let fga = figure(&server, &w.fx.a_admin.token, w.ga).await;
    assert_eq!(nums(&fga), (1, 4, Some(0.25)));
    assert_eq!(fga["children"], json!([]));
    let fp = figure(&server, &w.fx.province_admin.token, w.fx.province).await;
    assert_eq!(nums(&fp), (1, 6, Some(1.0 / 6.0)));
    assert_eq!(nums(child(&fp, w.fx.s1)), (1, 6, Some(1.0 / 6.0)));

    // Another year: only the 2025 branch; a year without marked branches: nothing, no rate.
    let v25 = server
        .api(s1)
        .get(&format!("/api/v1/orgs/{}/continuity?year=2025", w.fx.s1))
        .await
        .ok(200);
    assert_eq!(nums(&v25), (0, 1, Some(0.0)), "{v25}");
    assert_eq!(
        list_ids_year(&server, s1, w.fx.s1, 2025, "not_started").await,
        [w.old_member.id]
    );
    let v24 = server
        .api(s1)
        .get(&format!("/api/v1/orgs/{}/continuity?year=2024", w.fx.s1))
        .await
        .ok(200);
    assert_eq!(nums(&v24), (0, 0, None));
    server
        .api(s1)
        .get(&format!("/api/v1/orgs/{}/continuity?year=1850", w.fx.s1))
        .await
        .err(422, "invalid_year");
    let _ = (w.old, w.floating, w.company_branch);
}

async fn list_ids_year(
    server: &TestServer,
    token: &str,
    org: i64,
    year: i32,
    list: &str,
) -> Vec<i64> {
    let body = server
        .api(token)
        .get(&format!(
            "/api/v1/orgs/{org}/continuity?year={year}&list={list}&per_page=200"
        ))
        .await
        .ok(200);
    body["list"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["member_id"].as_i64().expect("member_id"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_moves_as_a_batch_of_transfers_completes_and_later_moves_count() {
    let (server, w) = world().await;
    let s1 = w.fx.s1_admin.token.as_str();
    let b = w.fx.b_admin.token.as_str();
    let [m1, m2] = [w.gb_members[0].id, w.gb_members[1].id];

    // A batch from college B: both graduates to the company; one row of another college and one
    // missing member fail on their own, with the same answer for hidden and missing.
    let out = server
        .api(b)
        .post(
            "/api/v1/graduation/batch-transfer",
            &json!({"member_ids": [m1, w.g[2].id, m2, 987_654_321, m1],
                    "target_org_id": w.company_branch, "reason": "graduation"}),
        )
        .await
        .ok(200);
    assert_eq!(out["started"], 2, "{out}");
    assert_eq!(out["failed"], 3, "{out}");
    let items = out["items"].as_array().unwrap();
    assert_eq!(items[0]["member_id"], m1);
    let t1 = items[0]["transfer_id"].as_i64().expect("transfer 1");
    assert_eq!(items[0]["status"], "pending");
    assert_eq!(items[1]["error"]["code"], "not_found", "{out}");
    assert_eq!(items[1]["error"]["message"], items[3]["error"]["message"]);
    assert!(!out.to_string().contains(&w.g[2].person.name));
    let t2 = items[2]["transfer_id"].as_i64().expect("transfer 2");
    assert_eq!(items[4]["error"]["code"], "duplicate_row");
    // A second batch for the same member: refused for that row (one transfer at a time).
    let again = server
        .api(b)
        .post(
            "/api/v1/graduation/batch-transfer",
            &json!({"rows": [{"member_id": m1, "target_org_id": w.company_branch}], "reason": "毕业"}),
        )
        .await
        .ok(200);
    assert_eq!(
        again["items"][0]["error"]["code"], "transfer_in_progress",
        "{again}"
    );
    // Bad batches are refused as a whole.
    server
        .api(b)
        .post(
            "/api/v1/graduation/batch-transfer",
            &json!({"member_ids": [m1], "reason": "graduation"}),
        )
        .await
        .err(422, "target_required");
    server
        .api(b)
        .post(
            "/api/v1/graduation/batch-transfer",
            &json!({"member_ids": [], "target_org_id": w.company_branch, "reason": "graduation"}),
        )
        .await
        .err(422, "rows_required");
    server
        .api(b)
        .post(
            "/api/v1/graduation/batch-transfer",
            &json!({"member_ids": [m1], "target_org_id": w.company_branch, "reason": "vacation"}),
        )
        .await
        .fails(422)
        .with_field("reason");

    let v = figure(&server, s1, w.fx.s1).await;
    assert_eq!(nums(child(&v, w.fx.col_b)), (0, 2, Some(0.0)));
    assert_eq!(child(&v, w.fx.col_b)["counts"]["in_progress"], 2);
    assert_eq!(v["counts"]["in_progress"], 3);

    // The company approves one: college B 1/2, the school 2/6.
    approve(&server, &w.fx.province_admin.token, t1, json!({}))
        .await
        .ok(200);
    let v = figure(&server, s1, w.fx.s1).await;
    assert_eq!(nums(child(&v, w.fx.col_b)), (1, 2, Some(0.5)));
    assert_eq!(nums(&v), (2, 6, Some(2.0 / 6.0)));
    assert_eq!(
        sorted(list_ids(&server, s1, w.fx.s1, "complete").await),
        sorted(vec![w.g[3].id, m1])
    );
    // Rejected: back to not started; restarted and approved: complete.
    server
        .api(&w.fx.province_admin.token)
        .post(
            &format!("{TRANSFERS}/{t2}/reject"),
            &json!({"reason": "该团员尚未与本单位签约"}),
        )
        .await
        .ok(200);
    assert!(list_ids(&server, s1, w.fx.s1, "not_started")
        .await
        .contains(&m2));
    let t2b = started(&server, b, to_org(m2, w.company_branch, "graduation")).await;
    approve(&server, &w.fx.province_admin.token, t2b, json!({}))
        .await
        .ok(200);
    let v = figure(&server, s1, w.fx.s1).await;
    assert_eq!(nums(child(&v, w.fx.col_b)), (2, 2, Some(1.0)));
    assert_eq!(nums(&v), (3, 6, Some(0.5)));

    // The graduate kept in the floating branch later moves to the company: now complete.
    let kept = w.g[5].id;
    let t = started(&server, s1, to_org(kept, w.company_branch, "job_change")).await;
    assert!(list_ids(&server, s1, w.fx.s1, "in_progress")
        .await
        .contains(&kept));
    approve(&server, &w.fx.province_admin.token, t, json!({}))
        .await
        .ok(200);
    let v = figure(&server, s1, w.fx.s1).await;
    assert_eq!(nums(&v), (4, 6, Some(4.0 / 6.0)));
    assert_eq!(v["counts"]["kept_at_school"], 0);
    assert_eq!(nums(child(&v, w.fx.col_a)), (2, 4, Some(0.5)));

    // Revoking the delayed marking brings g1 back into the figure (not started).
    server
        .api(&w.fx.a_admin.token)
        .delete(&format!("/api/v1/members/{}/delayed-graduation", w.g[0].id))
        .await
        .ok(200);
    let v = figure(&server, s1, w.fx.s1).await;
    assert_eq!(nums(&v), (4, 7, Some(4.0 / 7.0)));

    // The weekly trend: all completions this week (the test clock does not move).
    let tr = server
        .api(s1)
        .get(&format!(
            "/api/v1/orgs/{}/continuity/trend?year={YEAR}",
            w.fx.s1
        ))
        .await
        .ok(200);
    assert_eq!(nums(&tr), (4, 7, Some(4.0 / 7.0)), "{tr}");
    let weeks = tr["weeks"].as_array().unwrap();
    let last = weeks.last().unwrap();
    assert_eq!(last["week"], "2026-W48", "{tr}");
    assert_eq!(last["start"], "2026-11-23");
    assert_eq!(last["completed"], 4);
    assert_eq!(last["cumulative"], 4);
    // From the first graduation month (June) on, every week listed.
    assert_eq!(weeks[0]["start"], "2026-06-01", "{tr}");
    assert_eq!(weeks.len(), 26);
    assert!(weeks[..25].iter().all(|w| w["completed"] == 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_special_unit_or_external_system_completes_and_a_later_year_cohort_ignores_old_leavers() {
    let (server, w) = world().await;
    let college = w.fx.a_admin.token.as_str();
    let g3 = w.g[2].id;
    // Military: a special unit, decided by the province: complete.
    let t = started(
        &server,
        college,
        json!({"member_id": g3, "special_unit": {"destination": "某部队"}, "reason": "military"}),
    )
    .await;
    approve(&server, &w.fx.province_admin.token, t, json!({}))
        .await
        .ok(200);
    let v = figure(&server, college, w.fx.col_a).await;
    assert_eq!(nums(&v), (2, 4, Some(0.5)), "{v}");
    let body = server
        .api(college)
        .get(&continuity_path(w.fx.col_a, "&list=complete"))
        .await
        .ok(200);
    let row = body["list"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member_id"] == g3)
        .cloned()
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(row["transfer"]["kind"], "special_unit");
    assert_eq!(row["transfer"]["target"], "某部队");

    // The old branch's member (2025) left this year: counted in 2025, not in 2026.
    let t = started(
        &server,
        college,
        to_org(w.old_member.id, w.company_branch, "graduation"),
    )
    .await;
    approve(&server, &w.fx.province_admin.token, t, json!({}))
        .await
        .ok(200);
    let v25 = server
        .api(college)
        .get(&format!("/api/v1/orgs/{}/continuity?year=2025", w.fx.col_a))
        .await
        .ok(200);
    assert_eq!(nums(&v25), (1, 1, Some(1.0)), "{v25}");
    let v26 = figure(&server, college, w.fx.col_a).await;
    assert_eq!(nums(&v26), (2, 4, Some(0.5)));

    // A member who left the 2026 branch in 2025 (changed school in their third year) did not
    // graduate from it: not in the 2026 figure. (Moving the clock back ends the sessions.)
    let early = ready_member(&server, &w.fx, 131, w.ga).await;
    server
        .clock
        .set(time::macros::datetime!(2025-09-01 10:00 +08:00));
    let college_then = server
        .login(&w.fx.a_admin.login, &w.fx.a_admin.password)
        .await;
    let s2_then = server
        .login(&w.fx.s2_admin.login, &w.fx.s2_admin.password)
        .await;
    let t = started(
        &server,
        &college_then,
        to_org(early.id, w.fx.s2b, "school_change"),
    )
    .await;
    approve(&server, &s2_then, t, json!({})).await.ok(200);
    server.clock.set(START);
    let college = server
        .login(&w.fx.a_admin.login, &w.fx.a_admin.password)
        .await;
    let v26 = figure(&server, &college, w.fx.col_a).await;
    assert_eq!(nums(&v26), (2, 4, Some(0.5)), "{v26}");
    for list in ["not_started", "kept_at_school", "complete", "excluded"] {
        assert!(!list_ids(&server, &college, w.fx.col_a, list)
            .await
            .contains(&early.id));
    }
    // It would count for the 2025 cohort of a 2025 branch, had it been one.
    let v25 = server
        .api(&college)
        .get(&format!("/api/v1/orgs/{}/continuity?year=2025", w.fx.col_a))
        .await
        .ok(200);
    assert_eq!(nums(&v25), (1, 1, Some(1.0)), "{v25}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn continuity_is_scoped_and_answers_404_outside() {
    let (server, w) = world().await;
    let paths = |org: i64| {
        vec![
            continuity_path(org, ""),
            continuity_path(org, "&list=not_started"),
            format!("/api/v1/orgs/{org}/continuity/trend?year={YEAR}"),
            format!("/api/v1/orgs/{org}/reports/continuity.xlsx?year={YEAR}"),
        ]
    };
    // The other college, the other school, a missing org: all the same 404.
    for (token, org) in [
        (&w.fx.a_admin.token, w.fx.col_b),
        (&w.fx.a_admin.token, w.gb),
        (&w.fx.s2_admin.token, w.fx.s1),
        (&w.fx.a1_admin.token, w.ga),
        (&w.fx.a_admin.token, 987_654_321),
    ] {
        for p in paths(org) {
            server.api(token).get(&p).await.err(404, "not_found");
        }
    }
    // A member (not an admin) sees no figure, not even their own branch's.
    let me = member_token(&server, &w.fx.root, &w.g[2]).await;
    for p in paths(w.ga) {
        server.api(&me).get(&p).await.err(404, "not_found");
    }
    server
        .api(&me)
        .post(
            "/api/v1/graduation/batch-transfer",
            &json!({"member_ids": [w.g[2].id], "target_org_id": w.company_branch, "reason": "graduation"}),
        )
        .await
        .fails(403);
    server
        .anon()
        .get(&continuity_path(w.ga, ""))
        .await
        .fails(401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sheet_has_one_row_per_child_and_the_total() {
    use calamine::Reader;
    let (server, w) = world().await;
    let resp = server
        .client
        .get(server.url(&format!(
            "/api/v1/orgs/{}/reports/continuity.xlsx?year={YEAR}",
            w.fx.s1
        )))
        .bearer_auth(&w.fx.s1_admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let rows: Vec<Vec<String>> = book
        .worksheet_range(&name)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[1],
        [
            "组织",
            "应转接人数（分母）",
            "已完成（分子）",
            "办理中",
            "未发起",
            "保留在学校",
            "学社衔接率"
        ]
    );
    // Children by name, as the org tree lists them.
    assert_eq!(rows[2], [COLLEGE_B, "2", "0", "0", "2", "0", "0.0%"]);
    assert_eq!(rows[3], [COLLEGE_A, "4", "1", "1", "1", "1", "25.0%"]);
    assert_eq!(rows[4][0], format!("合计（{SCHOOL1}）"));
    assert_eq!(rows[4][1..], ["6", "1", "1", "3", "1", "16.7%"]);
    assert_eq!(rows.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_page_shows_the_rate_lists_children_and_charts() {
    let (server, w) = world().await;
    let client = page::logged_in(&server, &w.fx.s1_admin.login, &w.fx.s1_admin.password).await;
    let org_page = page::get(&client, &server, &format!("/orgs/{}", w.fx.s1)).await;
    org_page
        .status(200)
        .has(&format!("href=\"/orgs/{}/continuity\"", w.fx.s1));
    let p = page::get(
        &client,
        &server,
        &format!("/orgs/{}/continuity?year={YEAR}", w.fx.s1),
    )
    .await;
    p.status(200)
        .has("16.7%")
        .has("id=\"numerator\">1<")
        .has("id=\"denominator\">6<")
        .has(&format!("?year={YEAR}&list=kept_at_school#list"))
        .has(&format!(
            "/orgs/{}/reports/continuity.xlsx?year={YEAR}",
            w.fx.s1
        ))
        .has("<svg")
        .has("id=\"trend-chart\"")
        .has(COLLEGE_A)
        .has("25.0%")
        .has("sort=rate");
    // Issue 15 item 12: the trend's own figure stands at the end of its line, in the line's
    // colour; the axis labels (0% and 100%) are grey and never in the colour of a value.
    let trend = &p.html[p.html.find("id=\"trend-chart\"").unwrap()..];
    let trend = &trend[..trend.find("</figure>").unwrap()];
    let rate_label = trend
        .split("id=\"trend-rate\"")
        .nth(1)
        .and_then(|t| t.split('>').nth(1))
        .and_then(|t| t.split('<').next())
        .unwrap_or_default();
    assert_eq!(rate_label, "累计16.7%", "{trend}");
    for blue in trend.split("fill=\"#1a5fb4\"").skip(1) {
        let text = blue
            .split('>')
            .nth(1)
            .and_then(|t| t.split('<').next())
            .unwrap_or_default();
        assert!(!text.contains("100%"), "a value-coloured 100%: {trend}");
    }
    let axis = &trend[trend.find("class=\"axis\"").unwrap()..];
    let axis = &axis[..axis.find("</g>").unwrap()];
    assert!(axis.contains(">100%<") && axis.contains(">0%<"), "{axis}");
    let l = page::get(
        &client,
        &server,
        &format!(
            "/orgs/{}/continuity?year={YEAR}&list=kept_at_school",
            w.fx.s1
        ),
    )
    .await;
    l.status(200)
        .has(&w.g[5].person.name)
        .has("某大学流动团员团支部")
        .has(&tuanwu_domain::mask::mask_resident_id(
            &w.g[5].person.resident_id,
        ))
        .lacks(&w.g[5].person.resident_id)
        .lacks(&w.g[3].person.name);
    let sorted_page = page::get(
        &client,
        &server,
        &format!(
            "/orgs/{}/continuity?year={YEAR}&sort=denominator&order=asc",
            w.fx.s1
        ),
    )
    .await;
    let html = &sorted_page.status(200).html;
    let table = &html[html.find("continuity-children").unwrap()..];
    assert!(
        table.find(COLLEGE_B).unwrap() < table.find(COLLEGE_A).unwrap(),
        "college B (2) sorts before college A (4) by denominator"
    );
    // The batch form under the not-started list: search the target, tick, send.
    let college_b = page::logged_in(&server, &w.fx.b_admin.login, &w.fx.b_admin.password).await;
    let list = page::get(
        &college_b,
        &server,
        &format!(
            "/orgs/{}/continuity?year={YEAR}&list=not_started&target_q=某集团公司第一",
            w.fx.col_b
        ),
    )
    .await;
    list.status(200)
        .has("id=\"batch-transfer-form\"")
        .has(&format!(
            "name=\"target_org_id\" value=\"{}\" checked",
            w.company_branch
        ))
        .has(&format!("id=\"tick-{}\"", w.gb_members[0].id));
    let csrf = list.csrf();
    let (m1, m2) = (
        w.gb_members[0].id.to_string(),
        w.gb_members[1].id.to_string(),
    );
    let target = w.company_branch.to_string();
    let year = YEAR.to_string();
    let path = format!("/orgs/{}/continuity/batch-transfer", w.fx.col_b);
    // "Other" without a note: refused as a whole, the ticks kept.
    let refused = page::post(
        &college_b,
        &server,
        &path,
        &[
            ("csrf", &csrf),
            ("year", &year),
            ("list", "not_started"),
            ("target_q", "某集团公司第一"),
            ("member_ids", &m1),
            ("target_org_id", &target),
            ("reason", "other"),
            ("note", ""),
        ],
    )
    .await;
    refused.status(422).has("id=\"batch-error\"").has(&format!(
        "value=\"{m1}\" id=\"tick-{m1}\" aria-label=\"选择{}\" checked",
        w.gb_members[0].person.name
    ));
    let sent = page::post(
        &college_b,
        &server,
        &path,
        &[
            ("csrf", &csrf),
            ("year", &year),
            ("list", "not_started"),
            ("member_ids", &m1),
            ("member_ids", &m2),
            ("target_org_id", &target),
            ("reason", "graduation"),
        ],
    )
    .await;
    sent.status(200)
        .has("已为2名毕业生发起组织关系转接")
        .has(&w.gb_members[1].person.name);
    assert!(sent.path.contains("list=in_progress"), "{}", sent.path);
    let v = figure(&server, &w.fx.b_admin.token, w.fx.col_b).await;
    assert_eq!(v["counts"]["in_progress"], 2, "{v}");
    // Sent again: each row refused (already in progress), named on its row.
    let again = page::post(
        &college_b,
        &server,
        &path,
        &[
            ("csrf", &csrf),
            ("year", &year),
            ("list", "not_started"),
            ("member_ids", &m1),
            ("target_org_id", &target),
            ("reason", "graduation"),
        ],
    )
    .await;
    again
        .status(422)
        .has("已发起0人；1人未能发起")
        .has("已有业务正在办理");

    // Out of scope: the error page, as for a missing org.
    let other = page::logged_in(&server, &w.fx.s2_admin.login, &w.fx.s2_admin.password).await;
    page::get(&other, &server, &format!("/orgs/{}/continuity", w.fx.s1))
        .await
        .status(404);
}

/// GRD-6: which destinations count as further study is the operator's list (`[policy]
/// further_study`); with 出国出境 off it, a graduate going abroad is in the denominator.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_further_study_list_is_configurable() {
    let (server, fx) = school_with_policy(tuanwu_app::Policy {
        further_study: vec!["further_study".into()],
        ..Default::default()
    })
    .await;
    let root = fx.root.clone();
    mark(&server, &root, fx.a1, "2026-06").await;
    let before = nums(&figure(&server, &root, fx.a1).await);
    destination(&server, &root, fx.m_a1.id, "abroad").await;
    assert_eq!(
        nums(&figure(&server, &root, fx.a1).await),
        before,
        "abroad still counts"
    );
    destination(&server, &root, fx.m_a1.id, "further_study").await;
    let after = nums(&figure(&server, &root, fx.a1).await);
    assert_eq!(
        after.1,
        before.1 - 1,
        "升学 leaves the denominator: {before:?} → {after:?}"
    );
}
