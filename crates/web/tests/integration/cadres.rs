//! ACC-10 (with ACC-2): an org's cadres — added, listed, ended and removed by the org's own
//! admins and those above it, invisible to everyone else.

use serde_json::{json, Value};
use tuanwu_domain::mask::mask_resident_id;

use crate::fixtures::*;
use crate::harness::{id_of, ids, new_client, Resp, TestServer};

fn cadres_of(org: i64) -> String {
    format!("/api/v1/orgs/{org}/cadres")
}

fn cadre_path(id: i64) -> String {
    format!("/api/v1/cadres/{id}")
}

async fn add(
    server: &TestServer,
    token: &str,
    org: i64,
    member: i64,
    post: &str,
    since: &str,
) -> Resp {
    server
        .api(token)
        .post(
            &cadres_of(org),
            &json!({"member_id": member, "post": post, "started_on": since}),
        )
        .await
}

async fn end(server: &TestServer, token: &str, id: i64, on: &str) -> Resp {
    server
        .api(token)
        .patch(&cadre_path(id), &json!({ "ended_on": on }))
        .await
}

async fn list(server: &TestServer, token: &str, org: i64) -> Vec<Value> {
    server.api(token).get(&cadres_of(org)).await.items()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_college_admin_adds_lists_ends_and_removes_cadres() {
    let (server, fx) = school().await;
    let token = fx.a_admin.token.as_str();

    let secretary = add(
        &server,
        token,
        fx.col_a,
        fx.m_a1.id,
        "团总支书记",
        "2025-09-01",
    )
    .await
    .ok(201);
    assert_eq!(secretary["member_id"], fx.m_a1.id, "{secretary}");
    assert_eq!(secretary["member_name"], "赵若曦");
    assert_eq!(secretary["post"], "团总支书记");
    assert_eq!(secretary["started_on"], "2025-09-01");
    assert_eq!(secretary["ended_on"], Value::Null);
    assert_eq!(secretary["current"], true);
    assert_eq!(
        secretary["resident_id"],
        mask_resident_id(&fx.m_a1.person.resident_id).as_str(),
        "masked in the list: {secretary}"
    );
    assert!(!secretary.to_string().contains(&fx.m_a1.person.resident_id));
    assert_eq!(secretary["student_no"], fx.m_a1.person.student_no.as_str());
    assert_eq!(secretary["branch_id"], fx.a1);
    assert!(
        secretary["branch_path"]
            .as_str()
            .is_some_and(|p| p.ends_with(&format!("{COLLEGE_A} / {BRANCH_A1}"))),
        "{secretary}"
    );
    // A member's account is made the first time it is needed; a reset code from the cadre list
    // is such a time, and the list then names the account.
    assert_eq!(secretary["account_id"], Value::Null, "{secretary}");
    server
        .api(token)
        .post_empty(&format!("/api/v1/members/{}/reset-code", fx.m_a1.id))
        .await
        .ok(201);
    let listed = list(&server, token, fx.col_a).await;
    assert!(listed[0]["account_id"].is_i64(), "{listed:?}");
    let secretary_id = id_of(&secretary);

    // The same person may hold another post; the same post twice at once is refused.
    let organiser = add(
        &server,
        token,
        fx.col_a,
        fx.m_a2.id,
        "组织委员",
        "2024-09-01",
    )
    .await
    .ok(201);
    let organiser_id = id_of(&organiser);
    add(
        &server,
        token,
        fx.col_a,
        fx.m_a1.id,
        "宣传委员",
        "2025-09-01",
    )
    .await
    .ok(201);
    add(
        &server,
        token,
        fx.col_a,
        fx.m_a1.id,
        " 团总支书记 ",
        "2026-01-01",
    )
    .await
    .err(409, "duplicate_cadre")
    .with_rule("ACC-10");

    // Input checks, each naming the field.
    for (body, code, field) in [
        (
            json!({"member_id": fx.m_a2.id, "post": "", "started_on": "2025-09-01"}),
            "required",
            "post",
        ),
        (
            json!({"member_id": fx.m_a2.id, "post": "委".repeat(65), "started_on": "2025-09-01"}),
            "too_long",
            "post",
        ),
        (
            json!({"member_id": fx.m_a2.id, "post": "副书记", "started_on": "2025/09/01"}),
            "invalid_date",
            "started_on",
        ),
        (
            json!({"member_id": fx.m_a2.id, "post": "副书记", "started_on": ""}),
            "required",
            "started_on",
        ),
        (
            json!({"member_id": fx.m_a2.id, "post": "副书记", "started_on": "2026-11-30"}),
            "date_in_future",
            "started_on",
        ),
        (
            json!({"member_id": fx.m_b1.id, "post": "副书记", "started_on": "2025-09-01"}),
            "member_not_found",
            "member_id",
        ),
        (
            json!({"member_id": 987_654_321, "post": "副书记", "started_on": "2025-09-01"}),
            "member_not_found",
            "member_id",
        ),
    ] {
        server
            .api(token)
            .post(&cadres_of(fx.col_a), &body)
            .await
            .err(422, code)
            .with_field(field);
    }
    let wrong_member = add(&server, token, fx.col_a, fx.m_b1.id, "副书记", "2025-09-01").await;
    assert!(
        !wrong_member.text.contains(&fx.m_b1.person.name),
        "an out-of-scope member is not named: {wrong_member:?}"
    );

    // Ending: not before the start, not in the future.
    end(&server, token, organiser_id, "2024-08-31")
        .await
        .err(422, "ended_before_start")
        .with_field("ended_on");
    end(&server, token, organiser_id, "2026-12-01")
        .await
        .err(422, "date_in_future");
    end(&server, token, organiser_id, "2026-13-01")
        .await
        .err(422, "invalid_date");
    let ended = end(&server, token, organiser_id, "2026-06-30")
        .await
        .ok(200);
    assert_eq!(ended["ended_on"], "2026-06-30", "{ended}");
    assert_eq!(ended["current"], false);

    // A new term may start after the old one ended, not inside it.
    add(
        &server,
        token,
        fx.col_a,
        fx.m_a2.id,
        "组织委员",
        "2026-06-01",
    )
    .await
    .err(409, "duplicate_cadre");
    let second_term = add(
        &server,
        token,
        fx.col_a,
        fx.m_a2.id,
        "组织委员",
        "2026-07-01",
    )
    .await
    .ok(201);

    // Those in post first (longest-serving first), then former ones.
    let items = list(&server, token, fx.col_a).await;
    assert_eq!(items.len(), 4, "{items:?}");
    let currents: Vec<bool> = items.iter().map(|c| c["current"] == true).collect();
    assert_eq!(currents, vec![true, true, true, false], "{items:?}");
    assert_eq!(id_of(&items[0]), secretary_id);
    assert_eq!(id_of(&items[2]), id_of(&second_term));
    assert_eq!(id_of(&items[3]), organiser_id);
    let listed = server.api(token).get(&cadres_of(fx.col_a)).await.ok(200);
    assert_eq!(listed["total"], 4);
    assert!(!listed.to_string().contains(&fx.m_a1.person.resident_id));
    // The school above reads the college's list; the branch's list is its own and empty.
    assert_eq!(list(&server, &fx.s1_admin.token, fx.col_a).await.len(), 4);
    assert!(list(&server, token, fx.a1).await.is_empty());

    // An entry made in error is removed; removing it again finds nothing.
    server
        .api(token)
        .delete(&cadre_path(id_of(&second_term)))
        .await
        .ok(204);
    server
        .api(token)
        .delete(&cadre_path(id_of(&second_term)))
        .await
        .err(404, "not_found");
    end(&server, token, id_of(&second_term), "2026-11-01")
        .await
        .err(404, "not_found");
    assert_eq!(list(&server, token, fx.col_a).await.len(), 3);

    // Every write is in the log, with masked numbers only.
    let log = server
        .api(token)
        .get(&format!("/api/v1/audit?org_id={}&per_page=200", fx.col_a))
        .await
        .ok(200);
    let actions: Vec<String> = log["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter(|e| e["entity"] == "cadre")
                .map(|e| e["action"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    for action in ["add", "end", "remove"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    assert_eq!(actions.len(), 6, "4 adds, 1 end, 1 removal: {actions:?}");
    assert!(!log.to_string().contains(&fx.m_a1.person.resident_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_org_keeps_its_own_list_and_admins_above_may_keep_it_for_it() {
    let (server, fx) = school().await;

    // College B (a committee) keeps its own list.
    let own = add(
        &server,
        &fx.b_admin.token,
        fx.col_b,
        fx.m_b1.id,
        "团委书记",
        "2025-03-01",
    )
    .await
    .ok(201);
    let own_id = id_of(&own);
    // The school above may do the same for it (ACC-2) …
    let by_school = add(
        &server,
        &fx.s1_admin.token,
        fx.col_b,
        fx.m_b1.id,
        "学生会主席",
        "2025-03-01",
    )
    .await
    .ok(201);
    end(&server, &fx.b_admin.token, id_of(&by_school), "2026-01-31")
        .await
        .ok(200);
    end(&server, &fx.province_admin.token, own_id, "2026-02-28")
        .await
        .ok(200);
    // … and so may the top.
    add(
        &server,
        &fx.root,
        fx.col_b,
        fx.m_b1.id,
        "团委书记",
        "2026-03-01",
    )
    .await
    .ok(201);
    assert_eq!(list(&server, &fx.b_admin.token, fx.col_b).await.len(), 3);

    // A branch keeps its own list, and a college admin keeps it for the branch.
    add(
        &server,
        &fx.a1_admin.token,
        fx.a1,
        fx.m_a1.id,
        "团支部书记",
        "2025-09-01",
    )
    .await
    .ok(201);
    add(
        &server,
        &fx.a_admin.token,
        fx.a1,
        fx.m_a1.id,
        "组织委员",
        "2025-09-01",
    )
    .await
    .ok(201);
    assert_eq!(list(&server, &fx.a1_admin.token, fx.a1).await.len(), 2);

    // Below the org, or beside it: not found.
    add(
        &server,
        &fx.a1_admin.token,
        fx.col_a,
        fx.m_a1.id,
        "宣传委员",
        "2025-09-01",
    )
    .await
    .err(404, "not_found");
    server
        .api(&fx.a1_admin.token)
        .get(&cadres_of(fx.col_a))
        .await
        .err(404, "not_found");
    end(&server, &fx.a2_admin.token, own_id, "2026-03-01")
        .await
        .err(404, "not_found");

    // A member acting as a member keeps no list.
    let member = member_token(&server, &fx.root, &fx.m_a2).await;
    let refused = add(
        &server,
        &member,
        fx.a2,
        fx.m_a2.id,
        "团支部书记",
        "2025-09-01",
    )
    .await;
    assert!([403, 404].contains(&refused.status), "{refused:?}");
    refused.client_error();
    let read = server.api(&member).get(&cadres_of(fx.a2)).await;
    assert!([403, 404].contains(&read.status), "{read:?}");
    assert!(list(&server, &fx.a2_admin.token, fx.a2).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cadre_routes_outside_the_subtree_answer_not_found() {
    let (server, fx) = school().await;
    let b_cadre = id_of(
        &add(
            &server,
            &fx.b_admin.token,
            fx.col_b,
            fx.m_b1.id,
            "团委书记",
            "2025-03-01",
        )
        .await
        .ok(201),
    );
    let missing = 987_654_321_i64;
    for (who, token) in [
        ("college A", &fx.a_admin.token),
        ("branch A1", &fx.a1_admin.token),
        ("school S2", &fx.s2_admin.token),
    ] {
        let api = server.api(token);
        let answers = [
            api.get(&cadres_of(fx.col_b)).await,
            api.get(&cadres_of(fx.b1)).await,
            add(
                &server,
                token,
                fx.col_b,
                fx.m_a1.id,
                "越权职务",
                "2025-09-01",
            )
            .await,
            add(&server, token, fx.b1, fx.m_b1.id, "越权职务", "2025-09-01").await,
            end(&server, token, b_cadre, "2026-01-01").await,
            api.delete(&cadre_path(b_cadre)).await,
        ];
        for a in &answers {
            a.err(404, "not_found");
            assert!(!a.text.contains(&fx.m_b1.person.name), "[{who}] {a:?}");
            assert!(!a.text.contains(COLLEGE_B), "[{who}] {a:?}");
        }
        // Hidden looks exactly like missing.
        let hidden = end(&server, token, b_cadre, "2026-01-01").await;
        let absent = end(&server, token, missing, "2026-01-01").await;
        assert_eq!(
            hidden.text.replace(&b_cadre.to_string(), "#"),
            absent.text.replace(&missing.to_string(), "#"),
            "[{who}]"
        );
    }
    // Nothing changed.
    let items = list(&server, &fx.b_admin.token, fx.col_b).await;
    assert_eq!(ids(&items), vec![b_cadre]);
    assert_eq!(items[0]["current"], true);
    assert!(list(&server, &fx.b_admin.token, fx.b1).await.is_empty());
}

/// The csrf token on a page.
fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cadre_page_finds_a_member_adds_ends_and_removes() {
    let (server, fx) = school().await;
    let browser = new_client(true);
    let login = crate::page::post(
        &browser,
        &server,
        "/login",
        &[
            ("login", fx.a_admin.login.as_str()),
            ("password", fx.a_admin.password.as_str()),
        ],
    )
    .await;
    assert_eq!(login.status, 200);

    let org_page = browser
        .get(server.url(&format!("/orgs/{}", fx.col_a)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        org_page.contains(&format!("/orgs/{}/cadres", fx.col_a)),
        "linked from the org page"
    );

    let page = browser
        .get(server.url(&format!(
            "/orgs/{}/cadres?q={}",
            fx.col_a, fx.m_a2.person.student_no
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("暂无现任团干部"), "{html}");
    assert!(html.contains("钱思远"), "the search found the member");
    assert!(!html.contains(&fx.m_a2.person.resident_id), "masked");
    let csrf = csrf_of(&html);

    // Without a member chosen the form says what to do.
    let none = browser
        .post(server.url(&format!("/orgs/{}/cadres", fx.col_a)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("post", "组织委员"),
            ("started_on", "2025-09-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(none.status().as_u16(), 422);
    assert!(none
        .text()
        .await
        .unwrap()
        .contains("请先按姓名或学号查找团员"));

    let member_id = fx.m_a2.id.to_string();
    let added = browser
        .post(server.url(&format!("/orgs/{}/cadres", fx.col_a)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("q", fx.m_a2.person.student_no.as_str()),
            ("member_id", member_id.as_str()),
            ("post", "组织委员"),
            ("started_on", "2025-09-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status().as_u16(), 200);
    assert!(added
        .url()
        .query()
        .is_some_and(|q| q.contains("saved=added")));
    let html = added.text().await.unwrap();
    assert!(
        html.contains("组织委员") && html.contains("钱思远"),
        "{html}"
    );
    // ACC-6: a reset code is one click away from the cadre list too.
    let reset_action = format!("/members/{}/reset-code", fx.m_a2.id);
    assert!(html.contains(&reset_action), "{html}");
    let code_page = browser
        .post(server.url(&reset_action))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(code_page.status().as_u16(), 200);
    let code_html = code_page.text().await.unwrap();
    assert!(
        code_html.contains("复制") && code_html.contains("钱思远"),
        "{code_html}"
    );

    // A future start date re-renders the form with the error next to the field.
    let future = browser
        .post(server.url(&format!("/orgs/{}/cadres", fx.col_a)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("q", fx.m_a2.person.student_no.as_str()),
            ("member_id", member_id.as_str()),
            ("post", "宣传委员"),
            ("started_on", "2027-01-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(future.status().as_u16(), 422);
    let html = future.text().await.unwrap();
    assert!(
        html.contains("error-started_on") && html.contains("不能晚于今天"),
        "{html}"
    );

    let id = id_of(&list(&server, &fx.a_admin.token, fx.col_a).await[0]);
    let org_id = fx.col_a.to_string();
    let ended = browser
        .post(server.url(&format!("/cadres/{id}/end")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("org_id", org_id.as_str()),
            ("ended_on", "2026-06-30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status().as_u16(), 200);
    assert!(ended
        .text()
        .await
        .unwrap()
        .contains("2025-09-01 至 2026-06-30"));

    // A forged form changes nothing.
    let forged = browser
        .post(server.url(&format!("/cadres/{id}/remove")))
        .form(&[("csrf", "0000"), ("org_id", org_id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
    assert_eq!(list(&server, &fx.a_admin.token, fx.col_a).await.len(), 1);

    let removed = browser
        .post(server.url(&format!("/cadres/{id}/remove")))
        .form(&[("csrf", csrf.as_str()), ("org_id", org_id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status().as_u16(), 200);
    assert!(removed.text().await.unwrap().contains("已删除该条记录"));
    assert!(list(&server, &fx.a_admin.token, fx.col_a).await.is_empty());
}
