//! GRP-1: a branch's groups (团小组) — one member at a time added, removed or moved in one step,
//! at most one group per member, history kept, leaders from the group, members who leave the
//! branch leaving its groups — on both databases.

use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::{id_of, TestServer};

fn groups_of(branch: i64) -> String {
    format!("/api/v1/orgs/{branch}/groups")
}

fn group_path(id: i64) -> String {
    format!("/api/v1/groups/{id}")
}

pub async fn create_group(server: &TestServer, token: &str, branch: i64, name: &str) -> i64 {
    id_of(
        &server
            .api(token)
            .post(&groups_of(branch), &json!({ "name": name }))
            .await
            .ok(201),
    )
}

pub async fn add_to_group(server: &TestServer, token: &str, group: i64, member: i64) -> Value {
    server
        .api(token)
        .post(
            &format!("{}/members", group_path(group)),
            &json!({ "member_id": member }),
        )
        .await
        .ok(200)
}

fn member_ids(g: &Value) -> Vec<i64> {
    g["members"]
        .as_array()
        .unwrap_or_else(|| panic!("no members in {g}"))
        .iter()
        .map(|m| m["member_id"].as_i64().expect("member_id"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branch_admin_groups_members_and_moves_one_in_one_step() {
    let (server, fx) = school().await;
    let token = fx.a1_admin.token.as_str();
    let api = server.api(token);
    let m2 = member(&server, &fx.root, Person::new(21, "周雨轩"), fx.a1).await;
    let m3 = member(&server, &fx.root, Person::new(22, "吴明哲"), fx.a1).await;

    let g1 = create_group(&server, token, fx.a1, "第一团小组").await;
    let g2 = create_group(&server, token, fx.a1, "第二团小组").await;
    api.post(&groups_of(fx.a1), &json!({"name": " 第一团小组 "}))
        .await
        .err(409, "duplicate_group")
        .with_rule("GRP-1");
    api.post(&groups_of(fx.a1), &json!({"name": ""}))
        .await
        .err(422, "required")
        .with_field("name");

    add_to_group(&server, token, g1, fx.m_a1.id).await;
    add_to_group(&server, token, g1, m2.id).await;
    let second = add_to_group(&server, token, g2, m3.id).await;
    assert_eq!(member_ids(&second), vec![m3.id]);

    // A member is in at most one group of the branch: a second group refuses them by name.
    let r = api
        .post(
            &format!("{}/members", group_path(g2)),
            &json!({"member_id": m2.id}),
        )
        .await;
    r.err(409, "already_in_group").with_rule("GRP-1");
    assert!(
        r.message().contains("周雨轩") && r.message().contains("第一团小组"),
        "{r:?}"
    );

    // A member of another branch is refused naming them to an admin who can see them, and by
    // number to one who cannot; nothing is written either way.
    let r = server
        .api(&fx.a_admin.token)
        .post(
            &format!("{}/members", group_path(g1)),
            &json!({"member_id": fx.m_a2.id}),
        )
        .await;
    r.err(422, "not_a_branch_member").with_field("member_id");
    assert!(r.message().contains("钱思远"), "{r:?}");
    let r = api
        .post(
            &format!("{}/members", group_path(g1)),
            &json!({"member_id": fx.m_a2.id}),
        )
        .await;
    r.err(422, "not_a_branch_member");
    assert!(!r.message().contains("钱思远"), "{r:?}");

    // The leader is a member of the group.
    let r = api
        .patch(&group_path(g1), &json!({"leader_id": m3.id}))
        .await;
    r.err(422, "leader_not_in_group").with_field("leader_id");
    assert!(r.message().contains("吴明哲"), "{r:?}");
    let led = api
        .patch(
            &group_path(g1),
            &json!({"leader_id": fx.m_a1.id, "name": "一组"}),
        )
        .await
        .ok(200);
    assert_eq!(led["leader_id"], fx.m_a1.id, "{led}");
    assert_eq!(led["leader_name"], "赵若曦");
    assert_eq!(led["name"], "一组");

    // Moving is one step: m2 leaves 一组 and joins 第二团小组 the same day; 一组 keeps its stay.
    let moved = api
        .post(
            &format!("{}/members/{}/move", group_path(g1), m2.id),
            &json!({"group_id": g2}),
        )
        .await
        .ok(200);
    assert_eq!(moved["id"], g2);
    assert_eq!(member_ids(&moved), vec![m3.id, m2.id], "{moved}");
    let first = api.get(&group_path(g1)).await.ok(200);
    assert_eq!(member_ids(&first), vec![fx.m_a1.id]);
    let past: Vec<&Value> = first["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["member_id"] == m2.id)
        .collect();
    assert_eq!(past.len(), 1, "{first}");
    assert_eq!(past[0]["to_on"], "2026-11-29", "{first}");
    // Moving to a group of another branch, or one that does not exist, is refused.
    let other = create_group(&server, &fx.a2_admin.token, fx.a2, "二班小组").await;
    api.post(
        &format!("{}/members/{}/move", group_path(g2), m2.id),
        &json!({"group_id": other}),
    )
    .await
    .err(422, "invalid_target_group");
    assert_eq!(
        member_ids(&api.get(&group_path(g2)).await.ok(200)),
        vec![m3.id, m2.id]
    );

    // Removing the leader leaves the group without one.
    let after = api
        .delete(&format!("{}/members/{}", group_path(g1), fx.m_a1.id))
        .await
        .ok(200);
    assert!(member_ids(&after).is_empty());
    assert_eq!(after["leader_id"], Value::Null, "{after}");
    let all = api.get(&groups_of(fx.a1)).await.ok(200);
    let ungrouped: Vec<i64> = all["ungrouped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ungrouped, vec![fx.m_a1.id], "{all}");
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(all["actions"]["create"], true);

    // Deleting a group ends its members' stays; it is gone from the branch.
    api.delete(&group_path(g2)).await.ok(204);
    api.get(&group_path(g2)).await.err(404, "not_found");
    let all = api.get(&groups_of(fx.a1)).await.ok(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "{all}");
    assert_eq!(all["ungrouped"].as_array().unwrap().len(), 3, "{all}");

    // Out of scope is not found; a member acting as member reaches nothing.
    server
        .api(&fx.s2_admin.token)
        .get(&group_path(g1))
        .await
        .err(404, "not_found");
    server
        .api(&fx.b_admin.token)
        .post(&groups_of(fx.a1), &json!({"name": "外组"}))
        .await
        .err(404, "not_found");
    // Groups are only in branches.
    server
        .api(&fx.a_admin.token)
        .post(&groups_of(fx.col_a), &json!({"name": "学院小组"}))
        .await
        .err(422, "not_a_branch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_who_leave_the_branch_leave_its_groups() {
    let (server, fx) = school().await;
    let token = fx.a1_admin.token.as_str();
    let mut p = Person::born(31, "郑嘉怡", time::macros::date!(2004 - 03 - 01));
    p.joined_on = "2019-05".into();
    let leaving = member(&server, &fx.root, p, fx.a1).await;
    crate::transfers::confirm_identity(&server, &fx.root, leaving.id).await;
    let g = create_group(&server, token, fx.a1, "第一团小组").await;
    add_to_group(&server, token, g, leaving.id).await;
    add_to_group(&server, token, g, fx.m_a1.id).await;

    let t = crate::transfers::started(
        &server,
        &fx.root,
        crate::transfers::to_org(leaving.id, fx.a2, "job_change"),
    )
    .await;
    crate::transfers::approve(&server, &fx.root, t, json!({}))
        .await
        .ok(200);

    let after = server.api(token).get(&group_path(g)).await.ok(200);
    assert_eq!(member_ids(&after), vec![fx.m_a1.id], "{after}");
    let stay = after["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["member_id"] == leaving.id)
        .cloned()
        .unwrap_or_else(|| panic!("the stay is kept: {after}"));
    assert_eq!(stay["to_on"], "2026-11-29", "{after}");
    // In the new branch they may join a group at once.
    let g2 = create_group(&server, &fx.a2_admin.token, fx.a2, "二班一组").await;
    add_to_group(&server, &fx.a2_admin.token, g2, leaving.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_groups_page_adds_and_moves_a_member_from_the_phone() {
    use crate::page::{get, logged_in, post};
    let (server, fx) = school().await;
    let client = logged_in(&server, &fx.a1_admin.login, &fx.a1_admin.password).await;
    let path = format!("/orgs/{}/groups", fx.a1);
    let page = get(&client, &server, &path).await;
    page.status(200)
        .has("本团支部还没有团小组")
        .has("新建团小组")
        .has("赵若曦");
    let csrf = page.csrf();
    post(
        &client,
        &server,
        &path,
        &[("csrf", &csrf), ("name", "第一团小组")],
    )
    .await
    .status(200);
    post(
        &client,
        &server,
        &path,
        &[("csrf", &csrf), ("name", "第二团小组")],
    )
    .await
    .status(200);
    let all = server
        .api(&fx.a1_admin.token)
        .get(&groups_of(fx.a1))
        .await
        .ok(200);
    let (g1, g2) = (id_of(&all["items"][0]), id_of(&all["items"][1]));
    let branch = fx.a1.to_string();
    let member = fx.m_a1.id.to_string();
    let page = post(
        &client,
        &server,
        &format!("/groups/{g1}/members"),
        &[
            ("csrf", &csrf),
            ("branch_id", &branch),
            ("member_id", &member),
        ],
    )
    .await;
    page.status(200).has("已保存").has("调到").has("设为组长");
    let page = post(
        &client,
        &server,
        &format!("/groups/{g1}/members/{member}/move"),
        &[
            ("csrf", &csrf),
            ("branch_id", &branch),
            ("group_id", &g2.to_string()),
        ],
    )
    .await;
    page.status(200).has("已保存");
    let moved = server
        .api(&fx.a1_admin.token)
        .get(&group_path(g2))
        .await
        .ok(200);
    assert_eq!(member_ids(&moved), vec![fx.m_a1.id]);
    // An admin of another school reaches nothing here.
    let outsider = logged_in(&server, &fx.s2_admin.login, &fx.s2_admin.password).await;
    get(&outsider, &server, &path).await.status(404);
}
