//! ACC-4: delegated permissions — granted by a college admin to a member by student number,
//! used through the 授权管理员 role for exactly the granted things, listed, revocable at once,
//! audited, and invisible outside the college's side of the tree.

use serde_json::{json, Value};

use crate::fixtures::upload_pdf;
use crate::fixtures::*;
use crate::harness::{id_of, ids, new_client, Resp, TestServer};

async fn grant(
    server: &TestServer,
    token: &str,
    student_no: &str,
    college: i64,
    perms: &[&str],
) -> Resp {
    server
        .api(token)
        .post(
            "/api/v1/grants",
            &json!({"student_no": student_no, "college_id": college, "permissions": perms}),
        )
        .await
}

async fn grants_of(server: &TestServer, token: &str, org: i64) -> Vec<Value> {
    server
        .api(token)
        .get(&format!("/api/v1/grants?org_id={org}"))
        .await
        .items()
}

fn role_of<'a>(me: &'a Value, code: &str) -> Option<&'a Value> {
    me["roles"]
        .as_array()
        .and_then(|roles| roles.iter().find(|r| r["role"] == code))
}

/// A correction of `m` asked by its branch admin: the college above decides it.
async fn pending_correction(server: &TestServer, branch_admin: &str, m: &MemberFx) -> i64 {
    let file = upload_pdf(server, branch_admin).await;
    id_of(
        &server
            .api(branch_admin)
            .post(
                "/api/v1/requests",
                &json!({"kind": "member_correction", "member_id": m.id,
                        "changes": {"joined_on": "2019-09"},
                        "reason": "入团志愿书上的入团时间为2019年9月，录入有误", "file_ids": [file]}),
            )
            .await
            .ok(201),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_lets_the_member_do_exactly_the_granted_things_until_revoked() {
    let (server, fx) = school().await;
    let admin = fx.a_admin.token.as_str();
    let m = &fx.m_a1;

    let g = grant(&server, admin, &m.person.student_no, fx.col_a, &["members"])
        .await
        .ok(201);
    let grant_id = id_of(&g);
    assert_eq!(g["member_id"], m.id, "{g}");
    assert_eq!(g["member_name"], "赵若曦");
    assert_eq!(g["student_no"], m.person.student_no.as_str());
    assert_eq!(g["college_id"], fx.col_a);
    assert_eq!(g["college_name"], COLLEGE_A);
    assert_eq!(
        g["permissions"],
        json!([{"key": "members", "label": "录入和维护团员信息"}])
    );
    assert_eq!(g["granted_by"], fx.a_admin.account_id);
    assert_eq!(g["granted_by_name"], fx.a_admin.name.as_str());
    assert!(
        g["granted_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-11-29")),
        "{g}"
    );
    assert_eq!(
        ids(&grants_of(&server, admin, fx.col_a).await),
        vec![grant_id]
    );
    // The school above sees it; the default list is the caller's own subtree.
    assert_eq!(
        ids(&grants_of(&server, &fx.s1_admin.token, fx.s1).await),
        vec![grant_id]
    );
    let own = server.api(admin).get("/api/v1/grants").await.items();
    assert_eq!(ids(&own), vec![grant_id]);

    // The member logs in and switches between the member role and the 授权管理员 role.
    let token = member_token(&server, &fx.root, m).await;
    let api = server.api(&token);
    let me = api.get("/api/v1/me").await.ok(200);
    let delegated = role_of(&me, "delegated_admin")
        .cloned()
        .expect("delegated role");
    assert_eq!(delegated["role_label"], "授权管理员", "{me}");
    assert_eq!(delegated["org_id"], fx.col_a);
    assert_eq!(delegated["permissions"], json!(["members"]));
    let member_role = role_of(&me, "member").cloned().expect("member role");
    let switched = api
        .post(
            "/api/v1/me/active-role",
            &json!({"role_id": member_role["id"]}),
        )
        .await
        .ok(200);
    assert_eq!(switched["active_role"]["role"], "member");
    let newcomer = Person::new(60, &name_for(60));
    let as_member = api.post("/api/v1/members", &newcomer.body(fx.a2)).await;
    assert!([403, 404].contains(&as_member.status), "{as_member:?}");
    let switched = api
        .post("/api/v1/me/active-role", &json!({"role_id": grant_id}))
        .await
        .ok(200);
    assert_eq!(
        switched["active_role"]["role"], "delegated_admin",
        "{switched}"
    );

    // `members`: enters and edits members anywhere in the college, nowhere else.
    let entered = api
        .post("/api/v1/members", &newcomer.body(fx.a2))
        .await
        .ok(201);
    api.patch(
        &format!("/api/v1/members/{}", id_of(&entered)),
        &json!({"actual_major": "软件工程"}),
    )
    .await
    .ok(200);
    api.post(
        "/api/v1/members",
        &Person::new(61, &name_for(61)).body(fx.b1),
    )
    .await
    .err(404, "not_found");
    assert_eq!(
        api.get(&format!("/api/v1/orgs/{}/members?subtree=true", fx.col_a))
            .await
            .ok(200)["total"],
        3
    );

    // Without `requests`: no approving, no submitting.
    let request = pending_correction(&server, &fx.a2_admin.token, &fx.m_a2).await;
    api.get(&format!("/api/v1/requests/{request}"))
        .await
        .ok(200);
    let refused = api
        .post_empty(&format!("/api/v1/requests/{request}/approve"))
        .await;
    refused.err(403, "forbidden");
    assert!(refused.message().contains("审批申请"), "{refused:?}");
    // Nor deciding a transfer into the college.
    crate::transfers::make_transferable(&server, &fx.b_admin.token, &fx.s1_admin.token, &fx.m_b1)
        .await;
    let incoming = crate::transfers::started(
        &server,
        &fx.b_admin.token,
        crate::transfers::to_org(fx.m_b1.id, fx.a2, "school_change"),
    )
    .await;
    api.post_empty(&format!("/api/v1/transfers/{incoming}/approve"))
        .await
        .err(403, "forbidden");
    // Without `cadres`: no cadre list changes.
    api.post(
        &format!("/api/v1/orgs/{}/cadres", fx.col_a),
        &json!({"member_id": fx.m_a2.id, "post": "组织委员", "started_on": "2025-09-01"}),
    )
    .await
    .err(403, "forbidden");
    // Never delegated: organisations, admins, further grants.
    api.post(
        "/api/v1/orgs",
        &with(
            org_body(fx.col_a, "计算机2399团支部", "branch", UNIVERSITY),
            json!({"branch_type": "regular"}),
        ),
    )
    .await
    .err(403, "forbidden");
    api.patch(
        &format!("/api/v1/orgs/{}", fx.a1),
        &json!({"contact_person": "授权管理员"}),
    )
    .await
    .err(403, "forbidden");
    api.post(
        &format!("/api/v1/orgs/{}/admins", fx.a1),
        &json!({"member_id": fx.m_a2.id}),
    )
    .await
    .err(403, "forbidden");
    grant(
        &server,
        &token,
        &fx.m_a2.person.student_no,
        fx.col_a,
        &["members"],
    )
    .await
    .err(403, "forbidden");
    api.delete(&format!("/api/v1/grants/{grant_id}"))
        .await
        .err(403, "forbidden");
    assert_eq!(grants_of(&server, admin, fx.col_a).await.len(), 1);
    assert_eq!(
        server
            .api(admin)
            .get(&format!("/api/v1/orgs/{}/admins", fx.a1))
            .await
            .ok(200)["total"],
        1
    );

    // Granting again replaces the permissions (same grant) and applies to the open session.
    let again = grant(
        &server,
        admin,
        &m.person.student_no,
        fx.col_a,
        &["requests", "members"],
    )
    .await
    .ok(201);
    assert_eq!(id_of(&again), grant_id);
    assert_eq!(
        again["permissions"],
        json!([{"key": "members", "label": "录入和维护团员信息"}, {"key": "requests", "label": "审批申请"}])
    );
    let approved = api
        .post_empty(&format!("/api/v1/requests/{request}/approve"))
        .await
        .ok(200);
    assert_eq!(approved["status"], "approved", "{approved}");

    // Revoking takes effect at once: the session acting in the grant ends.
    server
        .api(admin)
        .delete(&format!("/api/v1/grants/{grant_id}"))
        .await
        .ok(204);
    api.get("/api/v1/me").await.err(401, "not_logged_in");
    api.post(
        "/api/v1/members",
        &Person::new(62, &name_for(62)).body(fx.a2),
    )
    .await
    .fails(401);
    server
        .api(admin)
        .delete(&format!("/api/v1/grants/{grant_id}"))
        .await
        .err(404, "not_found");
    assert!(grants_of(&server, admin, fx.col_a).await.is_empty());
    let relogin = server.login(&m.person.student_no, MEMBER_PASSWORD).await;
    let me = server.api(&relogin).get("/api/v1/me").await.ok(200);
    assert!(role_of(&me, "delegated_admin").is_none(), "{me}");
    assert_eq!(me["active_role"]["role"], "member", "{me}");

    // All of it is in the college's log: grant, change, revoke, and the delegated work.
    let log = server
        .api(admin)
        .get(&format!("/api/v1/audit?org_id={}&per_page=500", fx.col_a))
        .await
        .ok(200);
    let entries = log["items"].as_array().cloned().unwrap_or_default();
    let grant_actions: Vec<&str> = entries
        .iter()
        .filter(|e| e["entity"] == "grant" && e["entity_id"] == grant_id)
        .filter_map(|e| e["action"].as_str())
        .collect();
    let mut sorted = grant_actions.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        vec!["grant", "revoke", "update"],
        "{grant_actions:?}"
    );
    let first = entries
        .iter()
        .find(|e| e["entity"] == "grant" && e["action"] == "grant")
        .expect("grant entry");
    assert_eq!(first["account_id"], fx.a_admin.account_id, "{first}");
    assert_eq!(first["after"]["permissions"], json!(["members"]), "{first}");
    let delegated_work = entries
        .iter()
        .find(|e| {
            e["entity"] == "member" && e["entity_id"] == id_of(&entered) && e["action"] == "create"
        })
        .expect("the delegated entry of a member");
    assert_eq!(
        delegated_work["role"], "delegated_admin",
        "{delegated_work}"
    );
    assert_eq!(delegated_work["role_label"], "授权管理员");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grants_are_checked_before_anything_is_granted() {
    let (server, fx) = school().await;
    let admin = fx.a_admin.token.as_str();
    let no = fx.m_a1.person.student_no.as_str();

    for (resp, code, field) in [
        (
            grant(
                &server,
                admin,
                &fx.m_b1.person.student_no,
                fx.col_a,
                &["members"],
            )
            .await,
            "member_not_found",
            "student_no",
        ),
        (
            grant(&server, admin, "20990000", fx.col_a, &["members"]).await,
            "member_not_found",
            "student_no",
        ),
        (
            grant(&server, admin, " ", fx.col_a, &["members"]).await,
            "required",
            "student_no",
        ),
        (
            grant(&server, admin, no, fx.col_a, &["root"]).await,
            "invalid_permission",
            "permissions",
        ),
        (
            grant(&server, admin, no, fx.col_a, &[]).await,
            "permissions_required",
            "permissions",
        ),
        (
            grant(&server, admin, no, fx.a1, &["members"]).await,
            "not_a_college",
            "college_id",
        ),
        (
            grant(&server, &fx.s1_admin.token, no, fx.s1, &["members"]).await,
            "not_a_college",
            "college_id",
        ),
    ] {
        resp.err(422, code).with_field(field).with_rule("ACC-4");
    }
    // Permission names in Chinese are understood too.
    let by_label = grant(&server, admin, no, fx.col_a, &["审批申请", "cadres"])
        .await
        .ok(201);
    assert_eq!(by_label["permissions"][0]["key"], "requests", "{by_label}");
    assert_eq!(by_label["permissions"][1]["key"], "cadres", "{by_label}");

    // Two members of the college share a student number: the caller must say which.
    let mut twin = Person::new(70, "钱雨轩");
    twin.student_no = fx.m_a2.person.student_no.clone();
    let twin = member(&server, &fx.root, twin, fx.a1).await;
    let ambiguous = grant(
        &server,
        admin,
        &fx.m_a2.person.student_no,
        fx.col_a,
        &["members"],
    )
    .await;
    ambiguous.err(409, "ambiguous_student_no");
    assert!(
        ambiguous.message().contains("钱思远") && ambiguous.message().contains("钱雨轩"),
        "{ambiguous:?}"
    );
    let chosen = server
        .api(admin)
        .post(
            "/api/v1/grants",
            &json!({"student_no": fx.m_a2.person.student_no, "college_id": fx.col_a,
                    "permissions": ["members"], "member_id": twin.id}),
        )
        .await
        .ok(201);
    assert_eq!(chosen["member_id"], twin.id);

    // Someone who already administers the college needs no grant.
    server
        .api(&fx.s1_admin.token)
        .post(
            &format!("/api/v1/orgs/{}/admins", fx.col_b),
            &json!({"member_id": fx.m_b1.id}),
        )
        .await
        .ok(201);
    grant(
        &server,
        &fx.s1_admin.token,
        &fx.m_b1.person.student_no,
        fx.col_b,
        &["members"],
    )
    .await
    .err(409, "already_admin");

    // Branch admins grant nothing (the college is above them).
    grant(&server, &fx.a1_admin.token, no, fx.col_a, &["members"])
        .await
        .err(404, "not_found");
    let items = grants_of(&server, admin, fx.col_a).await;
    assert_eq!(items.len(), 2, "{items:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grant_routes_outside_the_subtree_answer_not_found() {
    let (server, fx) = school().await;
    let b_grant = id_of(
        &grant(
            &server,
            &fx.b_admin.token,
            &fx.m_b1.person.student_no,
            fx.col_b,
            &["members"],
        )
        .await
        .ok(201),
    );
    let missing = 987_654_321_i64;
    let member = member_token(&server, &fx.root, &fx.m_a2).await;
    for (who, token) in [
        ("college A", fx.a_admin.token.as_str()),
        ("branch B1's sibling A1", fx.a1_admin.token.as_str()),
        ("school S2", fx.s2_admin.token.as_str()),
        ("a member", member.as_str()),
    ] {
        let api = server.api(token);
        let answers = [
            api.get(&format!("/api/v1/grants?org_id={}", fx.col_b))
                .await,
            api.get(&format!("/api/v1/grants?org_id={}", fx.b1)).await,
            grant(
                &server,
                token,
                &fx.m_b1.person.student_no,
                fx.col_b,
                &["members"],
            )
            .await,
            api.delete(&format!("/api/v1/grants/{b_grant}")).await,
        ];
        for a in &answers {
            assert!([403, 404].contains(&a.status), "[{who}] {a:?}");
            a.client_error();
            assert!(!a.text.contains(&fx.m_b1.person.name), "[{who}] {a:?}");
            assert!(
                !a.text.contains(&fx.m_b1.person.student_no),
                "[{who}] {a:?}"
            );
        }
        if who != "a member" {
            for a in &answers {
                a.err(404, "not_found");
            }
            let hidden = api.delete(&format!("/api/v1/grants/{b_grant}")).await;
            let absent = api.delete(&format!("/api/v1/grants/{missing}")).await;
            assert_eq!(
                hidden.text.replace(&b_grant.to_string(), "#"),
                absent.text.replace(&missing.to_string(), "#"),
                "[{who}]"
            );
            let own = api.get("/api/v1/grants").await.items();
            assert!(!ids(&own).contains(&b_grant), "[{who}] {own:?}");
        }
    }
    // An ordinary admin role row is not a grant, even in scope.
    server
        .api(&fx.s1_admin.token)
        .delete(&format!("/api/v1/grants/{}", fx.b_admin.role_id))
        .await
        .err(404, "not_found");
    assert_eq!(
        ids(&grants_of(&server, &fx.b_admin.token, fx.col_b).await),
        vec![b_grant]
    );
    server
        .api(&fx.b_admin.token)
        .get("/api/v1/me")
        .await
        .ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grants_page_grants_by_student_number_and_revokes() {
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
    assert!(org_page.contains(&format!("/orgs/{}/grants", fx.col_a)));

    let html = browser
        .get(server.url(&format!("/orgs/{}/grants", fx.col_a)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("暂无授权") && html.contains("grant-form"),
        "{html}"
    );
    for label in ["录入和维护团员信息", "审批申请", "维护团干部名单"] {
        assert!(html.contains(label), "{label}");
    }
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string();

    // Nothing ticked: the form says so and keeps the number.
    let none = browser
        .post(server.url(&format!("/orgs/{}/grants", fx.col_a)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("student_no", fx.m_a2.person.student_no.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(none.status().as_u16(), 422);
    let html = none.text().await.unwrap();
    assert!(html.contains("请至少勾选一项权限"), "{html}");
    assert!(html.contains(&fx.m_a2.person.student_no));

    let granted = browser
        .post(server.url(&format!("/orgs/{}/grants", fx.col_a)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("student_no", fx.m_a2.person.student_no.as_str()),
            ("permissions", "members"),
            ("permissions", "cadres"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(granted.status().as_u16(), 200);
    let html = granted.text().await.unwrap();
    assert!(
        html.contains("钱思远") && html.contains("维护团干部名单"),
        "{html}"
    );
    let items = grants_of(&server, &fx.a_admin.token, fx.col_a).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["permissions"][1]["key"], "cadres");

    // A branch page lists grants but offers no form.
    let branch = browser
        .get(server.url(&format!("/orgs/{}/grants", fx.a1)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        branch.contains("not-college") && !branch.contains("grant-form"),
        "{branch}"
    );

    let revoked = browser
        .post(server.url(&format!("/grants/{}/revoke", id_of(&items[0]))))
        .form(&[
            ("csrf", csrf.as_str()),
            ("org_id", fx.col_a.to_string().as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 200);
    assert!(revoked.text().await.unwrap().contains("已撤销授权"));
    assert!(grants_of(&server, &fx.a_admin.token, fx.col_a)
        .await
        .is_empty());
}
