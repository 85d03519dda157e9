//! Issue 15 item 15: the member list's search box (name or student number, in the API as `q`),
//! and no 所在团支部 column on a branch's own list, where every row would repeat it.

use crate::fixtures::*;
use crate::page;

fn names(body: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {body}"))
        .iter()
        .map(|m| m["name"].as_str().unwrap_or_default().to_string())
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_member_list_finds_by_name_or_student_number() {
    let (server, fx) = school().await;
    let root = &fx.root;
    member(&server, root, Person::new(21, "欧阳明月"), fx.a1).await;
    let number = member(&server, root, Person::new(22, "周晓明"), fx.a1).await;
    member(&server, root, Person::new(23, "吴思远"), fx.a2).await;
    let s1 = &fx.s1_admin.token;
    let list = |q: String| {
        let server = &server;
        async move {
            server
                .api(s1)
                .get(&format!("/api/v1/orgs/{}/members?subtree=true&{q}", fx.s1))
                .await
                .ok(200)
        }
    };
    // A part of the name, across the subtree.
    assert_eq!(names(&list("q=明".into()).await), ["周晓明", "欧阳明月"]);
    // The student number, or a part of it.
    let no = number.person.student_no.clone();
    assert_eq!(names(&list(format!("q={no}")).await), ["周晓明"]);
    assert_eq!(names(&list(format!("q={}", &no[4..])).await), ["周晓明"]);
    let none = list("q=不存在的人".into()).await;
    assert_eq!(none["total"], 0, "{none}");

    // The page: the search box keeps what was typed and shows only the matches.
    let browser = page::logged_in(&server, &fx.s1_admin.login, &fx.s1_admin.password).await;
    let found = page::get(
        &browser,
        &server,
        &format!("/orgs/{}/members?subtree=true&q=%E6%98%8E", fx.s1),
    )
    .await;
    found
        .status(200)
        .has("id=\"member-q\" name=\"q\" value=\"明\"")
        .has("周晓明")
        .has("欧阳明月")
        .lacks("吴思远")
        .lacks(&fx.m_a1.person.name);
    // The school's list names each member's branch.
    found.has("<th>所在团支部</th>").has(BRANCH_A1);
    let empty = page::get(
        &browser,
        &server,
        &format!(
            "/orgs/{}/members?subtree=true&q=%E6%97%A0%E6%AD%A4%E4%BA%BA",
            fx.s1
        ),
    )
    .await;
    empty.status(200).has("没有姓名或学号含“无此人”的团员");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branch_list_has_no_branch_column() {
    let (server, fx) = school().await;
    let browser = page::logged_in(&server, &fx.a1_admin.login, &fx.a1_admin.password).await;
    let own = page::get(&browser, &server, &format!("/orgs/{}/members", fx.a1)).await;
    own.status(200)
        .has(&fx.m_a1.person.name)
        .lacks("<th>所在团支部</th>")
        .lacks("data-label=\"所在团支部\"");
}
