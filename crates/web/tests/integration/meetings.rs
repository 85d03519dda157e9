//! MTG-1, MTG-2: meeting records over HTTP — attendance derived from the roster at the
//! meeting's date, each bad input refused in Chinese naming the person, delete and restore,
//! the quarterly compliance against targets, the sheets and the branch's to-do.

use serde_json::{json, Value};
use time::Duration;

use crate::fixtures::*;
use crate::harness::{id_of, Resp, TestServer};
use crate::letters::{get_bytes, xlsx_cells};

pub fn meetings_path(org: i64) -> String {
    format!("/api/v1/orgs/{org}/meetings")
}

pub fn meeting_path(id: i64) -> String {
    format!("/api/v1/meetings/{id}")
}

/// A record's body: `present` ticked, `absent` with their reasons.
pub fn body(kind: &str, at: &str, topic: &str, present: &[i64], absent: &[(i64, &str)]) -> Value {
    let absentees: Vec<Value> = absent
        .iter()
        .map(|(m, r)| json!({"member_id": m, "reason": r}))
        .collect();
    json!({
        "kind": kind,
        "started_at": at,
        "place": "学生活动中心201",
        "topic": topic,
        "content": "学习团章，讨论本学期工作安排。",
        "presenter": "张书记",
        "recorder": "李委员",
        "attendee_ids": present,
        "absentees": absentees,
    })
}

pub async fn record(server: &TestServer, token: &str, branch: i64, body: &Value) -> Resp {
    server.api(token).post(&meetings_path(branch), body).await
}

/// Records a 团课 of `branch` with `member` present at the fixture's "now"; returns its id.
pub async fn lecture(
    server: &TestServer,
    token: &str,
    branch: i64,
    member: i64,
    topic: &str,
) -> i64 {
    id_of(
        &record(
            server,
            token,
            branch,
            &body("lecture", "2026-11-29T10:00", topic, &[member], &[]),
        )
        .await
        .ok(201),
    )
}

/// A new branch of college A with `n` members, all created at the fixture's "now".
async fn branch_with(
    server: &TestServer,
    fx: &Fixture,
    name: &str,
    seq: u16,
    n: u16,
) -> (i64, Vec<MemberFx>) {
    let b = branch(server, &fx.root, fx.col_a, name).await;
    let mut ms = Vec::new();
    for i in 0..n {
        let s = seq + i;
        ms.push(member(server, &fx.root, Person::new(s, &name_for(s)), b).await);
    }
    (b, ms)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assembly_derives_due_present_absent_and_its_quorum() {
    let (server, fx) = school().await;
    let (b, ms) = branch_with(&server, &fx, "会议2301团支部", 600, 4).await;
    let ids: Vec<i64> = ms.iter().map(|m| m.id).collect();
    let college = &fx.a_admin.token;

    let r = record(
        &server,
        college,
        b,
        &body(
            "assembly",
            "2026-11-29T10:00",
            "学期初支部大会",
            &ids[..3],
            &[(ids[3], "病假")],
        ),
    )
    .await
    .ok(201);
    assert_eq!(r["due_count"], 4);
    assert_eq!(r["present_count"], 3);
    assert_eq!(r["absent_count"], 1);
    assert_eq!(r["quorate"], true);
    assert_eq!(r["kind_label"], "支部大会");
    let absent = r["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["present"] == false)
        .unwrap();
    assert_eq!(absent["name"], ms[3].person.name.as_str());
    assert_eq!(absent["absence_reason"], "病假");

    // Exactly half present is not more than half.
    let r = record(
        &server,
        college,
        b,
        &body(
            "assembly",
            "2026-11-29T10:00",
            "补开支部大会",
            &ids[..2],
            &[(ids[2], "实习"), (ids[3], "病假")],
        ),
    )
    .await
    .ok(201);
    assert_eq!(
        (r["due_count"].clone(), r["present_count"].clone()),
        (json!(4), json!(2))
    );
    assert_eq!(r["quorate"], false);

    // A 支部大会 lists every member: one neither ticked nor absent is named.
    let r = record(
        &server,
        college,
        b,
        &body("assembly", "2026-11-29T10:00", "漏登记", &ids[..3], &[]),
    )
    .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.code(), "attendee_unlisted");
    assert!(r.message().contains(ms[3].person.name.as_str()), "{r:?}");

    // An absentee without a reason is named.
    let r = record(
        &server,
        college,
        b,
        &body(
            "assembly",
            "2026-11-29T10:00",
            "无原因",
            &ids[..3],
            &[(ids[3], " ")],
        ),
    )
    .await;
    assert_eq!(r.code(), "absence_reason_required", "{r:?}");
    assert!(r.message().contains(ms[3].person.name.as_str()), "{r:?}");

    // A 团课 has no quorum rule and lists whom it lists.
    let r = record(
        &server,
        college,
        b,
        &body("lecture", "2026-11-29T10:00", "团课", &ids[..1], &[]),
    )
    .await
    .ok(201);
    assert_eq!(r["due_count"], 1);
    assert_eq!(r["quorate"], Value::Null);

    let list = server.api(college).get(&meetings_path(b)).await.ok(200);
    assert_eq!(list["total"], 3, "the refused ones wrote nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_in_chinese_naming_the_person() {
    let (server, fx) = school().await;
    let (b, ms) = branch_with(&server, &fx, "会议2302团支部", 620, 2).await;
    let ids: Vec<i64> = ms.iter().map(|m| m.id).collect();
    let college = &fx.a_admin.token;

    // Someone of another branch is not on this roster: refused, named.
    let r = record(
        &server,
        college,
        b,
        &body(
            "lecture",
            "2026-11-29T10:00",
            "团课",
            &[ids[0], fx.m_a1.id],
            &[],
        ),
    )
    .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.code(), "attendee_not_on_roster");
    assert!(r.message().contains(fx.m_a1.person.name.as_str()), "{r:?}");

    // A member who joined the branch after the meeting was not on its roster that day.
    server.advance(Duration::days(1));
    let root = server.root_token().await;
    let college = &server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let late = member(&server, &root, Person::new(630, &name_for(630)), b).await;
    let r = record(
        &server,
        college,
        b,
        &body(
            "lecture",
            "2026-11-29T12:00",
            "团课",
            &[ids[0], late.id],
            &[],
        ),
    )
    .await;
    assert_eq!(r.code(), "attendee_not_on_roster", "{r:?}");
    assert!(r.message().contains(late.person.name.as_str()), "{r:?}");
    record(
        &server,
        college,
        b,
        &body(
            "lecture",
            "2026-11-30T10:00",
            "团课",
            &[ids[0], late.id],
            &[],
        ),
    )
    .await
    .ok(201);

    // Held meetings only.
    let r = record(
        &server,
        college,
        b,
        &body("lecture", "2026-12-25T19:00", "未来", &[ids[0]], &[]),
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.code(), "meeting_in_future");
    assert!(r.message().contains("已经召开"), "{r:?}");

    // A kind that does not exist, a time that is not one, a group meeting without its group.
    let r = record(
        &server,
        college,
        b,
        &body("party", "2026-11-29T10:00", "错类型", &[ids[0]], &[]),
    )
    .await;
    assert_eq!(r.code(), "invalid_meeting_kind", "{r:?}");
    assert!(
        r.message().contains("支部大会"),
        "the choices are listed: {r:?}"
    );
    let r = record(
        &server,
        college,
        b,
        &body("lecture", "昨天晚上", "错时间", &[ids[0]], &[]),
    )
    .await;
    assert_eq!(r.code(), "invalid_started_at", "{r:?}");
    let r = record(
        &server,
        college,
        b,
        &body("group", "2026-11-29T10:00", "小组", &[ids[0]], &[]),
    )
    .await;
    assert_eq!(r.code(), "group_required", "{r:?}");
    let mut g = body("group", "2026-11-29T10:00", "小组会", &[ids[0]], &[]);
    g["group_id"] = json!(9999);
    let r = record(&server, college, b, &g).await;
    assert_eq!(
        r.code(),
        "group_not_in_branch",
        "no such group of this branch: {r:?}"
    );
    let group = server
        .api(college)
        .post(
            &format!("/api/v1/orgs/{b}/groups"),
            &json!({"name": "第一团小组"}),
        )
        .await
        .ok(201)["id"]
        .as_i64()
        .expect("group id");
    g["group_id"] = json!(group);
    assert_eq!(
        record(&server, college, b, &g).await.ok(201)["group_id"],
        group
    );

    // Records belong to branches; out of scope is answered like a missing record.
    let r = record(
        &server,
        college,
        fx.col_a,
        &body("lecture", "2026-11-29T10:00", "学院", &[ids[0]], &[]),
    )
    .await;
    assert_eq!(r.code(), "not_a_branch", "{r:?}");
    let other = &server.login(&fx.b_admin.login, &fx.b_admin.password).await;
    let r = record(
        &server,
        other,
        b,
        &body("lecture", "2026-11-29T10:00", "越权", &[ids[0]], &[]),
    )
    .await;
    assert_eq!(r.status, 404, "{r:?}");
    let id = lecture(&server, college, b, ids[0], "本支部团课").await;
    assert_eq!(server.api(other).get(&meeting_path(id)).await.status, 404);
    assert_eq!(server.api(other).get(&meetings_path(b)).await.status, 404);
    let total = server.api(college).get(&meetings_path(b)).await.ok(200)["total"].clone();
    assert_eq!(total, 3, "nothing refused was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_left_later_stays_on_past_records_by_name() {
    let (server, fx) = school().await;
    let m = crate::transfers::ready_member(&server, &fx, 640, fx.a1).await;
    let a1 = &fx.a1_admin.token;
    let before = lecture(&server, a1, fx.a1, m.id, "转出前的团课").await;

    server.advance(Duration::days(2));
    let college = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let root = server.root_token().await;
    let t = crate::transfers::started(
        &server,
        &college,
        crate::transfers::to_org(m.id, fx.b1, "school_change"),
    )
    .await;
    crate::transfers::approve(&server, &root, t, json!({}))
        .await
        .ok(200);
    server.advance(Duration::hours(1));
    let a1 = &server
        .login(&fx.a1_admin.login, &fx.a1_admin.password)
        .await;

    // The old record still names them; a record dated before the move may still list them,
    // one dated after may not.
    let r = server.api(a1).get(&meeting_path(before)).await.ok(200);
    assert!(
        r["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == m.person.name.as_str()),
        "{r}"
    );
    record(
        &server,
        a1,
        fx.a1,
        &body("lecture", "2026-11-30T09:00", "补登记", &[m.id], &[]),
    )
    .await
    .ok(201);
    let r = record(
        &server,
        a1,
        fx.a1,
        &body("lecture", "2026-12-01T10:30", "转出后", &[m.id], &[]),
    )
    .await;
    assert_eq!(r.code(), "attendee_not_on_roster", "{r:?}");
    assert!(r.message().contains(m.person.name.as_str()), "{r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_is_soft_and_audited_and_the_level_above_restores() {
    let (server, fx) = school().await;
    let a1 = &fx.a1_admin.token;
    let id = lecture(&server, a1, fx.a1, fx.m_a1.id, "误录的团课").await;

    let r = server
        .api(a1)
        .patch(&meeting_path(id), &json!({"topic": "更正后的团课"}))
        .await
        .ok(200);
    assert_eq!(r["topic"], "更正后的团课");
    assert_eq!(r["due_count"], 1, "the roll is kept when not given");

    let r = server
        .api(a1)
        .delete_with(&meeting_path(id), &json!({"reason": "重复录入"}))
        .await
        .ok(200);
    assert_eq!(r["deleted"], true);
    let list = server.api(a1).get(&meetings_path(fx.a1)).await.ok(200);
    assert_eq!(list["total"], 0, "a deleted record leaves the register");
    let bin = server
        .api(&fx.a_admin.token)
        .get(&format!("{}?deleted=true", meetings_path(fx.a1)))
        .await
        .ok(200);
    assert_eq!(bin["total"], 1);
    assert_eq!(
        server.api(a1).delete(&meeting_path(id)).await.status,
        409,
        "deleted once"
    );
    assert_eq!(
        server
            .api(a1)
            .patch(&meeting_path(id), &json!({"topic": "再改"}))
            .await
            .status,
        409
    );

    // The branch may not restore its own; the college above does.
    let r = server
        .api(a1)
        .post_empty(&format!("{}/restore", meeting_path(id)))
        .await;
    assert_eq!(r.status, 403, "{r:?}");
    assert!(r.message().contains("上级"), "{r:?}");
    let r = server
        .api(&fx.a_admin.token)
        .post_empty(&format!("{}/restore", meeting_path(id)))
        .await
        .ok(200);
    assert_eq!(r["deleted"], false);
    let steps: Vec<&str> = r["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["record", "edit", "delete", "restore"]);
    assert_eq!(r["history"][2]["note"], "重复录入");
    assert_eq!(
        server.api(a1).get(&meetings_path(fx.a1)).await.ok(200)["total"],
        1
    );

    let audit = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=200")
        .await
        .ok(200);
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "meeting" && e["entity_id"] == id)
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in ["record", "edit", "delete", "restore"] {
        assert!(actions.contains(&a), "{a} audited: {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compliance_lists_the_branches_behind_with_counts_and_the_targets_apply_downwards() {
    let (server, fx) = school().await;
    let college = &fx.a_admin.token;
    let (good, g) = branch_with(&server, &fx, "达标2301团支部", 650, 1).await;
    let (behind, h) = branch_with(&server, &fx, "落后2301团支部", 660, 1).await;
    for (kind, n) in [("assembly", 1), ("committee", 3), ("lecture", 1)] {
        for i in 0..n {
            record(
                &server,
                college,
                good,
                &body(
                    kind,
                    "2026-11-29T10:00",
                    &format!("{kind}{i}"),
                    &[g[0].id],
                    &[],
                ),
            )
            .await
            .ok(201);
        }
    }
    record(
        &server,
        college,
        behind,
        &body("assembly", "2026-11-29T10:00", "唯一一次", &[h[0].id], &[]),
    )
    .await
    .ok(201);
    // A deleted record does not count.
    let d = lecture(&server, college, behind, h[0].id, "已删除的团课").await;
    server.api(college).delete(&meeting_path(d)).await.ok(200);

    let c = server
        .api(college)
        .get(&format!(
            "/api/v1/orgs/{}/meeting-compliance?year=2026&quarter=4",
            fx.col_a
        ))
        .await
        .ok(200);
    assert_eq!(c["quarter_label"], "2026年第4季度");
    let ids: Vec<i64> = c["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["org_id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&behind) && !ids.contains(&good), "{c}");
    let row = c["branches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["org_id"] == behind)
        .unwrap();
    let count = |k: &str| {
        row["counts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            count("assembly")["held"].clone(),
            count("assembly")["behind"].clone()
        ),
        (json!(1), json!(false))
    );
    assert_eq!(
        (
            count("committee")["held"].clone(),
            count("committee")["target"].clone()
        ),
        (json!(0), json!(3))
    );
    assert_eq!(count("lecture")["held"], 0);

    // The college lowers its targets; the branches below inherit them.
    let t = server
        .api(college)
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/orgs/{}/meeting-targets", fx.col_a),
            Some(&json!({"targets": [{"kind": "assembly", "per_quarter": 1}]})),
        )
        .await
        .ok(200);
    assert_eq!(t["set_here"], true);
    let t = server
        .api(college)
        .get(&format!("/api/v1/orgs/{behind}/meeting-targets"))
        .await
        .ok(200);
    assert_eq!(t["source_org_id"], fx.col_a);
    assert_eq!(t["set_here"], false);
    let c = server
        .api(college)
        .get(&format!(
            "/api/v1/orgs/{}/meeting-compliance?year=2026&quarter=4",
            fx.col_a
        ))
        .await
        .ok(200);
    assert!(
        c["branches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["org_id"] != behind),
        "{c}"
    );

    // A bad target is refused in Chinese.
    let r = server
        .api(college)
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/orgs/{}/meeting-targets", fx.col_a),
            Some(&json!({"targets": [{"kind": "lecture", "per_quarter": 500}]})),
        )
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert!(r.message().contains("团课"), "{r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_register_and_the_compliance_sheet_open_as_xlsx() {
    let (server, fx) = school().await;
    let a1 = &fx.a1_admin.token;
    lecture(&server, a1, fx.a1, fx.m_a1.id, "学习二十大精神").await;
    let (status, _, bytes) = get_bytes(
        &server,
        a1,
        &format!("/api/v1/orgs/{}/reports/meetings.xlsx?year=2026", fx.a1),
    )
    .await;
    assert_eq!(status, 200);
    let cells = xlsx_cells(&bytes);
    assert!(cells.iter().any(|c| c == "学习二十大精神"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "团课"), "{cells:?}");

    let (status, _, bytes) = get_bytes(
        &server,
        &fx.a_admin.token,
        &format!(
            "/api/v1/orgs/{}/reports/meeting-compliance.xlsx?year=2026&quarter=4",
            fx.col_a
        ),
    )
    .await;
    assert_eq!(status, 200);
    let cells = xlsx_cells(&bytes);
    assert!(cells.iter().any(|c| c.contains(BRANCH_A1)), "{cells:?}");
    assert!(
        cells.iter().any(|c| c == "0/3"),
        "支委会 held against target: {cells:?}"
    );
    let (status, _, _) = get_bytes(
        &server,
        &fx.b_admin.token,
        &format!("/api/v1/orgs/{}/reports/meetings.xlsx?year=2026", fx.a1),
    )
    .await;
    assert_eq!(status, 404, "out of scope");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branch_behind_gets_a_todo_in_the_quarters_last_two_weeks() {
    let (server, fx) = school().await;
    let a1 = &fx.a1_admin.token;
    let has_todo = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "meeting_compliance")
    };
    let todos = server.api(a1).get("/api/v1/todos").await.ok(200);
    assert!(
        !has_todo(&todos),
        "a month before the quarter ends: none yet"
    );
    server.advance(Duration::days(21));
    let a1 = &server
        .login(&fx.a1_admin.login, &fx.a1_admin.password)
        .await;
    let todos = server.api(a1).get("/api/v1/todos").await.ok(200);
    assert!(has_todo(&todos), "{todos}");
    let t = todos["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "meeting_compliance")
        .unwrap();
    assert!(
        t["title"].as_str().unwrap().contains("支部大会0/1次"),
        "{t}"
    );
    // The college sees its branches in the compliance view, not as its own to-do.
    let college = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let todos = server.api(&college).get("/api/v1/todos").await.ok(200);
    assert!(!has_todo(&todos), "{todos}");
}

/// The demo university: a year of records in its first colleges' branches, each passing the
/// checks of one entered by hand, and some branches behind this quarter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_a_year_of_meetings_and_some_branches_behind() {
    let server = TestServer::start().await;
    tuanwu_app::demo::load(&server.ctx, 2_000, |_| {})
        .await
        .unwrap();
    let token = server
        .login("college01", tuanwu_app::demo::DEMO_PASSWORD)
        .await;
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    let college = me["org_id"].as_i64().unwrap();
    let all = server
        .api(&token)
        .get(&format!(
            "{}?subtree=true&from=2025-12-01&per_page=1",
            meetings_path(college)
        ))
        .await
        .ok(200);
    assert!(all["total"].as_u64().unwrap() > 29 * 12, "{}", all["total"]);
    let c = server
        .api(&token)
        .get(&format!("/api/v1/orgs/{college}/meeting-compliance"))
        .await
        .ok(200);
    // Mid-quarter every branch still owes a month's 支委会; every third has not held its 支部大会.
    let no_assembly = c["branches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["counts"][0]["kind"] == "assembly" && b["counts"][0]["behind"] == true)
        .count();
    let total = c["branch_count"].as_u64().unwrap() as usize;
    assert!(
        no_assembly > 0 && no_assembly < total / 2,
        "{no_assembly} of {total}"
    );
    // A demo record reads like one entered by hand: counts derived, names kept.
    let one = server
        .api(&token)
        .get(&format!(
            "{}?subtree=true&kind=assembly&per_page=1",
            meetings_path(college)
        ))
        .await
        .ok(200);
    let m = &one["items"][0];
    assert_eq!(m["quorate"], true, "{m}");
    assert!(
        m["due_count"].as_u64().unwrap() >= 1
            && !m["attendees"][0]["name"].as_str().unwrap().is_empty()
    );
}
