//! The demo data the README's run command loads: its logins work and its people are valid.

use crate::harness::TestServer;

#[tokio::test]
async fn demo_logins_work_and_every_level_sees_its_own_part() {
    let server = TestServer::start().await;
    let summary = tuanwu_app::demo::load(&server.ctx, 2_000, |_| {})
        .await
        .unwrap();
    assert!(
        summary.members >= 1_800,
        "about the members asked for: {}",
        summary.members
    );
    assert!(summary.orgs > 600, "{}", summary.orgs);

    let password = tuanwu_app::demo::DEMO_PASSWORD;
    let mut totals = Vec::new();
    for login in [
        "tj_admin",
        "tj_gx_admin",
        "hhu_admin",
        "college01",
        "college02",
    ] {
        let token = server.login(login, password).await;
        let me = server.api(&token).get("/api/v1/me").await.ok(200);
        let org = me["org_id"].as_i64().unwrap();
        let list = server
            .api(&token)
            .get(&format!(
                "/api/v1/orgs/{org}/members?subtree=true&per_page=5"
            ))
            .await
            .ok(200);
        totals.push((login, list["total"].as_u64().unwrap()));
    }
    // Each level sees at least as much as the one below it, and two colleges see different people.
    assert!(
        totals[0].1 >= totals[1].1 && totals[1].1 >= totals[2].1 && totals[2].1 > totals[3].1,
        "{totals:?}"
    );
    assert!(totals[3].1 > 0 && totals[4].1 > 0, "{totals:?}");

    // The printed branch secretary logs in by student number with both roles.
    let secretary = summary
        .logins
        .iter()
        .find(|l| l.role.contains("团支书"))
        .unwrap();
    let token = server.login(&secretary.login, password).await;
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    let roles: Vec<&str> = me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert!(
        roles.contains(&"branch_admin") && roles.contains(&"member"),
        "{roles:?}"
    );

    // A second load refuses rather than doubling the data.
    assert!(tuanwu_app::demo::load(&server.ctx, 100, |_| {})
        .await
        .is_err());
}

/// Issue 6 on the demo data: a 2022级 graduate is transferred by their college to the street
/// committee and placed in one of its community branches; the college loses sight of them, the
/// street committee gains it; a second start is refused naming the first; a special-unit
/// transfer goes to the city's province-level committee; a lost member is found with only the
/// allowed fields; the letter gets its number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graduate_moves_from_a_college_to_the_street_committee_on_the_demo_data() {
    use serde_json::{json, Value};
    let server = TestServer::start().await;
    tuanwu_app::demo::load(&server.ctx, 2_000, |_| {})
        .await
        .unwrap();
    let password = tuanwu_app::demo::DEMO_PASSWORD;
    let college = server.login("college01", password).await;
    let street = server.login("qyc_admin", password).await;
    let city = server.login("tj_admin", password).await;
    let me = server.api(&college).get("/api/v1/me").await.ok(200);
    let college_org = me["org_id"].as_i64().unwrap();

    // A verified graduate of a 2022级 branch (demo members verified have approved archives).
    let branches = server
        .api(&college)
        .get(&format!("/api/v1/orgs/{college_org}/children?per_page=100"))
        .await
        .items();
    let class_2022 = branches
        .iter()
        .find(|b| b["name"].as_str().is_some_and(|n| n.contains("2022级")))
        .unwrap();
    let members = server
        .api(&college)
        .get(&format!(
            "/api/v1/orgs/{}/members?per_page=50",
            class_2022["id"]
        ))
        .await
        .items();
    // The branch secretary stays (TRF-12 would rightly refuse to let them go first).
    let admins = server
        .api(&college)
        .get(&format!("/api/v1/orgs/{}/admins", class_2022["id"]))
        .await
        .items();
    let secretaries: Vec<&Value> = admins.iter().map(|a| &a["member_id"]).collect();
    let pick: Vec<&Value> = members
        .iter()
        .filter(|m| m["identity_check"] == "verified" && !secretaries.contains(&&m["id"]))
        .take(3)
        .collect();
    assert!(pick.len() == 3, "{members:?}");
    let (graduate, soldier, lost) = (pick[1], pick[2], pick[0]);

    let found = server
        .api(&college)
        .get("/api/v1/orgs?q=劝业场街道")
        .await
        .items();
    let committee = found
        .iter()
        .find(|o| o["kind"] == "working_committee")
        .unwrap();
    let t = server
        .api(&college)
        .post(
            "/api/v1/transfers",
            &json!({"member_id": graduate["id"], "target_org_id": committee["id"], "reason": "graduation"}),
        )
        .await
        .ok(201);
    assert_eq!(t["initiator"], "source", "{t}");
    let again = server
        .api(&college)
        .post(
            "/api/v1/transfers",
            &json!({"member_id": graduate["id"], "target_org_id": committee["id"], "reason": "graduation"}),
        )
        .await;
    again.err(409, "transfer_in_progress");
    assert!(again.message().contains("分团委管理员"), "{again:?}");

    let community = server
        .api(&street)
        .get(&format!("/api/v1/orgs/{}/children", committee["id"]))
        .await
        .items();
    let target_branch = community[0]["id"].as_i64().unwrap();
    let todos = server.api(&street).get("/api/v1/todos").await.items();
    assert!(todos.iter().any(|x| x["kind"] == "transfer"), "{todos:?}");
    server
        .api(&street)
        .post(
            &format!("/api/v1/transfers/{}/approve", t["id"]),
            &json!({"branch_id": target_branch, "archives_checked": true}),
        )
        .await
        .ok(200);
    let path = format!("/api/v1/members/{}", graduate["id"]);
    server.api(&college).get(&path).await.err(404, "not_found");
    let now = server.api(&street).get(&path).await.ok(200);
    assert_eq!(now["org_id"], target_branch);

    // The university committee issues the letter for the completed transfer.
    let hhu = server.login("hhu_admin", password).await;
    let letter = server
        .api(&hhu)
        .post_empty(&format!("/api/v1/transfers/{}/letter", t["id"]))
        .await
        .ok(201);
    assert_eq!(letter["number"], "2026年0001号", "{letter}");
    // Addressed to the street's 团工委 that took the member, not the district above it.
    assert_eq!(
        letter["fields"]["target_committee"], committee["name"],
        "{letter}"
    );

    // A special unit: decided by the city's province-level committee.
    let s = server
        .api(&college)
        .post(
            "/api/v1/transfers",
            &json!({"member_id": soldier["id"], "special_unit": {"destination": "某部队"}, "reason": "military"}),
        )
        .await
        .ok(201);
    assert_eq!(s["pending_party"], "province", "{s}");
    server
        .api(&city)
        .post_empty(&format!("/api/v1/transfers/{}/approve", s["id"]))
        .await
        .ok(200);

    // The street committee looks a member up by name + resident ID (the college reveals it).
    let full = server
        .api(&college)
        .get(&format!("/api/v1/members/{}", lost["id"]))
        .await
        .ok(200);
    let lookup = server
        .api(&street)
        .get(&format!(
            "/api/v1/transfer-lookup?name={}&resident_id={}",
            full["name"].as_str().unwrap(),
            full["resident_id"].as_str().unwrap()
        ))
        .await
        .ok(200);
    let keys: Vec<&String> = lookup.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["admin_contact", "org_name"], "{lookup}");
    assert!(
        lookup["org_name"].as_str().unwrap().contains("2022级"),
        "{lookup}"
    );
}

/// Issue 8 on the demo data: the university marks 30 of its 2022级 branches as graduating in
/// June 2026 at once, a college marks 5 delayed graduates, the 学社衔接率 moves as the college's
/// batch transfer to the street committee completes, two graduates go to the school floating
/// branch with a deadline, and every sheet downloads as a real xlsx.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graduating_year_runs_on_the_demo_data() {
    use serde_json::{json, Value};
    let server = TestServer::start().await;
    tuanwu_app::demo::load(&server.ctx, 4_000, |_| {})
        .await
        .unwrap();
    let password = tuanwu_app::demo::DEMO_PASSWORD;
    let uni = server.login("hhu_admin", password).await;
    let college = server.login("college01", password).await;
    let street = server.login("qyc_admin", password).await;
    let uni_org = server.api(&uni).get("/api/v1/me").await.ok(200)["org_id"]
        .as_i64()
        .unwrap();
    let college_org = server.api(&college).get("/api/v1/me").await.ok(200)["org_id"]
        .as_i64()
        .unwrap();

    // The demo's graduating year is already marked for most colleges (issue 15 item 13), so
    // the first visit shows a real figure.
    let first = server
        .api(&uni)
        .get(&format!("/api/v1/orgs/{uni_org}/continuity?year=2026"))
        .await
        .ok(200);
    assert!(first["branches"].as_u64().unwrap() >= 100, "{first}");
    assert!(first["denominator"].as_u64().unwrap() > 0, "{first}");

    // 30 branches of 2022级, ticked across the colleges, marked at once.
    let unmarked = server
        .api(&uni)
        .get(&format!(
            "/api/v1/orgs/{uni_org}/graduation?status=unmarked&grade=2022&per_page=200"
        ))
        .await
        .items();
    let class_2022: Vec<i64> = unmarked
        .iter()
        .filter(|b| b["name"].as_str().is_some_and(|n| n.contains("2022级")))
        .map(|b| b["id"].as_i64().unwrap())
        .collect();
    assert!(class_2022.len() >= 30, "{}", class_2022.len());
    // The college's own 2022级 branches first, so its graduates are in the figure.
    let mine = server
        .api(&college)
        .get(&format!(
            "/api/v1/orgs/{college_org}/graduation?status=unmarked&per_page=200"
        ))
        .await
        .items();
    let mine: Vec<i64> = mine
        .iter()
        .filter(|b| b["name"].as_str().is_some_and(|n| n.contains("2022级")))
        .map(|b| b["id"].as_i64().unwrap())
        .collect();
    let others = class_2022.iter().filter(|b| !mine.contains(b));
    let ticked: Vec<i64> = mine.iter().chain(others).copied().take(30).collect();
    let marked = server
        .api(&uni)
        .post(
            "/api/v1/graduation/mark",
            &json!({"org_ids": ticked, "year_month": "2026-06"}),
        )
        .await
        .ok(200);
    assert_eq!(marked["marked"].as_array().unwrap().len(), 30, "{marked}");

    // The college's graduates: 5 delayed, the rest available for transfers.
    let graduates = server
        .api(&college)
        .get(&format!(
            "/api/v1/orgs/{college_org}/graduates?year=2026&per_page=200"
        ))
        .await
        .items();
    let mut admins = Vec::new();
    for b in &mine {
        for a in server
            .api(&college)
            .get(&format!("/api/v1/orgs/{b}/admins"))
            .await
            .items()
        {
            admins.push(a["member_id"].clone());
        }
    }
    let ready: Vec<&Value> = graduates
        .iter()
        .filter(|g| !admins.contains(&g["id"]))
        .collect();
    let mut verified = Vec::new();
    for g in &ready {
        let m = server
            .api(&college)
            .get(&format!("/api/v1/members/{}", g["id"]))
            .await
            .ok(200);
        if m["identity_check"] == "verified" {
            verified.push(g["id"].as_i64().unwrap());
        }
    }
    assert!(verified.len() >= 10, "{}", verified.len());
    let delayed: Vec<i64> = ready
        .iter()
        .map(|g| g["id"].as_i64().unwrap())
        .filter(|id| !verified.contains(id))
        .chain(verified.iter().rev().copied())
        .take(5)
        .collect();
    let d = server
        .api(&college)
        .post(
            "/api/v1/graduation/delayed",
            &json!({"member_ids": delayed, "expected": "2027-06", "reason": "学分未修满"}),
        )
        .await
        .ok(200);
    assert_eq!(d["marked"].as_array().unwrap().len(), 5, "{d}");

    let rate = |token: String| {
        let server = &server;
        async move {
            let c = server
                .api(&token)
                .get(&format!("/api/v1/orgs/{college_org}/continuity?year=2026"))
                .await
                .ok(200);
            (
                c["numerator"].as_u64().unwrap(),
                c["denominator"].as_u64().unwrap(),
            )
        }
    };
    let (before_num, before_den) = rate(college.clone()).await;
    assert_eq!(before_num, 0);
    assert!(before_den > 0);

    // The college's batch transfer of three graduates to the street committee.
    let committee = server
        .api(&college)
        .get("/api/v1/orgs?q=劝业场街道")
        .await
        .items()
        .into_iter()
        .find(|o| o["kind"] == "working_committee")
        .unwrap();
    let movers: Vec<i64> = verified
        .iter()
        .copied()
        .filter(|id| !delayed.contains(id))
        .take(3)
        .collect();
    let batch = server
        .api(&college)
        .post(
            "/api/v1/graduation/batch-transfer",
            &json!({"member_ids": movers, "target_org_id": committee["id"], "reason": "graduation"}),
        )
        .await
        .ok(200);
    assert_eq!(batch["started"], 3, "{batch}");
    let community = server
        .api(&street)
        .get(&format!("/api/v1/orgs/{}/children", committee["id"]))
        .await
        .items();
    for item in batch["items"].as_array().unwrap() {
        server
            .api(&street)
            .post(
                &format!("/api/v1/transfers/{}/approve", item["transfer_id"]),
                &json!({"branch_id": community[0]["id"]}),
            )
            .await
            .ok(200);
    }
    assert_eq!(
        rate(college.clone()).await,
        (3, before_den),
        "the rate moved"
    );

    // Two graduates without a job yet: the school floating branch, with their deadline.
    let floating_branch = server
        .api(&uni)
        .get("/api/v1/orgs?q=校级流动团员团支部")
        .await
        .items()[0]["id"]
        .as_i64()
        .unwrap();
    let stayers: Vec<i64> = verified
        .iter()
        .copied()
        .filter(|id| !delayed.contains(id) && !movers.contains(id))
        .take(2)
        .collect();
    for id in &stayers {
        server
            .api(&college)
            .post(
                "/api/v1/transfers",
                &json!({"member_id": id, "target_org_id": floating_branch, "reason": "graduation",
                        "floating": {"destination": "preparing_job", "reason": "工作单位未确定",
                                     "contact": "13900000000", "responsible": "张老师",
                                     "responsible_contact": "022-27400000"}}),
            )
            .await
            .ok(201);
    }
    let pending = server
        .api(&uni)
        .get(&format!("/api/v1/orgs/{uni_org}/floating?state=pending"))
        .await
        .items();
    let decided = server
        .api(&uni)
        .post(
            "/api/v1/transfers/batch-decide",
            &json!({"ids": pending.iter().map(|p| p["transfer_id"].clone()).collect::<Vec<_>>(), "action": "approve"}),
        )
        .await
        .ok(200);
    assert_eq!(decided["decided"], 2, "{decided}");
    let kept = server
        .api(&uni)
        .get(&format!("/api/v1/orgs/{uni_org}/floating"))
        .await
        .items();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(
        kept.iter().all(|k| k["deadline"] == "2027-05-29"),
        "{kept:?}"
    );
    // Kept at school is not complete: the figure stays.
    assert_eq!(rate(college.clone()).await, (3, before_den));

    for sheet in [
        "graduation-changes",
        "continuity-special-cases",
        "floating-members",
        "continuity",
        "special-unit-transfers",
    ] {
        let (status, _, bytes) = crate::letters::get_bytes(
            &server,
            &uni,
            &format!("/api/v1/orgs/{uni_org}/reports/{sheet}.xlsx?year=2026"),
        )
        .await;
        assert_eq!(status, 200, "{sheet}");
        assert!(
            !crate::letters::xlsx_cells(&bytes).is_empty(),
            "{sheet} opens"
        );
    }
}

/// Issue 18 on the demo data: the printed branch secretary finds two groups with leaders and a
/// sitting committee they head; the college sees some of its branches overdue for 换届; as a
/// member the secretary signs up for the university's training.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branch_life_on_the_demo_data() {
    use serde_json::json;
    let server = TestServer::start().await;
    let summary = tuanwu_app::demo::load(&server.ctx, 2_000, |_| {})
        .await
        .unwrap();
    let password = tuanwu_app::demo::DEMO_PASSWORD;
    let secretary = summary
        .logins
        .iter()
        .find(|l| l.role.contains("团支书"))
        .unwrap();
    let token = server.login(&secretary.login, password).await;
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    let branch = me["org_id"].as_i64().unwrap();
    let groups = server
        .api(&token)
        .get(&format!("/api/v1/orgs/{branch}/groups"))
        .await
        .ok(200);
    let items = groups["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{groups}");
    assert!(items.iter().all(|g| g["leader_id"].is_i64()), "{groups}");
    let committee = server
        .api(&token)
        .get(&format!("/api/v1/orgs/{branch}/committee"))
        .await
        .ok(200);
    assert_eq!(committee["posts"][0]["post"], "secretary", "{committee}");
    assert_eq!(
        committee["posts"][0]["member_id"], me["account"]["member_id"],
        "{committee}"
    );

    let college = server.login("college01", password).await;
    let college_org = server.api(&college).get("/api/v1/me").await.ok(200)["org_id"]
        .as_i64()
        .unwrap();
    let overdue = server
        .api(&college)
        .get(&format!("/api/v1/orgs/{college_org}/overdue-term-changes"))
        .await
        .items();
    assert!(
        !overdue.is_empty() && overdue.len() < 29,
        "{}",
        overdue.len()
    );

    let member_role = me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "member")
        .map(|r| r["id"].clone())
        .unwrap();
    server
        .api(&token)
        .post("/api/v1/me/active-role", &json!({ "role_id": member_role }))
        .await
        .ok(200);
    let events = server.api(&token).get("/api/v1/events").await.items();
    let training = events
        .iter()
        .find(|e| {
            e["title"]
                .as_str()
                .is_some_and(|t| t.contains("团干部培训班"))
        })
        .unwrap_or_else(|| panic!("{events:?}"));
    server
        .api(&token)
        .post_empty(&format!("/api/v1/events/{}/signups", training["id"]))
        .await
        .ok(201);
}
