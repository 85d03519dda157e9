//! MTG-3, EVT-1: a branch's committee and its term (student branches elect every year), the
//! branches whose 换届 is overdue, and the class committee with an advisor from outside the
//! roster — on both databases.

use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::TestServer;

pub fn committee_of(branch: i64) -> String {
    format!("/api/v1/orgs/{branch}/committee")
}

fn class_of(branch: i64) -> String {
    format!("/api/v1/orgs/{branch}/class-committee")
}

async fn put_class(
    server: &TestServer,
    token: &str,
    branch: i64,
    body: &Value,
) -> crate::harness::Resp {
    server
        .api(token)
        .send(Method::PUT, &class_of(branch), Some(body))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branch_without_a_recorded_term_is_overdue_and_listed_for_its_college() {
    let (server, fx) = school().await;
    let c = server
        .api(&fx.a1_admin.token)
        .get(&committee_of(fx.a1))
        .await
        .ok(200);
    assert_eq!(c["posts"], json!([]), "{c}");
    assert_eq!(c["term_start"], Value::Null);
    assert_eq!(
        c["term_years"], 1,
        "a student branch elects every year: {c}"
    );
    assert_eq!(c["overdue"], true);
    assert_eq!(c["actions"]["term_change"], true);

    let overdue = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/orgs/{}/overdue-term-changes", fx.col_a))
        .await
        .items();
    let names: Vec<&str> = overdue
        .iter()
        .map(|b| b["branch_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec![BRANCH_A1, BRANCH_A2], "{overdue:?}");

    // Out of scope: not found; not a branch: said so.
    server
        .api(&fx.b_admin.token)
        .get(&committee_of(fx.a1))
        .await
        .err(404, "not_found");
    server
        .api(&fx.a_admin.token)
        .get(&committee_of(fx.col_a))
        .await
        .err(422, "not_a_branch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_class_committee_names_members_of_the_branch_and_an_advisor_from_outside() {
    let (server, fx) = school().await;
    let token = fx.a1_admin.token.as_str();
    let m2 = member(&server, &fx.root, Person::new(41, "冯俊杰"), fx.a1).await;
    let body = json!({
        "posts": [{"post": "班长", "member_id": fx.m_a1.id}, {"post": "学习委员", "member_id": m2.id}],
        "advisor": {"name": "王老师"}
    });
    let v = put_class(&server, token, fx.a1, &body).await.ok(200);
    assert_eq!(v["posts"][0]["post"], "班长", "{v}");
    assert_eq!(v["posts"][0]["name"], "赵若曦");
    assert_eq!(v["posts"][1]["name"], "冯俊杰");
    assert_eq!(v["advisor"]["name"], "王老师");
    assert_eq!(v["advisor"]["member_id"], Value::Null);
    let read = server.api(token).get(&class_of(fx.a1)).await.ok(200);
    assert_eq!(read["posts"], v["posts"]);
    assert_eq!(read["advisor"], v["advisor"]);

    // A holder who is not a member of the branch, a blank advisor, a post twice: each refused,
    // nothing written.
    let r = put_class(
        &server,
        &fx.a_admin.token,
        fx.a1,
        &json!({"posts": [{"post": "班长", "member_id": fx.m_a2.id}]}),
    )
    .await;
    r.err(422, "not_a_branch_member").with_rule("EVT-1");
    assert!(r.message().contains("钱思远"), "{r:?}");
    put_class(
        &server,
        token,
        fx.a1,
        &json!({"posts": [], "advisor": {"name": " "}}),
    )
    .await
    .err(422, "required")
    .with_field("advisor");
    put_class(
        &server,
        token,
        fx.a1,
        &json!({"posts": [{"post": "班长", "member_id": fx.m_a1.id}, {"post": "班长", "member_id": m2.id}]}),
    )
    .await
    .err(422, "duplicate_post");
    let unchanged = server.api(token).get(&class_of(fx.a1)).await.ok(200);
    assert_eq!(unchanged["posts"], v["posts"]);
    assert_eq!(unchanged["advisor"], v["advisor"]);

    // The advisor may be a member of the branch too.
    let v = put_class(
        &server,
        token,
        fx.a1,
        &json!({"posts": [], "advisor": {"member_id": m2.id}}),
    )
    .await
    .ok(200);
    assert_eq!(v["advisor"]["member_id"], m2.id, "{v}");
    assert_eq!(v["posts"], json!([]));

    // Outside the subtree: not found, nothing written.
    put_class(&server, &fx.b_admin.token, fx.a1, &body)
        .await
        .err(404, "not_found");
    assert_eq!(
        server.api(token).get(&class_of(fx.a1)).await.ok(200)["advisor"]["member_id"],
        m2.id
    );
}

/// A held meeting record of `branch`, written the way the meetings area stores one (its API is
/// built beside this area).
pub async fn meeting(
    server: &TestServer,
    branch: i64,
    kind: &str,
    on: time::Date,
    topic: &str,
) -> i64 {
    use tuanwu_domain::meeting::{MeetingKind, NewMeeting};
    let at = on
        .with_hms(19, 0, 0)
        .unwrap()
        .assume_offset(time::macros::offset!(+8));
    let m = tuanwu_store::meeting::insert(
        server.ctx.db.conn(),
        NewMeeting {
            org: tuanwu_domain::OrgId(branch),
            kind: MeetingKind::parse(kind).unwrap(),
            started_at: at,
            place: "团员之家".into(),
            topic: topic.into(),
            content: "讨论并通过".into(),
            presenter: None,
            recorder: None,
            speaker: None,
            invitees: None,
            group_id: None,
            attendees: Vec::new(),
            files: Vec::new(),
            created_by: tuanwu_domain::AccountId(1),
            created_at: at,
        },
    )
    .await
    .unwrap();
    m.id.0
}

async fn term_change(
    server: &TestServer,
    token: &str,
    branch: i64,
    body: &Value,
) -> crate::harness::Resp {
    server
        .api(token)
        .post(&format!("/api/v1/orgs/{branch}/term-changes"), body)
        .await
}

/// The branch's cadre list as (post, name, started_on, ended_on).
async fn cadres(
    server: &TestServer,
    token: &str,
    org: i64,
) -> Vec<(String, String, String, Value)> {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/cadres"))
        .await
        .items()
        .iter()
        .map(|c| {
            (
                c["post"].as_str().unwrap().to_string(),
                c["member_name"].as_str().unwrap().to_string(),
                c["started_on"].as_str().unwrap().to_string(),
                c["ended_on"].clone(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_term_change_links_its_two_meetings_and_replaces_the_committee_and_the_cadre_list() {
    use time::macros::date;
    let (server, fx) = school().await;
    let token = fx.a1_admin.token.as_str();
    let mut people = Vec::new();
    for (i, name) in ["周雨轩", "吴明哲", "郑嘉怡", "王子涵", "冯浩然", "陈欣怡"]
        .iter()
        .enumerate()
    {
        people.push(member(&server, &fx.root, Person::new(50 + i as u16, name), fx.a1).await);
    }
    // Before any 换届, the secretary was entered on the cadre list by hand.
    server
        .api(token)
        .post(
            &format!("/api/v1/orgs/{}/cadres", fx.a1),
            &json!({"member_id": fx.m_a1.id, "post": "团支部书记", "started_on": "2025-09-01"}),
        )
        .await
        .ok(201);
    let prep = meeting(
        &server,
        fx.a1,
        "committee",
        date!(2026 - 11 - 10),
        "酝酿换届人选",
    )
    .await;
    let vote = meeting(
        &server,
        fx.a1,
        "assembly",
        date!(2026 - 11 - 20),
        "换届选举大会",
    )
    .await;
    let lecture = meeting(&server, fx.a1, "lecture", date!(2026 - 11 - 12), "学习团章").await;
    let elsewhere = meeting(
        &server,
        fx.a2,
        "assembly",
        date!(2026 - 11 - 20),
        "二班换届大会",
    )
    .await;
    let elected =
        |posts: Value| json!({"committee_meeting_id": prep, "assembly_id": vote, "posts": posts});
    let two = json!([
        {"post": "secretary", "member_id": people[0].id},
        {"post": "组织委员", "member_id": people[1].id}
    ]);

    // Wrong kind, another branch's record, a record out of reach, a holder who is not a member,
    // no secretary: each refused naming the record or the person, nothing written.
    let r = term_change(
        &server,
        token,
        fx.a1,
        &json!({"committee_meeting_id": lecture, "assembly_id": vote, "posts": two}),
    )
    .await;
    r.err(422, "wrong_meeting_kind")
        .with_field("committee_meeting_id");
    assert!(
        r.message().contains("学习团章") && r.message().contains("团课"),
        "{r:?}"
    );
    let r = term_change(
        &server,
        &fx.a_admin.token,
        fx.a1,
        &json!({"committee_meeting_id": prep, "assembly_id": elsewhere, "posts": two}),
    )
    .await;
    r.err(422, "meeting_of_other_branch")
        .with_field("assembly_id");
    assert!(
        r.message().contains("二班换届大会") && r.message().contains(BRANCH_A2),
        "{r:?}"
    );
    term_change(
        &server,
        token,
        fx.a1,
        &json!({"committee_meeting_id": prep, "assembly_id": elsewhere, "posts": two}),
    )
    .await
    .err(422, "meeting_not_found");
    let r = term_change(
        &server,
        &fx.a_admin.token,
        fx.a1,
        &elected(json!([{"post": "secretary", "member_id": fx.m_a2.id}])),
    )
    .await;
    r.err(422, "not_a_branch_member").with_field("posts");
    assert!(r.message().contains("钱思远"), "{r:?}");
    term_change(
        &server,
        token,
        fx.a1,
        &elected(json!([{"post": "publicity", "member_id": people[0].id}])),
    )
    .await
    .err(422, "secretary_required");
    let before = server.api(token).get(&committee_of(fx.a1)).await.ok(200);
    assert_eq!(before["posts"], json!([]), "{before}");
    assert_eq!(cadres(&server, token, fx.a1).await.len(), 1);

    // Two elected in a branch of seven: recorded, with a warning.
    let done = term_change(&server, token, fx.a1, &elected(two.clone()))
        .await
        .ok(201);
    assert_eq!(done["held_on"], "2026-11-20", "{done}");
    assert_eq!(done["warnings"].as_array().unwrap().len(), 1, "{done}");
    assert!(
        done["warnings"][0].as_str().unwrap().contains("3至7名"),
        "{done}"
    );
    let c = &done["committee"];
    assert_eq!(c["term_start"], "2026-11-20", "{c}");
    assert_eq!(c["next_due"], "2027-11-20");
    assert_eq!(c["overdue"], false);
    assert_eq!(c["posts"][0]["post_label"], "团支部书记");
    assert_eq!(c["posts"][0]["name"], "周雨轩");
    assert_eq!(c["posts"][1]["post"], "organisation");
    let list = cadres(&server, token, fx.a1).await;
    assert!(
        list.contains(&(
            "团支部书记".into(),
            "赵若曦".into(),
            "2025-09-01".into(),
            json!("2026-11-19")
        )),
        "{list:?}"
    );
    assert!(
        list.contains(&(
            "团支部书记".into(),
            "周雨轩".into(),
            "2026-11-20".into(),
            Value::Null
        )),
        "{list:?}"
    );
    assert!(
        list.contains(&(
            "组织委员".into(),
            "吴明哲".into(),
            "2026-11-20".into(),
            Value::Null
        )),
        "{list:?}"
    );
    // A1 is no longer overdue for its college.
    let overdue = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/orgs/{}/overdue-term-changes", fx.col_a))
        .await
        .items();
    assert!(
        overdue.iter().all(|b| b["branch_id"] != fx.a1),
        "{overdue:?}"
    );

    // The same election cannot start a second term; a later one replaces the committee again.
    term_change(&server, token, fx.a1, &elected(two.clone()))
        .await
        .err(422, "election_before_term");
    let prep2 = meeting(
        &server,
        fx.a1,
        "committee",
        date!(2026 - 11 - 25),
        "补选酝酿",
    )
    .await;
    let vote2 = meeting(
        &server,
        fx.a1,
        "assembly",
        date!(2026 - 11 - 26),
        "补选大会",
    )
    .await;
    let three = json!({"committee_meeting_id": prep2, "assembly_id": vote2, "posts": [
        {"post": "secretary", "member_id": people[2].id},
        {"post": "organisation", "member_id": people[1].id},
        {"post": "publicity", "member_id": people[3].id}
    ]});
    let done = term_change(&server, token, fx.a1, &three).await.ok(201);
    assert_eq!(done["warnings"], json!([]), "{done}");
    let names: Vec<&str> = done["committee"]["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["郑嘉怡", "吴明哲", "王子涵"]);
    let current: Vec<(String, String)> = cadres(&server, token, fx.a1)
        .await
        .into_iter()
        .filter(|c| c.3.is_null())
        .map(|c| (c.0, c.1))
        .collect();
    assert_eq!(current.len(), 3, "{current:?}");
    assert!(
        current.contains(&("团支部书记".into(), "郑嘉怡".into())),
        "{current:?}"
    );

    // Out of scope: not found.
    term_change(&server, &fx.b_admin.token, fx.a1, &three)
        .await
        .err(404, "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_page_records_a_term_change_from_the_phone() {
    use crate::page::{get, logged_in, post};
    use time::macros::date;
    let (server, fx) = school().await;
    let path = format!("/orgs/{}/committee", fx.a1);
    let client = logged_in(&server, &fx.a1_admin.login, &fx.a1_admin.password).await;
    get(&client, &server, &path)
        .await
        .status(200)
        .has("尚未记录换届")
        .has("换届须先登记");
    let prep = meeting(
        &server,
        fx.a1,
        "committee",
        date!(2026 - 11 - 10),
        "酝酿换届人选",
    )
    .await;
    let vote = meeting(
        &server,
        fx.a1,
        "assembly",
        date!(2026 - 11 - 20),
        "换届选举大会",
    )
    .await;
    let page = get(&client, &server, &path).await;
    page.status(200)
        .has("换届选举大会")
        .has("记录换届")
        .has("保存班委");
    let member = fx.m_a1.id.to_string();
    let page = post(
        &client,
        &server,
        &format!("/orgs/{}/term-changes", fx.a1),
        &[
            ("csrf", &page.csrf()),
            ("committee_meeting_id", &prep.to_string()),
            ("assembly_id", &vote.to_string()),
            ("post_1", "secretary"),
            ("member_1", &member),
            ("post_2", "member"),
            ("member_2", ""),
        ],
    )
    .await;
    page.status(200)
        .has("团支部书记：赵若曦")
        .has("本届自 2026-11-20 起");
    // The API reads the committee the page recorded.
    let c = server
        .api(&fx.a1_admin.token)
        .get(&committee_of(fx.a1))
        .await
        .ok(200);
    assert_eq!(c["posts"][0]["name"], "赵若曦");
}
