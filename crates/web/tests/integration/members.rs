//! MEM-1 … MEM-3, MEM-8, ACC-9, SYS-5: member records, their rules, lists, search, masking.

use serde_json::{json, Value};
use time::macros::date;
use tuanwu_domain::mask::{mask_phone, mask_resident_id};
use tuanwu_domain::{OrgId, ResidentId};

use crate::fixtures::*;
use crate::harness::{id_of, ids, TestServer};

fn member_path(id: i64) -> String {
    format!("/api/v1/members/{id}")
}

/// A valid ID with its check character replaced by a wrong one.
fn with_wrong_check_digit(id: &str) -> String {
    let (head, last) = id.split_at(17);
    let wrong = match last {
        "X" => "0".to_string(),
        d => ((d.parse::<u8>().expect("digit") + 1) % 10).to_string(),
    };
    format!("{head}{wrong}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_a_member_with_derived_fields() {
    let (server, fx) = school().await;
    let p = Person::new(101, "周嘉怡");
    let mut body = p.body(fx.a1);
    body["ethnicity"] = json!("汉");
    body["email"] = json!("zhoujy@example.cn");
    body["admission_major"] = json!("计算机科学与技术");
    body["actual_major"] = json!("软件工程");
    body["native_place"] = json!("天津市南开区");
    body["education"] = json!("大学本科");
    let created = server
        .api(&fx.a_admin.token)
        .post("/api/v1/members", &body)
        .await
        .ok(201);
    assert_eq!(created["offline_managed"], false, "{created}");
    let id = id_of(&created);

    let m = server
        .api(&fx.a_admin.token)
        .get(&member_path(id))
        .await
        .ok(200);
    assert_eq!(m["org_id"], fx.a1);
    assert_eq!(m["org_name"], BRANCH_A1);
    assert_eq!(
        m["org_path"],
        format!("共青团中央委员会 / {PROVINCE} / {SCHOOL1} / {COLLEGE_A} / {BRANCH_A1}")
    );
    assert_eq!(m["name"], "周嘉怡");
    assert_eq!(
        m["resident_id"],
        p.resident_id.as_str(),
        "admins in scope see it in full"
    );
    assert_eq!(m["phone"], p.phone.as_str());
    assert_eq!(m["gender"], "male", "sequence 101 is odd: {m}");
    assert_eq!(m["birth_date"], p.birth.to_string());
    assert_eq!(m["ethnicity"], "汉族");
    assert_eq!(m["joined_on"], "2020-05");
    assert_eq!(m["development_no"], p.development_no.as_str());
    assert_eq!(m["student_no"], p.student_no.as_str());
    assert_eq!(m["political_status"], "league_member");
    assert_eq!(m["email"], "zhoujy@example.cn");
    assert_eq!(m["admission_major"], "计算机科学与技术");
    assert_eq!(m["actual_major"], "软件工程");
    assert_eq!(m["native_place"], "天津市南开区");
    assert_eq!(m["education"], "大学本科");
    assert_eq!(m["identity_check"], "pending");
    assert_eq!(m["aged_out"], false);

    let female = Person::new(102, "吴欣怡");
    let f = create_member(&server, &fx.a_admin.token, &female, fx.a1).await;
    let f = server
        .api(&fx.root)
        .get(&member_path(id_of(&f)))
        .await
        .ok(200);
    assert_eq!(f["gender"], "female");
}

/// Posts `body` as the college A admin, asserts the error (`code` "" = any code) and that A1
/// has as many members as before.
async fn refused(
    server: &TestServer,
    fx: &Fixture,
    body: &Value,
    status: u16,
    code: &str,
) -> crate::harness::Resp {
    let before = member_total(server, &fx.root, fx.a1).await;
    let resp = server
        .api(&fx.a_admin.token)
        .post("/api/v1/members", body)
        .await;
    if code.is_empty() {
        resp.fails(status);
    } else {
        resp.err(status, code);
    }
    assert_eq!(
        member_total(server, &fx.root, fx.a1).await,
        before,
        "nothing may be saved after {resp:?}"
    );
    resp
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_errors_name_the_field_and_save_nothing() {
    let (server, fx) = school().await;

    let p = Person::new(110, "郑明哲");
    let mut bad = p.body(fx.a1);
    bad["resident_id"] = json!(with_wrong_check_digit(&p.resident_id));
    refused(&server, &fx, &bad, 422, "invalid_resident_id")
        .await
        .with_field("resident_id");

    let mut short = p.body(fx.a1);
    short["resident_id"] = json!("12010120050101123");
    refused(&server, &fx, &short, 422, "invalid_resident_id")
        .await
        .with_field("resident_id");

    let mut no_dev = p.body(fx.a1);
    no_dev["development_no"] = json!("无");
    refused(&server, &fx, &no_dev, 422, "development_no_required")
        .await
        .with_field("development_no");
    let mut missing_dev = p.body(fx.a1);
    missing_dev
        .as_object_mut()
        .expect("object")
        .remove("development_no");
    refused(&server, &fx, &missing_dev, 422, "development_no_required").await;

    let mut short_dev = p.body(fx.a1);
    short_dev["development_no"] = json!("12345678901");
    refused(&server, &fx, &short_dev, 422, "invalid_development_no").await;

    // Joined at 13 in 2018: refused, quoting the rule.
    let mut young = Person::born(111, "冯雨轩", date!(2005 - 01 - 01));
    young.joined_on = "2018-06".to_string();
    let resp = refused(&server, &fx, &young.body(fx.a1), 422, "").await;
    resp.with_rule("MEM-2").with_field("joined_on");
    assert!(resp.message().contains("十四周岁"), "{resp:?}");

    let mut ethnic = p.body(fx.a1);
    ethnic["ethnicity"] = json!("火星族");
    refused(&server, &fx, &ethnic, 422, "invalid_ethnicity").await;

    let mut phone = p.body(fx.a1);
    phone["phone"] = json!("1381234567");
    refused(&server, &fx, &phone, 422, "invalid_phone").await;

    let mut status = p.body(fx.a1);
    status["political_status"] = json!("anarchist");
    refused(&server, &fx, &status, 422, "").await;

    // Members belong to branches only.
    let into_college = p.body(fx.col_a);
    let resp = server
        .api(&fx.a_admin.token)
        .post("/api/v1/members", &into_college)
        .await;
    resp.fails(422);
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, 2);

    // And the same person with the right data is accepted.
    create_member(&server, &fx.a_admin.token, &p, fx.a1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_resident_id_names_the_holder_only_within_scope() {
    let (server, fx) = school().await;

    let mut again = Person::new(120, "陈子涵");
    again.resident_id = fx.m_a2.person.resident_id.clone();
    let resp = refused(
        &server,
        &fx,
        &again.body(fx.a1),
        409,
        "duplicate_resident_id",
    )
    .await;
    assert!(
        resp.message().contains(BRANCH_A2),
        "within scope the message says where the person is: {resp:?}"
    );

    let mut other_side = Person::new(121, "陈雨轩");
    other_side.resident_id = fx.m_b1.person.resident_id.clone();
    let resp = refused(
        &server,
        &fx,
        &other_side.body(fx.a1),
        409,
        "duplicate_resident_id",
    )
    .await;
    for secret in [BRANCH_B1, COLLEGE_B, fx.m_b1.person.name.as_str()] {
        assert!(
            !resp.text.contains(secret),
            "out of scope the holder must not be revealed ({secret}): {resp:?}"
        );
    }

    // Lowercase x and surrounding spaces do not make a second record.
    let mut spaced = Person::new(122, "陈浩然");
    spaced.resident_id = format!(" {} ", fx.m_a1.person.resident_id);
    refused(
        &server,
        &fx,
        &spaced.body(fx.a1),
        409,
        "duplicate_resident_id",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lowercase_x_is_accepted_and_stored_uppercase() {
    let (server, fx) = school().await;
    let birth = date!(2004 - 09 - 09);
    let (seq, rid) = (0u16..1000)
        .map(|s| (s, ResidentId::compose(120104, birth, s)))
        .find(|(_, r)| r.as_str().ends_with('X'))
        .expect("some sequence ends in X");
    let mut p = Person::born(130, "王思远", birth);
    p.resident_id = rid.as_str().to_lowercase();
    let created = create_member(&server, &fx.a_admin.token, &p, fx.a1).await;
    let m = server
        .api(&fx.a_admin.token)
        .get(&member_path(id_of(&created)))
        .await
        .ok(200);
    assert_eq!(m["resident_id"], rid.as_str(), "sequence {seq}");

    let mut twin = Person::born(131, "王俊杰", birth);
    twin.resident_id = rid.as_str().to_string();
    refused(
        &server,
        &fx,
        &twin.body(fx.a1),
        409,
        "duplicate_resident_id",
    )
    .await;

    // Search works with either case.
    let found = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/members?q={}", p.resident_id))
        .await
        .items();
    assert_eq!(ids(&found), vec![id_of(&created)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joined_under_fourteen_before_2017_is_kept_offline() {
    let (server, fx) = school().await;
    let mut p = Person::born(140, "孙梓萱", date!(2003 - 06 - 01));
    p.joined_on = "2016-05".to_string();
    let mut body = p.body(fx.a1);
    body["development_no"] = json!("无");
    body["offline_note"] = json!("入团时未满十四周岁，线下管理");
    let created = server
        .api(&fx.a_admin.token)
        .post("/api/v1/members", &body)
        .await
        .ok(201);
    assert_eq!(created["offline_managed"], true, "{created}");
    let m = server
        .api(&fx.a_admin.token)
        .get(&member_path(id_of(&created)))
        .await
        .ok(200);
    assert_eq!(m["offline_managed"], true);
    assert_eq!(m["offline_note"], "入团时未满十四周岁，线下管理");
    assert_eq!(m["development_no"], Value::Null, "{m}");

    // The same age in 2017 is refused.
    let mut later = Person::born(141, "孙俊杰", date!(2003 - 06 - 01));
    later.joined_on = "2017-01".to_string();
    refused(&server, &fx, &later.body(fx.a1), 422, "")
        .await
        .with_rule("MEM-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_age_out_when_the_month_of_their_28th_birthday_ends() {
    let (server, fx) = school().await;
    let mut old = Person::born(150, "钱明哲", date!(1998 - 11 - 10));
    old.joined_on = "2014-05".to_string();
    let old_id = id_of(&create_member(&server, &fx.root, &old, fx.a1).await);
    let young_id = fx.m_a1.id;
    let aged_out = |token: String, id: i64| {
        let server = &server;
        async move { server.api(&token).get(&member_path(id)).await.ok(200)["aged_out"].clone() }
    };

    // 2026-11-29: turned 28 this month, still a member until the month ends.
    assert_eq!(aged_out(fx.a_admin.token.clone(), old_id).await, false);
    server.advance(time::Duration::days(2)); // 2026-12-01
                                             // Two days later the session has expired: log in again.
    let token = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    assert_eq!(aged_out(token.clone(), old_id).await, true);
    assert_eq!(aged_out(token, young_id).await, false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_and_sort() {
    let (server, fx) = school().await;
    let class = branch(&server, &fx.root, fx.col_a, "计算机2399团支部").await;
    // Created out of order; student numbers grow with seq, join months shrink with it.
    for (seq, month) in [(163, 2), (161, 4), (165, 1), (162, 3), (164, 5)] {
        let mut p = Person::new(seq, &name_for(seq));
        p.joined_on = format!("2020-0{month}");
        create_member(&server, &fx.root, &p, class).await;
    }
    let list = |query: String| {
        let api = server.api(&fx.a_admin.token);
        async move {
            api.get(&format!("/api/v1/orgs/{class}/members?{query}"))
                .await
                .ok(200)
        }
    };

    let by_student_no = list("sort=student_no&per_page=50".into()).await;
    assert_eq!(by_student_no["total"], 5);
    let numbers: Vec<String> = by_student_no["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["student_no"].as_str().expect("student_no").to_string())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted);
    assert_eq!(numbers.len(), 5);

    let by_joined = list("sort=joined_on&per_page=50".into()).await;
    let months: Vec<String> = by_joined["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["joined_on"].as_str().expect("joined_on").to_string())
        .collect();
    let mut asc = months.clone();
    asc.sort();
    let mut desc = asc.clone();
    desc.reverse();
    assert!(
        months == asc || months == desc,
        "not sorted by join date: {months:?}"
    );

    let by_name = list("sort=name&per_page=50".into()).await;
    assert_eq!(by_name["total"], 5);

    // Pages of two: 2 + 2 + 1, no overlap, same order as one big page.
    let mut paged = Vec::new();
    for (page, expect) in [(1, 2), (2, 2), (3, 1), (4, 0)] {
        let body = list(format!("sort=student_no&per_page=2&page={page}")).await;
        assert_eq!(body["total"], 5, "page {page}");
        let items = body["items"].as_array().expect("items");
        assert_eq!(items.len(), expect, "page {page}: {body}");
        paged.extend(ids(items));
    }
    assert_eq!(
        paged,
        ids(by_student_no["items"].as_array().expect("items"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subtree_listing_includes_descendant_branches() {
    let (server, fx) = school().await;
    let list = |org: i64, subtree: bool| {
        let api = server.api(&fx.s1_admin.token);
        async move {
            api.get(&format!(
                "/api/v1/orgs/{org}/members?subtree={subtree}&per_page=100"
            ))
            .await
            .ok(200)
        }
    };
    let college = list(fx.col_a, true).await;
    assert_eq!(college["total"], 2, "{college}");
    let mut got = ids(college["items"].as_array().expect("items"));
    got.sort();
    let mut want = vec![fx.m_a1.id, fx.m_a2.id];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(list(fx.col_a, false).await["total"], 0);
    assert_eq!(list(fx.a1, false).await["total"], 1);
    assert_eq!(list(fx.s1, true).await["total"], 3);
    let province = server
        .api(&fx.province_admin.token)
        .get(&format!(
            "/api/v1/orgs/{}/members?subtree=true",
            fx.province
        ))
        .await
        .ok(200);
    assert_eq!(province["total"], 4);
    let item = &college["items"][0];
    assert!(item["name"].is_string() && item["id"].is_i64(), "{item}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_by_name_resident_id_or_student_number_within_scope() {
    let (server, fx) = school().await;
    let s1 = &fx.s1_admin.token;
    let find = |token: String, q: String| {
        let server = &server;
        async move {
            let items = server
                .api(&token)
                .get(&format!("/api/v1/members?q={q}"))
                .await
                .items();
            ids(&items)
        }
    };
    let target = &fx.m_b1;
    assert_eq!(find(s1.clone(), "浩然".into()).await, vec![target.id]);
    assert_eq!(
        find(s1.clone(), target.person.name.clone()).await,
        vec![target.id]
    );
    assert_eq!(
        find(s1.clone(), target.person.resident_id.clone()).await,
        vec![target.id]
    );
    assert_eq!(
        find(s1.clone(), target.person.student_no.clone()).await,
        vec![target.id]
    );
    // The school admin finds anyone in the school, not beyond.
    assert_eq!(
        find(s1.clone(), fx.m_s2.person.name.clone()).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        find(s1.clone(), fx.m_s2.person.resident_id.clone()).await,
        Vec::<i64>::new()
    );
    // Part of an ID number is not a search key.
    assert_eq!(
        find(s1.clone(), target.person.resident_id[..12].to_string()).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        find(
            fx.province_admin.token.clone(),
            fx.m_s2.person.student_no.clone()
        )
        .await,
        vec![fx.m_s2.id]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_numbers_are_masked_in_lists_and_full_on_the_record() {
    let (server, fx) = school().await;
    let api = server.api(&fx.a_admin.token);
    let p = &fx.m_a1.person;

    let listed = api
        .get(&format!("/api/v1/orgs/{}/members", fx.a1))
        .await
        .ok(200);
    let searched = api
        .get(&format!("/api/v1/members?q={}", p.student_no))
        .await
        .ok(200);
    for body in [&listed, &searched] {
        let item = &body["items"][0];
        assert_eq!(item["id"], fx.m_a1.id, "{body}");
        assert_eq!(
            item["resident_id"],
            mask_resident_id(&p.resident_id),
            "{body}"
        );
        assert_eq!(item["phone"], mask_phone(&p.phone), "{body}");
        let text = body.to_string();
        assert!(
            !text.contains(&p.resident_id) && !text.contains(&p.phone),
            "{text}"
        );
    }
    assert!(
        mask_resident_id(&p.resident_id).starts_with("1201**********"),
        "the mask looks as the spec shows"
    );

    let detail = api.get(&member_path(fx.m_a1.id)).await.ok(200);
    assert_eq!(detail["resident_id"], p.resident_id.as_str());
    assert_eq!(detail["phone"], p.phone.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_rules_name_and_id_never_together_and_admission_major_read_only() {
    let (server, fx) = school().await;
    let api = server.api(&fx.a_admin.token);
    let id = fx.m_a1.id;
    let path = member_path(id);
    let original = api.get(&path).await.ok(200);
    let new_id = ResidentId::compose(120102, date!(2005 - 07 - 07), 246);

    api.patch(
        &path,
        &json!({"name": "赵新名", "resident_id": new_id.as_str()}),
    )
    .await
    .fails(422)
    .with_rule("ACC-9");
    let unchanged = api.get(&path).await.ok(200);
    assert_eq!(unchanged["name"], original["name"]);
    assert_eq!(unchanged["resident_id"], original["resident_id"]);

    // The admission major, once recorded, is read-only (MEM-1).
    let mut imported = Person::new(171, "赵录取");
    imported.joined_on = "2020-06".into();
    let mut body = imported.body(fx.a1);
    body["admission_major"] = json!("计算机科学与技术");
    let imported_id = id_of(&api.post("/api/v1/members", &body).await.ok(201));
    let imported_path = member_path(imported_id);
    api.patch(&imported_path, &json!({"admission_major": "机械工程"}))
        .await
        .fails(422);
    assert_eq!(
        api.get(&imported_path).await.ok(200)["admission_major"],
        "计算机科学与技术"
    );

    let patched = api
        .patch(
            &path,
            &json!({"phone": "13700001111", "actual_major": "人工智能", "education": "大学本科"}),
        )
        .await
        .ok(200);
    assert_eq!(patched["phone"], "13700001111");
    assert_eq!(patched["actual_major"], "人工智能");

    api.patch(&path, &json!({"name": "赵新名"})).await.ok(200);
    let moved = api
        .patch(&path, &json!({"resident_id": new_id.as_str()}))
        .await
        .ok(200);
    assert_eq!(moved["resident_id"], new_id.as_str());
    assert_eq!(
        moved["birth_date"], "2005-07-07",
        "birth date follows the ID: {moved}"
    );
    assert_eq!(moved["gender"], "female", "sequence 246 is even: {moved}");

    api.patch(&path, &json!({"resident_id": fx.m_a2.person.resident_id}))
        .await
        .err(409, "duplicate_resident_id");
    api.patch(
        &path,
        &json!({"resident_id": with_wrong_check_digit(new_id.as_str())}),
    )
    .await
    .err(422, "invalid_resident_id")
    .with_field("resident_id");
    api.patch(&path, &json!({"phone": "12"}))
        .await
        .err(422, "invalid_phone");
    let last = api.get(&path).await.ok(200);
    assert_eq!(last["resident_id"], new_id.as_str());
    assert_eq!(last["phone"], "13700001111");
    // The old number is free again.
    let mut reuse = Person::new(170, "赵旧号");
    reuse.resident_id = fx.m_a1.person.resident_id.clone();
    create_member(&server, &fx.a_admin.token, &reuse, fx.a2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verified_identity_is_locked() {
    let (server, fx) = school().await;
    let api = server.api(&fx.a_admin.token);
    let path = member_path(fx.m_a1.id);
    tuanwu_app::testing::mark_identity_verified(&server.ctx, fx.m_a1.id)
        .await
        .expect("mark verified");
    assert_eq!(api.get(&path).await.ok(200)["identity_check"], "verified");

    api.patch(&path, &json!({"name": "赵改名"}))
        .await
        .fails(422)
        .with_rule("ACC-9");
    let other = ResidentId::compose(120101, date!(2005 - 02 - 02), 808);
    api.patch(&path, &json!({"resident_id": other.as_str()}))
        .await
        .fails(422)
        .with_rule("ACC-9");
    let after = api.get(&path).await.ok(200);
    assert_eq!(after["name"], fx.m_a1.person.name.as_str());
    assert_eq!(after["resident_id"], fx.m_a1.person.resident_id.as_str());
    // Other fields stay editable.
    api.patch(&path, &json!({"actual_major": "数据科学"}))
        .await
        .ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_create_exactly_one_record() {
    let (server, fx) = school().await;
    let class = branch(&server, &fx.root, fx.col_a, "计算机2399团支部").await;
    let shared_id = ResidentId::compose(120101, date!(2004 - 04 - 04), 321);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8u16 {
        let mut p = Person::new(180 + i, &name_for(180 + i));
        p.resident_id = shared_id.as_str().to_string();
        let body = p.body(class);
        let client = server.client.clone();
        let url = server.url("/api/v1/members");
        let token = fx.a_admin.token.clone();
        tasks.spawn(async move {
            let resp = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("request");
            let status = resp.status().as_u16();
            let text = resp.text().await.unwrap_or_default();
            (status, text)
        });
    }
    let mut created = 0;
    let mut conflicts = 0;
    while let Some(done) = tasks.join_next().await {
        let (status, text) = done.expect("task");
        match status {
            201 => created += 1,
            409 => {
                assert!(text.contains("duplicate_resident_id"), "{text}");
                conflicts += 1;
            }
            other => panic!("unexpected {other}: {text}"),
        }
    }
    assert_eq!((created, conflicts), (1, 7));
    assert_eq!(member_total(&server, &fx.root, class).await, 1);
}

/// Pages are kept between requests: a change through this server shows at once, a change by
/// another process on the same database within moments, and a kept page is never shown to an
/// admin whose scope does not hold the org.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_member_page_follows_every_change_and_never_leaves_scope() {
    let (server, fx) = school().await;
    let path = format!("/api/v1/orgs/{}/members?per_page=50", fx.a1);
    let names = |body: Value| -> Vec<String> {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|m| m["name"].as_str().expect("name").to_string())
            .collect()
    };
    let a = server.api(&fx.a_admin.token);
    let before = names(a.get(&path).await.ok(200));
    assert_eq!(before, vec![fx.m_a1.person.name.clone()]);
    assert_eq!(names(a.get(&path).await.ok(200)), before, "served again");

    // Another admin whose scope holds the org reads the same page; one whose scope does not is
    // refused although the page is kept.
    assert_eq!(
        names(server.api(&fx.s1_admin.token).get(&path).await.ok(200)),
        before
    );
    let refused = server.api(&fx.b_admin.token).get(&path).await;
    assert_eq!(refused.status, 404, "{}", refused.text);

    // Through the application: the next read shows it.
    a.patch(&member_path(fx.m_a1.id), &json!({"name": "李改名"}))
        .await
        .ok(200);
    assert_eq!(
        names(a.get(&path).await.ok(200)),
        vec!["李改名".to_string()]
    );

    // Another process on the same database (a second server, `tuanwu import`): its write
    // transaction moves the shared marker, which this server watches.
    let outside = tuanwu_store::Db::connect(&server.database_url)
        .await
        .expect("second process's connection");
    let tx = outside.write().await.expect("write");
    sea_orm::ConnectionTrait::execute_unprepared(
        &*tx,
        &format!(
            "UPDATE members SET name = '王外改' WHERE id = {}",
            fx.m_a1.id
        ),
    )
    .await
    .expect("outside write");
    tx.commit().await.expect("commit");
    let mut seen = Vec::new();
    for _ in 0..40 {
        seen = names(a.get(&path).await.ok(200));
        if seen == vec!["王外改".to_string()] {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        seen,
        vec!["王外改".to_string()],
        "outside change never shown"
    );
}

/// Peak season: one branch's edit leaves the kept answers of every other branch current (only
/// that branch and the orgs above it are read again), a change without a named footprint
/// reaches every org, and another process's change reaches every org of this one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_renews_its_own_branch_and_the_orgs_above_not_the_other_branches() {
    let (server, fx) = school().await;
    let here = tuanwu_store::Db::connect(&server.database_url)
        .await
        .expect("connection");
    let rename =
        |id: i64, name: &str| format!("UPDATE members SET name = '{name}' WHERE id = {id}");
    let (a1, b1, col_a, s1) = (
        here.generation_of(OrgId(fx.a1)),
        here.generation_of(OrgId(fx.b1)),
        here.generation_of(OrgId(fx.col_a)),
        here.generation_of(OrgId(fx.s1)),
    );
    let tx = here.write().await.expect("write");
    sea_orm::ConnectionTrait::execute_unprepared(&*tx, &rename(fx.m_a1.id, "李一改"))
        .await
        .expect("edit");
    tx.commit_touching(&[OrgId(fx.a1)]).await.expect("commit");
    assert_ne!(
        here.generation_of(OrgId(fx.a1)),
        a1,
        "the edited member's branch"
    );
    assert_ne!(
        here.generation_of(OrgId(fx.col_a)),
        col_a,
        "its college's subtree"
    );
    assert_ne!(here.generation_of(OrgId(fx.s1)), s1, "its school's subtree");
    assert_eq!(
        here.generation_of(OrgId(fx.b1)),
        b1,
        "another college's branch stays kept"
    );

    // A change that does not name what it touched reaches every org.
    let b1 = here.generation_of(OrgId(fx.b1));
    let tx = here.write().await.expect("write");
    tx.commit().await.expect("commit");
    assert_ne!(here.generation_of(OrgId(fx.b1)), b1, "an unnamed change");

    // Another process's edit of one branch reaches every org here: this process cannot know
    // what it touched. Its own edits never count as another's.
    let b1 = here.generation_of(OrgId(fx.b1));
    let other = tuanwu_store::Db::connect(&server.database_url)
        .await
        .expect("second process's connection");
    let tx = other.write().await.expect("write");
    sea_orm::ConnectionTrait::execute_unprepared(&*tx, &rename(fx.m_a1.id, "李二改"))
        .await
        .expect("edit");
    tx.commit_touching(&[OrgId(fx.a1)]).await.expect("commit");
    let mut seen = false;
    for _ in 0..40 {
        if here.generation_of(OrgId(fx.b1)) != b1 {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(seen, "another process's change never reached this one");
    let b1 = here.generation_of(OrgId(fx.b1));
    let tx = here.write().await.expect("write");
    tx.commit_touching(&[OrgId(fx.a1)]).await.expect("commit");
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        here.generation_of(OrgId(fx.b1)),
        b1,
        "this process's own edit came back through the watcher as another's"
    );
}
