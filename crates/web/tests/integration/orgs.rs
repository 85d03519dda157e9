//! ORG-1 … ORG-6 and admin accounts (ACC-1): the tree, its rules, search, soft delete.

use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::{id_of, ids, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn builds_the_tree_with_paths_depths_and_provinces() {
    let server = TestServer::start().await;
    let root = server.root_token().await;
    let top = my_org(&server, &root).await;

    let province = create_org(
        &server,
        &root,
        org_body(top, PROVINCE, "committee", "党政机关"),
    )
    .await;
    let pid = id_of(&province);
    assert_eq!(province["parent_id"], top);
    assert_eq!(province["depth"], 1, "{province}");
    assert_eq!(
        province["province_id"], pid,
        "a province is its own province: {province}"
    );
    assert_eq!(province["path"], format!("共青团中央委员会 / {PROVINCE}"));
    assert_eq!(province["kind"], "committee");
    assert_eq!(province["category"], "党政机关");
    assert_eq!(province["deleted"], false);

    let school = create_org(
        &server,
        &root,
        with(
            org_body(pid, SCHOOL1, "committee", UNIVERSITY),
            json!({
                "short_name": "某大学团委",
                "contact_person": "张老师",
                "contact_phone": "022-27401234",
                "address": "天津市南开区卫津路92号",
                "postcode": "300072",
            }),
        ),
    )
    .await;
    let sid = id_of(&school);
    assert_eq!(school["depth"], 2);
    assert_eq!(school["province_id"], pid);
    assert_eq!(school["short_name"], "某大学团委");
    assert_eq!(school["contact_person"], "张老师");
    assert_eq!(school["contact_phone"], "022-27401234");
    assert_eq!(school["postcode"], "300072");
    assert_eq!(
        school["path"],
        format!("共青团中央委员会 / {PROVINCE} / {SCHOOL1}")
    );

    let col_a = college(&server, &root, sid, COLLEGE_A, "general_branch").await;
    let col_b = college(&server, &root, sid, COLLEGE_B, "committee").await;
    let a1 = branch(&server, &root, col_a, BRANCH_A1).await;
    let staff = create_org(
        &server,
        &root,
        with(
            org_body(col_b, "机械工程学院教职工团支部", "branch", UNIVERSITY),
            json!({"branch_type": "staff"}),
        ),
    )
    .await;
    assert_eq!(staff["branch_type"], "staff");
    assert_eq!(staff["college_id"], col_b, "{staff}");

    let a1_json = server
        .api(&root)
        .get(&format!("/api/v1/orgs/{a1}"))
        .await
        .ok(200);
    assert_eq!(a1_json["college_id"], col_a, "{a1_json}");
    assert_eq!(a1_json["depth"], 4);
    assert_eq!(a1_json["province_id"], pid);
    assert_eq!(a1_json["branch_type"], "regular");
    assert_eq!(
        a1_json["path"],
        format!("共青团中央委员会 / {PROVINCE} / {SCHOOL1} / {COLLEGE_A} / {BRANCH_A1}")
    );

    let children = server
        .api(&root)
        .get(&format!("/api/v1/orgs/{sid}/children"))
        .await
        .ok(200);
    assert_eq!(children["total"], 2);
    let mut got = ids(children["items"].as_array().expect("items"));
    got.sort();
    let mut want = vec![col_a, col_b];
    want.sort();
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_kind_category_mismatch_branch_children_and_duplicate_names() {
    let (server, fx) = school().await;
    let api = server.api(&fx.root);
    let before_a = child_total(&server, &fx.root, fx.col_a).await;

    for category in ["完全中学", "九年一贯制学校", "十二年一贯制学校"] {
        api.post(
            "/api/v1/orgs",
            &org_body(fx.col_a, "计算机2399团支部", "branch", category),
        )
        .await
        .fails(422)
        .with_rule("ORG-2")
        .with_field("category");
    }
    // The same categories are fine for a 团总支.
    create_org(
        &server,
        &fx.root,
        org_body(fx.s1, "附属中学团总支", "general_branch", "完全中学"),
    )
    .await;

    let unknown = api
        .post(
            "/api/v1/orgs",
            &org_body(fx.col_a, "计算机2398团支部", "branch", "大学"),
        )
        .await;
    assert_eq!(unknown.status, 422, "{unknown:?}");
    unknown.client_error();

    api.post(
        "/api/v1/orgs",
        &org_body(fx.a1, "计算机2301团小组", "branch", UNIVERSITY),
    )
    .await
    .fails(422)
    .with_rule("ORG-1");

    api.post(
        "/api/v1/orgs",
        &org_body(fx.col_a, BRANCH_A1, "branch", UNIVERSITY),
    )
    .await
    .err(409, "duplicate_org_name");
    // Another parent may use the same name.
    branch(&server, &fx.root, fx.col_b, BRANCH_A1).await;

    assert_eq!(child_total(&server, &fx.root, fx.col_a).await, before_a);
    assert_eq!(child_total(&server, &fx.root, fx.a1).await, 0);

    // Renaming onto a sibling's name is refused as well.
    api.patch(
        &format!("/api/v1/orgs/{}", fx.a2),
        &json!({"name": BRANCH_A1}),
    )
    .await
    .err(409, "duplicate_org_name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_updates_fields_and_renaming_updates_descendant_paths() {
    let (server, fx) = school().await;
    let api = server.api(&fx.s1_admin.token);
    let patched = api
        .patch(
            &format!("/api/v1/orgs/{}", fx.col_a),
            &json!({"name": "计算机与信息学院团总支", "contact_person": "刘老师", "postcode": "300350"}),
        )
        .await
        .ok(200);
    assert_eq!(patched["name"], "计算机与信息学院团总支");
    assert_eq!(patched["contact_person"], "刘老师");
    assert_eq!(patched["postcode"], "300350");

    let a1 = api.get(&format!("/api/v1/orgs/{}", fx.a1)).await.ok(200);
    assert_eq!(
        a1["path"],
        format!("共青团中央委员会 / {PROVINCE} / {SCHOOL1} / 计算机与信息学院团总支 / {BRANCH_A1}"),
        "descendants show the new name in their path"
    );
    let found = server
        .api(&fx.root)
        .get("/api/v1/orgs?q=2301")
        .await
        .items();
    assert!(
        found.iter().any(|o| o["path"]
            .as_str()
            .is_some_and(|p| p.contains("计算机与信息学院团总支"))),
        "search shows the new path: {found:?}"
    );

    api.patch(
        &format!("/api/v1/orgs/{}", fx.col_a),
        &json!({"postcode": "3003"}),
    )
    .await
    .fails(422);
}

async fn search(server: &TestServer, token: &str, query: &str) -> Vec<Value> {
    server
        .api(token)
        .get(&format!("/api/v1/orgs?{query}"))
        .await
        .items()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_search_filters_by_province_and_keyword_and_shows_full_paths() {
    let (server, fx) = school().await;
    let hebei = id_of(
        &create_org(
            &server,
            &fx.root,
            org_body(fx.top, "共青团河北省委员会", "committee", "党政机关"),
        )
        .await,
    );
    let hebei_school = id_of(
        &create_org(
            &server,
            &fx.root,
            with(
                org_body(hebei, "共青团河北某学院委员会", "committee", UNIVERSITY),
                json!({"contact_person": "保密联系人", "contact_phone": "0311-87654321"}),
            ),
        )
        .await,
    );
    let hebei_cs = branch(
        &server,
        &fx.root,
        hebei_school,
        "河北某学院计算机2301团支部",
    )
    .await;

    // ORG-5 is not scoped: a branch admin in Tianjin finds orgs of another province.
    let searcher = &fx.a1_admin.token;
    let all = search(&server, searcher, "q=计算机").await;
    let all_ids = ids(&all);
    for id in [fx.col_a, fx.a1, fx.a2, hebei_cs] {
        assert!(all_ids.contains(&id), "{id} missing from {all:?}");
    }
    assert!(!all_ids.contains(&fx.b1), "keyword must match: {all:?}");

    let tianjin = search(
        &server,
        searcher,
        &format!("q=计算机&province_id={}", fx.province),
    )
    .await;
    let tj_ids = ids(&tianjin);
    assert!(
        tj_ids.contains(&fx.a1) && tj_ids.contains(&fx.col_a),
        "{tianjin:?}"
    );
    assert!(!tj_ids.contains(&hebei_cs), "province filter: {tianjin:?}");

    let a1 = tianjin
        .iter()
        .find(|o| o["id"] == fx.a1)
        .expect("A1 in the results");
    assert_eq!(
        a1["path"],
        format!("共青团中央委员会 / {PROVINCE} / {SCHOOL1} / {COLLEGE_A} / {BRANCH_A1}")
    );
    assert_eq!(a1["kind"], "branch");
    assert_eq!(a1["province_id"], fx.province);

    // Directory entries are public data only.
    let hebei_hits = search(&server, searcher, "q=河北").await;
    assert!(ids(&hebei_hits).contains(&hebei_school), "{hebei_hits:?}");
    for item in all.iter().chain(&hebei_hits) {
        let obj = item.as_object().expect("object");
        for k in [
            "id",
            "name",
            "kind",
            "category",
            "branch_type",
            "path",
            "province_id",
            "external_system",
        ] {
            assert!(obj.contains_key(k), "directory entry lacks {k}: {item}");
        }
        for k in [
            "contact_person",
            "contact_phone",
            "address",
            "postcode",
            "member_count",
        ] {
            assert!(!obj.contains_key(k), "directory entry shows {k}: {item}");
        }
    }
    let text = serde_json::to_string(&hebei_hits).expect("json");
    assert!(
        !text.contains("保密联系人") && !text.contains("87654321"),
        "{text}"
    );

    // A keyword from the middle of a name matches too.
    let middle = search(&server, searcher, "q=化学").await;
    assert!(ids(&middle).contains(&fx.s2b), "{middle:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soft_delete_is_blocked_while_not_empty_and_restored_by_the_level_above() {
    let (server, fx) = school().await;
    // Three members in A1 so the count in the message is recognisable.
    for seq in [50, 51] {
        member(&server, &fx.root, Person::new(seq, &name_for(seq)), fx.a1).await;
    }
    let s1 = server.api(&fx.s1_admin.token);
    let a = server.api(&fx.a_admin.token);

    let blocked = a
        .delete_with(
            &format!("/api/v1/orgs/{}", fx.a1),
            &json!({"reason": "班级合并"}),
        )
        .await;
    blocked.err(409, "org_not_empty");
    assert!(
        blocked.message().contains('3'),
        "message names the count: {blocked:?}"
    );

    let blocked = s1
        .delete_with(
            &format!("/api/v1/orgs/{}", fx.col_a),
            &json!({"reason": "学院撤并"}),
        )
        .await;
    blocked.err(409, "org_not_empty");
    assert!(
        blocked.message().contains('2'),
        "message names the count: {blocked:?}"
    );

    // An empty branch: reason required, then deleted.
    let empty = branch(&server, &fx.root, fx.col_a, "计算机2399团支部").await;
    let path = format!("/api/v1/orgs/{empty}");
    let no_reason = a.delete(&path).await;
    assert_eq!(no_reason.status, 422, "{no_reason:?}");
    no_reason.client_error();
    a.delete_with(&path, &json!({"reason": ""}))
        .await
        .client_error();
    let children = |include: bool| {
        let api = server.api(&fx.a_admin.token);
        let col = fx.col_a;
        async move {
            api.get(&format!(
                "/api/v1/orgs/{col}/children{}",
                if include { "?include_deleted=true" } else { "" }
            ))
            .await
            .items()
        }
    };
    assert!(ids(&children(false).await).contains(&empty));

    let done = a.delete_with(&path, &json!({"reason": "建错了"})).await;
    assert_eq!(done.status, 204, "{done:?}");
    assert!(!ids(&children(false).await).contains(&empty));
    let with_deleted = children(true).await;
    let gone = with_deleted
        .iter()
        .find(|o| o["id"] == empty)
        .unwrap_or_else(|| panic!("deleted org missing with include_deleted: {with_deleted:?}"));
    assert_eq!(gone["deleted"], true);
    assert_eq!(gone["deleted_reason"], "建错了");

    // No new members in a deleted branch.
    let late = Person::new(52, &name_for(52));
    a.post("/api/v1/members", &late.body(empty))
        .await
        .client_error();

    // The college above restores it, with nothing lost.
    let restored = a.post_empty(&format!("{path}/restore")).await.ok(200);
    assert_eq!(restored["deleted"], false);
    assert!(ids(&children(false).await).contains(&empty));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_an_admin_strictly_above_may_delete_or_restore() {
    let (server, fx) = school().await;
    let empty_college = college(
        &server,
        &fx.root,
        fx.s1,
        "外国语学院团总支",
        "general_branch",
    )
    .await;
    let c_admin = admin(
        &server,
        &fx.root,
        empty_college,
        "c_admin",
        "外国语学院管理员",
    )
    .await;
    let path = format!("/api/v1/orgs/{empty_college}");
    let reason = json!({"reason": "学院撤并"});

    server
        .api(&c_admin.token)
        .delete_with(&path, &reason)
        .await
        .fails(403);
    server
        .api(&fx.a1_admin.token)
        .delete_with(&format!("/api/v1/orgs/{}", fx.a1), &reason)
        .await
        .fails(403);

    let done = server
        .api(&fx.s1_admin.token)
        .delete_with(&path, &reason)
        .await;
    assert_eq!(done.status, 204, "{done:?}");

    server
        .api(&c_admin.token)
        .post_empty(&format!("{path}/restore"))
        .await
        .client_error();
    let restored = server
        .api(&fx.s1_admin.token)
        .post_empty(&format!("{path}/restore"))
        .await
        .ok(200);
    assert_eq!(restored["deleted"], false);
    assert_eq!(restored["deleted_reason"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_roles_are_named_by_level_and_listed_and_revocable() {
    let (server, fx) = school().await;
    let root = &fx.root;
    let district = id_of(
        &create_org(
            &server,
            root,
            org_body(
                fx.province,
                "共青团天津市南开区委员会",
                "committee",
                "党政机关",
            ),
        )
        .await,
    );
    let company = id_of(
        &create_org(
            &server,
            root,
            org_body(district, "共青团某国有企业委员会", "committee", "国有企业"),
        )
        .await,
    );
    let grant = |org: i64, login: &'static str| {
        let api = server.api(root);
        async move {
            api.post(
                &format!("/api/v1/orgs/{org}/admins"),
                &json!({"login": login, "password": ADMIN_PASSWORD, "name": "新管理员"}),
            )
            .await
            .ok(201)
        }
    };
    for (org, login, role) in [
        (fx.province, "province_2", "province_admin"),
        (district, "district_1", "city_admin"),
        (company, "company_1", "org_admin"),
        (fx.s1, "school_1b", "school_admin"),
        (fx.col_b, "college_b2", "college_admin"),
        (fx.b1, "branch_b1a", "branch_admin"),
    ] {
        let created = grant(org, login).await;
        assert_eq!(created["role"], role, "{login}: {created}");
        assert_eq!(created["org_id"], org);
    }
    let me = server
        .api(&server.login("district_1", ADMIN_PASSWORD).await)
        .get("/api/v1/me")
        .await
        .ok(200);
    assert_eq!(me["active_role"]["role"], "city_admin");
    assert_eq!(me["org_id"], district);

    let list = server
        .api(&fx.s1_admin.token)
        .get(&format!("/api/v1/orgs/{}/admins", fx.col_b))
        .await
        .ok(200);
    assert_eq!(list["total"], 2, "{list}");
    let items = list["items"].as_array().expect("items");
    let b = items
        .iter()
        .find(|i| i["login_name"] == "b_admin")
        .unwrap_or_else(|| panic!("b_admin missing: {list}"));
    assert_eq!(b["account_id"], fx.b_admin.account_id);
    assert_eq!(b["name"], fx.b_admin.name.as_str());
    assert_eq!(b["role"], "college_admin");

    // Revoking: the list shrinks and the session can no longer act for the org.
    let revoked = server
        .api(&fx.s1_admin.token)
        .delete(&format!(
            "/api/v1/orgs/{}/admins/{}",
            fx.col_b, fx.b_admin.account_id
        ))
        .await;
    assert_eq!(revoked.status, 204, "{revoked:?}");
    let list = server
        .api(&fx.s1_admin.token)
        .get(&format!("/api/v1/orgs/{}/admins", fx.col_b))
        .await
        .ok(200);
    assert_eq!(list["total"], 1, "{list}");
    let after = server
        .api(&fx.b_admin.token)
        .get(&format!("/api/v1/orgs/{}/members", fx.b1))
        .await;
    assert!(
        after.status >= 400,
        "revoked admin still reads members: {after:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_accounts_need_strong_passwords_and_an_admin_above() {
    let (server, fx) = school().await;
    let path = format!("/api/v1/orgs/{}/admins", fx.a1);
    let before = server.api(&fx.root).get(&path).await.ok(200)["total"].clone();
    for weak in ["short1", "onlyletters", "1234567890"] {
        server
            .api(&fx.a_admin.token)
            .post(
                &path,
                &json!({"login": "weakling", "password": weak, "name": "弱密码"}),
            )
            .await
            .client_error();
    }
    // A college admin cannot make admins of its own college.
    let own = server
        .api(&fx.a_admin.token)
        .post(
            &format!("/api/v1/orgs/{}/admins", fx.col_a),
            &json!({"login": "self_made", "password": ADMIN_PASSWORD, "name": "自封管理员"}),
        )
        .await;
    assert!(own.status == 403 || own.status == 404, "{own:?}");
    assert_eq!(
        server.api(&fx.root).get(&path).await.ok(200)["total"],
        before
    );
    server
        .login_resp("weakling", "short1")
        .await
        .err(401, "invalid_credentials");
    server
        .login_resp("self_made", ADMIN_PASSWORD)
        .await
        .err(401, "invalid_credentials");

    // A login name already taken is refused.
    let dup = server
        .api(&fx.a_admin.token)
        .post(
            &path,
            &json!({"login": "a1_admin", "password": ADMIN_PASSWORD, "name": "重名"}),
        )
        .await;
    assert_eq!(dup.status, 409, "{dup:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_same_name_siblings_create_exactly_one() {
    let (server, fx) = school().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let client = server.client.clone();
        let url = server.url("/api/v1/orgs");
        let token = fx.a_admin.token.clone();
        let body = org_body(fx.col_a, "计算机2399团支部", "branch", UNIVERSITY);
        tasks.spawn(async move {
            let resp = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("request");
            let status = resp.status().as_u16();
            (status, resp.text().await.unwrap_or_default())
        });
    }
    let mut statuses = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (status, text) = done.expect("task");
        assert!(status == 201 || status == 409, "{status}: {text}");
        if status == 409 {
            assert!(text.contains("duplicate_org_name"), "{text}");
        }
        statuses.push(status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(child_total(&server, &fx.root, fx.col_a).await, 3);
}
