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
